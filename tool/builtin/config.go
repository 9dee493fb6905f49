package builtin

import (
	"os"
	"time"

	"github.com/rkat-dev/rkat/internal/tomlfiles"
)

// FileConfig is the [tools] table of rkat's config.toml files:
//
//	[tools]
//	enable_builtins = true      # default for new sessions (false)
//	enable_shell = false        # default for new sessions (false)
//	max_parallel = 8            # concurrent tool calls of one model response
//
//	[tools.shell]
//	program = "/bin/sh"
//	default_timeout_secs = 30
//	max_timeout_secs = 600
//	allow_outside_root = false
//	inherit_env = ["PATH", "HOME", "LANG"]
//	max_output_bytes = 65536
//	max_jobs = 16
type FileConfig struct {
	EnableBuiltins *bool `toml:"enable_builtins"`
	EnableShell    *bool `toml:"enable_shell"`
	MaxParallel    int   `toml:"max_parallel"`
	Shell          struct {
		Program            string   `toml:"program"`
		DefaultTimeoutSecs int      `toml:"default_timeout_secs"`
		MaxTimeoutSecs     int      `toml:"max_timeout_secs"`
		AllowOutsideRoot   bool     `toml:"allow_outside_root"`
		InheritEnv         []string `toml:"inherit_env"`
		MaxOutputBytes     int      `toml:"max_output_bytes"`
		MaxJobs            int      `toml:"max_jobs"`
	} `toml:"shell"`
}

// LoadConfig reads the [tools] table of the files in order, a later file
// overriding the keys it sets. Missing files are skipped.
func LoadConfig(paths ...string) (FileConfig, error) {
	var doc struct {
		Tools FileConfig `toml:"tools"`
	}
	err := tomlfiles.Each(paths, func(_ string, decode func(any) error) error { return decode(&doc) })
	if err != nil {
		return FileConfig{}, err
	}
	return doc.Tools, nil
}

// ShellConfig returns the shell settings of the file (zero fields take the
// defaults when the Toolbox is made).
func (f FileConfig) ShellConfig() ShellConfig {
	s := f.Shell
	return ShellConfig{
		Program: s.Program, DefaultTimeout: time.Duration(s.DefaultTimeoutSecs) * time.Second,
		MaxTimeout: time.Duration(s.MaxTimeoutSecs) * time.Second, AllowOutsideRoot: s.AllowOutsideRoot,
		InheritEnv: s.InheritEnv, MaxOutputBytes: s.MaxOutputBytes, MaxJobs: s.MaxJobs,
	}
}

// Available reports whether the configured shell program can run.
func (c ShellConfig) Available() bool {
	fi, err := os.Stat(c.withDefaults().Program)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}
