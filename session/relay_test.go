package session_test

import (
	"context"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/postgres"
)

// TestSessionAcrossNodes (issue 19, acceptance 3 at the service level): two
// services on one Postgres database, as two nodes. A session created on A
// continues on B, and B's subscriber sees the events of a turn running on A
// (relayed with LISTEN/NOTIFY).
func TestSessionAcrossNodes(t *testing.T) {
	ctx := context.Background()
	url := pg.URL(t)
	open := func() store.Store {
		st, err := postgres.Open(ctx, postgres.Config{URL: url, Realm: "test"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, b := newFixture(t, open()), newFixture(t, open())
	id := a.create(t, "hello")

	sub, err := b.svc.Subscribe(ctx, id, 1024)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	done := startSlow(t, a, id)
	var deltas int
	deadline := time.After(20 * time.Second)
wait:
	for {
		select {
		case env := <-sub.Events():
			if env.SessionID != id {
				t.Fatalf("event of another session: %+v", env)
			}
			switch env.Event.Type() {
			case event.TypeTextDelta:
				deltas++
			case event.TypeRunCompleted:
				break wait
			}
		case <-deadline:
			t.Fatalf("B saw %d text deltas and no run_completed of A's turn", deltas)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if deltas == 0 {
		t.Error("B's subscriber saw no text_delta of A's turn")
	}

	res, err := b.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("continue on B")})
	if err != nil {
		t.Fatalf("turn on B: %v", err)
	}
	page, err := b.svc.History(ctx, id, 0, 0)
	if err != nil || page.MessageCount != 6 {
		t.Fatalf("history on B: %d rows, %v; want 6 (two turns on A, one on B)", page.MessageCount, err)
	}
	if req := b.rec.last(); len(req.Messages) < 5 {
		t.Errorf("B's turn sent %d messages to the model, want A's history too (result %q)", len(req.Messages), res.Text)
	}
}
