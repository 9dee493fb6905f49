package providers

import (
	"path/filepath"

	"github.com/rkat-dev/rkat/internal/tomlfiles"
)

// File is the provider part of the user's configuration file
// (~/.rkat/config.toml, then the project-local .rkat/config.toml):
//
//	[providers.anthropic]            # also openai, gemini
//	base_url = "https://proxy.example/anthropic"
//	api_key_env = "MY_ANTHROPIC_KEY" # variable read before the standard ones
//
//	[self_hosted.servers.ollama]
//	base_url = "http://127.0.0.1:11434/v1"
//	api_key_env = "OLLAMA_KEY"       # optional
//	models = ["qwen3:8b", "llama3.3"]
//
//	[scripted]
//	script = "script.json"           # relative to the file's directory
//
// Other sections of the file are ignored here.
type File struct {
	Providers  map[string]ProviderConfig `toml:"providers"`
	SelfHosted struct {
		Servers map[string]ServerConfig `toml:"servers"`
	} `toml:"self_hosted"`
	Scripted struct {
		Script string `toml:"script"`
	} `toml:"scripted"`
}

// ProviderConfig overrides how a built-in provider is reached.
type ProviderConfig struct {
	BaseURL   string `toml:"base_url"`
	APIKeyEnv string `toml:"api_key_env"`
}

// ServerConfig declares an OpenAI-compatible self-hosted server.
type ServerConfig struct {
	BaseURL   string   `toml:"base_url"`
	APIKeyEnv string   `toml:"api_key_env"`
	Models    []string `toml:"models"`
}

// ConfigPaths returns the configuration files in the order they apply:
// home's .rkat/config.toml, then workDir's .rkat/config.toml. Empty
// arguments are skipped.
func ConfigPaths(home, workDir string) []string {
	var out []string
	for _, dir := range []string{home, workDir} {
		if dir != "" {
			out = append(out, filepath.Join(dir, ".rkat", "config.toml"))
		}
	}
	return out
}

// LoadFiles reads the files in order, later ones overriding earlier ones
// field by field (a server is replaced whole). Missing files are skipped.
func LoadFiles(paths ...string) (File, error) {
	var out File
	err := tomlfiles.Each(paths, func(p string, decode func(any) error) error {
		var f File
		if err := decode(&f); err != nil {
			return err
		}
		if f.Scripted.Script != "" && !filepath.IsAbs(f.Scripted.Script) {
			f.Scripted.Script = filepath.Join(filepath.Dir(p), f.Scripted.Script)
		}
		out.merge(f)
		return nil
	})
	if err != nil {
		return File{}, err
	}
	return out, nil
}

func (f *File) merge(g File) {
	for name, pc := range g.Providers {
		cur := f.Providers[name]
		if pc.BaseURL != "" {
			cur.BaseURL = pc.BaseURL
		}
		if pc.APIKeyEnv != "" {
			cur.APIKeyEnv = pc.APIKeyEnv
		}
		if f.Providers == nil {
			f.Providers = map[string]ProviderConfig{}
		}
		f.Providers[name] = cur
	}
	for id, sc := range g.SelfHosted.Servers {
		if f.SelfHosted.Servers == nil {
			f.SelfHosted.Servers = map[string]ServerConfig{}
		}
		f.SelfHosted.Servers[id] = sc
	}
	if g.Scripted.Script != "" {
		f.Scripted.Script = g.Scripted.Script
	}
}

// Load builds the resolver from the configuration files of home and workDir
// (see ConfigPaths) and the environment looked up by getenv.
func Load(home, workDir string, getenv func(string) string) (*Resolver, error) {
	file, err := LoadFiles(ConfigPaths(home, workDir)...)
	if err != nil {
		return nil, err
	}
	return New(Config{Getenv: getenv, File: file})
}
