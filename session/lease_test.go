package session_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/memory"
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
	if info, err := b.svc.Read(ctx, id); err != nil || !info.Running {
		t.Errorf("the other service's Read during the turn: running %v, %v; want running", info.Running, err)
	}
	if err := <-done; err != nil {
		t.Fatalf("slow turn: %v", err)
	}
	if info, err := b.svc.Read(ctx, id); err != nil || info.Running {
		t.Errorf("the other service's Read after the turn: running %v, %v; want idle", info.Running, err)
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

// TestFencedTurn: when a running turn's lease is taken over (it lapsed and
// another owner claimed the session), the renewal notices, the turn is
// interrupted and its commit is refused: nothing of it lands in history.
func TestFencedTurn(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	f := newFixture(t, st)
	id := f.create(t, "hello") // its turn held lease token 1
	svc, err := session.New(ctx, session.Config{Store: st, Resolver: resolver{f.rec}, Realm: "test", LeaseTTL: 60 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	done := startSlow(t, &fixture{svc: svc, store: st, rec: f.rec}, id)
	// Context injected meanwhile is held for the turn's end.
	if _, err := svc.InjectContext(ctx, session.InjectRequest{SessionID: id, Content: text("held input"), Source: "test"}); err != nil {
		t.Fatal(err)
	}
	// The slow turn holds token 2; another owner takes the session over.
	if err := st.Release(ctx, store.Lease{SessionID: id, Token: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Claim(ctx, id, "thief", time.Minute); err != nil {
		t.Fatal(err)
	}
	err = <-done
	if !errors.Is(err, session.ErrInterrupted) {
		t.Fatalf("fenced turn returned %v, want it interrupted", err)
	}
	// An interrupted turn commits its prompt; this one's commit was
	// refused. The held input was accepted and still lands.
	rows := f.history(t, id)
	if len(rows) != 3 || rows[2].Role != store.RoleSystem || rows[2].Content[0].Text != "held input" {
		t.Errorf("history after the fenced turn = %+v, want the first turn's 2 rows and the held input", rows)
	}
}
