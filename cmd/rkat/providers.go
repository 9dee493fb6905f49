package main

import (
	"os"
	"path/filepath"

	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/skill"
)

// newResolver builds the provider resolver of CLI commands from the user's
// configuration files (~/.rkat/config.toml, then ./.rkat/config.toml) and
// the environment looked up by getenv.
func newResolver(getenv func(string) string) (*providers.Resolver, error) {
	home, wd := configDirs()
	return providers.Load(home, wd, getenv)
}

// configDirs returns the directories whose .rkat/config.toml apply: the
// user's home and the working directory.
func configDirs() (home, wd string) {
	home, _ = os.UserHomeDir()
	wd, _ = os.Getwd()
	return home, wd
}

// newSkills returns the skills of CLI commands: ./.rkat/skills,
// ~/.rkat/skills and the builtin ones.
func newSkills() *skill.Library {
	home, wd := configDirs()
	return skill.New(skill.Config{ProjectDir: filepath.Join(wd, ".rkat", "skills"), UserDir: filepath.Join(home, ".rkat", "skills")})
}
