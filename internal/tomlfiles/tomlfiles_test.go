package tomlfiles_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/internal/tomlfiles"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestEach(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	user := write("user.toml", "[s]\na = \"user\"\nb = \"user\"\n")
	project := write("project.toml", "[s]\nb = \"project\"\n[other]\nx = 1\n")
	broken := write("broken.toml", "[s\n")
	missing := filepath.Join(dir, "missing.toml")
	type doc struct {
		S struct{ A, B string } `toml:"s"`
	}
	for _, tc := range []struct {
		name    string
		paths   []string
		want    string // visited paths and the final a/b, or the error's text
		wantErr bool
	}{
		{"later overrides, missing skipped", []string{user, missing, project}, "user.toml project.toml | user/project", false},
		{"order matters", []string{project, user}, "project.toml user.toml | user/user", false},
		{"none", []string{missing}, " | /", false},
		{"broken file named", []string{user, broken}, "config " + broken + ": ", true},
		{"unreadable", []string{dir}, "config: ", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d doc
			var seen []string
			err := tomlfiles.Each(tc.paths, func(p string, decode func(any) error) error {
				seen = append(seen, filepath.Base(p))
				return decode(&d)
			})
			if tc.wantErr {
				if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
					t.Fatalf("Each = %v, want an error starting %q", err, tc.want)
				}
				return
			}
			got := strings.Join(seen, " ") + " | " + d.S.A + "/" + d.S.B
			if err != nil || got != tc.want {
				t.Fatalf("Each = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
