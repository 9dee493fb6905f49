package session_test

import (
	"context"
	"errors"
	"strings"
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
	open := nodes(t)
	a, b := newFixture(t, open()), newFixture(t, open())
	id := a.create(t, "hello")

	// The events of the create turn may still be on their way to B; they
	// are not delivered to a subscriber that attached after that turn
	// ended, so the first run_completed B's subscriber sees is the slow
	// turn's.
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
	if err := awaitTurn(t, done); err != nil {
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

// nodes takes a fresh Postgres database and returns a function opening a
// store on it, one per node; t.Cleanup closes each.
func nodes(t *testing.T) func() *postgres.Store {
	url := pg.URL(t)
	return func() *postgres.Store {
		st, err := postgres.Open(context.Background(), postgres.Config{URL: url, Realm: "test"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
}

// heldBus is a node's Postgres store whose relayed events are published
// only once open is closed: a NOTIFY that reaches the other nodes late.
type heldBus struct {
	*postgres.Store
	open chan struct{}
}

func (h heldBus) PublishEvent(ctx context.Context, payload []byte) error {
	select {
	case <-h.open:
		return h.Store.PublishEvent(ctx, payload)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TestSubscribeSkipsTurnRelayedLate: the events of a turn that ended on A
// reach B only after a subscriber attached there. They belong to a turn
// committed before Subscribe, so B's subscriber does not get them: it sees
// A's next turn, from its run_started on.
func TestSubscribeSkipsTurnRelayedLate(t *testing.T) {
	ctx := context.Background()
	open := nodes(t)
	held := heldBus{Store: open(), open: make(chan struct{})}
	a, b := newFixture(t, held), newFixture(t, open())
	id := a.create(t, "hello") // its events wait in A's relay
	sess, err := b.store.Session(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := b.svc.Subscribe(ctx, id, 1024)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	close(held.open)
	if _, err := a.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("again")}); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(20 * time.Second)
	for first := true; ; first = false {
		select {
		case env := <-sub.Events():
			if env.Seq <= sess.LastSeq {
				t.Fatalf("B delivered %s (seq %d) of the turn committed before Subscribe (last seq %d)",
					env.Event.Type(), env.Seq, sess.LastSeq)
			}
			if first && env.Event.Type() != event.TypeRunStarted {
				t.Fatalf("B's first event is %s (seq %d), want the next turn's run_started", env.Event.Type(), env.Seq)
			}
			if env.Event.Type() == event.TypeRunCompleted {
				return
			}
		case <-deadline:
			t.Fatal("B saw no run_completed of A's second turn")
		}
	}
}

// TestLargeEventsAcrossNodes: events larger than one NOTIFY reach B's
// subscriber: a 100 KB answer whole, one larger than the bus takes
// (store.MaxEventPayload) with its text cut as the RPC edge cuts it (its
// text has characters that JSON escapes: the cut keeps escapes whole).
func TestLargeEventsAcrossNodes(t *testing.T) {
	hugeText := strings.Repeat("01234<&>89", store.MaxEventPayload/10+1)
	script := `{"rules": [{"match": "long answer", "responses": [{"text": "` + longText + `"}]},
	  {"match": "huge answer", "responses": [{"text": "` + hugeText + `"}]}]}`
	ctx := context.Background()
	open := nodes(t)
	a, b := newScriptFixture(t, script, open()), newFixture(t, open())
	created, err := a.svc.Create(ctx, session.CreateRequest{Deferred: true})
	if err != nil {
		t.Fatal(err)
	}
	id := created.SessionID
	sub, err := b.svc.Subscribe(ctx, id, 1024)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	for _, tc := range []struct {
		prompt string
		check  func(got string) bool
	}{
		{"long answer", func(got string) bool { return got == longText }},
		{"huge answer", func(got string) bool {
			return len(got) < store.MaxEventPayload && strings.HasPrefix(got, "01234<&>89") && strings.Contains(got, "...[truncated ")
		}},
	} {
		if _, err := a.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text(tc.prompt)}); err != nil {
			t.Fatal(err)
		}
		var complete *event.TextComplete
		deadline := time.After(30 * time.Second)
	wait:
		for {
			select {
			case env := <-sub.Events():
				switch ev := env.Event.(type) {
				case event.TextComplete:
					complete = &ev
				case event.RunCompleted:
					break wait
				}
			case <-deadline:
				t.Fatalf("%s: B saw no run_completed of A's turn", tc.prompt)
			}
		}
		if complete == nil {
			t.Fatalf("%s: B saw no text_complete", tc.prompt)
		}
		if !tc.check(complete.Content) {
			t.Errorf("%s: B's text_complete has %d bytes: %.30s...%s", tc.prompt, len(complete.Content),
				complete.Content, complete.Content[max(0, len(complete.Content)-40):])
		}
	}
}

// TestInterruptAcrossNodes: turn/interrupt on B reaches the turn running on
// A, which ends interrupted and commits what an interrupted turn commits.
func TestInterruptAcrossNodes(t *testing.T) {
	ctx := context.Background()
	open := nodes(t)
	a, b := newFixture(t, open()), newFixture(t, open())
	id := a.create(t, "hello")
	done := startTurn(t, a, id, "stalled turn please")
	if info, err := b.svc.Read(ctx, id); err != nil || !info.Running {
		t.Fatalf("B's Read = %+v, %v; want the turn running on A", info, err)
	}
	res, err := b.svc.Interrupt(ctx, id)
	if err != nil || !res.Interrupted || res.Result != session.InterruptInterrupted {
		t.Fatalf("Interrupt on B = %+v, %v", res, err)
	}
	if err := awaitTurn(t, done); !errors.Is(err, session.ErrInterrupted) {
		t.Fatalf("A's turn returned %v, want ErrInterrupted", err)
	}
	if rows := b.history(t, id); roles(rows) != "user,assistant,user" {
		t.Errorf("history after the interrupt = %s, want the prompt and no partial answer", roles(rows))
	}
	// Idle now: an interrupt from B does nothing and succeeds.
	if res, err := b.svc.Interrupt(ctx, id); err != nil || res.Result != session.InterruptInterrupted {
		t.Errorf("Interrupt on idle session = %+v, %v", res, err)
	}
}

// TestStaleInterruptAcrossNodes: an interrupt from B names the lease of the
// turn it saw on A; one naming an earlier lease (a turn that has ended)
// leaves A's running turn alone.
func TestStaleInterruptAcrossNodes(t *testing.T) {
	ctx := context.Background()
	open := nodes(t)
	a, b := newFixture(t, open()), newFixture(t, open())
	id := a.create(t, "hello")
	done := startSlow(t, a, id)
	sess, err := b.store.Session(ctx, id)
	if err != nil || !sess.Leased(time.Now()) {
		t.Fatalf("session on B = %+v, %v; want it leased by A's turn", sess, err)
	}
	if err := b.svc.InterruptRemote(ctx, sess.Lease.Owner, id, sess.Lease.Token-1); err != nil {
		t.Fatalf("stale interrupt: %v", err)
	}
	if err := awaitTurn(t, done); err != nil {
		t.Fatalf("A's turn returned %v after an interrupt naming an earlier lease; want it to complete", err)
	}
}

// awaitTurn returns the error of a turn started by startTurn, failing the
// test if it has not ended within 30 s.
func awaitTurn(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("the turn did not end within 30 s")
		return nil
	}
}

// heldClaim is a node's Postgres store whose lease claims wait, once
// entered is closed, until release is closed.
type heldClaim struct {
	*postgres.Store
	entered, release chan struct{}
}

func (h heldClaim) Claim(ctx context.Context, id, owner string, ttl time.Duration) (store.Lease, error) {
	close(h.entered)
	<-h.release
	return h.Store.Claim(ctx, id, owner, ttl)
}

// TestInterruptPassesOverDoomedAttempt: while A runs a turn, a turn started
// on B waits to claim the lease A holds; B's interrupt reaches A's turn,
// not B's attempt, which runs once A's turn has ended.
func TestInterruptPassesOverDoomedAttempt(t *testing.T) {
	ctx := context.Background()
	open := nodes(t)
	held := heldClaim{Store: open(), entered: make(chan struct{}), release: make(chan struct{})}
	a, b := newFixture(t, open()), newFixture(t, held)
	id := a.create(t, "hello")
	done := startTurn(t, a, id, "stalled turn please")
	attempt := make(chan error, 1)
	go func() {
		_, err := b.svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("hi")})
		attempt <- err
	}()
	<-held.entered
	res, err := b.svc.Interrupt(ctx, id)
	if err != nil || res.Result != session.InterruptInterrupted {
		close(held.release)
		t.Fatalf("Interrupt on B = %+v, %v", res, err)
	}
	err = awaitTurn(t, done)
	close(held.release) // A's lease is released: B's attempt gets it
	if !errors.Is(err, session.ErrInterrupted) {
		t.Errorf("A's turn returned %v, want ErrInterrupted", err)
	}
	if err := awaitTurn(t, attempt); err != nil {
		t.Errorf("B's attempt returned %v, want it to run (the interrupt was not for it)", err)
	}
}
