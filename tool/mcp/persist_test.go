package mcp

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestPersistKeepsTheRestOfTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".rkat", "mcp.toml")
	read := func() string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if ok, err := RemoveFromFile(path, "x"); ok || err != nil {
		t.Fatalf("remove from a missing file: %v, %v", ok, err)
	}
	if err := AddToFile(path, ServerConfig{Name: "first", Command: "a", Env: map[string]string{"K": "v"}}); err != nil {
		t.Fatal(err)
	}
	hand := read() + `
# the remote one
[[servers]]
name = "remote"   # keep me
url = "https://h/mcp"
headers = { A = "b" }
`
	if err := os.WriteFile(path, []byte(hand), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := AddToFile(path, ServerConfig{Name: "third", URL: "http://127.0.0.1:1/mcp"}); err != nil {
		t.Fatal(err)
	}
	if err := AddToFile(path, ServerConfig{Name: "remote", Command: "c"}); !errors.Is(err, ErrServerExists) {
		t.Fatalf("duplicate add: %v", err)
	}
	got, err := ParseConfig([]byte(read()), env(nil))
	if err != nil || len(got) != 3 || got[0].Env["K"] != "v" || got[2].Name != "third" {
		t.Fatalf("after adds: %+v, %v\n%s", got, err, read())
	}

	if ok, err := RemoveFromFile(path, "first"); !ok || err != nil {
		t.Fatalf("remove first: %v, %v", ok, err)
	}
	if ok, err := RemoveFromFile(path, "third"); !ok || err != nil {
		t.Fatalf("remove third: %v, %v", ok, err)
	}
	want := `# the remote one
[[servers]]
name = "remote"   # keep me
url = "https://h/mcp"
headers = { A = "b" }
`
	if got := read(); got != want {
		t.Fatalf("file after removals:\n%q\nwant\n%q", got, want)
	}
	if ok, err := RemoveFromFile(path, "nope"); ok || err != nil {
		t.Fatalf("remove absent: %v, %v", ok, err)
	}
}

// FuzzServerSpans: removing any server's span from a valid document leaves a
// valid document holding the other servers.
func FuzzServerSpans(f *testing.F) {
	f.Add("[[servers]]\nname = \"a\"\ncommand = \"x\"\n\n# b\n[[servers]]\nname = \"b\"\nurl = \"http://h/\"\n")
	f.Add("servers = [{name = \"a\", command = \"x\"}]\n")
	f.Add("[[servers]]\nname = \"a\"\ncommand = \"x\"\n[servers.env]\nK = \"v\"\n[[servers]]\nname = 'c'\ncommand = \"\"\"\n[[servers]]\n\"\"\"\n")
	f.Fuzz(func(t *testing.T, doc string) {
		all, err := ParseConfig([]byte(doc), func(string) (string, bool) { return "", true })
		if err != nil {
			return
		}
		spans, err := serverSpans([]byte(doc))
		if err != nil {
			return // e.g. servers = [{...}] inline: refused, not guessed
		}
		for i, s := range spans {
			rest := doc[:s.start] + doc[s.end:]
			left, err := ParseConfig([]byte(rest), func(string) (string, bool) { return "", true })
			if err != nil || len(left) != len(all)-1 {
				t.Fatalf("removing %q (%d:%d) left %d servers, %v:\n%s", s.name, s.start, s.end, len(left), err, rest)
			}
			for _, l := range left {
				if l.Name == all[i].Name {
					t.Fatalf("removing %q left it in place", s.name)
				}
			}
		}
	})
}

func TestPersistRefusesInlineServers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mcp.toml")
	doc := "servers = [{name = \"a\", command = \"x\"}]\n"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := AddToFile(path, ServerConfig{Name: "b", Command: "y"}); !errors.Is(err, ErrConfig) {
		t.Fatalf("add: %v", err)
	}
	if _, err := RemoveFromFile(path, "a"); !errors.Is(err, ErrConfig) {
		t.Fatalf("remove: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != doc {
		t.Fatalf("file changed: %q", b)
	}
}

func TestSnapshotFileRestores(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".rkat", "mcp.toml")
	restore, err := SnapshotFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := AddToFile(path, ServerConfig{Name: "a", Command: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := restore(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("file created after the snapshot still there: %v", err)
	}
	if err := os.WriteFile(path, []byte("# mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if restore, err = SnapshotFile(path); err != nil {
		t.Fatal(err)
	}
	if err := AddToFile(path, ServerConfig{Name: "a", Command: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := restore(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "# mine\n" {
		t.Fatalf("restored %q", b)
	}
}
