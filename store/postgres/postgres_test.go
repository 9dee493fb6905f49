package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/internal/pgtest"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/postgres"
	"github.com/rkat-dev/rkat/store/storetest"
)

var pg pgtest.Cluster

func TestMain(m *testing.M) { goleak.VerifyTestMain(pg.Wrap(m)) }

func open(t *testing.T, url, realm string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), postgres.Config{URL: url, Realm: realm})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, pg.URL(t), "r1") })
}

// TestRealmsShareDatabase: two realms in one database see only their own
// sessions, configuration, records and logs.
func TestRealmsShareDatabase(t *testing.T) {
	ctx := context.Background()
	url := pg.URL(t)
	a, b := open(t, url, "alpha"), open(t, url, "beta")
	defer a.Close()
	defer b.Close()
	if err := a.CreateSession(ctx, store.Session{ID: "s1", Realm: "alpha"}); err != nil {
		t.Fatal(err)
	}
	if err := b.CreateSession(ctx, store.Session{ID: "s1", Realm: "beta"}); err != nil {
		t.Fatalf("same id in another realm: %v", err)
	}
	if _, err := a.Commit(ctx, store.Commit{SessionID: "s1", Rows: []store.Row{{Role: store.RoleUser}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetConfig(ctx, []byte(`{"a":1}`), nil); err != nil {
		t.Fatal(err)
	}
	if _, total, err := b.Rows(ctx, "s1", 0, 0); err != nil || total != 0 {
		t.Errorf("beta sees %d rows of alpha's session (%v)", total, err)
	}
	if cfg, err := b.Config(ctx); err != nil || cfg.Generation != 0 {
		t.Errorf("beta config = %+v, %v", cfg, err)
	}
	if list, total, err := b.ListSessions(ctx, store.ListQuery{}); err != nil || total != 1 || list[0].Realm != "beta" {
		t.Errorf("beta list = %+v, %d, %v", list, total, err)
	}
	if _, err := a.PutRecord(ctx, store.Record{Kind: "mob", ID: "m1", Data: []byte(`{}`)}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Record(ctx, "mob", "m1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("beta reads alpha's record: %v", err)
	}
	if _, err := b.PutRecord(ctx, store.Record{Kind: "mob", ID: "m1", Data: []byte(`{}`)}, 0); err != nil {
		t.Errorf("same record id in another realm: %v", err)
	}
	for _, st := range []*postgres.Store{a, a, b} {
		if _, err := st.Append(ctx, "mob/m1", []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	if entries, water, err := b.Log(ctx, "mob/m1", 0, 0); err != nil || water != 1 || len(entries) != 1 {
		t.Errorf("beta log = %d entries, watermark %d, %v; want its own one", len(entries), water, err)
	}
}

// TestOpen: concurrent starters migrate once; a newer schema and bad
// configurations are refused.
func TestOpen(t *testing.T) {
	ctx := context.Background()
	url := pg.URL(t)
	errs := make(chan error, 4)
	for i := 0; i < cap(errs); i++ {
		go func() {
			s, err := postgres.Open(ctx, postgres.Config{URL: url, Realm: "r"})
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < cap(errs); i++ {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent Open: %v", err)
		}
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var applied int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&applied); err != nil || applied != postgres.SchemaVersion() {
		t.Errorf("schema_migrations rows = %d (%v), want %d", applied, err, postgres.SchemaVersion())
	}
	if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES (999)`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cfg  postgres.Config
		want string
	}{
		{"newer schema", postgres.Config{URL: url, Realm: "r"}, "newer"},
		{"no realm", postgres.Config{URL: url}, "realm"},
		{"bad url", postgres.Config{URL: "mysql://x", Realm: "r"}, "invalid"},
	} {
		s, err := postgres.Open(ctx, tc.cfg)
		if err == nil {
			s.Close()
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Open = %v, want an error about %q", tc.name, err, tc.want)
		}
	}
}

func TestEventBus(t *testing.T) {
	storetest.RunEventBus(t, func(t *testing.T, realms ...string) []store.EventBus {
		url := pg.URL(t)
		buses := make([]store.EventBus, len(realms))
		for i, r := range realms {
			s := open(t, url, r)
			t.Cleanup(func() { s.Close() })
			buses[i] = s
		}
		return buses
	})
}

// TestEventBusDropsIncomplete: a listener holds at most a few payloads
// whose parts have not all arrived; past that it drops the oldest, counts
// it, and goes on delivering complete payloads.
func TestEventBusDropsIncomplete(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := pg.URL(t)
	s := open(t, url, "alpha")
	defer s.Close()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	ready := make(chan struct{})
	got := make(chan string, 1)
	listened := make(chan error, 1)
	go func() {
		listened <- s.ListenEvents(ctx, func() { close(ready) }, func(p []byte) { got <- string(p) })
	}()
	<-ready
	// First parts of five payloads whose second parts never come, then a
	// payload sent whole.
	for i := range 5 {
		if _, err := conn.Exec(ctx, `SELECT pg_notify('rkat_events', $1)`,
			fmt.Sprintf("{\"r\":\"alpha\",\"m\":\"p%d\",\"n\":2}\n[1,", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PublishEvent(ctx, []byte(`{"n":1}`)); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-got:
		if p != `{"n":1}` {
			t.Fatalf("listener got %s", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event after the incomplete ones")
	}
	if n := s.DroppedEvents(); n != 1 {
		t.Errorf("DroppedEvents = %d, want 1 (the oldest of five incomplete)", n)
	}
	cancel()
	if err := <-listened; !errors.Is(err, context.Canceled) {
		t.Errorf("ListenEvents after cancel = %v", err)
	}
	if n := s.DroppedEvents(); n != 5 {
		t.Errorf("DroppedEvents after the listener stopped = %d, want 5", n)
	}
}

// TestStatementTimeoutOverride: Config.StatementTimeout wins over the URL's
// statement_timeout (1 ms there would cancel the migrations at Open).
func TestStatementTimeoutOverride(t *testing.T) {
	ctx := context.Background()
	s, err := postgres.Open(ctx, postgres.Config{URL: pg.URL(t) + "&statement_timeout=1&pool_max_conns=2", Realm: "r",
		StatementTimeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if err := s.CreateSession(ctx, store.Session{ID: "s1", Realm: "r"}); err != nil {
		t.Fatal(err)
	}
}
