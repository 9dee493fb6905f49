// Package realtimetest runs the real realtime server on loopback for the
// tests of the packages built on it (the Go clients and the browser
// interop).
package realtimetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	natsserver "github.com/nats-io/nats-server/v2/server"

	"github.com/rkat-dev/rkat/realtime"
	"github.com/rkat-dev/rkat/realtime/rest"
	"github.com/rkat-dev/rkat/realtime/wire"
)

// The credentials of Config.
const (
	Key           = "pk_test"        // publishable key: every channel and permission
	Secret        = "sk_test"        // REST secret key
	Kid           = "k_test"         // signing key id
	SigningSecret = "signing-secret" // its HS256 secret
)

// everything is every permission.
var everything = []string{"subscribe", "publish", "presence", "send"}

// Config returns a server configuration with Key, Secret and the signing
// key Kid, and a per-IP connect limit that tests and benchmarks never reach.
func Config() realtime.Config {
	return realtime.Config{
		Keys:        []realtime.KeyConfig{{Key: Key, Channels: []string{"**"}, Permissions: everything}},
		SigningKeys: []realtime.SigningKeyConfig{{Kid: Kid, Secret: SigningSecret}},
		SecretKeys:  []realtime.SecretKeyConfig{{Key: Secret}},
		Limits:      realtime.Limits{ConnectsPerIP: 1 << 20},
	}
}

// WithHistory returns cfg with history on every channel (200 publications,
// 10 minutes), so that message frames carry the history extension's offset
// and epoch.
func WithHistory(cfg realtime.Config) realtime.Config {
	cfg.Channels = []realtime.ChannelConfig{{Pattern: "**", HistorySize: 200, HistoryTTL: realtime.Duration(10 * time.Minute)}}
	return cfg
}

// Server is the real realtime server on a fixed loopback address, so that a
// test can restart it under connected clients.
type Server struct {
	tb     testing.TB
	cfg    realtime.Config
	addr   string
	cancel context.CancelFunc
	done   chan struct{}
}

// Start serves cfg on a free loopback port until the test ends.
func Start(tb testing.TB, cfg realtime.Config) *Server {
	tb.Helper()
	s := &Server{tb: tb, cfg: cfg, addr: "127.0.0.1:0"}
	s.serve()
	tb.Cleanup(s.stop)
	return s
}

// URL is the server's ws:// origin.
func (s *Server) URL() string { return "ws://" + s.addr }

// HTTPURL is the server's http:// origin.
func (s *Server) HTTPURL() string { return "http://" + s.addr }

// Restart shuts the server down gracefully (going_away, close 1001) and
// serves again on the same address.
func (s *Server) Restart() {
	s.tb.Helper()
	s.stop()
	s.serve()
}

func (s *Server) serve() {
	s.tb.Helper()
	srv, err := realtime.New(s.cfg)
	if err != nil {
		s.tb.Fatal(err)
	}
	var ln net.Listener
	for range 50 { // the old socket may linger briefly after a restart
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		_ = srv.Shutdown(context.Background())
		s.tb.Fatal(err)
	}
	s.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		if err := srv.Serve(ctx, ln, 2*time.Second); err != nil {
			s.tb.Errorf("realtime server: %v", err)
		}
	}()
}

func (s *Server) stop() {
	if s.cancel != nil {
		s.cancel()
		<-s.done
		s.cancel = nil
	}
}

// Mint asks the server's REST API for a token for sub with every channel and
// permission, living ttl.
func (s *Server) Mint(ctx context.Context, sub string, ttl time.Duration) (string, error) {
	return MintAt(ctx, s.HTTPURL(), wire.MintRequest{Sub: sub, Channels: []string{"**"}, Permissions: everything, TTLSeconds: int64(ttl / time.Second)})
}

// MintAt mints req with Secret at the REST API of the server at httpURL
// (an address read once, so it also serves while the server restarts).
func MintAt(ctx context.Context, httpURL string, req wire.MintRequest) (string, error) {
	out, err := rest.MintToken(ctx, nil, httpURL, Secret, req)
	return out.Token, err
}

// PublishAt publishes data to channel as "server" through the REST API of
// the server at httpURL and returns the HTTP status.
func PublishAt(ctx context.Context, httpURL, channel string, data json.RawMessage) (int, error) {
	body, err := json.Marshal(map[string]json.RawMessage{"data": data})
	if err != nil {
		return 0, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, httpURL+"/v1/channels/"+channel, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	hreq.Header.Set("Authorization", "Bearer "+Secret)
	resp, err := http.DefaultClient.Do(hreq)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// Sign signs a token for sub with every channel and permission, living ttl,
// with the signing key of Config; it needs no server, so it works while one
// restarts.
func Sign(sub string, ttl time.Duration) (string, error) {
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": sub, "exp": time.Now().Add(ttl).Unix(), "channels": []string{"**"}, "permissions": everything,
	})
	tok.Header["kid"] = Kid
	return tok.SignedString([]byte(SigningSecret))
}

// StartCluster serves cfg on n nodes joined through one NATS server on
// loopback (started here), until the test ends.
func StartCluster(tb testing.TB, cfg realtime.Config, n int) []*Server {
	tb.Helper()
	ns, err := natsserver.NewServer(&natsserver.Options{Host: "127.0.0.1", Port: -1, NoSigs: true, NoLog: true})
	if err != nil {
		tb.Fatal(err)
	}
	ns.Start()
	tb.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() }) // after the nodes' cleanups
	if !ns.ReadyForConnections(10 * time.Second) {
		tb.Fatal("nats did not start")
	}
	nodes := make([]*Server, n)
	for i := range nodes {
		c := cfg
		c.Cluster = realtime.ClusterConfig{NATSURL: ns.ClientURL(), NodeName: fmt.Sprintf("node%d", i+1)}
		nodes[i] = Start(tb, c)
	}
	return nodes
}

// Proxy is a loopback TCP proxy to a server whose connections a test can
// cut, to disconnect clients without the server noticing anything but a
// dropped socket.
type Proxy struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	refuse  bool
	pairs   sync.WaitGroup
	stopped chan struct{}
}

// StartProxy forwards a loopback port to the server s until the test ends.
func StartProxy(tb testing.TB, s *Server) *Proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{ln: ln, target: s.addr, conns: map[net.Conn]struct{}{}, stopped: make(chan struct{})}
	go p.accept()
	tb.Cleanup(func() {
		_ = ln.Close()
		<-p.stopped
		p.Cut(true)
		p.pairs.Wait()
	})
	return p
}

// URL is the proxy's ws:// origin.
func (p *Proxy) URL() string { return "ws://" + p.ln.Addr().String() }

// Cut closes every proxied connection; while refuse is set, new ones are
// closed as soon as they are accepted.
func (p *Proxy) Cut(refuse bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = refuse
	for c := range p.conns {
		_ = c.Close()
	}
}

// Allow lets connections through again.
func (p *Proxy) Allow() {
	p.mu.Lock()
	p.refuse = false
	p.mu.Unlock()
}

func (p *Proxy) accept() {
	defer close(p.stopped)
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		out, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = in.Close()
			continue
		}
		p.mu.Lock()
		refuse := p.refuse
		if !refuse {
			p.conns[in], p.conns[out] = struct{}{}, struct{}{}
		}
		p.mu.Unlock()
		if refuse {
			_ = in.Close()
			_ = out.Close()
			continue
		}
		p.pairs.Add(2)
		go p.pipe(in, out)
		go p.pipe(out, in)
	}
}

// pipe copies src to dst until either fails, then closes both.
func (p *Proxy) pipe(dst, src net.Conn) {
	defer p.pairs.Done()
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = src.Close()
	p.mu.Lock()
	delete(p.conns, dst)
	delete(p.conns, src)
	p.mu.Unlock()
}
