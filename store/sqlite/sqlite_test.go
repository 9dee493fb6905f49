package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/sqlite"
	"github.com/rkat-dev/rkat/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func open(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: path})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, filepath.Join(t.TempDir(), "state.db"))
	})
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "state.db")
	s := open(t, path)
	if err := s.CreateSession(ctx, store.Session{ID: "s1", Realm: "r"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(ctx, store.Commit{SessionID: "s1", Rows: []store.Row{{Role: store.RoleUser}}, Keys: []string{"k"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetConfig(ctx, []byte(`{"a":1}`), nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path) // migrations run again and are a no-op
	defer s.Close()
	if _, total, err := s.Rows(ctx, "s1", 0, 0); err != nil || total != 1 {
		t.Errorf("rows after reopen: %d, %v", total, err)
	}
	if dup, err := s.HasKey(ctx, "s1", "k"); err != nil || !dup {
		t.Errorf("key after reopen: %v, %v", dup, err)
	}
	if cfg, err := s.Config(ctx); err != nil || cfg.Generation != 1 {
		t.Errorf("config after reopen: %+v, %v", cfg, err)
	}
}

func TestOpenRejects(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, path := range []string{"", filepath.Join(dir, "a?b.db"), filepath.Join(dir, "a#b.db")} {
		if s, err := sqlite.Open(ctx, sqlite.Config{Path: path}); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
	// A database written by a newer binary is refused, not reinterpreted.
	path := filepath.Join(dir, "future.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err := sqlite.Open(ctx, sqlite.Config{Path: path}); err == nil || !strings.Contains(err.Error(), "newer") {
		if s != nil {
			s.Close()
		}
		t.Errorf("Open(future schema) = %v", err)
	}
}

// TestClaimAcrossHandles: two stores on one file (as two processes have)
// race for one session's lease; exactly one wins each round.
func TestClaimAcrossHandles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	a, b := open(t, path), open(t, path)
	defer a.Close()
	defer b.Close()
	if err := a.CreateSession(ctx, store.Session{ID: "s1", Realm: "r"}); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 10; round++ {
		type result struct {
			l   store.Lease
			err error
		}
		results := make(chan result, 2)
		for _, s := range []*sqlite.Store{a, b} {
			go func() {
				l, err := s.Claim(ctx, "s1", "p", time.Minute)
				results <- result{l, err}
			}()
		}
		r1, r2 := <-results, <-results
		winner := r1
		if r1.err != nil {
			winner = r2
		}
		if winner.err != nil || (r1.err == nil) == (r2.err == nil) {
			t.Fatalf("round %d: claims = %v, %v; want one winner", round, r1.err, r2.err)
		}
		if err := a.Release(ctx, winner.l); err != nil {
			t.Fatal(err)
		}
	}
}
