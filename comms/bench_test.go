package comms_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/comms"
	"github.com/rkat-dev/rkat/internal/realtimetest"
)

// BenchmarkMobMessages is a mob of 50 members in one channel, each sending
// 100 peer messages to the next member, through the real hub on loopback.
// It reports messages/s and the p50/p99 delivery latency (send call to the
// receiver's handler): "burst" sends as fast as acks come back, "paced"
// sends one message per member every 20 ms. The hub's per-connection rate
// limit is raised so that the figures measure the hub, not the limiter.
func BenchmarkMobMessages(b *testing.B) {
	b.Run("burst", func(b *testing.B) { benchMob(b, 0) })
	b.Run("paced", func(b *testing.B) { benchMob(b, 20*time.Millisecond) })
}

func benchMob(b *testing.B, pace time.Duration) {
	const members, perMember = 50, 100
	cfg := realtimetest.Config()
	cfg.Limits.RatePerSecond, cfg.Limits.RateBurst = 1e6, 1e6
	hub := realtimetest.Start(b, cfg)
	n, err := comms.New(comms.Config{URL: hub.URL(), SecretKey: realtimetest.Secret, InboxSize: members * perMember})
	if err != nil {
		b.Fatal(err)
	}
	defer n.Close()

	var (
		mu        sync.Mutex
		latencies []time.Duration
		received  sync.WaitGroup
	)
	peers := make([]*comms.Peer, members)
	for i := range peers {
		p, err := n.Join(context.Background(), comms.Member{Name: fmt.Sprintf("m%02d", i), Channel: "mob/bench"}, func(in comms.Inbound) {
			sent, _ := strconv.ParseInt(in.Body, 10, 64)
			d := time.Since(time.Unix(0, sent))
			mu.Lock()
			latencies = append(latencies, d)
			mu.Unlock()
			received.Done()
		})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		peers[i] = p
	}
	for _, p := range peers { // wait for the whole roster
		for len(p.Peers()) < members-1 {
			time.Sleep(10 * time.Millisecond)
		}
	}
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		received.Add(members * perMember)
		var senders sync.WaitGroup
		for i, p := range peers {
			to := peers[(i+1)%members].Name()
			senders.Add(1)
			go func() {
				defer senders.Done()
				for range perMember {
					if pace > 0 {
						time.Sleep(pace)
					}
					env := comms.Envelope{Kind: comms.KindMessage, Body: strconv.FormatInt(time.Now().UnixNano(), 10)}
					if _, err := p.Send(context.Background(), to, env); err != nil {
						b.Error(err)
						received.Done()
					}
				}
			}()
		}
		senders.Wait()
		received.Wait()
	}
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(latencies)
	b.ReportMetric(float64(members*perMember*b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
}
