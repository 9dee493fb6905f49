package session_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/sqlite"
)

// TestLeaseAcrossServices: two services on one SQLite file (as two
// processes) never run turns on one session at once, and a crashed owner's
// lease stops blocking once it expires.
func TestLeaseAcrossServices(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	open := func() store.Store {
		st, err := sqlite.Open(ctx, sqlite.Config{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, b := newFixture(t, open()), newFixture(t, open())
	id := a.create(t, "hello")

	done := startSlow(t, a, id)
	if _, err := b.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("second")}); !errors.Is(err, session.ErrBusy) {
		t.Fatalf("turn in the other service while one runs: %v, want ErrBusy", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("slow turn: %v", err)
	}
	if _, err := b.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("after")}); err != nil {
		t.Fatalf("turn after the other service's turn ended: %v", err)
	}
	page, err := b.svc.History(ctx, id, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if page.MessageCount != 6 { // three turns of user + assistant
		t.Errorf("history has %d rows, want 6", page.MessageCount)
	}
	for i, r := range page.Rows { // never interleaved
		if want := []store.Role{store.RoleUser, store.RoleAssistant}[i%2]; r.Role != want {
			t.Errorf("row %d is %s, want %s", i, r.Role, want)
		}
	}

	// A lease left by a crashed process blocks until it expires.
	const ttl = 200 * time.Millisecond
	dead, err := b.store.Claim(ctx, id, "crashed", ttl)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("blocked")}); !errors.Is(err, session.ErrBusy) {
		t.Fatalf("turn under a live foreign lease: %v, want ErrBusy", err)
	}
	time.Sleep(time.Until(dead.Expires) + 20*time.Millisecond)
	if _, err := a.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("resumed")}); err != nil {
		t.Fatalf("turn after the crashed lease expired: %v", err)
	}
	// The crashed owner, resumed, cannot write into the session any more.
	_, err = b.store.Commit(ctx, store.Commit{SessionID: id, Fence: dead.Token, Rows: []store.Row{{Role: store.RoleUser}}})
	if !errors.Is(err, store.ErrFenced) {
		t.Errorf("commit by the stale owner: %v, want ErrFenced", err)
	}
}
