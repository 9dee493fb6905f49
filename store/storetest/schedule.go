package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/store"
)

// scheduleTests are the conformance cases of store.Schedules.
var scheduleTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"ScheduleRoundTrip", testScheduleRoundTrip},
	{"ScheduleCompareAndSet", testScheduleCompareAndSet},
	{"ListSchedules", testListSchedules},
	{"OccurrencesPlannedOnce", testOccurrencesPlannedOnce},
	{"Supersede", testSupersede},
	{"SchedulesToPlan", testSchedulesToPlan},
	{"ClaimDue", testClaimDue},
	{"ClaimExpiredLease", testClaimExpiredLease},
	{"ConcurrentClaims", testConcurrentClaims},
	{"KeepTerminal", testKeepTerminal},
}

func schedRow(id string, n int, phase string) store.ScheduleRow {
	return store.ScheduleRow{ID: id, Phase: phase, Revision: 1, Created: base.Add(time.Duration(n) * time.Second),
		Data: json.RawMessage(`{"name":"` + id + `"}`)}
}

func occRow(schedID string, rev, ordinal uint64, due time.Time) store.OccurrenceRow {
	return store.OccurrenceRow{ID: fmt.Sprintf("%s-r%d-o%d", schedID, rev, ordinal), ScheduleID: schedID, Revision: rev,
		Ordinal: ordinal, Phase: store.OccurrencePending, Due: due, Data: json.RawMessage(`{"n":1}`)}
}

func put(t *testing.T, s store.Store, w store.ScheduleWrite) store.ScheduleRow {
	t.Helper()
	got, err := s.PutSchedule(context.Background(), w)
	if err != nil {
		t.Fatalf("PutSchedule(%s): %v", w.Schedule.ID, err)
	}
	return got
}

func occurrences(t *testing.T, s store.Store, q store.OccurrenceQuery) []store.OccurrenceRow {
	t.Helper()
	got, err := s.Occurrences(context.Background(), q)
	if err != nil {
		t.Fatalf("Occurrences(%+v): %v", q, err)
	}
	return got
}

func testScheduleRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	want := schedRow("a", 0, store.SchedulePhaseActive)
	want.Labels = map[string]string{"team": "ops"}
	want.PlanAt = base.Add(time.Hour)
	got := put(t, s, store.ScheduleWrite{Schedule: want})
	if got.Version != 1 {
		t.Errorf("version after create = %d, want 1", got.Version)
	}
	read, err := s.Schedule(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if read.ID != "a" || read.Phase != want.Phase || read.Revision != 1 || read.Version != 1 ||
		read.Labels["team"] != "ops" || !read.Created.Equal(want.Created) || !read.PlanAt.Equal(want.PlanAt) ||
		string(read.Data) != string(want.Data) {
		t.Errorf("Schedule(a) = %+v, want %+v", read, want)
	}
	if _, err := s.Schedule(ctx, "nope"); !errors.Is(err, store.ErrScheduleNotFound) {
		t.Errorf("Schedule(nope) = %v, want ErrScheduleNotFound", err)
	}
	if _, err := s.Occurrences(ctx, store.OccurrenceQuery{ScheduleID: "nope"}); !errors.Is(err, store.ErrScheduleNotFound) {
		t.Errorf("Occurrences(nope) = %v, want ErrScheduleNotFound", err)
	}
	if _, err := s.PutSchedule(ctx, store.ScheduleWrite{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("PutSchedule(empty id) = %v, want ErrInvalid", err)
	}
	if _, err := s.PutSchedule(ctx, store.ScheduleWrite{Schedule: want}); !errors.Is(err, store.ErrStale) {
		t.Errorf("second create of a = %v, want ErrStale", err)
	}
}

func testScheduleCompareAndSet(t *testing.T, s store.Store) {
	ctx := context.Background()
	row := put(t, s, store.ScheduleWrite{Schedule: schedRow("a", 0, store.SchedulePhaseActive)})
	row.Phase = store.SchedulePhasePaused
	paused := put(t, s, store.ScheduleWrite{Schedule: row, ExpectVersion: row.Version})
	if paused.Version != 2 || paused.Phase != store.SchedulePhasePaused {
		t.Fatalf("after pause: %+v", paused)
	}
	// A writer still holding version 1 is refused and writes nothing.
	row.Phase = store.SchedulePhaseDeleted
	_, err := s.PutSchedule(ctx, store.ScheduleWrite{Schedule: row, ExpectVersion: 1,
		Occurrences: []store.OccurrenceRow{occRow("a", 1, 0, base)}})
	if !errors.Is(err, store.ErrStale) {
		t.Fatalf("stale write = %v, want ErrStale", err)
	}
	if got, _ := s.Schedule(ctx, "a"); got.Phase != store.SchedulePhasePaused || got.Version != 2 {
		t.Errorf("after stale write: %+v", got)
	}
	if occs := occurrences(t, s, store.OccurrenceQuery{ScheduleID: "a"}); len(occs) != 0 {
		t.Errorf("stale write stored %d occurrences", len(occs))
	}
	if _, err := s.PutSchedule(ctx, store.ScheduleWrite{Schedule: schedRow("b", 0, store.SchedulePhaseActive), ExpectVersion: 3}); !errors.Is(err, store.ErrScheduleNotFound) {
		t.Errorf("update of unknown schedule = %v, want ErrScheduleNotFound", err)
	}
}

func testListSchedules(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i, id := range []string{"a", "b", "c", "d"} {
		r := schedRow(id, i, store.SchedulePhaseActive)
		if i%2 == 0 {
			r.Labels = map[string]string{"team": "ops"}
		}
		if id == "c" {
			r.Phase = store.SchedulePhaseDeleted
		}
		put(t, s, store.ScheduleWrite{Schedule: r})
	}
	ids := func(rows []store.ScheduleRow) string {
		out := ""
		for _, r := range rows {
			out += r.ID
		}
		return out
	}
	tests := []struct {
		q    store.ScheduleQuery
		want string
	}{
		{store.ScheduleQuery{}, "abd"},
		{store.ScheduleQuery{IncludeDeleted: true}, "abcd"},
		{store.ScheduleQuery{Labels: map[string]string{"team": "ops"}}, "a"},
		{store.ScheduleQuery{Labels: map[string]string{"team": "ops"}, IncludeDeleted: true}, "ac"},
		{store.ScheduleQuery{Offset: 1, Limit: 1}, "b"},
		{store.ScheduleQuery{Offset: 5}, ""},
	}
	for _, tt := range tests {
		got, err := s.ListSchedules(ctx, tt.q)
		if err != nil || ids(got) != tt.want {
			t.Errorf("ListSchedules(%+v) = %q, %v; want %q", tt.q, ids(got), err, tt.want)
		}
	}
	if _, err := s.ListSchedules(ctx, store.ScheduleQuery{Offset: -1}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("negative offset = %v, want ErrInvalid", err)
	}
}

func testOccurrencesPlannedOnce(t *testing.T, s store.Store) {
	row := put(t, s, store.ScheduleWrite{Schedule: schedRow("a", 0, store.SchedulePhaseActive),
		Occurrences: []store.OccurrenceRow{occRow("a", 1, 1, base.Add(2*time.Second)), occRow("a", 1, 0, base.Add(time.Second))}})
	// A second planner writes an overlapping batch: ordinal 1 exists already.
	dup := occRow("a", 1, 1, base.Add(2*time.Second))
	dup.ID = "other-id"
	put(t, s, store.ScheduleWrite{Schedule: row, ExpectVersion: row.Version,
		Occurrences: []store.OccurrenceRow{dup, occRow("a", 1, 2, base.Add(3*time.Second))}})
	got := occurrences(t, s, store.OccurrenceQuery{ScheduleID: "a"})
	if len(got) != 3 {
		t.Fatalf("occurrences = %d, want 3", len(got))
	}
	for i, o := range got {
		if o.Ordinal != uint64(i) || o.Phase != store.OccurrencePending || string(o.Data) != `{"n":1}` {
			t.Errorf("occurrence %d = %+v", i, o)
		}
	}
	if got[1].ID != "a-r1-o1" {
		t.Errorf("ordinal 1 id = %s, want the first planned", got[1].ID)
	}
	if lim := occurrences(t, s, store.OccurrenceQuery{ScheduleID: "a", Limit: 2}); len(lim) != 2 {
		t.Errorf("limit 2 gave %d", len(lim))
	}
	if none := occurrences(t, s, store.OccurrenceQuery{ScheduleID: "a", Phases: []string{store.OccurrenceCompleted}}); len(none) != 0 {
		t.Errorf("completed filter gave %d", len(none))
	}
}

func testSupersede(t *testing.T, s store.Store) {
	ctx := context.Background()
	row := put(t, s, store.ScheduleWrite{Schedule: schedRow("a", 0, store.SchedulePhaseActive),
		Occurrences: []store.OccurrenceRow{occRow("a", 1, 0, base), occRow("a", 1, 1, base.Add(time.Hour))}})
	claimed, err := s.ClaimOccurrences(ctx, store.Claim{Owner: "p1", Now: base, Lease: time.Minute, Limit: 10})
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim = %d, %v", len(claimed), err)
	}
	row.Revision = 2
	put(t, s, store.ScheduleWrite{Schedule: row, ExpectVersion: row.Version, Supersede: true,
		Occurrences: []store.OccurrenceRow{occRow("a", 2, 2, base.Add(2*time.Hour))}})
	got := occurrences(t, s, store.OccurrenceQuery{ScheduleID: "a"})
	phases := map[uint64]string{}
	for _, o := range got {
		phases[o.Ordinal] = o.Phase
		if o.Ordinal == 1 && o.SupersededBy != 2 {
			t.Errorf("superseded occurrence has SupersededBy %d, want 2", o.SupersededBy)
		}
	}
	want := map[uint64]string{0: store.OccurrenceClaimed, 1: store.OccurrenceSuperseded, 2: store.OccurrencePending}
	if fmt.Sprint(phases) != fmt.Sprint(want) {
		t.Errorf("phases = %v, want %v", phases, want)
	}
}

func testSchedulesToPlan(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i, tc := range []struct {
		id     string
		phase  string
		planAt time.Time
	}{
		{"due", store.SchedulePhaseActive, base},
		{"early", store.SchedulePhaseActive, base.Add(-time.Hour)},
		{"later", store.SchedulePhaseActive, base.Add(time.Hour)},
		{"never", store.SchedulePhaseActive, time.Time{}},
		{"paused", store.SchedulePhasePaused, base},
	} {
		r := schedRow(tc.id, i, tc.phase)
		r.PlanAt = tc.planAt
		put(t, s, store.ScheduleWrite{Schedule: r})
	}
	got, err := s.SchedulesToPlan(ctx, base, 10)
	if err != nil || len(got) != 2 || got[0].ID != "early" || got[1].ID != "due" {
		t.Errorf("SchedulesToPlan = %+v, %v; want early, due", got, err)
	}
	if got, _ := s.SchedulesToPlan(ctx, base, 1); len(got) != 1 {
		t.Errorf("limit 1 gave %d", len(got))
	}
}

func testClaimDue(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.ClaimOccurrences(ctx, store.Claim{Owner: "p1", Now: base}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("claim without limit = %v, want ErrInvalid", err)
	}
	put(t, s, store.ScheduleWrite{Schedule: schedRow("a", 0, store.SchedulePhaseActive), Occurrences: []store.OccurrenceRow{
		occRow("a", 1, 0, base.Add(-time.Second)), occRow("a", 1, 1, base), occRow("a", 1, 2, base.Add(time.Second)),
	}})
	paused := schedRow("p", 1, store.SchedulePhasePaused)
	put(t, s, store.ScheduleWrite{Schedule: paused, Occurrences: []store.OccurrenceRow{occRow("p", 1, 0, base)}})
	// An occurrence of an older revision never fires.
	old := schedRow("o", 2, store.SchedulePhaseActive)
	old.Revision = 2
	put(t, s, store.ScheduleWrite{Schedule: old, Occurrences: []store.OccurrenceRow{occRow("o", 1, 0, base)}})

	got, err := s.ClaimOccurrences(ctx, store.Claim{Owner: "p1", Now: base, Lease: time.Minute, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Ordinal != 0 || got[1].Ordinal != 1 {
		t.Fatalf("claimed %+v, want ordinals 0 and 1 of a", got)
	}
	for _, o := range got {
		if o.Phase != store.OccurrenceClaimed || o.Owner != "p1" || o.Fence != 1 || o.Attempts != 1 ||
			!o.LeaseExpires.Equal(base.Add(time.Minute)) {
			t.Errorf("claimed occurrence = %+v", o)
		}
	}
	if again, err := s.ClaimOccurrences(ctx, store.Claim{Owner: "p2", Now: base, Lease: time.Minute, Limit: 10}); err != nil || len(again) != 0 {
		t.Errorf("second claim = %d, %v; want none", len(again), err)
	}
	// The owner moves it on; another owner cannot.
	o := got[0]
	o.Phase = store.OccurrenceDispatching
	o.Data = json.RawMessage(`{"n":2}`)
	if _, err := s.UpdateOccurrence(ctx, "p2", o); !errors.Is(err, store.ErrLeaseLost) {
		t.Errorf("update by p2 = %v, want ErrLeaseLost", err)
	}
	upd, err := s.UpdateOccurrence(ctx, "p1", o)
	if err != nil || upd.Phase != store.OccurrenceDispatching || string(upd.Data) != `{"n":2}` {
		t.Errorf("update by p1 = %+v, %v", upd, err)
	}
}

func testClaimExpiredLease(t *testing.T, s store.Store) {
	ctx := context.Background()
	put(t, s, store.ScheduleWrite{Schedule: schedRow("a", 0, store.SchedulePhaseActive),
		Occurrences: []store.OccurrenceRow{occRow("a", 1, 0, base)}})
	first, err := s.ClaimOccurrences(ctx, store.Claim{Owner: "p1", Now: base, Lease: time.Second, Limit: 1})
	if err != nil || len(first) != 1 {
		t.Fatalf("claim = %d, %v", len(first), err)
	}
	o := first[0]
	o.Phase = store.OccurrenceDispatching
	if _, err := s.UpdateOccurrence(ctx, "p1", o); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ClaimOccurrences(ctx, store.Claim{Owner: "p2", Now: base.Add(500 * time.Millisecond), Lease: time.Second, Limit: 1}); len(got) != 0 {
		t.Fatalf("claimed a live lease: %+v", got)
	}
	got, err := s.ClaimOccurrences(ctx, store.Claim{Owner: "p2", Now: base.Add(2 * time.Second), Lease: time.Second, Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("reclaim = %d, %v", len(got), err)
	}
	if r := got[0]; r.Owner != "p2" || r.Fence != 2 || r.Attempts != 2 || r.Phase != store.OccurrenceDispatching {
		t.Errorf("reclaimed = %+v, want owner p2, fence 2, attempts 2, still dispatching", r)
	}
	// The first owner's late write is fenced off.
	o.Phase = store.OccurrenceCompleted
	if _, err := s.UpdateOccurrence(ctx, "p1", o); !errors.Is(err, store.ErrLeaseLost) {
		t.Errorf("stale owner update = %v, want ErrLeaseLost", err)
	}
}

func testConcurrentClaims(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 40
	var occs []store.OccurrenceRow
	for i := range n {
		occs = append(occs, occRow("a", 1, uint64(i), base))
	}
	put(t, s, store.ScheduleWrite{Schedule: schedRow("a", 0, store.SchedulePhaseActive), Occurrences: occs})
	var mu sync.Mutex
	seen := map[string]string{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprintf("w%d", w)
			for range n {
				got, err := s.ClaimOccurrences(ctx, store.Claim{Owner: owner, Now: base, Lease: time.Minute, Limit: 3})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, o := range got {
					if prev, ok := seen[o.ID]; ok {
						t.Errorf("%s claimed by %s and %s", o.ID, prev, owner)
					}
					seen[o.ID] = owner
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("claimed %d of %d occurrences", len(seen), n)
	}
}

func testKeepTerminal(t *testing.T, s store.Store) {
	ctx := context.Background()
	var occs []store.OccurrenceRow
	for i := range 6 {
		occs = append(occs, occRow("a", 1, uint64(i), base.Add(time.Duration(i)*time.Second)))
	}
	row := put(t, s, store.ScheduleWrite{Schedule: schedRow("a", 0, store.SchedulePhaseActive), Occurrences: occs})
	claimed, err := s.ClaimOccurrences(ctx, store.Claim{Owner: "p", Now: base.Add(3 * time.Second), Lease: time.Minute, Limit: 10})
	if err != nil || len(claimed) != 4 {
		t.Fatalf("claim = %d, %v", len(claimed), err)
	}
	for _, o := range claimed {
		o.Phase = store.OccurrenceCompleted
		if _, err := s.UpdateOccurrence(ctx, "p", o); err != nil {
			t.Fatal(err)
		}
	}
	put(t, s, store.ScheduleWrite{Schedule: row, ExpectVersion: row.Version, KeepTerminal: 2})
	got := occurrences(t, s, store.OccurrenceQuery{ScheduleID: "a"})
	var ordinals []uint64
	for _, o := range got {
		ordinals = append(ordinals, o.Ordinal)
	}
	if fmt.Sprint(ordinals) != "[2 3 4 5]" {
		t.Errorf("after keeping 2 finished: ordinals %v, want [2 3 4 5] (the newest finished and every pending)", ordinals)
	}
}
