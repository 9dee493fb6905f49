package hook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/pelletier/go-toml/v2"
)

// MaxFileBytes bounds a hooks.toml.
const MaxFileBytes = 256 << 10

// file is the shape of a hooks.toml: [[hooks]] tables.
type file struct {
	Hooks []Entry `toml:"hooks"`
}

// LoadFiles reads <userRoot>/.rkat/hooks.toml then
// <projectRoot>/.rkat/hooks.toml (either root may be empty; a missing file
// holds no hooks) and returns their entries as two layers, user first.
// Errors wrap ErrConfig and name the file.
func LoadFiles(userRoot, projectRoot string) ([][]Entry, error) {
	var layers [][]Entry
	for _, root := range []string{userRoot, projectRoot} {
		if root == "" {
			layers = append(layers, nil)
			continue
		}
		entries, err := loadFile(filepath.Join(root, ".rkat", "hooks.toml"))
		if err != nil {
			return nil, err
		}
		layers = append(layers, entries)
	}
	return layers, nil
}

func loadFile(path string) ([]Entry, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrConfig, path, err)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrConfig, path, MaxFileBytes)
	}
	var f file
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrConfig, path, err)
	}
	for i := range f.Hooks {
		if err := f.Hooks[i].normalize(); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return f.Hooks, nil
}

// decodeStrict decodes raw into v, refusing unknown keys.
func decodeStrict(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
