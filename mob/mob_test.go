package mob_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/internal/pgtest"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/mob"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/memory"
	"github.com/rkat-dev/rkat/store/postgres"
	"github.com/rkat-dev/rkat/store/sqlite"
)

var pg pgtest.Cluster

func TestMain(m *testing.M) { goleak.VerifyTestMain(pg.Wrap(m)) }

type resolver struct{ p llm.Provider }

func (r resolver) Resolve(string, string) (llm.Provider, llm.Model, error) {
	return r.p, llm.Model{ID: scripted.Name, Provider: scripted.Name}, nil
}

// backends are the stores a mob.Service runs on.
var backends = []struct {
	name string
	open func(t *testing.T, dir string) store.Store
}{
	{"memory", func(*testing.T, string) store.Store { return memory.New() }},
	{"sqlite", func(t *testing.T, dir string) store.Store {
		st, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(dir, "realm.db")})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}},
	{"postgres", func(t *testing.T, _ string) store.Store {
		st, err := postgres.Open(context.Background(), postgres.Config{URL: pg.URL(t), Realm: "t"})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}},
}

func newService(t *testing.T, st store.Store) *mob.Service {
	t.Helper()
	svc, err := session.New(context.Background(), session.Config{Store: st, Resolver: resolver{scripted.New(scripted.Config{})}, Realm: "t"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	ms, err := mob.New(mob.Config{Records: st, Sessions: svc})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestMobLifecycle(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			st := b.open(t, dir)
			defer st.Close()
			ms := newService(t, st)

			if _, err := ms.PutProfile(ctx, "rev", json.RawMessage(`{"model":"scripted","peer_description":"reviews"}`), 0); err != nil {
				t.Fatal(err)
			}
			for _, bad := range []string{`{"id":"x"}`, `{"profiles":{"a":{}}}`, `{"id":"x","profiles":{"a":{"realm_profile":"missing"}}}`, `[`} {
				if _, err := ms.Create(ctx, json.RawMessage(bad)); !errors.Is(err, mob.ErrInvalid) {
					t.Errorf("create %s: %v", bad, err)
				}
			}
			def := json.RawMessage(`{"id":"m1","profiles":{"lead":{"model":"scripted"},"rev":{"realm_profile":"rev"}}}`)
			if id, err := ms.Create(ctx, def); err != nil || id != "m1" {
				t.Fatalf("create: %q %v", id, err)
			}
			if _, err := ms.Create(ctx, def); !errors.Is(err, mob.ErrInvalid) {
				t.Fatalf("create twice: %v", err)
			}
			m, err := ms.Spawn(ctx, "m1", mob.Spec{Profile: "rev", AgentIdentity: "r1", Labels: map[string]string{"k": "v"}})
			if err != nil || m.MemberRef == "" || m.Description != "reviews" || m.RuntimeMode != mob.ModeAutonomousHost {
				t.Fatalf("spawn: %+v %v", m, err)
			}
			for _, tc := range []struct {
				spec mob.Spec
				want error
			}{
				{mob.Spec{Profile: "nope", AgentIdentity: "x"}, mob.ErrProfileNotFound},
				{mob.Spec{Profile: "rev", AgentIdentity: "r1"}, mob.ErrMemberExists},
				{mob.Spec{Profile: "rev", AgentIdentity: "y", RuntimeMode: "sometimes"}, mob.ErrInvalid},
				{mob.Spec{Profile: "rev"}, mob.ErrInvalid},
			} {
				if _, err := ms.Spawn(ctx, "m1", tc.spec); !errors.Is(err, tc.want) {
					t.Errorf("spawn %+v: %v, want %v", tc.spec, err, tc.want)
				}
			}
			// The member is a session labelled with its mob.
			if _, err := ms.Spawn(ctx, "m1", mob.Spec{Profile: "lead", AgentIdentity: "l1", RuntimeMode: mob.ModeTurnDriven}); err != nil {
				t.Fatal(err)
			}
			if err := ms.Retire(ctx, "m1", "l1"); err != nil {
				t.Fatal(err)
			}
			members, _ := ms.Members(ctx, "m1")
			if len(members) != 1 || members[0].AgentIdentity != "r1" {
				t.Fatalf("members: %+v", members)
			}

			evs, err := ms.Events(ctx, "m1", 0, 100)
			if err != nil || len(evs) != 4 {
				t.Fatalf("events: %s %v", evs, err)
			}
			var last map[string]any
			_ = json.Unmarshal(evs[3], &last)
			if last["kind"] != "member_retired" || last["cursor"] != float64(4) {
				t.Fatalf("last event %v", last)
			}
			var we *mob.WatermarkError
			if _, err := ms.Events(ctx, "m1", 9, 10); !errors.As(err, &we) || we.Watermark != 4 || we.Requested != 9 {
				t.Fatalf("past the watermark: %v", err)
			}

			for _, step := range []struct{ action, want string }{{"stop", mob.StatusStopped}, {"resume", mob.StatusRunning}, {"complete", mob.StatusCompleted}} {
				if s, err := ms.Lifecycle(ctx, "m1", step.action); err != nil || s.Status != step.want {
					t.Fatalf("%s: %+v %v", step.action, s, err)
				}
			}
			if _, err := ms.Spawn(ctx, "m1", mob.Spec{Profile: "lead", AgentIdentity: "late"}); !errors.Is(err, mob.ErrState) {
				t.Fatalf("spawn into a completed mob: %v", err)
			}
			if _, err := ms.Lifecycle(ctx, "m1", "explode"); !errors.Is(err, mob.ErrInvalid) {
				t.Fatalf("bad action: %v", err)
			}

			// A new Service on the same store (a restart) sees the same mob.
			again := newService(t, st)
			if list, err := again.List(ctx); err != nil || len(list) != 1 || list[0].Status != mob.StatusCompleted {
				t.Fatalf("list after restart: %+v %v", list, err)
			}
			if s, err := again.Lifecycle(ctx, "m1", "destroy"); err != nil || s.Status != mob.StatusDestroyed {
				t.Fatalf("destroy: %+v %v", s, err)
			}
			if list, _ := again.List(ctx); len(list) != 0 {
				t.Fatalf("destroyed mob listed: %+v", list)
			}
			if _, err := again.Lifecycle(ctx, "m1", "resume"); !errors.Is(err, mob.ErrState) {
				t.Fatalf("resume a destroyed mob: %v", err)
			}
		})
	}
}

func TestProfiles(t *testing.T) {
	ctx := context.Background()
	ms := newService(t, memory.New())
	p, err := ms.PutProfile(ctx, "a", json.RawMessage(`{"model":"m"}`), 0)
	if err != nil || p.Revision != 1 || p.CreatedAt == "" || p.NotFound {
		t.Fatalf("create: %+v %v", p, err)
	}
	if p, err = ms.PutProfile(ctx, "a", json.RawMessage(`{"model":"n"}`), 1); err != nil || p.Revision != 2 {
		t.Fatalf("update: %+v %v", p, err)
	}
	var ce *store.ConflictError
	if _, err := ms.PutProfile(ctx, "a", json.RawMessage(`{}`), 1); !errors.As(err, &ce) {
		t.Fatalf("stale update: %v", err)
	}
	if _, err := ms.PutProfile(ctx, "b", json.RawMessage(`{}`), 3); !errors.Is(err, mob.ErrNotFound) {
		t.Fatalf("update missing: %v", err)
	}
	for _, bad := range []string{`[]`, `"x"`, `{"realm_profile":"a"}`} {
		if _, err := ms.PutProfile(ctx, "c", json.RawMessage(bad), 0); !errors.Is(err, mob.ErrInvalid) {
			t.Errorf("profile %s: %v", bad, err)
		}
	}
	if got, _ := ms.Profile(ctx, "zz"); !got.NotFound || got.Name != "zz" {
		t.Fatalf("missing: %+v", got)
	}
	if rev, err := ms.DeleteProfile(ctx, "a", 2); err != nil || rev != 2 {
		t.Fatalf("delete: %d %v", rev, err)
	}
	if list, _ := ms.Profiles(ctx); len(list) != 0 {
		t.Fatalf("after delete: %+v", list)
	}
}

func TestWired(t *testing.T) {
	for _, tc := range []struct {
		def      string
		from, to string
		want     bool
	}{
		{`{"id":"m"}`, "a", "b", true},
		{`{"id":"m","wiring":{"role_wiring":[{"a":"lead","b":"rev"}]}}`, "rev", "lead", true},
		{`{"id":"m","wiring":{"role_wiring":[{"a":"lead","b":"rev"}]}}`, "rev", "rev", false},
		{`{"id":"m","orchestrator":{"profile":"boss"},"wiring":{}}`, "rev", "boss", true},
		{`{"id":"m","orchestrator":{"profile":"boss"},"wiring":{"auto_wire_orchestrator":false}}`, "boss", "rev", false},
		{`{"id":"m","orchestrator":{"profile":"boss"},"wiring":{}}`, "rev", "lead", false},
	} {
		wired, err := mob.Wired(json.RawMessage(tc.def))
		if err != nil || wired(tc.from, tc.to) != tc.want {
			t.Errorf("%s %s->%s: %v (err %v), want %v", tc.def, tc.from, tc.to, err == nil && wired(tc.from, tc.to), err, tc.want)
		}
	}
	if _, err := mob.Wired(json.RawMessage(`{"wiring":{"role_wiring":"x"}}`)); !errors.Is(err, mob.ErrInvalid) {
		t.Errorf("malformed wiring: %v", err)
	}
}
