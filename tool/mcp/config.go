package mcp

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// HTTP transports of a url server.
const (
	TransportStreamableHTTP = "streamable-http"
	TransportSSE            = "sse"
)

// ErrConfig is matched (errors.Is) by every configuration error.
var ErrConfig = errors.New("mcp: invalid server configuration")

// ServerConfig is one MCP server, in the format of `[[servers]]` tables in
// mcp.toml and of the server_config of `mcp/add`: a stdio server has Command
// (plus Args, Env), an HTTP server has URL (plus Headers, Transport).
type ServerConfig struct {
	Name      string            `toml:"name" json:"name"`
	Command   string            `toml:"command,omitempty" json:"command,omitempty"`
	Args      []string          `toml:"args,omitempty" json:"args,omitempty"`
	Env       map[string]string `toml:"env,omitempty" json:"env,omitempty"`
	URL       string            `toml:"url,omitempty" json:"url,omitempty"`
	Headers   map[string]string `toml:"headers,omitempty" json:"headers,omitempty"`
	Transport string            `toml:"transport,omitempty" json:"transport,omitempty"`
	// ConnectTimeoutSecs bounds start-up and the initialize handshake;
	// zero means the manager's default.
	ConnectTimeoutSecs int `toml:"connect_timeout_secs,omitempty" json:"connect_timeout_secs,omitempty"`
}

// Validate checks that c names exactly one kind of server with well-formed
// fields.
func (c ServerConfig) Validate() error {
	switch {
	case strings.TrimSpace(c.Name) == "":
		return fmt.Errorf("%w: server name is empty", ErrConfig)
	case c.Command != "" && c.URL != "":
		return fmt.Errorf("%w: server %q has both command and url", ErrConfig, c.Name)
	case c.Command == "" && c.URL == "":
		return fmt.Errorf("%w: server %q needs a command or a url", ErrConfig, c.Name)
	case c.ConnectTimeoutSecs < 0:
		return fmt.Errorf("%w: server %q: connect_timeout_secs is negative", ErrConfig, c.Name)
	}
	if c.Command != "" {
		if len(c.Headers) > 0 || c.Transport != "" {
			return fmt.Errorf("%w: server %q: headers and transport apply to url servers only", ErrConfig, c.Name)
		}
		return nil
	}
	if len(c.Args) > 0 || len(c.Env) > 0 {
		return fmt.Errorf("%w: server %q: args and env apply to command servers only", ErrConfig, c.Name)
	}
	switch c.Transport {
	case "", TransportStreamableHTTP, TransportSSE:
	default:
		return fmt.Errorf("%w: server %q: transport %q is not %s or %s", ErrConfig, c.Name, c.Transport, TransportStreamableHTTP, TransportSSE)
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: server %q: url %q is not an http(s) URL", ErrConfig, c.Name, c.URL)
	}
	return nil
}

// fileConfig is the document of an mcp.toml file.
type fileConfig struct {
	Servers []ServerConfig `toml:"servers"`
}

// ParseConfig decodes an mcp.toml document, rejecting unknown keys, invalid
// servers and duplicate names. ${VAR} references in commands, args, env
// values, urls and headers are expanded with getenv; a reference to an unset
// variable is an error.
func ParseConfig(data []byte, getenv func(string) (string, bool)) ([]ServerConfig, error) {
	var fc fileConfig
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			return nil, fmt.Errorf("%w: unknown keys:\n%s", ErrConfig, strict.String())
		}
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	seen := map[string]bool{}
	for i, c := range fc.Servers {
		if err := c.Validate(); err != nil {
			return nil, err
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("%w: server %q is defined twice", ErrConfig, c.Name)
		}
		seen[c.Name] = true
		expanded, err := expandServer(c, getenv)
		if err != nil {
			return nil, err
		}
		fc.Servers[i] = expanded
	}
	return fc.Servers, nil
}

// ConfigFile is the mcp.toml under dir: dir/.rkat/mcp.toml, for the project
// directory and the home directory alike; "" for an empty dir.
func ConfigFile(dir string) string {
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, ".rkat", "mcp.toml")
}

// ReadConfigFile parses the mcp.toml at path; a missing file (or an empty
// path) holds no servers.
func ReadConfigFile(path string, getenv func(string) (string, bool)) ([]ServerConfig, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mcp: %w", err)
	}
	servers, err := ParseConfig(data, getenv)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return servers, nil
}

// LoadConfig reads the project file (workDir/.rkat/mcp.toml) and the user file
// (homeDir/.rkat/mcp.toml); an empty directory or a missing file contributes
// nothing. Project servers come first and win on a name clash.
func LoadConfig(workDir, homeDir string, getenv func(string) (string, bool)) ([]ServerConfig, error) {
	var out []ServerConfig
	seen := map[string]bool{}
	for _, p := range []string{ConfigFile(workDir), ConfigFile(homeDir)} {
		servers, err := ReadConfigFile(p, getenv)
		if err != nil {
			return nil, err
		}
		for _, s := range servers {
			if !seen[s.Name] {
				seen[s.Name] = true
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// expandServer expands ${VAR} references in the fields of c that may hold
// them.
func expandServer(c ServerConfig, getenv func(string) (string, bool)) (ServerConfig, error) {
	var err error
	ex := func(field, s string) string {
		if err != nil {
			return s
		}
		var out string
		out, err = expand(s, getenv)
		if err != nil {
			err = fmt.Errorf("%w: server %q: %s: %w", ErrConfig, c.Name, field, err)
		}
		return out
	}
	c.Command = ex("command", c.Command)
	c.URL = ex("url", c.URL)
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = ex("args", a)
	}
	if c.Args != nil {
		c.Args = args
	}
	c.Env = expandMap(c.Env, func(v string) string { return ex("env", v) })
	c.Headers = expandMap(c.Headers, func(v string) string { return ex("headers", v) })
	return c, err
}

func expandMap(m map[string]string, f func(string) string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = f(v)
	}
	return out
}

// expand replaces each ${NAME} in s by the variable's value.
func expand(s string, getenv func(string) (string, bool)) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i+2:], '}')
		if end < 0 {
			return "", fmt.Errorf("unterminated ${ in %q", s)
		}
		name := s[i+2 : i+2+end]
		if name == "" {
			return "", fmt.Errorf("empty ${} in %q", s)
		}
		v, ok := getenv(name)
		if !ok {
			return "", fmt.Errorf("environment variable %s is not set", name)
		}
		b.WriteString(v)
		s = s[i+3+end:]
	}
}
