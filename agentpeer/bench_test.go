package agentpeer_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agentpeer"
	"github.com/rkat-dev/rkat/internal/realtimetest"
)

// unthrottled lifts the agent's send rate and fastServer the server's
// per-connection rate, so that a benchmark measures the path, not the
// throttle.
func unthrottled(c *agentpeer.Config) { c.MessageRate, c.MessageBurst = 1e6, 1e6 }

func fastServer(b *testing.B) *realtimetest.Server {
	cfg := realtimetest.Config()
	cfg.Limits.RatePerSecond, cfg.Limits.RateBurst = 1e6, 1e6
	return realtimetest.Start(b, cfg)
}

// BenchmarkFirstDelta: a prompt published to the channel, to the first
// chat.delta of the answer at the publisher, scripted provider, SQLite realm,
// loopback. The channel conversation grows by two rows per prompt.
func BenchmarkFirstDelta(b *testing.B) {
	srv := fastServer(b)
	r := newRealm(b)
	startAgent(b, srv, r, unthrottled)
	p := join(b, srv, "", nil)
	p.publish("warm up") // creates the conversation's session
	p.next()
	first := make([]time.Duration, 0, b.N)
	whole := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		p.publish(fmt.Sprintf("prompt %d", i))
		a := p.next()
		if len(a.deltas) == 0 {
			b.Fatalf("answer without deltas: %+v", a.end)
		}
		first = append(first, a.deltas[0].At.Sub(start))
		whole = append(whole, a.end.At.Sub(start))
	}
	b.StopTimer()
	reportPercentiles(b, "first-delta", first)
	reportPercentiles(b, "answer", whole)
}

// BenchmarkConversations100: 100 people, each in a direct conversation with
// one agent, send a prompt at the same moment; an op ends when all 100
// answers are complete. first-message is the first delta, or the answer
// when throttling folded every delta into it. "default-limits" keeps the agent's own send rate (40/s,
// burst 80) and the server's limits; "unthrottled" lifts both.
func BenchmarkConversations100(b *testing.B) {
	for _, throttled := range []bool{true, false} {
		name := map[bool]string{true: "default-limits", false: "unthrottled"}[throttled]
		b.Run(name, func(b *testing.B) {
			const n = 100
			var srv *realtimetest.Server
			var edit func(*agentpeer.Config)
			if throttled {
				srv = realtimetest.Start(b, realtimetest.Config())
			} else {
				srv = fastServer(b)
				edit = unthrottled
			}
			r := newRealm(b)
			ag := startAgent(b, srv, r, func(c *agentpeer.Config) {
				if edit != nil {
					edit(c)
				}
				c.MaxConversations = n
			})
			people := make([]*person, n)
			for i := range people {
				people[i] = join(b, srv, "", nil)
			}
			var first, whole []time.Duration
			var mu sync.Mutex
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				var wg sync.WaitGroup
				for i, p := range people {
					wg.Go(func() {
						if err := p.trySend(ag.peerID, fmt.Sprintf("hello from %d", i)); err != nil {
							b.Error(err)
							return
						}
						a, err := p.await()
						if err != nil || a.end.Type != agentpeer.TypeChat {
							b.Errorf("person %d: %+v, %v", i, a.end, err)
							return
						}
						firstAt := a.end.At // throttled: the deltas may all fold into the answer
						if len(a.deltas) > 0 {
							firstAt = a.deltas[0].At
						}
						mu.Lock()
						first = append(first, firstAt.Sub(start))
						whole = append(whole, a.end.At.Sub(start))
						mu.Unlock()
					})
				}
				wg.Wait()
			}
			b.StopTimer()
			reportPercentiles(b, "first-message", first)
			reportPercentiles(b, "answer", whole)
		})
	}
}

// reportPercentiles reports p50 and p99 of ds in milliseconds.
func reportPercentiles(b *testing.B, name string, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	at := func(q float64) float64 { return float64(ds[int(q*float64(len(ds)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(at(0.50), name+"-p50-ms")
	b.ReportMetric(at(0.99), name+"-p99-ms")
}
