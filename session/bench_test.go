package session_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/memory"
	"github.com/rkat-dev/rkat/store/postgres"
	"github.com/rkat-dev/rkat/store/sqlite"
	"github.com/rkat-dev/rkat/tool"
)

// turnsPerSession bounds history growth in the turn benchmarks: after this
// many turns a benchmark moves on to a fresh session.
const turnsPerSession = 20

func benchService(b *testing.B, st store.Store) *session.Service {
	b.Helper()
	svc, err := session.New(context.Background(), session.Config{
		Store: st, Resolver: resolver{scripted.New(scripted.Config{})}, Realm: "bench",
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { svc.Close(); st.Close() })
	return svc
}

func sqliteStore(b *testing.B) store.Store {
	b.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(b.TempDir(), "state.db")})
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// turnLoop runs committed turns while next reports true, starting a new
// session every turnsPerSession turns.
func turnLoop(svc *session.Service, next func() bool) error {
	ctx := context.Background()
	var id string
	for i := 0; next(); i++ {
		if i%turnsPerSession == 0 {
			res, err := svc.Create(ctx, session.CreateRequest{Prompt: text("bench"), Deferred: true})
			if err != nil {
				return err
			}
			id = res.SessionID
		}
		if _, err := svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("hello there")}); err != nil {
			return err
		}
	}
	return nil
}

// benchTurns runs b.N turns from one goroutine, or from every core when
// parallel, each goroutine on its own sessions.
func benchTurns(b *testing.B, st store.Store, parallel bool) {
	svc := benchService(b, st)
	b.ReportAllocs()
	b.ResetTimer()
	if parallel {
		var failed atomic.Bool
		b.RunParallel(func(pb *testing.PB) {
			if err := turnLoop(svc, pb.Next); err != nil {
				failed.Store(true)
			}
		})
		if failed.Load() {
			b.Fatal("a turn failed")
		}
	} else {
		n := 0
		if err := turnLoop(svc, func() bool { n++; return n <= b.N }); err != nil {
			b.Fatal(err)
		}
	}
	reportTurns(b)
}

func reportTurns(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/turn")
}

// BenchmarkTurnMemory measures the per-turn cost of the session service and
// agent loop with the scripted provider and the memory store.
func BenchmarkTurnMemory(b *testing.B) { benchTurns(b, memory.New(), false) }

// BenchmarkTurnMemoryParallel runs turns on independent sessions from every
// core.
func BenchmarkTurnMemoryParallel(b *testing.B) { benchTurns(b, memory.New(), true) }

// BenchmarkTurnSQLite measures committed turns with the SQLite store: every
// turn's rows land in one transaction before Turn returns.
func BenchmarkTurnSQLite(b *testing.B) { benchTurns(b, sqliteStore(b), false) }

// BenchmarkTurnSQLiteParallel runs committed turns on independent sessions
// from every core against one SQLite file.
func BenchmarkTurnSQLiteParallel(b *testing.B) { benchTurns(b, sqliteStore(b), true) }

func postgresStore(b *testing.B) store.Store {
	b.Helper()
	st, err := postgres.Open(context.Background(), postgres.Config{URL: pg.URL(b), Realm: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// benchConcurrent runs b.N committed turns from n goroutines, each on its
// own sessions.
func benchConcurrent(b *testing.B, st store.Store, n int) {
	svc := benchService(b, st)
	var left atomic.Int64
	left.Store(int64(b.N))
	errs := make(chan error, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < n; i++ {
		go func() { errs <- turnLoop(svc, func() bool { return left.Add(-1) >= 0 }) }()
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	reportTurns(b)
}

// BenchmarkTurnShared measures committed turns/s with 1 and 4 sessions
// running at once, on SQLite and on Postgres (a local private cluster from
// internal/pgtest). Every turn claims and releases its session's lease.
func BenchmarkTurnShared(b *testing.B) {
	for _, backend := range []struct {
		name string
		open func(*testing.B) store.Store
	}{{"sqlite", sqliteStore}, {"postgres", postgresStore}} {
		for _, n := range []int{1, 4} {
			b.Run(fmt.Sprintf("%s/sessions=%d", backend.name, n), func(b *testing.B) {
				benchConcurrent(b, backend.open(b), n)
			})
		}
	}
}

// BenchmarkLease measures one Claim plus Release, the lease overhead every
// turn pays.
func BenchmarkLease(b *testing.B) {
	for _, backend := range []struct {
		name string
		open func(*testing.B) store.Store
	}{{"memory", func(*testing.B) store.Store { return memory.New() }}, {"sqlite", sqliteStore}, {"postgres", postgresStore}} {
		b.Run(backend.name, func(b *testing.B) {
			st := backend.open(b)
			defer st.Close()
			ctx := context.Background()
			if err := st.CreateSession(ctx, store.Session{ID: "s1", Realm: "bench"}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				l, err := st.Claim(ctx, "s1", "bench", time.Minute)
				if err != nil {
					b.Fatal(err)
				}
				if err := st.Release(ctx, l); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/claim+release")
		})
	}
}

// BenchmarkIdleSessions holds 10,000 sessions (one completed turn each) in
// one process and reports the heap per idle session after GC. With the
// memory store the figure includes the stored history itself; with SQLite
// it is what the Go heap keeps for sessions that live on disk (SQLite's own
// page cache is bounded per connection and sits outside the Go heap).
func BenchmarkIdleSessions(b *testing.B) {
	const sessions = 10_000
	for _, backend := range []string{"memory", "sqlite"} {
		b.Run(backend, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var st store.Store = memory.New()
				if backend == "sqlite" {
					st = sqliteStore(b)
				}
				before := heapAfterGC()
				svc := benchService(b, st)
				ctx := context.Background()
				for j := 0; j < sessions; j++ {
					if _, err := svc.Create(ctx, session.CreateRequest{Prompt: text(fmt.Sprint("session ", j))}); err != nil {
						b.Fatal(err)
					}
				}
				after := heapAfterGC()
				b.ReportMetric(float64(int64(after)-int64(before))/sessions, "heap-bytes/session")
				runtime.KeepAlive(svc)
				runtime.KeepAlive(st)
			}
		})
	}
}

func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// lookupSchema is the input schema of the source tool of
// BenchmarkSourceToolTurn, of the size MCP servers commonly send.
const lookupSchema = `{"type":"object","properties":{
 "query":{"type":"string","minLength":1,"maxLength":200},
 "limit":{"type":"integer","minimum":1,"maximum":100},
 "sort":{"enum":["asc","desc"]},
 "fields":{"type":"array","items":{"type":"string","pattern":"^[a-z_]+$"}},
 "filter":{"type":"object","properties":{"from":{"type":"string","format":"date"},"to":{"type":"string","format":"date"}},"additionalProperties":false}},
 "required":["query"],"additionalProperties":false}`

// fixedSource is a ToolSource whose tools never change.
type fixedSource struct{ set *tool.Set }

func (f fixedSource) TurnTools(context.Context, string, int) (*tool.Set, []event.Event) {
	return f.set, nil
}

// BenchmarkSourceToolTurn measures turns in which the model calls a tool of
// the session's ToolSource (an MCP server's, in the runtime): the source
// hands out the same set at every boundary, so the tool's schema is
// compiled once, not at every turn.
func BenchmarkSourceToolTurn(b *testing.B) {
	script, err := scripted.Parse([]byte(`{"rules":[{"match":"look it up","responses":[
	  {"tool_calls":[{"name":"lookup","args":{"query":"x","limit":3}}]},{"text":"found"}]}]}`))
	if err != nil {
		b.Fatal(err)
	}
	lookup := tool.Func{Definition: llm.ToolDef{Name: "lookup", InputSchema: json.RawMessage(lookupSchema)},
		Fn: func(context.Context, json.RawMessage) (tool.Result, error) { return tool.TextResult("1 hit"), nil }}
	st := memory.New()
	svc, err := session.New(context.Background(), session.Config{
		Store: st, Resolver: resolver{scripted.New(scripted.Config{Script: script})}, Realm: "bench",
		ToolSource: fixedSource{tool.NewSet(lookup)},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { svc.Close(); st.Close() })
	ctx := context.Background()
	var id string
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%turnsPerSession == 0 {
			res, err := svc.Create(ctx, session.CreateRequest{Prompt: text("bench"), Deferred: true})
			if err != nil {
				b.Fatal(err)
			}
			id = res.SessionID
		}
		res, err := svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("look it up")})
		if err != nil || res.Text != "found" {
			b.Fatalf("turn = %+v, %v", res, err)
		}
	}
}

// BenchmarkStructuredTurn measures turns of a session created with an
// output schema: every run ends with an extraction step validated against
// the schema, which the session compiled once, at Create.
func BenchmarkStructuredTurn(b *testing.B) {
	schema, err := agent.CompileOutputSchema(json.RawMessage(lookupSchema))
	if err != nil {
		b.Fatal(err)
	}
	svc := benchService(b, memory.New())
	ctx := context.Background()
	var id string
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%turnsPerSession == 0 {
			res, err := svc.Create(ctx, session.CreateRequest{Prompt: text("bench"), Deferred: true, OutputSchema: schema})
			if err != nil {
				b.Fatal(err)
			}
			id = res.SessionID
		}
		res, err := svc.Turn(ctx, session.TurnRequest{SessionID: id, Prompt: text("hello there")})
		if err != nil || len(res.StructuredOutput) == 0 {
			b.Fatalf("turn = %+v, %v", res, err)
		}
	}
}
