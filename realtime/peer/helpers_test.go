package peer

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/realtime/signalling"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testKey is the publishable key of realtimetest.Config.
const testKey = realtimetest.Key

// startTestServer runs the real realtime server for a test or benchmark.
func startTestServer(tb testing.TB) *realtimetest.Server {
	tb.Helper()
	return realtimetest.Start(tb, realtimetest.Config())
}

// loopbackAPI restricts ICE to IPv4 host candidates on the loopback
// interface: fast, deterministic negotiation for tests and benchmarks. A
// non-nil mux carries every connection of the API on one socket.
func loopbackAPI(tb testing.TB, mux ...ice.UDPMux) *webrtc.API {
	tb.Helper()
	se := &webrtc.SettingEngine{}
	se.SetInterfaceFilter(func(name string) bool { return name == "lo" })
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	for _, m := range mux {
		se.SetICEUDPMux(m)
	}
	api, err := NewAPI(se)
	if err != nil {
		tb.Fatal(err)
	}
	return api
}

// jwtProvider signs a fresh token for sub locally on every call, so it keeps
// working while the server restarts.
func jwtProvider(sub string) signalling.TokenProvider {
	return func(context.Context) (string, error) { return realtimetest.Sign(sub, time.Hour) }
}

// fastReconnect keeps reconnect tests short.
func fastReconnect(initial time.Duration) *signalling.ReconnectOptions {
	return &signalling.ReconnectOptions{InitialDelay: initial, Multiplier: 1.5, MaxDelay: 300 * time.Millisecond, MaxAttempts: 100}
}

// newTestPeer creates a Peer on the loopback API, closed at cleanup.
func newTestPeer(tb testing.TB, sc signalling.Config) *Peer {
	tb.Helper()
	p, err := New(Config{Signalling: sc, API: loopbackAPI(tb)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = p.Close() })
	return p
}

// twoPeers starts the server and two peers with the publishable key. Work
// started on wg ends with ctx (30 s at most) before the test's cleanups.
func twoPeers(t *testing.T) (context.Context, *sync.WaitGroup, *Peer, *Peer) {
	t.Helper()
	srv := startTestServer(t)
	a := newTestPeer(t, signalling.Config{URL: srv.URL(), Key: testKey})
	b := newTestPeer(t, signalling.Config{URL: srv.URL(), Key: testKey})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	wg := &sync.WaitGroup{}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	return ctx, wg, a, b
}

// next waits up to 15 s for an event of s matching pred.
func next[E any](tb testing.TB, s *signalling.Stream[E], pred func(E) bool) E {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		ev, err := s.Next(ctx)
		if err != nil {
			tb.Fatalf("waiting for %T: %v", ev, err)
		}
		if pred == nil || pred(ev) {
			return ev
		}
	}
}
