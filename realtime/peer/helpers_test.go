package peer

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/realtime"
	"github.com/rkat-dev/rkat/realtime/signalling"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	testKey    = "pk_test_peer"
	testSecret = "sk_test_peer"
)

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

// testServer is the real realtime server on a fixed loopback address, so it
// can be stopped and started again under connected clients.
type testServer struct {
	tb     testing.TB
	addr   string
	cancel context.CancelFunc
	done   chan struct{}
}

func startTestServer(tb testing.TB) *testServer {
	tb.Helper()
	ts := &testServer{tb: tb, addr: "127.0.0.1:0"}
	ts.start()
	tb.Cleanup(ts.stop)
	return ts
}

func (ts *testServer) start() {
	ts.tb.Helper()
	srv, err := realtime.New(realtime.Config{
		Keys:        []realtime.KeyConfig{{Key: testKey, Channels: []string{"**"}, Permissions: []string{"subscribe", "publish", "presence", "send"}}},
		SigningKeys: []realtime.SigningKeyConfig{{Kid: "sk_id_test", Secret: "signing-secret"}},
		SecretKeys:  []realtime.SecretKeyConfig{{Key: testSecret}},
		Limits:      realtime.Limits{ConnectsPerIP: 1 << 20}, // benchmarks connect often
	})
	if err != nil {
		ts.tb.Fatal(err)
	}
	var ln net.Listener
	for range 50 { // the old socket may linger briefly after a restart
		if ln, err = net.Listen("tcp", ts.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		ts.tb.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	ts.cancel = cancel
	ts.done = make(chan struct{})
	go func() {
		defer close(ts.done)
		_ = srv.Serve(ctx, ln, 2*time.Second)
	}()
}

func (ts *testServer) stop() {
	if ts.cancel != nil {
		ts.cancel()
		<-ts.done
		ts.cancel = nil
	}
}

func (ts *testServer) URL() string { return "ws://" + ts.addr }

// mint asks the server's REST API for a JWT with a stable sub.
func (ts *testServer) mint(ctx context.Context, sub string) (string, error) {
	body, _ := json.Marshal(realtime.MintRequest{Sub: sub, Channels: []string{"**"}, Permissions: []string{"subscribe", "publish", "presence", "send"}})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+ts.addr+"/v1/tokens", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+testSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out realtime.MintResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", err
	}
	return out.Token, nil
}

// jwtProvider signs a fresh token for sub locally on every call, so it keeps
// working while the server is down.
func jwtProvider(sub string) signalling.TokenProvider {
	return func(context.Context) (string, error) {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
			"sub": sub, "exp": time.Now().Add(time.Hour).Unix(),
			"channels": []string{"**"}, "permissions": []string{"subscribe", "publish", "presence", "send"},
		})
		tok.Header["kid"] = "sk_id_test"
		return tok.SignedString([]byte("signing-secret"))
	}
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
