// Package storetest is the conformance suite of store.Store: every backend
// runs it from its tests with Run.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/store"
)

// Factory returns a fresh, empty store for one subtest. The suite closes it;
// the factory may also register its own cleanup.
type Factory func(t *testing.T) store.Store

// Run runs the conformance suite against stores made by newStore.
func Run(t *testing.T, newStore Factory) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"SessionRoundTrip", testSessionRoundTrip},
		{"CreateErrors", testCreateErrors},
		{"CommitRowsAndUpdate", testCommitRowsAndUpdate},
		{"UpdateSemantics", testUpdateSemantics},
		{"RowsPaging", testRowsPaging},
		{"IdempotencyKeys", testIdempotencyKeys},
		{"ListSessions", testListSessions},
		{"RealmConfig", testRealmConfig},
		{"ConcurrentCommits", testConcurrentCommits},
		{"Leases", testLeases},
		{"LeaseExpiry", testLeaseExpiry},
		{"ConcurrentLeaseClaims", testConcurrentLeaseClaims},
		{"Tasks", testTasks},
		{"Closed", testClosed},
		{"Records", testRecords},
		{"Logs", testLogs},
		{"ConcurrentRecordWrites", testConcurrentRecordWrites},
		{"ConcurrentAppends", testConcurrentAppends},
	}
	tests = append(tests, scheduleTests...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			defer s.Close()
			tt.fn(t, s)
		})
	}
}

// base is the creation time of the sessions the suite makes (ms precision,
// as every backend keeps).
var base = time.UnixMilli(1_750_000_000_000)

func newSession(id string, n int) store.Session {
	return store.Session{
		ID: id, Realm: "r1", Model: "m1", Provider: "scripted",
		Created: base.Add(time.Duration(n) * time.Second), Updated: base.Add(time.Duration(n) * time.Second),
	}
}

func create(t *testing.T, s store.Store, sess store.Session) {
	t.Helper()
	if err := s.CreateSession(context.Background(), sess); err != nil {
		t.Fatalf("CreateSession(%s): %v", sess.ID, err)
	}
}

func get(t *testing.T, s store.Store, id string) store.Session {
	t.Helper()
	sess, err := s.Session(context.Background(), id)
	if err != nil {
		t.Fatalf("Session(%s): %v", id, err)
	}
	return sess
}

func commit(t *testing.T, s store.Store, c store.Commit) store.Session {
	t.Helper()
	sess, err := s.Commit(context.Background(), c)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return sess
}

func textRow(role store.Role, text string) store.Row {
	return store.Row{Role: role, Content: []llm.Block{llm.Text(text)}, Created: base}
}

func testSessionRoundTrip(t *testing.T, s store.Store) {
	want := newSession("s1", 0)
	want.Labels = map[string]string{"team": "docs", "env": "ci"}
	want.Settings = json.RawMessage(`{"system":"be brief"}`)
	want.Deferred = json.RawMessage(`{"prompt":[{"type":"text","text":"hi"}]}`)
	want.Usage = llm.Usage{InputTokens: 5, OutputTokens: 7}
	want.MessageCount = 99 // ignored by CreateSession
	create(t, s, want)
	got := get(t, s, "s1")
	want.MessageCount = 0
	assertSession(t, got, want)
}

func assertSession(t *testing.T, got, want store.Session) {
	t.Helper()
	if !got.Created.Equal(want.Created) || !got.Updated.Equal(want.Updated) {
		t.Errorf("times = %v/%v, want %v/%v", got.Created, got.Updated, want.Created, want.Updated)
	}
	got.Created, got.Updated, want.Created, want.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if len(got.Labels) == 0 && len(want.Labels) == 0 {
		got.Labels, want.Labels = nil, nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("session = %+v\nwant %+v", got, want)
	}
}

func testCreateErrors(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, newSession("s1", 0))
	if err := s.CreateSession(ctx, newSession("s1", 1)); !errors.Is(err, store.ErrExists) {
		t.Errorf("duplicate create: %v, want ErrExists", err)
	}
	if err := s.CreateSession(ctx, newSession("", 1)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty id: %v, want ErrInvalid", err)
	}
	if _, err := s.Session(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Session(nope): %v, want ErrNotFound", err)
	}
	if _, err := s.Commit(ctx, store.Commit{SessionID: "nope", Rows: []store.Row{textRow(store.RoleUser, "x")}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Commit(nope): %v, want ErrNotFound", err)
	}
	if _, _, err := s.Rows(ctx, "nope", 0, 0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Rows(nope): %v, want ErrNotFound", err)
	}
	if _, err := s.HasKey(ctx, "nope", "k"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("HasKey(nope): %v, want ErrNotFound", err)
	}
}

func testCommitRowsAndUpdate(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, newSession("s1", 0))
	rows := []store.Row{
		{Role: store.RoleSystem, Content: []llm.Block{llm.Text("ctx")}, Source: "ops", IdempotencyKey: "k1", Created: base},
		{Role: store.RoleUser, Content: []llm.Block{llm.Text("hello")}, TranscriptRole: store.TranscriptInjected, Created: base},
		{Role: store.RoleAssistant, Content: []llm.Block{llm.Text("a"), {Type: llm.BlockToolUse, ID: "t1", Name: "echo", Args: json.RawMessage(`{"x":1}`)}},
			StopReason: llm.StopToolUse, RunID: "run1", Created: base.Add(time.Millisecond)},
		{Role: store.RoleToolResults, Content: []llm.Block{{Type: llm.BlockToolResult, ID: "t1", Text: "ok", IsError: true}}, Created: base},
		{Role: store.RoleSystemNotice, Kind: "external_event", Body: `{"event_type":"ping"}`, Created: base},
		{Role: store.RoleUser, Content: []llm.Block{llm.Text("summary")}, TranscriptRole: store.TranscriptCompactionSummary,
			Replaces: 3, Created: base},
	}
	after := commit(t, s, store.Commit{SessionID: "s1", Rows: rows})
	if after.MessageCount != len(rows) {
		t.Fatalf("MessageCount after commit = %d, want %d", after.MessageCount, len(rows))
	}
	got, total, err := s.Rows(ctx, "s1", 0, 0)
	if err != nil || total != len(rows) {
		t.Fatalf("Rows = %d rows, total %d, %v", len(got), total, err)
	}
	for i := range rows {
		if !got[i].Created.Equal(rows[i].Created) {
			t.Errorf("row %d created %v, want %v", i, got[i].Created, rows[i].Created)
		}
		got[i].Created = rows[i].Created
		if !reflect.DeepEqual(got[i], rows[i]) {
			t.Errorf("row %d = %+v\nwant %+v", i, got[i], rows[i])
		}
	}
	if sess := get(t, s, "s1"); sess.MessageCount != len(rows) {
		t.Errorf("stored MessageCount = %d", sess.MessageCount)
	}
}

func testUpdateSemantics(t *testing.T, s store.Store) {
	ctx := context.Background()
	sess := newSession("s1", 0)
	sess.Labels = map[string]string{"a": "1"}
	sess.Deferred = json.RawMessage(`{"prompt":[]}`)
	sess.LastSeq = 10
	create(t, s, sess)
	text := "final"
	later := base.Add(time.Hour)
	commit(t, s, store.Commit{SessionID: "s1", Update: store.Update{
		Model: "m2", AddRuns: 1, AddUsage: llm.Usage{InputTokens: 3, OutputTokens: 4, CacheReadTokens: 1},
		LastAssistantText: &text, LastSeq: 20, ClearDeferred: true, Touch: later,
		Settings: json.RawMessage(`{"system":"x"}`), Labels: map[string]string{"b": "2"},
	}})
	commit(t, s, store.Commit{SessionID: "s1", Update: store.Update{
		AddRuns: 1, AddUsage: llm.Usage{InputTokens: 1, OutputTokens: 1}, LastSeq: 5, Touch: base,
	}})
	got := get(t, s, "s1")
	want := sess
	want.Model, want.Runs, want.Usage = "m2", 2, llm.Usage{InputTokens: 4, OutputTokens: 5, CacheReadTokens: 1}
	want.LastAssistantText, want.LastSeq, want.Deferred, want.Updated = "final", 20, nil, later
	want.Settings, want.Labels = json.RawMessage(`{"system":"x"}`), map[string]string{"b": "2"}
	assertSession(t, got, want)

	if _, err := s.Commit(ctx, store.Commit{SessionID: "s1", Update: store.Update{Archive: true}}); err != nil {
		t.Fatal(err)
	}
	if !get(t, s, "s1").Archived {
		t.Error("Archive did not archive")
	}
	commit(t, s, store.Commit{SessionID: "s1", Update: store.Update{Model: "m3"}})
	if got := get(t, s, "s1"); !got.Archived || got.Model != "m3" {
		t.Errorf("a later update un-archived or lost the model: %+v", got)
	}
}

func testRowsPaging(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, newSession("s1", 0))
	create(t, s, newSession("s2", 1))
	for i := 0; i < 7; i++ {
		commit(t, s, store.Commit{SessionID: "s1", Rows: []store.Row{textRow(store.RoleUser, fmt.Sprint(i))}})
	}
	commit(t, s, store.Commit{SessionID: "s2", Rows: []store.Row{textRow(store.RoleUser, "other")}})
	tests := []struct {
		offset, limit int
		want          []string
	}{
		{0, 0, []string{"0", "1", "2", "3", "4", "5", "6"}},
		{0, 3, []string{"0", "1", "2"}},
		{3, 3, []string{"3", "4", "5"}},
		{6, 3, []string{"6"}},
		{7, 3, nil},
		{100, 0, nil},
		{3, math.MaxInt, []string{"3", "4", "5", "6"}},
		{math.MaxInt, math.MaxInt, nil},
	}
	for _, tt := range tests {
		rows, total, err := s.Rows(ctx, "s1", tt.offset, tt.limit)
		if err != nil || total != 7 {
			t.Fatalf("Rows(%d,%d): total %d, %v", tt.offset, tt.limit, total, err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Content[0].Text)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Rows(%d,%d) = %v, want %v", tt.offset, tt.limit, got, tt.want)
		}
	}
	for _, bad := range [][2]int{{-1, 0}, {0, -1}} {
		if _, _, err := s.Rows(ctx, "s1", bad[0], bad[1]); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Rows(%v): %v, want ErrInvalid", bad, err)
		}
	}
}

func testIdempotencyKeys(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, newSession("s1", 0))
	create(t, s, newSession("s2", 1))
	commit(t, s, store.Commit{SessionID: "s1", Rows: []store.Row{textRow(store.RoleSystem, "a")}, Keys: []string{"k1"}})
	for _, c := range []store.Commit{
		{SessionID: "s1", Rows: []store.Row{textRow(store.RoleSystem, "b")}, Keys: []string{"k1"}, Update: store.Update{Model: "changed"}},
		{SessionID: "s1", Rows: []store.Row{textRow(store.RoleSystem, "c")}, Keys: []string{"k2", "k2"}},
		{SessionID: "s1", Rows: []store.Row{textRow(store.RoleSystem, "d")}, Keys: []string{"k3", "k1"}},
	} {
		if _, err := s.Commit(ctx, c); !errors.Is(err, store.ErrDuplicateKey) {
			t.Errorf("commit with keys %v: %v, want ErrDuplicateKey", c.Keys, err)
		}
	}
	if _, err := s.Commit(ctx, store.Commit{SessionID: "s1", Keys: []string{""}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty key: %v, want ErrInvalid", err)
	}
	sess := get(t, s, "s1")
	if sess.MessageCount != 1 || sess.Model != "m1" {
		t.Errorf("a failed commit left traces: count %d model %q", sess.MessageCount, sess.Model)
	}
	for _, tt := range []struct {
		id, key string
		want    bool
	}{{"s1", "k1", true}, {"s1", "k2", false}, {"s1", "k3", false}, {"s2", "k1", false}} {
		got, err := s.HasKey(ctx, tt.id, tt.key)
		if err != nil || got != tt.want {
			t.Errorf("HasKey(%s,%s) = %v, %v; want %v", tt.id, tt.key, got, err, tt.want)
		}
	}
	commit(t, s, store.Commit{SessionID: "s2", Keys: []string{"k1"}}) // keys are per session
}

func testListSessions(t *testing.T, s store.Store) {
	ctx := context.Background()
	labels := []map[string]string{{"team": "a"}, {"team": "b"}, {"team": "a", "env": "ci"}, nil, {"team": "a"}}
	for i, l := range labels {
		sess := newSession(fmt.Sprintf("s%d", i), i)
		sess.Labels = l
		create(t, s, sess)
	}
	commit(t, s, store.Commit{SessionID: "s4", Update: store.Update{Archive: true}})
	ids := func(list []store.Session) []string {
		var out []string
		for _, x := range list {
			out = append(out, x.ID)
		}
		return out
	}
	tests := []struct {
		q     store.ListQuery
		want  []string
		total int
	}{
		{store.ListQuery{}, []string{"s3", "s2", "s1", "s0"}, 4},
		{store.ListQuery{IncludeArchived: true}, []string{"s4", "s3", "s2", "s1", "s0"}, 5},
		{store.ListQuery{Labels: map[string]string{"team": "a"}}, []string{"s2", "s0"}, 2},
		{store.ListQuery{Labels: map[string]string{"team": "a"}, IncludeArchived: true}, []string{"s4", "s2", "s0"}, 3},
		{store.ListQuery{Labels: map[string]string{"team": "a", "env": "ci"}}, []string{"s2"}, 1},
		{store.ListQuery{Labels: map[string]string{"team": "z"}}, nil, 0},
		{store.ListQuery{Offset: 1, Limit: 2}, []string{"s2", "s1"}, 4},
		{store.ListQuery{Offset: 10}, nil, 4},
		{store.ListQuery{Offset: 3, Limit: math.MaxInt}, []string{"s0"}, 4},
		{store.ListQuery{Offset: math.MaxInt, Limit: math.MaxInt}, nil, 4},
	}
	for _, tt := range tests {
		list, total, err := s.ListSessions(ctx, tt.q)
		if err != nil {
			t.Fatalf("ListSessions(%+v): %v", tt.q, err)
		}
		if got := ids(list); !reflect.DeepEqual(got, tt.want) || total != tt.total {
			t.Errorf("ListSessions(%+v) = %v (total %d), want %v (total %d)", tt.q, got, total, tt.want, tt.total)
		}
	}
	if _, _, err := s.ListSessions(ctx, store.ListQuery{Offset: -1}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("negative offset: %v, want ErrInvalid", err)
	}
}

func testRealmConfig(t *testing.T, s store.Store) {
	ctx := context.Background()
	cfg, err := s.Config(ctx)
	if err != nil || string(cfg.Data) != "{}" || cfg.Generation != 0 {
		t.Fatalf("initial config = %s gen %d, %v", cfg.Data, cfg.Generation, err)
	}
	cfg, err = s.SetConfig(ctx, json.RawMessage(`{"a": 1}`), nil)
	if err != nil || cfg.Generation != 1 {
		t.Fatalf("SetConfig = gen %d, %v", cfg.Generation, err)
	}
	stale := uint64(0)
	_, err = s.SetConfig(ctx, json.RawMessage(`{"a":2}`), &stale)
	var ce *store.ConflictError
	if !errors.Is(err, store.ErrConflict) || !errors.As(err, &ce) || ce.Expected != 0 || ce.Current != 1 {
		t.Fatalf("stale SetConfig: %v", err)
	}
	cur := uint64(1)
	cfg, err = s.SetConfig(ctx, json.RawMessage(`{"b":[1,2]}`), &cur)
	if err != nil || cfg.Generation != 2 {
		t.Fatalf("CAS SetConfig = gen %d, %v", cfg.Generation, err)
	}
	for _, bad := range []string{`[1]`, `"x"`, `null`, `{`, ``} {
		if _, err := s.SetConfig(ctx, json.RawMessage(bad), nil); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("SetConfig(%q): %v, want ErrInvalid", bad, err)
		}
	}
	cfg, err = s.Config(ctx)
	var data map[string]any
	if err != nil || json.Unmarshal(cfg.Data, &data) != nil || cfg.Generation != 2 || data["b"] == nil || data["a"] != nil {
		t.Errorf("final config = %s gen %d, %v", cfg.Data, cfg.Generation, err)
	}
}

func testConcurrentCommits(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, newSession("s1", 0))
	const writers, each = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				rows := []store.Row{textRow(store.RoleUser, fmt.Sprintf("%d-%d", w, i)), textRow(store.RoleAssistant, "ok")}
				if _, err := s.Commit(ctx, store.Commit{SessionID: "s1", Rows: rows, Update: store.Update{AddRuns: 1}}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent Commit: %v", err)
	}
	rows, total, err := s.Rows(ctx, "s1", 0, 0)
	if err != nil || total != writers*each*2 || len(rows) != total {
		t.Fatalf("Rows: %d rows, total %d, %v", len(rows), total, err)
	}
	for i := 0; i < len(rows); i += 2 {
		if rows[i].Role != store.RoleUser || rows[i+1].Role != store.RoleAssistant {
			t.Fatalf("rows of one commit were interleaved at %d", i)
		}
	}
	if sess := get(t, s, "s1"); sess.Runs != writers*each {
		t.Errorf("Runs = %d, want %d", sess.Runs, writers*each)
	}
}

func testClosed(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, newSession("s1", 0))
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := s.Session(ctx, "s1"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Session after Close: %v, want ErrClosed", err)
	}
	if _, err := s.Commit(ctx, store.Commit{SessionID: "s1"}); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Commit after Close: %v, want ErrClosed", err)
	}
	if _, err := s.Claim(ctx, "s1", "a", time.Minute); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Claim after Close: %v, want ErrClosed", err)
	}
	if _, err := s.PutRecord(ctx, store.Record{Kind: "mob", ID: "m", Data: json.RawMessage(`{}`)}, 0); !errors.Is(err, store.ErrClosed) {
		t.Errorf("PutRecord after Close: %v, want ErrClosed", err)
	}
	if _, err := s.Append(ctx, "mob/m", json.RawMessage(`{}`)); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Append after Close: %v, want ErrClosed", err)
	}
}

func claim(t *testing.T, s store.Store, id, owner string, ttl time.Duration) store.Lease {
	t.Helper()
	l, err := s.Claim(context.Background(), id, owner, ttl)
	if err != nil {
		t.Fatalf("Claim(%s, %s): %v", id, owner, err)
	}
	if l.SessionID != id || l.Owner != owner || l.Token == 0 || !l.Expires.After(time.Now()) {
		t.Fatalf("Claim(%s, %s) = %+v", id, owner, l)
	}
	return l
}

// fencedCommit commits one row with idempotency key key under fence and
// reports the error.
func fencedCommit(s store.Store, id string, fence uint64, key string) error {
	_, err := s.Commit(context.Background(), store.Commit{SessionID: id, Fence: fence,
		Rows: []store.Row{textRow(store.RoleUser, "fenced")}, Keys: []string{key}})
	return err
}

func testLeases(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, newSession("s1", 0))
	for _, tc := range []struct {
		id, owner string
		ttl       time.Duration
		want      error
	}{
		{"nope", "a", time.Minute, store.ErrNotFound},
		{"", "a", time.Minute, store.ErrInvalid},
		{"s1", "", time.Minute, store.ErrInvalid},
		{"s1", "a", 0, store.ErrInvalid},
	} {
		if _, err := s.Claim(ctx, tc.id, tc.owner, tc.ttl); !errors.Is(err, tc.want) {
			t.Errorf("Claim(%q, %q, %v) = %v, want %v", tc.id, tc.owner, tc.ttl, err, tc.want)
		}
	}

	a := claim(t, s, "s1", "a", time.Minute)
	if got := get(t, s, "s1"); !got.Leased(time.Now()) || got.Lease.Owner != "a" || got.Lease.Token != a.Token {
		t.Errorf("Session().Lease while claimed = %+v, want %+v", got.Lease, a)
	}
	for _, owner := range []string{"b", "a"} { // the holder itself cannot claim twice either
		if _, err := s.Claim(ctx, "s1", owner, time.Minute); !errors.Is(err, store.ErrLeased) {
			t.Errorf("second Claim by %s = %v, want ErrLeased", owner, err)
		}
	}
	if err := fencedCommit(s, "s1", a.Token, "a1"); err != nil {
		t.Fatalf("Commit under the current fence: %v", err)
	}
	renewed, err := s.Renew(ctx, a, 2*time.Minute)
	if err != nil || renewed.Token != a.Token || !renewed.Expires.After(a.Expires) {
		t.Fatalf("Renew = %+v, %v (held %+v)", renewed, err, a)
	}
	if err := s.Release(ctx, renewed); err != nil {
		t.Fatalf("Release: %v", err)
	}
	if _, err := s.Renew(ctx, a, time.Minute); !errors.Is(err, store.ErrFenced) {
		t.Errorf("Renew after Release = %v, want ErrFenced", err)
	}
	if got := get(t, s, "s1"); got.Leased(time.Now()) {
		t.Errorf("Session().Lease after Release = %+v, want none", got.Lease)
	}

	b := claim(t, s, "s1", "b", time.Minute)
	if b.Token <= a.Token {
		t.Errorf("token after re-claim %d, want > %d", b.Token, a.Token)
	}
	if err := fencedCommit(s, "s1", a.Token, "a2"); !errors.Is(err, store.ErrFenced) {
		t.Errorf("Commit under a stale fence = %v, want ErrFenced", err)
	}
	if dup, err := s.HasKey(ctx, "s1", "a2"); err != nil || dup {
		t.Errorf("key of the fenced-off commit recorded: %v, %v", dup, err)
	}
	if _, total, _ := s.Rows(ctx, "s1", 0, 0); total != 1 {
		t.Errorf("rows after a fenced-off commit = %d, want 1", total)
	}
	// A stale holder's release leaves the current lease alone.
	if err := s.Release(ctx, a); err != nil {
		t.Fatalf("stale Release: %v", err)
	}
	if _, err := s.Claim(ctx, "s1", "c", time.Minute); !errors.Is(err, store.ErrLeased) {
		t.Errorf("Claim after a stale Release = %v, want ErrLeased", err)
	}
	// Unfenced commits (inputs on an idle session) still work.
	commit(t, s, store.Commit{SessionID: "s1", Rows: []store.Row{textRow(store.RoleUser, "free")}})
	if err := fencedCommit(s, "s1", b.Token, "b1"); err != nil {
		t.Errorf("Commit under b's fence: %v", err)
	}
}

func testLeaseExpiry(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, newSession("s1", 0))
	const ttl = 50 * time.Millisecond
	a := claim(t, s, "s1", "a", ttl) // a "crashes": it never renews or releases
	time.Sleep(3 * ttl)
	b := claim(t, s, "s1", "b", time.Minute)
	if b.Token <= a.Token {
		t.Errorf("token after expiry %d, want > %d", b.Token, a.Token)
	}
	if _, err := s.Renew(ctx, a, time.Minute); !errors.Is(err, store.ErrFenced) {
		t.Errorf("Renew of the expired lease = %v, want ErrFenced", err)
	}
	if err := fencedCommit(s, "s1", a.Token, "a1"); !errors.Is(err, store.ErrFenced) {
		t.Errorf("Commit by the resumed old owner = %v, want ErrFenced", err)
	}
}

func testConcurrentLeaseClaims(t *testing.T, s store.Store) {
	create(t, s, newSession("s1", 0))
	const claimants = 8
	var wg sync.WaitGroup
	errs := make(chan error, claimants)
	for i := 0; i < claimants; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Claim(context.Background(), "s1", fmt.Sprintf("o%d", i), time.Minute)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	won := 0
	for err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrLeased):
			t.Errorf("Claim: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent claims won, want exactly 1", won, claimants)
	}
}

func testTasks(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, newSession("s1", 0))
	create(t, s, newSession("s2", 1))
	if list, err := s.Tasks(ctx, "s1"); err != nil || len(list) != 0 {
		t.Fatalf("Tasks of a fresh session = %v, %v; want none", list, err)
	}
	put := func(sid, id, data string, created, updated time.Time) {
		t.Helper()
		if err := s.PutTask(ctx, store.Task{SessionID: sid, ID: id, Data: json.RawMessage(data), Created: created, Updated: updated}); err != nil {
			t.Fatalf("PutTask %s/%s: %v", sid, id, err)
		}
	}
	put("s1", "b", `{"subject":"second"}`, base.Add(2*time.Second), base.Add(2*time.Second))
	put("s1", "a", `{"subject":"first"}`, base.Add(time.Second), base.Add(time.Second))
	put("s2", "a", `{"subject":"other session"}`, base, base)
	// Replacing keeps the creation time and takes the new data.
	put("s1", "a", `{"subject": "first, edited"}`, base.Add(time.Hour), base.Add(time.Hour))

	got, err := s.Task(ctx, "s1", "a")
	if err != nil {
		t.Fatalf("Task: %v", err)
	}
	var doc map[string]string
	if err := json.Unmarshal(got.Data, &doc); err != nil || doc["subject"] != "first, edited" {
		t.Errorf("Task data = %s (%v)", got.Data, err)
	}
	if !got.Created.Equal(base.Add(time.Second)) || !got.Updated.Equal(base.Add(time.Hour)) {
		t.Errorf("Task times = %v / %v, want created %v, updated %v", got.Created, got.Updated, base.Add(time.Second), base.Add(time.Hour))
	}
	list, err := s.Tasks(ctx, "s1")
	if err != nil || len(list) != 2 || list[0].ID != "a" || list[1].ID != "b" {
		t.Fatalf("Tasks(s1) = %+v, %v; want a then b", list, err)
	}
	if list, err := s.Tasks(ctx, "s2"); err != nil || len(list) != 1 || list[0].ID != "a" {
		t.Fatalf("Tasks(s2) = %+v, %v; want only its own task", list, err)
	}

	cases := []struct {
		name string
		err  error
		fn   func() error
	}{
		{"unknown task", store.ErrTaskNotFound, func() error { _, err := s.Task(ctx, "s1", "zz"); return err }},
		{"task of another session", store.ErrTaskNotFound, func() error { _, err := s.Task(ctx, "s2", "b"); return err }},
		{"tasks of unknown session", store.ErrNotFound, func() error { _, err := s.Tasks(ctx, "nope"); return err }},
		{"put into unknown session", store.ErrNotFound, func() error {
			return s.PutTask(ctx, store.Task{SessionID: "nope", ID: "x", Data: json.RawMessage(`{}`), Created: base, Updated: base})
		}},
		{"empty id", store.ErrInvalid, func() error {
			return s.PutTask(ctx, store.Task{SessionID: "s1", Data: json.RawMessage(`{}`), Created: base, Updated: base})
		}},
		{"data not an object", store.ErrInvalid, func() error {
			return s.PutTask(ctx, store.Task{SessionID: "s1", ID: "x", Data: json.RawMessage(`[1]`), Created: base, Updated: base})
		}},
	}
	for _, tc := range cases {
		if err := tc.fn(); !errors.Is(err, tc.err) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.err)
		}
	}
}
