package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/memory"
	"github.com/rkat-dev/rkat/store/sqlite"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func ptr[T any](v T) *T { return &v }

// clock is an injected clock the tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var t0 = mustTime("2026-03-01T12:00:00Z")

// rig is a realm: a store, a session service on the scripted provider and
// a schedule service on an injected clock.
type rig struct {
	st    store.Store
	svc   *session.Service
	sched *Service
	clock *clock
}

func newRig(t testing.TB, st store.Store, clk *clock, owner string) *rig {
	t.Helper()
	ctx := context.Background()
	resolver, err := providers.New(providers.Config{Getenv: func(k string) string {
		if k == providers.EnvTestClient {
			return "1"
		}
		return ""
	}})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := session.New(ctx, session.Config{Store: st, Resolver: resolver, Realm: "test"})
	if err != nil {
		t.Fatal(err)
	}
	sched, err := New(Config{Store: st, Sessions: svc, Now: clk.Now, Owner: owner, Lease: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sched.Close(); svc.Close() })
	return &rig{st: st, svc: svc, sched: sched, clock: clk}
}

func newMemoryRig(t *testing.T) *rig {
	st := memory.New()
	t.Cleanup(func() { st.Close() })
	return newRig(t, st, &clock{t: t0}, "test")
}

func (r *rig) session(t testing.TB) string {
	t.Helper()
	res, err := r.svc.Create(context.Background(), session.CreateRequest{Deferred: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.SessionID
}

func sessionTarget(sid, prompt string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"target_kind":"session","type":"exact_session","session_id":%q,
		"action":{"type":"prompt","prompt":%q}}`, sid, prompt))
}

func interval(start time.Time, every int) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"type":"interval","start_at_utc":%q,"every_seconds":%d}`, start.Format(time.RFC3339), every))
}

// prompts returns the user prompts in a session's history.
func (r *rig) prompts(t *testing.T, sid string) []string {
	t.Helper()
	page, err := r.svc.History(context.Background(), sid, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, row := range page.Rows {
		if row.Role == store.RoleUser && row.TranscriptRole == "" {
			out = append(out, row.Content[0].Text)
		}
	}
	return out
}

func (r *rig) run(t *testing.T) int {
	t.Helper()
	n, err := r.sched.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func phases(t *testing.T, s *Service, id string) map[string]int {
	t.Helper()
	occs, err := s.Occurrences(context.Background(), id, true)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, o := range occs {
		out[o.Phase]++
	}
	return out
}

func TestLifecycleAndRevisions(t *testing.T) {
	ctx := context.Background()
	r := newMemoryRig(t)
	sid := r.session(t)
	rec, err := r.sched.Create(ctx, CreateRequest{Trigger: interval(t0, 60), Target: sessionTarget(sid, "tick"),
		Labels: map[string]string{"team": "ops"}, Name: ptr("ticker")})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Revision != 1 || rec.Phase != "active" || rec.NextOccurrenceOrdinal != DefaultHorizonOccurrences ||
		rec.PlanningHorizonDays != 30 || rec.OverlapPolicy != OverlapSkipIfRunning || rec.MisfirePolicy.Type != MisfireSkip ||
		rec.MissingTargetPolicy != MissingTargetMarkMisfired {
		t.Fatalf("created = %+v", rec)
	}
	if n := r.run(t); n != 1 {
		t.Fatalf("first run claimed %d, want 1", n)
	}
	r.clock.add(60 * time.Second)
	r.run(t)
	if got := r.prompts(t, sid); strings.Join(got, ",") != "tick,tick" {
		t.Fatalf("history prompts = %v", got)
	}

	paused, err := r.sched.Pause(ctx, rec.ScheduleID)
	if err != nil || paused.Phase != "paused" || paused.Revision != 1 {
		t.Fatalf("pause = %+v, %v", paused, err)
	}
	r.clock.add(60 * time.Second)
	if n := r.run(t); n != 0 {
		t.Fatalf("paused schedule fired %d", n)
	}
	resumed, err := r.sched.Resume(ctx, rec.ScheduleID)
	if err != nil || resumed.Phase != "active" || resumed.Revision != 1 {
		t.Fatalf("resume = %+v, %v", resumed, err)
	}
	if n := r.run(t); n != 1 {
		t.Fatalf("resumed schedule fired %d, want 1", n)
	}

	stale := uint64(7)
	if _, err := r.sched.Update(ctx, UpdateRequest{ScheduleID: rec.ScheduleID, ExpectedRevision: &stale}); !errors.As(err, new(*RevisionError)) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("stale update = %v", err)
	}
	cur := uint64(1)
	name := "renamed"
	upd, err := r.sched.Update(ctx, UpdateRequest{ScheduleID: rec.ScheduleID, ExpectedRevision: &cur,
		CreateRequest: CreateRequest{Name: &name, Target: sessionTarget(sid, "tock")}})
	if err != nil || upd.Revision != 2 || upd.Name != "renamed" || upd.Labels["team"] != "ops" {
		t.Fatalf("update = %+v, %v", upd, err)
	}
	occs, _ := r.sched.Occurrences(ctx, rec.ScheduleID, true)
	superseded := 0
	for _, o := range occs {
		if o.Phase == store.OccurrenceSuperseded {
			superseded++
			if o.ScheduleRevision != 1 || o.SupersededByRevision == nil || *o.SupersededByRevision != 2 {
				t.Errorf("superseded occurrence = %+v", o)
			}
		}
	}
	if superseded == 0 {
		t.Errorf("update superseded nothing: %v", phases(t, r.sched, rec.ScheduleID))
	}
	r.clock.add(60 * time.Second)
	r.run(t)
	if got := r.prompts(t, sid); got[len(got)-1] != "tock" {
		t.Errorf("after update the prompt is %v", got)
	}

	del, err := r.sched.Delete(ctx, rec.ScheduleID)
	if err != nil || del.Phase != "deleted" || del.Revision != 3 || del.DeletedAt == nil {
		t.Fatalf("delete = %+v, %v", del, err)
	}
	if ph := phases(t, r.sched, rec.ScheduleID); ph[store.OccurrencePending] != 0 {
		t.Errorf("pending after delete: %v", ph)
	}
	r.clock.add(time.Hour)
	if n := r.run(t); n != 0 {
		t.Errorf("deleted schedule fired %d", n)
	}
	if list, _ := r.sched.List(ctx, ListRequest{}); len(list) != 0 {
		t.Errorf("list after delete = %d schedules", len(list))
	}
	if _, err := r.sched.Get(ctx, "0196f3a2-5c1e-7d00-8a10-2b9c4e6f0a11"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(unknown) = %v", err)
	}
	if _, err := r.sched.Get(ctx, "nope"); !errors.Is(err, ErrInvalid) {
		t.Errorf("Get(bad id) = %v", err)
	}
}

func TestListFiltersAndPages(t *testing.T) {
	ctx := context.Background()
	r := newMemoryRig(t)
	for i := range 5 {
		_, err := r.sched.Create(ctx, CreateRequest{Trigger: interval(t0.Add(time.Hour), 60), Target: sessionTarget("s", "x"),
			Labels: map[string]string{"n": fmt.Sprint(i % 2)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		req  ListRequest
		want int
	}{{ListRequest{}, 5}, {ListRequest{Labels: map[string]string{"n": "1"}}, 2}, {ListRequest{Offset: 4}, 1}, {ListRequest{Limit: 2}, 2}} {
		if got, err := r.sched.List(ctx, tt.req); err != nil || len(got) != tt.want {
			t.Errorf("List(%+v) = %d, %v; want %d", tt.req, len(got), err, tt.want)
		}
	}
}

// TestMisfireAfterDowntime: an interval schedule fires at t0, then the
// process is down; what it missed meets the misfire policy when it is back.
func TestMisfireAfterDowntime(t *testing.T) {
	window := func(s uint64) string { return fmt.Sprintf(`{"type":"catch_up_within","window_seconds":%d}`, s) }
	tests := []struct {
		name                 string
		misfire              string
		down                 time.Duration
		completed, misfired  int
		promptsAfterDowntime int
	}{
		{"skip: only the one within the grace runs", `{"type":"skip"}`, 5*time.Minute + 10*time.Second, 2, 4, 1},
		{"skip: everything missed", `{"type":"skip"}`, 5*time.Minute + 45*time.Second, 1, 5, 0},
		{"catch up within 10 min", window(600), 5*time.Minute + 10*time.Second, 6, 0, 5},
		{"catch up within 2 min", window(120), 5*time.Minute + 10*time.Second, 3, 3, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			r := newMemoryRig(t)
			sid := r.session(t)
			rec, err := r.sched.Create(ctx, CreateRequest{Trigger: interval(t0, 60), Target: sessionTarget(sid, "beat"),
				MisfirePolicy: json.RawMessage(tt.misfire), OverlapPolicy: ptr(OverlapAllowConcurrent)})
			if err != nil {
				t.Fatal(err)
			}
			r.run(t)
			r.clock.add(tt.down)
			for r.run(t) > 0 {
			}
			ph := phases(t, r.sched, rec.ScheduleID)
			if ph[store.OccurrenceCompleted] != tt.completed || ph[store.OccurrenceMisfired] != tt.misfired {
				t.Errorf("phases = %v, want %d completed and %d misfired", ph, tt.completed, tt.misfired)
			}
			if got := len(r.prompts(t, sid)) - 1; got != tt.promptsAfterDowntime {
				t.Errorf("%d turns after downtime, want %d", got, tt.promptsAfterDowntime)
			}
		})
	}
}

func TestMissingTarget(t *testing.T) {
	for _, tt := range []struct{ policy, phase string }{{"skip", store.OccurrenceSkipped}, {"mark_misfired", store.OccurrenceMisfired}} {
		ctx := context.Background()
		r := newMemoryRig(t)
		rec, err := r.sched.Create(ctx, CreateRequest{Trigger: json.RawMessage(`{"type":"once","due_at_utc":"2026-03-01T12:00:00Z"}`),
			Target: sessionTarget("0196f3a2-5c1e-7d00-8a10-2b9c4e6f0a11", "x"), MissingTargetPolicy: ptr(tt.policy)})
		if err != nil {
			t.Fatal(err)
		}
		r.run(t)
		occs, _ := r.sched.Occurrences(ctx, rec.ScheduleID, true)
		if len(occs) != 1 || occs[0].Phase != tt.phase || occs[0].FailureClass != FailureTargetMissing || occs[0].AttemptCount != 1 {
			t.Errorf("%s: occurrences = %+v", tt.policy, occs)
		}
		if open, _ := r.sched.Occurrences(ctx, rec.ScheduleID, false); len(open) != 0 {
			t.Errorf("include_terminal=false listed %d", len(open))
		}
	}
}

func TestTargetsAndSnapshots(t *testing.T) {
	ctx := context.Background()
	r := newMemoryRig(t)
	sid := r.session(t)
	once := json.RawMessage(`{"type":"once","due_at_utc":"2026-03-01T12:00:00Z"}`)
	event, err := r.sched.Create(ctx, CreateRequest{Trigger: once, Target: json.RawMessage(fmt.Sprintf(
		`{"target_kind":"session","type":"resumable_session","session_id":%q,"action":{"type":"event","event_type":"deploy","payload":{"env":"prod"}}}`, sid))})
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := r.sched.Create(ctx, CreateRequest{Trigger: once, Target: json.RawMessage(
		`{"target_kind":"session","type":"materialize_on_demand_session","create":{"labels":{"from":"schedule"}},
		  "session_per_occurrence":true,
		  "action":{"type":"prompt","prompt":"fresh start","injected_context":["remember the deploy"]}}`)})
	if err != nil {
		t.Fatal(err)
	}
	twice := json.RawMessage(`{"type":"interval","start_at_utc":"2026-03-01T12:00:00Z","every_seconds":1,"end_at_utc":"2026-03-01T12:00:01Z"}`)
	bound, err := r.sched.Create(ctx, CreateRequest{Trigger: twice, OverlapPolicy: ptr(OverlapAllowConcurrent), Target: json.RawMessage(
		`{"target_kind":"session","type":"materialize_on_demand_session","action":{"type":"prompt","prompt":"reuse me"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	for r.run(t) > 0 {
	}
	page, _ := r.svc.History(ctx, sid, 0, 10)
	if len(page.Rows) != 1 || page.Rows[0].Kind != "external_event" || !strings.Contains(page.Rows[0].Body, `"deploy"`) {
		t.Errorf("event target history = %+v", page.Rows)
	}
	occs, _ := r.sched.Occurrences(ctx, fresh.ScheduleID, true)
	if len(occs) != 1 || occs[0].Phase != store.OccurrenceCompleted || occs[0].RuntimeOutcome == nil {
		t.Fatalf("materialize occurrence = %+v", occs)
	}
	o := occs[0]
	if o.TriggerSnapshot.Type != "once" || !strings.Contains(string(o.TargetSnapshot), "fresh start") || o.ClaimedAt == nil ||
		o.DispatchedAt == nil || o.CompletedAt == nil || o.DeliveryCorrelationID == "" {
		t.Errorf("occurrence record = %+v", o)
	}
	newSID := o.RuntimeOutcome.SessionID
	info, err := r.svc.Read(ctx, newSID)
	if err != nil || info.Labels[LabelOccurrence] != o.OccurrenceID || info.Labels["from"] != "schedule" {
		t.Errorf("new session = %+v, %v", info, err)
	}
	page, _ = r.svc.History(ctx, newSID, 0, 10)
	if len(page.Rows) < 3 || page.Rows[0].TranscriptRole != store.TranscriptInjected || page.Rows[1].Content[0].Text != "fresh start" {
		t.Errorf("new session history = %+v", page.Rows)
	}
	if ph := phases(t, r.sched, event.ScheduleID); ph[store.OccurrenceCompleted] != 1 {
		t.Errorf("event occurrence phases = %v", ph)
	}

	// Without session_per_occurrence the first firing's session is bound to
	// the schedule (revision unchanged) and reused.
	r.clock.add(time.Second)
	for r.run(t) > 0 {
	}
	occs, _ = r.sched.Occurrences(ctx, bound.ScheduleID, true)
	if len(occs) != 2 || occs[0].RuntimeOutcome == nil || occs[1].RuntimeOutcome == nil ||
		occs[0].RuntimeOutcome.SessionID != occs[1].RuntimeOutcome.SessionID {
		t.Fatalf("bound occurrences = %+v", occs)
	}
	rec, _ := r.sched.Get(ctx, bound.ScheduleID)
	tgt, err := ParseTarget(rec.Target)
	if err != nil || tgt.BoundSessionID != occs[0].RuntimeOutcome.SessionID || rec.Revision != 1 {
		t.Errorf("schedule after binding: revision %d, target %s", rec.Revision, rec.Target)
	}
	if got := r.prompts(t, tgt.BoundSessionID); len(got) != 2 {
		t.Errorf("bound session prompts = %v", got)
	}
}

func TestCreateRejects(t *testing.T) {
	r := newMemoryRig(t)
	good := interval(t0, 60)
	for _, tt := range []struct {
		req   CreateRequest
		field string
	}{
		{CreateRequest{Target: sessionTarget("s", "x")}, "trigger"},
		{CreateRequest{Trigger: good}, "target"},
		{CreateRequest{Trigger: good, Target: json.RawMessage(`{"target_kind":"mob","type":"flow"}`)}, "target.target_kind"},
		{CreateRequest{Trigger: good, Target: json.RawMessage(`{"target_kind":"session","type":"exact_session","action":{"type":"prompt","prompt":"x"}}`)}, "target.session_id"},
		{CreateRequest{Trigger: good, Target: json.RawMessage(`{"target_kind":"session","type":"exact_session","session_id":"s","action":{"type":"prompt"}}`)}, "target.action.prompt"},
		{CreateRequest{Trigger: good, Target: json.RawMessage(`{"target_kind":"session","type":"exact_session","session_id":"s","action":{"type":"event"}}`)}, "target.action.event_type"},
		{CreateRequest{Trigger: good, Target: sessionTarget("s", "x"), MisfirePolicy: json.RawMessage(`{"type":"catch_up_within"}`)}, "misfire_policy.window_seconds"},
		{CreateRequest{Trigger: good, Target: sessionTarget("s", "x"), MisfirePolicy: json.RawMessage(`{"type":"later"}`)}, "misfire_policy"},
		{CreateRequest{Trigger: good, Target: sessionTarget("s", "x"), OverlapPolicy: ptr("queue")}, "overlap_policy"},
		{CreateRequest{Trigger: good, Target: sessionTarget("s", "x"), MissingTargetPolicy: ptr("retry")}, "missing_target_policy"},
		{CreateRequest{Trigger: good, Target: sessionTarget("s", "x"), PlanningHorizonDays: new(uint32)}, "planning_horizon_days"},
	} {
		_, err := r.sched.Create(context.Background(), tt.req)
		var ie *InvalidError
		if !errors.As(err, &ie) || ie.Field != tt.field {
			t.Errorf("Create(%s / %s) = %v, want invalid %s", tt.req.Trigger, tt.req.Target, err, tt.field)
		}
	}
}

// TestTwoExecutorsOneRealm: two executors (as two processes would: each its
// own store connection, session service and owner) share one SQLite realm
// and run 100 occurrences of 1 s interval schedules on a compressed clock;
// every occurrence runs exactly once.
func TestTwoExecutorsOneRealm(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	clk := &clock{t: t0}
	var rigs []*rig
	for _, owner := range []string{"a", "b"} {
		st, err := sqlite.Open(ctx, sqlite.Config{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		rigs = append(rigs, newRig(t, st, clk, owner))
	}
	const schedules, each = 4, 25
	var sids []string
	for range schedules {
		sid := rigs[0].session(t)
		sids = append(sids, sid)
		end := t0.Add((each - 1) * time.Second).Format(time.RFC3339)
		_, err := rigs[0].sched.Create(ctx, CreateRequest{OverlapPolicy: ptr(OverlapAllowConcurrent), Target: sessionTarget(sid, "once only"),
			Trigger: json.RawMessage(fmt.Sprintf(`{"type":"interval","start_at_utc":%q,"every_seconds":1,"end_at_utc":%q}`, t0.Format(time.RFC3339), end))})
		if err != nil {
			t.Fatal(err)
		}
	}
	claims := map[string]int{}
	for range each + 2 {
		var wg sync.WaitGroup
		counts := make([]int, len(rigs))
		for i, r := range rigs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					n, err := r.sched.RunOnce(ctx)
					if err != nil {
						t.Error(err)
					}
					counts[i] += n
					if n == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		claims["a"] += counts[0]
		claims["b"] += counts[1]
		clk.add(time.Second)
	}
	total := 0
	for _, sid := range sids {
		n := len(rigs[1].prompts(t, sid))
		total += n
		if n != each {
			t.Errorf("session %s ran %d scheduled turns, want %d", sid, n, each)
		}
	}
	t.Logf("%d occurrences, claimed by a: %d, by b: %d", total, claims["a"], claims["b"])
	if claims["a"]+claims["b"] != schedules*each {
		t.Errorf("claims = %v, want %d in all", claims, schedules*each)
	}
}

// TestRecoverAfterCrash: an executor claimed an occurrence, moved it to
// dispatching and died. Once its lease expires, another executor completes
// it if the turn committed, or runs it (once) if it did not.
func TestRecoverAfterCrash(t *testing.T) {
	for _, committed := range []bool{true, false} {
		t.Run(fmt.Sprintf("committed=%v", committed), func(t *testing.T) {
			ctx := context.Background()
			r := newMemoryRig(t)
			sid := r.session(t)
			rec, err := r.sched.Create(ctx, CreateRequest{Trigger: json.RawMessage(`{"type":"once","due_at_utc":"2026-03-01T12:00:00Z"}`),
				Target: sessionTarget(sid, "exactly once")})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := r.st.ClaimOccurrences(ctx, store.Claim{Owner: "dead", Now: t0, Lease: 10 * time.Second, Limit: 1})
			if err != nil || len(rows) != 1 {
				t.Fatalf("claim = %d, %v", len(rows), err)
			}
			rows[0].Phase = store.OccurrenceDispatching
			if _, err := r.st.UpdateOccurrence(ctx, "dead", rows[0]); err != nil {
				t.Fatal(err)
			}
			if committed { // the dead executor's turn reached the store
				_, err := r.svc.Turn(ctx, session.TurnRequest{SessionID: sid, Prompt: mustBlocks("exactly once"),
					IdempotencyKey: "schedule-occurrence:" + rows[0].ID})
				if err != nil {
					t.Fatal(err)
				}
			}
			r.clock.add(5 * time.Second)
			if n := r.run(t); n != 0 {
				t.Fatalf("took over a live lease (%d)", n)
			}
			r.clock.add(6 * time.Second)
			if n := r.run(t); n != 1 {
				t.Fatalf("recovery claimed %d, want 1", n)
			}
			occs, _ := r.sched.Occurrences(ctx, rec.ScheduleID, true)
			if len(occs) != 1 || occs[0].Phase != store.OccurrenceCompleted || occs[0].AttemptCount != 2 {
				t.Errorf("occurrence after recovery = %+v", occs)
			}
			if got := r.prompts(t, sid); len(got) != 1 {
				t.Errorf("the turn ran %d times", len(got))
			}
		})
	}
}

// TestStartAndClose runs the executor on the real clock until an
// occurrence completes, then stops it (goleak checks every goroutine ended).
func TestStartAndClose(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	defer st.Close()
	r := newRig(t, st, &clock{t: time.Now()}, "live")
	r.sched.cfg.Now, r.sched.cfg.Tick = time.Now, 20*time.Millisecond
	sid := r.session(t)
	rec, err := r.sched.Create(ctx, CreateRequest{Trigger: interval(time.Now().Add(-time.Second), 1), Target: sessionTarget(sid, "live")})
	if err != nil {
		t.Fatal(err)
	}
	r.sched.Start()
	deadline := time.Now().Add(10 * time.Second)
	for phases(t, r.sched, rec.ScheduleID)[store.OccurrenceCompleted] < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("no occurrences completed: %v", phases(t, r.sched, rec.ScheduleID))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := r.sched.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestPlanningStartsWithinTheMisfireWindow: firings that were never planned
// and are already too late are not materialized, neither for a schedule
// whose start lies far back nor after a long pause.
func TestPlanningStartsWithinTheMisfireWindow(t *testing.T) {
	ctx := context.Background()
	r := newMemoryRig(t)
	days := uint32(1)
	rec, err := r.sched.Create(ctx, CreateRequest{Trigger: interval(t0.Add(-24*time.Hour), 60), Target: sessionTarget(r.session(t), "x"),
		PlanningHorizonDays: &days})
	if err != nil {
		t.Fatal(err)
	}
	check := func(after time.Time) {
		t.Helper()
		occs, err := r.sched.Occurrences(ctx, rec.ScheduleID, false)
		if err != nil || len(occs) == 0 {
			t.Fatalf("occurrences = %d, %v", len(occs), err)
		}
		if first := occs[0].DueAt; first.Before(after) {
			t.Errorf("first pending occurrence due %v, before %v", first, after)
		}
	}
	check(t0.Add(-skipGrace))
	if _, err := r.sched.Pause(ctx, rec.ScheduleID); err != nil {
		t.Fatal(err)
	}
	r.clock.add(6 * time.Hour)
	if _, err := r.sched.Resume(ctx, rec.ScheduleID); err != nil {
		t.Fatal(err)
	}
	for r.run(t) > 0 { // the overdue planned ones are misfired
	}
	check(r.clock.Now().Add(-skipGrace))
	ph := phases(t, r.sched, rec.ScheduleID)
	if ph[store.OccurrenceMisfired] != DefaultHorizonOccurrences || ph[store.OccurrenceCompleted] > 1 {
		t.Errorf("after a 6 h pause: %v", ph)
	}
}

// TestCronAcrossDSTOnTheClock runs cron schedules through the executor on
// an injected clock, in 10-minute steps across New York's 2026 DST
// changes, and checks which firings ran.
func TestCronAcrossDSTOnTheClock(t *testing.T) {
	tests := []struct {
		name, expr, from, to string
		want                 []string
	}{
		{"spring forward skips 02:30", "30 2 * * *", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z",
			[]string{"2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z"}},
		{"fall back repeats 01:30", "30 1 * * *", "2026-10-31T00:00:00Z", "2026-11-02T00:00:00Z",
			[]string{"2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"}},
		{"hourly keeps every real hour", "0 * * * *", "2026-11-01T04:30:00Z", "2026-11-01T08:30:00Z",
			[]string{"2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			st := memory.New()
			defer st.Close()
			r := newRig(t, st, &clock{t: mustTime(tt.from)}, "dst")
			rec, err := r.sched.Create(ctx, CreateRequest{Target: sessionTarget(r.session(t), "nightly"),
				Trigger: json.RawMessage(fmt.Sprintf(`{"type":"cron","expression":%q,"timezone":"America/New_York"}`, tt.expr))})
			if err != nil {
				t.Fatal(err)
			}
			for end := mustTime(tt.to); r.clock.Now().Before(end); r.clock.add(10 * time.Minute) {
				for r.run(t) > 0 {
				}
			}
			occs, _ := r.sched.Occurrences(ctx, rec.ScheduleID, true)
			var got []string
			for _, o := range occs {
				if o.Phase == store.OccurrenceCompleted {
					got = append(got, o.DueAt.Format(time.RFC3339))
				} else if o.Phase != store.OccurrencePending {
					t.Errorf("occurrence %s is %s (%s)", o.DueAt, o.Phase, o.FailureDetail)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("ran at %v, want %v", got, tt.want)
			}
		})
	}
}

// TestFinishedOccurrencesAreBounded: planning keeps at most KeepTerminal
// finished occurrences per schedule.
func TestFinishedOccurrencesAreBounded(t *testing.T) {
	ctx := context.Background()
	r := newMemoryRig(t)
	r.sched.cfg.KeepTerminal = 3
	horizon := uint32(2)
	rec, err := r.sched.Create(ctx, CreateRequest{Trigger: interval(t0, 1), Target: sessionTarget(r.session(t), "x"),
		PlanningHorizonOccurrences: &horizon, OverlapPolicy: ptr(OverlapAllowConcurrent)})
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		for r.run(t) > 0 {
		}
		r.clock.add(time.Second)
	}
	ph := phases(t, r.sched, rec.ScheduleID)
	if done := ph[store.OccurrenceCompleted]; done < 3 || done > 3+int(horizon) {
		t.Errorf("finished occurrences kept = %v, want 3 plus at most the %d since the last planning", ph, horizon)
	}
	if ordinal, _ := r.sched.Get(ctx, rec.ScheduleID); ordinal.NextOccurrenceOrdinal < 20 {
		t.Errorf("only %d occurrences were planned", ordinal.NextOccurrenceOrdinal)
	}
}

// TestPlanWithFullHorizonNeedsNoZone: a plan that plans nothing, since
// pending occurrences already fill the horizon, loads neither the time
// zone nor the cron expression, so a zone this host cannot load does not
// fail it.
func TestPlanWithFullHorizonNeedsNoZone(t *testing.T) {
	ctx := context.Background()
	r := newMemoryRig(t)
	rec, err := r.sched.Create(ctx, CreateRequest{Trigger: json.RawMessage(`{"type":"cron","expression":"30 * * * *","timezone":"Europe/Stockholm"}`),
		Target: sessionTarget(r.session(t), "x")})
	if err != nil {
		t.Fatal(err)
	}
	rec, err = r.sched.Get(ctx, rec.ScheduleID)
	if err != nil {
		t.Fatal(err)
	}
	rec.Trigger.Timezone = "No/Such_Zone"
	occs, planAt, err := r.sched.plan(ctx, &rec, r.clock.Now(), false)
	if err != nil || len(occs) != 0 || planAt.IsZero() {
		t.Fatalf("plan = %d occurrences, next at %v, %v; want none, a next time and no error", len(occs), planAt, err)
	}
	if _, _, err := r.sched.plan(ctx, &rec, r.clock.Now(), true); err == nil {
		t.Fatal("a fresh plan with an unloadable zone did not fail")
	}
}
