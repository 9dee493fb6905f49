package realm

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/pelletier/go-toml/v2"
)

// ConfigStore returns the [store] url of the configuration files, the last
// file that sets it winning; missing files are skipped:
//
//	[store]
//	url = "postgres://rkat@db.internal:5432/rkat"
func ConfigStore(paths ...string) (string, error) {
	var url string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("config: %w", err)
		}
		var f struct {
			Store struct {
				URL string `toml:"url"`
			} `toml:"store"`
		}
		if err := toml.Unmarshal(data, &f); err != nil {
			return "", fmt.Errorf("config %s: %w", p, err)
		}
		if f.Store.URL != "" {
			url = f.Store.URL
		}
	}
	return url, nil
}
