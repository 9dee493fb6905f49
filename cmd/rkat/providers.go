package main

import (
	"os"

	"github.com/rkat-dev/rkat/llm/providers"
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
