package agentpeer_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/rkat-dev/rkat/agentpeer"
	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/realtime/peer"
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

// BenchmarkVoiceMouthToEar: the added latency of a voice exchange through
// a realtime agent (scripted provider, gpt-realtime-2, SQLite realm,
// loopback WebRTC): a person's microphone track sends 200 ms of a tone in
// 20 ms PCMU packets, then two silent packets back to back; an op is the
// time from the first silent packet (which ends the utterance for the scripted voice activity
// detection) to the first packet with signal on the agent's track (the
// scripted provider echoes the utterance). The path: RTP in, μ-law decode,
// resampling to 24 kHz, the live channel's queue, the provider, the
// bridge's paced AudioSource (20 ms ticks), RTP out.
func BenchmarkVoiceMouthToEar(b *testing.B) {
	srv := realtimetest.Start(b, realtimetest.Config())
	startAgent(b, srv, newRealm(b), func(c *agentpeer.Config) { c.Model = "gpt-realtime-2" })
	s := newSpeaker(b, srv, "erin")
	mic, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMU, ClockRate: 8000, Channels: 1}, "mic", "mic")
	if err != nil {
		b.Fatal(err)
	}
	if err := s.p.AddTrack(mic, nil); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := s.p.Join(ctx, channel, peer.JoinOptions{}); err != nil {
		b.Fatal(err)
	}
	loud, silent := make([]byte, 160), make([]byte, 160)
	for i := range loud {
		loud[i] = peer.MuLawEncode(int16(8000 * math.Sin(2*math.Pi*440*float64(i)/8000)))
		silent[i] = peer.MuLawEncode(0)
	}
	var seq uint16
	send := func(payload []byte) {
		seq++
		pkt := rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seq, Timestamp: uint32(seq) * 160}, Payload: payload}
		if err := mic.WriteRTP(&pkt); err != nil {
			b.Fatal(err)
		}
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	// The agent sees the track once media flows, and answers with its own.
	for timeout := time.After(wait); ; {
		select {
		case <-tick.C:
			send(silent)
			continue
		case <-s.agentTracks:
		case <-timeout:
			b.Fatal("the agent sent no audio track")
		}
		break
	}
	// utterance speaks, sends two silent packets back to back and waits, sending nothing
	// more (the scripted provider echoes everything since the last
	// utterance, silence included), until the agent's answer has been heard
	// and has ended (200 ms without signal); it returns the time from the
	// first silent packet to the first packet with signal.
	utterance := func() time.Duration {
		for range 10 {
			<-tick.C
			send(loud)
		}
		<-tick.C
		drain(s.heard)
		// Both sides pace at 20 ms: a random phase keeps the measurement
		// from locking onto one offset between the two tickers.
		time.Sleep(rand.N(20 * time.Millisecond))
		end := time.Now()
		send(silent) // its first samples still interpolate from the tone
		send(silent)
		var first, last time.Time
		timeout := time.After(wait)
		for {
			select {
			case at := <-s.heard:
				if first.IsZero() {
					first = at
				}
				last = at
			case <-tick.C:
				if !first.IsZero() && time.Since(last) > 200*time.Millisecond {
					return first.Sub(end)
				}
			case <-timeout:
				b.Fatal("no answer heard")
			}
		}
	}
	utterance() // opens the conversation and the live channel
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		lat = append(lat, utterance())
	}
	b.StopTimer()
	reportPercentiles(b, "mouth-to-ear", lat)
}

func drain(c chan time.Time) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}
