package realm

import "github.com/rkat-dev/rkat/internal/tomlfiles"

// ConfigStore returns the [store] url of the configuration files, the last
// file that sets it winning; missing files are skipped:
//
//	[store]
//	url = "postgres://rkat@db.internal:5432/rkat"
func ConfigStore(paths ...string) (string, error) {
	var url string
	err := tomlfiles.Each(paths, func(_ string, decode func(any) error) error {
		var f struct {
			Store struct {
				URL string `toml:"url"`
			} `toml:"store"`
		}
		if err := decode(&f); err != nil {
			return err
		}
		if f.Store.URL != "" {
			url = f.Store.URL
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return url, nil
}
