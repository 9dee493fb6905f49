package schedule

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/procstat"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/sqlite"
)

// benchSchedules is the number of active schedules of the benchmarks; each
// fires every 100 s, their starts 10 ms apart, so 100 fall due per second.
const benchSchedules = 10_000

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// createBench creates the schedules, targets spread over sessions.
func createBench(b *testing.B, s *Service, base time.Time, sessions []string) []string {
	b.Helper()
	ctx := context.Background()
	horizon := uint32(8)
	ids := make([]string, 0, benchSchedules)
	for i := range benchSchedules {
		sid := "s"
		if len(sessions) > 0 {
			sid = sessions[i%len(sessions)]
		}
		rec, err := s.Create(ctx, CreateRequest{
			Trigger:                    json.RawMessage(fmt.Sprintf(`{"type":"interval","start_at_utc":%q,"every_seconds":100}`, base.Add(time.Duration(i)*10*time.Millisecond).Format(time.RFC3339Nano))),
			Target:                     sessionTarget(sid, "scheduled work"),
			OverlapPolicy:              ptr(OverlapAllowConcurrent),
			PlanningHorizonOccurrences: &horizon,
		})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, rec.ScheduleID)
	}
	return ids
}

// planMinutes is the schedule time BenchmarkPlanner10k plans: long enough
// for every schedule to be replanned several times (each refills when half
// of its 8 planned occurrences, 400 s, have passed).
const planMinutes = 20

// BenchmarkPlanner10k plans 20 minutes of schedule time for 10,000 active
// schedules on SQLite, on an injected clock in 1 s steps (the executor's
// planning pass, without deliveries), and reports the cost per minute.
func BenchmarkPlanner10k(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(b.TempDir(), "state.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	clk := &clock{t: t0}
	s, err := New(Config{Store: st, Now: clk.Now, PlanBatch: benchSchedules})
	if err != nil {
		b.Fatal(err)
	}
	createBench(b, s, t0.Add(time.Second), nil)
	heap0 := heapInUse()
	b.ResetTimer()
	for range b.N {
		cpu0, wall0 := cpuTime(), time.Now()
		for range planMinutes * 60 {
			clk.add(time.Second)
			if err := s.planDue(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/planMinutes, "cpu-ms/min")
		b.ReportMetric(float64(time.Since(wall0).Milliseconds())/planMinutes, "wall-ms/min")
	}
	b.StopTimer()
	b.ReportMetric(float64(heapInUse())/(1<<20), "heap-MiB")
	b.ReportMetric(float64(heap0)/(1<<20), "heap-MiB-before")
}

// BenchmarkDispatch10k runs the executor in real time over 10,000 active
// schedules (100 due per second, each a scripted turn on one of 100
// sessions) for 30 s and reports the delay from due time to dispatch.
func BenchmarkDispatch10k(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(b.TempDir(), "state.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := newRig(b, st, &clock{}, "bench")
	r.sched.cfg.Now = time.Now
	var sessions []string
	for range 100 {
		sessions = append(sessions, r.session(b))
	}
	base := time.Now().Add(20 * time.Second) // creating the schedules takes about 10 s
	ids := createBench(b, r.sched, base, sessions)
	if late := time.Since(base); late > 0 {
		b.Logf("creating the schedules overran the first due time by %s", late)
	}
	b.ResetTimer()
	for range b.N {
		begin := time.Now()
		cpu0 := cpuTime()
		r.sched.Start()
		window := 30 * time.Second
		time.Sleep(time.Until(base.Add(window)))
		cpu, elapsed := cpuTime()-cpu0, time.Since(begin)
		r.sched.Close()
		from, until := begin.Add(time.Second), base.Add(window)
		if from.Before(base) {
			from = base
		}
		var delays []time.Duration
		for _, id := range ids {
			occs, err := r.sched.Occurrences(ctx, id, true)
			if err != nil {
				b.Fatal(err)
			}
			for _, o := range occs {
				if o.DispatchedAt != nil && o.DueAt.After(from) && o.DueAt.Before(until) {
					delays = append(delays, o.DispatchedAt.Sub(o.DueAt))
				}
			}
		}
		slices.Sort(delays)
		if len(delays) == 0 {
			b.Fatal("nothing dispatched")
		}
		pct := func(p float64) float64 { return float64(delays[int(p*float64(len(delays)-1))].Microseconds()) / 1000 }
		b.ReportMetric(float64(len(delays))/until.Sub(from).Seconds(), "dispatched/s")
		b.ReportMetric(pct(0.5), "p50-ms")
		b.ReportMetric(pct(0.99), "p99-ms")
		b.ReportMetric(float64(delays[len(delays)-1].Milliseconds()), "max-ms")
		b.ReportMetric(float64(cpu.Milliseconds())*60/elapsed.Seconds(), "cpu-ms/min")
		if rss, err := procstat.RSSKB(os.Getpid()); err == nil {
			b.ReportMetric(float64(rss)/1024, "rss-MiB")
		}
	}
}

// BenchmarkPlanCron plans 64 occurrences of a cron schedule in a time zone
// with DST: the zone is loaded and the expression parsed once per plan, not
// once per occurrence.
func BenchmarkPlanCron(b *testing.B) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	r := Record{Phase: store.SchedulePhaseActive, scheduleDoc: scheduleDoc{
		MisfirePolicy: Misfire{Type: MisfireSkip}, PlanningHorizonDays: 30, PlanningHorizonOccurrences: 64,
	}}
	if err := r.apply(CreateRequest{Trigger: json.RawMessage(`{"type":"cron","expression":"*/15 9-17 * * MON-FRI","timezone":"America/New_York"}`)}, now); err != nil {
		b.Fatal(err)
	}
	s := &Service{}
	b.ReportAllocs()
	for b.Loop() {
		rec := r
		out, _, err := s.plan(context.Background(), &rec, now, true)
		if err != nil || len(out) != 64 {
			b.Fatalf("planned %d, %v", len(out), err)
		}
	}
}
