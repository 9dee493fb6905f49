package mcp

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestParseConfig(t *testing.T) {
	vars := env(map[string]string{"TOKEN": "s3cret", "ROOT": "/srv"})
	cases := []struct {
		name, doc string
		want      []ServerConfig
		wantErr   string
	}{
		{name: "empty", doc: ``},
		{name: "stdio and http", doc: `
[[servers]]
name = "fs"
command = "npx"
args = ["-y", "@modelcontextprotocol/server-filesystem", "${ROOT}/data"]
env = { LOG = "debug" }
connect_timeout_secs = 20

[[servers]]
name = "remote"
url = "https://mcp.example.com/mcp"
headers = { Authorization = "Bearer ${TOKEN}" }
transport = "streamable-http"
`, want: []ServerConfig{
			{Name: "fs", Command: "npx", Args: []string{"-y", "@modelcontextprotocol/server-filesystem", "/srv/data"},
				Env: map[string]string{"LOG": "debug"}, ConnectTimeoutSecs: 20},
			{Name: "remote", URL: "https://mcp.example.com/mcp", Headers: map[string]string{"Authorization": "Bearer s3cret"},
				Transport: "streamable-http"},
		}},
		{name: "sse", doc: "[[servers]]\nname = \"old\"\nurl = \"http://127.0.0.1:9/sse\"\ntransport = \"sse\"",
			want: []ServerConfig{{Name: "old", URL: "http://127.0.0.1:9/sse", Transport: "sse"}}},
		{name: "unknown key", doc: "[[servers]]\nname = \"a\"\ncommand = \"x\"\ncwd = \"/\"", wantErr: "cwd"},
		{name: "no name", doc: "[[servers]]\ncommand = \"x\"", wantErr: "name is empty"},
		{name: "both", doc: "[[servers]]\nname = \"a\"\ncommand = \"x\"\nurl = \"http://h/\"", wantErr: "both command and url"},
		{name: "neither", doc: "[[servers]]\nname = \"a\"", wantErr: "needs a command or a url"},
		{name: "duplicate", doc: "[[servers]]\nname = \"a\"\ncommand = \"x\"\n[[servers]]\nname = \"a\"\ncommand = \"y\"", wantErr: "defined twice"},
		{name: "bad url", doc: "[[servers]]\nname = \"a\"\nurl = \"ftp://h/\"", wantErr: "not an http(s) URL"},
		{name: "bad transport", doc: "[[servers]]\nname = \"a\"\nurl = \"http://h/\"\ntransport = \"websocket\"", wantErr: "transport"},
		{name: "headers on stdio", doc: "[[servers]]\nname = \"a\"\ncommand = \"x\"\nheaders = {A = \"b\"}", wantErr: "url servers only"},
		{name: "args on http", doc: "[[servers]]\nname = \"a\"\nurl = \"http://h/\"\nargs = [\"x\"]", wantErr: "command servers only"},
		{name: "negative timeout", doc: "[[servers]]\nname = \"a\"\ncommand = \"x\"\nconnect_timeout_secs = -1", wantErr: "negative"},
		{name: "unset variable", doc: "[[servers]]\nname = \"a\"\ncommand = \"${NOPE}\"", wantErr: "NOPE is not set"},
		{name: "unterminated variable", doc: "[[servers]]\nname = \"a\"\ncommand = \"x\"\nargs = [\"${ROOT\"]", wantErr: "unterminated"},
		{name: "not toml", doc: "[[servers]\n", wantErr: "invalid server configuration"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseConfig([]byte(tc.doc), vars)
			if tc.wantErr != "" {
				if err == nil || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want ErrConfig containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, %v\nwant %+v", got, err, tc.want)
			}
		})
	}
}

func TestLoadConfigProjectWins(t *testing.T) {
	project, home := t.TempDir(), t.TempDir()
	write := func(dir, doc string) {
		if err := os.MkdirAll(filepath.Join(dir, ".rkat"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, ".rkat", "mcp.toml"), []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(home, "[[servers]]\nname = \"shared\"\ncommand = \"user-version\"\n[[servers]]\nname = \"mine\"\ncommand = \"u\"")
	write(project, "[[servers]]\nname = \"shared\"\ncommand = \"project-version\"")
	got, err := LoadConfig(project, home, env(nil))
	want := []ServerConfig{{Name: "shared", Command: "project-version"}, {Name: "mine", Command: "u"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, %v", got, err)
	}
	if got, err := LoadConfig(t.TempDir(), "", env(nil)); err != nil || got != nil {
		t.Fatalf("no files: %+v, %v", got, err)
	}
	write(project, "[[servers]]\nname = 5")
	if _, err := LoadConfig(project, home, env(nil)); err == nil || !strings.Contains(err.Error(), filepath.Join(project, ".rkat", "mcp.toml")) {
		t.Fatalf("a bad file must be named in the error: %v", err)
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add("[[servers]]\nname = \"a\"\ncommand = \"x\"\nargs = [\"${HOME}\"]")
	f.Add("[[servers]]\nname = \"r\"\nurl = \"https://h/mcp\"\nheaders = {A = \"${B}\"}\ntransport = \"sse\"")
	f.Add("[[servers]]\nname = \"\"")
	f.Fuzz(func(t *testing.T, doc string) {
		servers, err := ParseConfig([]byte(doc), env(map[string]string{"HOME": "/h", "B": "b"}))
		if err != nil {
			return
		}
		for _, s := range servers {
			if err := s.Validate(); err != nil {
				t.Fatalf("accepted an invalid server %+v: %v", s, err)
			}
		}
	})
}
