package mcp

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// AddToFile appends server c as a [[servers]] table to the mcp.toml at path,
// creating the file (and its directory) when missing. The rest of the file
// is kept byte for byte. A server of that name already in the file is
// ErrServerExists.
func AddToFile(path string, c ServerConfig) error {
	if err := c.Validate(); err != nil {
		return err
	}
	data, err := readConfigFile(path)
	if err != nil {
		return err
	}
	spans, err := serverSpans(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, s := range spans {
		if s.name == c.Name {
			return fmt.Errorf("%w: %q in %s", ErrServerExists, c.Name, path)
		}
	}
	table, err := toml.Marshal(fileConfig{Servers: []ServerConfig{c}})
	if err != nil {
		return fmt.Errorf("mcp: encode server %q: %w", c.Name, err)
	}
	if len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")) {
		data = append(data, '\n')
	}
	if len(data) > 0 {
		data = append(data, '\n')
	}
	return writeConfigFile(path, append(data, table...))
}

// RemoveFromFile removes the [[servers]] table named name (with the comment
// lines right above it) from the mcp.toml at path, keeping the rest byte for
// byte. It reports whether the file held that server.
func RemoveFromFile(path, name string) (bool, error) {
	data, err := readConfigFile(path)
	if err != nil || len(data) == 0 {
		return false, err
	}
	spans, err := serverSpans(data)
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	for _, s := range spans {
		if s.name == name {
			out := append([]byte(nil), data[:s.start]...)
			if s.end == len(data) {
				// The last table goes with the blank lines before it.
				if out = bytes.TrimRight(out, " \t\n"); len(out) > 0 {
					out = append(out, '\n')
				}
			}
			return true, writeConfigFile(path, append(out, data[s.end:]...))
		}
	}
	return false, nil
}

// span is the byte range of one [[servers]] table of a file.
type span struct {
	name       string
	start, end int
}

// serverSpans finds the [[servers]] tables of an mcp.toml document. A table
// runs from its header (and the comments right above it) to the next table
// that is not one of its sub-tables ([servers.env]).
func serverSpans(data []byte) ([]span, error) {
	servers, err := ParseConfig(data, func(string) (string, bool) { return "", true })
	if err != nil {
		return nil, err
	}
	var spans []span
	var cur *span
	closeAt := func(at int) {
		if cur != nil {
			cur.end = at
			spans = append(spans, *cur)
			cur = nil
		}
	}
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			keys := e.Key()
			keys.Next()
			first := keys.Node()
			sub := keys.Next()
			if e.Kind == unstable.Table && string(first.Data) == "servers" && sub && cur != nil {
				continue // [servers.env] of the current server
			}
			start := leadingComments(data, lineStart(data, int(first.Raw.Offset)))
			closeAt(start)
			if e.Kind == unstable.ArrayTable && string(first.Data) == "servers" && !sub {
				cur = &span{start: start}
			}
		case unstable.KeyValue:
			keys := e.Key()
			keys.Next()
			if cur != nil && cur.name == "" && string(keys.Node().Data) == "name" && !keys.Next() {
				cur.name = string(e.Value().Data)
			}
		}
	}
	if err := p.Error(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	closeAt(len(data))
	if len(spans) != len(servers) {
		return nil, fmt.Errorf("%w: servers are not all [[servers]] tables; edit the file by hand", ErrConfig)
	}
	return spans, nil
}

// lineStart returns the offset of the start of the line holding offset i.
func lineStart(data []byte, i int) int {
	return bytes.LastIndexByte(data[:i], '\n') + 1
}

// leadingComments moves start back over the comment lines right above it.
func leadingComments(data []byte, start int) int {
	for start > 0 {
		prev := lineStart(data, start-1)
		if line := bytes.TrimSpace(data[prev : start-1]); len(line) == 0 || line[0] != '#' {
			return start
		}
		start = prev
	}
	return start
}

// SnapshotFile returns a function that puts the file at path back as it is
// now (removing it if it does not exist yet).
func SnapshotFile(path string) (restore func() error, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return func() error {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("mcp: %w", err)
			}
			return nil
		}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mcp: %w", err)
	}
	return func() error { return writeConfigFile(path, data) }, nil
}

func readConfigFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mcp: %w", err)
	}
	return data, nil
}

// writeConfigFile replaces path atomically.
func writeConfigFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("mcp: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".mcp.toml-*")
	if err != nil {
		return fmt.Errorf("mcp: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("mcp: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("mcp: write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("mcp: %w", err)
	}
	return nil
}
