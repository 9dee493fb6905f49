// Package tomlfiles reads layered TOML configuration files (the user's
// ~/.rkat/config.toml, then the project's): every file that exists, in
// order, so that each package can let a later file override an earlier one
// in its own section and its own way.
package tomlfiles

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/pelletier/go-toml/v2"
)

// Each calls fn, in order, for every file of paths that exists, with a
// decode that unmarshals the file's TOML into v (unknown keys are ignored:
// each package reads only its own section). Missing files are skipped. A
// file that cannot be read stops with a "config: " error, one that does not
// decode with an error naming the file; an error of fn stops as it is.
func Each(paths []string, fn func(path string, decode func(v any) error) error) error {
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("config: %w", err)
		}
		decode := func(v any) error {
			if err := toml.Unmarshal(data, v); err != nil {
				return fmt.Errorf("config %s: %w", p, err)
			}
			return nil
		}
		if err := fn(p, decode); err != nil {
			return err
		}
	}
	return nil
}
