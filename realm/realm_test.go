package realm_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/realm"
	"github.com/rkat-dev/rkat/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func noEnv(string) string { return "" }

func TestResolve(t *testing.T) {
	root := t.TempDir()
	named, err := realm.Resolve(realm.Options{StateRoot: root, Name: "team-alpha", Getenv: noEnv})
	if err != nil || named.Name != "team-alpha" || named.DBPath() != filepath.Join(root, "realms", "team-alpha", "state.db") {
		t.Fatalf("named = %+v, %v", named, err)
	}
	a, _ := realm.Resolve(realm.Options{StateRoot: root, WorkDir: "/srv/project", Getenv: noEnv})
	b, _ := realm.Resolve(realm.Options{StateRoot: root, WorkDir: "/srv/project/", Getenv: noEnv})
	c, _ := realm.Resolve(realm.Options{StateRoot: root, WorkDir: "/srv/other", Getenv: noEnv})
	if a.Name != b.Name || a.Name == c.Name || !strings.HasPrefix(a.Name, "ws-") || !realm.ValidName(a.Name) {
		t.Errorf("work dir realms: %q %q %q", a.Name, b.Name, c.Name)
	}
	i1, _ := realm.Resolve(realm.Options{StateRoot: root, Isolated: true, WorkDir: "/srv/project", Getenv: noEnv})
	i2, _ := realm.Resolve(realm.Options{StateRoot: root, Getenv: noEnv})
	if i1.Name == i2.Name || !strings.HasPrefix(i1.Name, "iso-") || !strings.HasPrefix(i2.Name, "iso-") {
		t.Errorf("isolated realms: %q %q", i1.Name, i2.Name)
	}
	env, _ := realm.Resolve(realm.Options{Name: "x", Getenv: func(k string) string {
		if k == realm.EnvStateRoot {
			return root
		}
		return ""
	}})
	if env.StateRoot != root {
		t.Errorf("state root from env = %q", env.StateRoot)
	}
	for _, bad := range []realm.Options{
		{Name: "x", Isolated: true},
		{Name: "../escape"},
		{Name: ".hidden"},
		{Name: strings.Repeat("a", 65)},
		{Name: "a/b"},
		{Name: "x", Backend: "jsonl"},
	} {
		bad.StateRoot, bad.Getenv = root, noEnv
		if _, err := realm.Resolve(bad); !errors.Is(err, realm.ErrInvalid) {
			t.Errorf("Resolve(%+v): %v, want ErrInvalid", bad, err)
		}
	}
}

func TestOpenSharesNamedRealm(t *testing.T) {
	ctx := context.Background()
	r, err := realm.Resolve(realm.Options{StateRoot: t.TempDir(), Name: "shared", Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	st, err := realm.Open(ctx, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSession(ctx, store.Session{ID: "s1", Realm: r.Name}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st2, err := realm.Open(ctx, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if s, err := st2.Session(ctx, "s1"); err != nil || s.Realm != "shared" {
		t.Errorf("reopened realm lost its session: %+v, %v", s, err)
	}
	mem, err := realm.Open(ctx, realm.Realm{Name: "m", Backend: realm.BackendMemory}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if _, err := mem.Session(ctx, "s1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("memory realm shares state: %v", err)
	}
}

// FuzzResolveName checks that no realm name escapes the state root.
func FuzzResolveName(f *testing.F) {
	for _, seed := range []string{"team", "../x", "a/b", ".", "..", "a\x00b", "ws-0123", strings.Repeat("z", 70), "日本"} {
		f.Add(seed)
	}
	root := f.TempDir()
	f.Fuzz(func(t *testing.T, name string) {
		r, err := realm.Resolve(realm.Options{StateRoot: root, Name: name, Getenv: noEnv})
		if err != nil {
			if name != "" && realm.ValidName(name) {
				t.Fatalf("valid name %q rejected: %v", name, err)
			}
			return
		}
		rel, err := filepath.Rel(filepath.Join(root, "realms"), r.Dir)
		if err != nil || rel != r.Name || strings.ContainsAny(rel, `/\`) || rel == "." || rel == ".." {
			t.Fatalf("realm %q resolves to %q outside the realms directory", name, r.Dir)
		}
	})
}

// TestResolveStore: the store URL comes from --store, then
// $RKAT_STORE_URL, then a parsed [store] url, then config.toml files.
func TestResolveStore(t *testing.T) {
	root := t.TempDir()
	cfg := filepath.Join(root, "config.toml")
	if err := os.WriteFile(cfg, []byte("[store]\nurl = \"postgres://file/db\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == realm.EnvStoreURL {
				return v
			}
			return ""
		}
	}
	missing := filepath.Join(root, "missing.toml")
	for _, tc := range []struct {
		name string
		o    realm.Options
		want string // "" means the SQLite file
	}{
		{"none", realm.Options{Getenv: noEnv, ConfigFiles: []string{missing}}, ""},
		{"flag", realm.Options{Store: "postgres://flag/db", Getenv: env("postgres://env/db"), ConfigFiles: []string{cfg}}, "postgres://flag/db"},
		{"env", realm.Options{Getenv: env("postgresql://env/db"), ConfigStore: "postgres://serve/db", ConfigFiles: []string{cfg}}, "postgresql://env/db"},
		{"serve file", realm.Options{Getenv: noEnv, ConfigStore: "postgres://serve/db", ConfigFiles: []string{cfg}}, "postgres://serve/db"},
		{"config.toml", realm.Options{Getenv: noEnv, ConfigFiles: []string{missing, cfg}}, "postgres://file/db"},
	} {
		tc.o.StateRoot, tc.o.Name = root, "r"
		r, err := realm.Resolve(tc.o)
		wantBackend := realm.BackendPostgres
		if tc.want == "" {
			wantBackend = realm.BackendSQLite
		}
		if err != nil || r.StoreURL != tc.want || r.Backend != wantBackend {
			t.Errorf("%s: Resolve = %q %q, %v; want %q", tc.name, r.Backend, r.StoreURL, err, tc.want)
		}
	}
	if _, err := realm.Resolve(realm.Options{StateRoot: root, Name: "r", Store: "mysql://x", Getenv: noEnv}); !errors.Is(err, realm.ErrInvalid) {
		t.Errorf("Resolve(mysql store) = %v, want ErrInvalid", err)
	}
}
