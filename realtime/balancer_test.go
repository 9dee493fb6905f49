package realtime

import (
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Bounds of a test balancer: connections open at once (beyond it a new
// one is closed at accept), and the wait for one backend's dial.
const (
	maxBalanced    = 64
	balancerDialTO = time.Second
)

// balancer is a TCP load balancer on loopback, as users put in front of
// several nodes: each accepted connection is piped byte for byte (so a
// WebSocket goes through it) to the next backend, round robin, that
// accepts a dial; a backend that refuses is skipped. With every backend
// refusing, the connection is closed. One goroutine accepts and dials, in
// order, so the i-th connection goes to the i-th live backend; two
// goroutines pipe each connection. All of them end with the test.
type balancer struct {
	ln       net.Listener
	backends []string
	next     int // the backend to try first; owned by accept

	mu    sync.Mutex
	conns map[net.Conn]struct{} // both ends of every open pair
	pipes sync.WaitGroup
	done  chan struct{} // accept returned
}

// startBalancer balances a loopback port over backends (host:port) until
// the test ends.
func startBalancer(t testing.TB, backends ...string) *balancer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &balancer{ln: ln, backends: backends, conns: map[net.Conn]struct{}{}, done: make(chan struct{})}
	go b.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		<-b.done
		b.mu.Lock()
		for c := range b.conns {
			_ = c.Close()
		}
		b.mu.Unlock()
		b.pipes.Wait()
	})
	return b
}

// URL is the balancer's ws:// origin.
func (b *balancer) URL() string { return "ws://" + b.ln.Addr().String() }

func (b *balancer) accept() {
	defer close(b.done)
	for {
		in, err := b.ln.Accept()
		if err != nil {
			return
		}
		b.mu.Lock()
		full := len(b.conns)/2 >= maxBalanced
		b.mu.Unlock()
		var out net.Conn
		if !full {
			out = b.dial()
		}
		if out == nil {
			_ = in.Close()
			continue
		}
		b.mu.Lock()
		b.conns[in], b.conns[out] = struct{}{}, struct{}{}
		b.mu.Unlock()
		b.pipes.Add(2)
		go b.pipe(in, out)
		go b.pipe(out, in)
	}
}

// dial connects to the first backend, from next on, that accepts, and
// moves next past it; nil when none does.
func (b *balancer) dial() net.Conn {
	for range b.backends {
		addr := b.backends[b.next]
		b.next = (b.next + 1) % len(b.backends)
		if c, err := net.DialTimeout("tcp", addr, balancerDialTO); err == nil {
			return c
		}
	}
	return nil
}

// pipe copies src to dst until either fails, then closes both, so that a
// backend that dies takes its client's connection with it.
func (b *balancer) pipe(dst, src net.Conn) {
	defer b.pipes.Done()
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = src.Close()
	b.mu.Lock()
	delete(b.conns, dst)
	delete(b.conns, src)
	b.mu.Unlock()
}

// TestBalancer: connections go round robin to the backends that accept,
// skipping one that refuses, and a WebSocket session works through them.
func TestBalancer(t *testing.T) {
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := probe.Addr().String()
	_ = probe.Close()
	a, aws, _ := startServer(t, testConfig())
	b, bws, _ := startServer(t, testConfig())
	lb := startBalancer(t, strings.TrimPrefix(aws, "ws://"), dead, strings.TrimPrefix(bws, "ws://"))
	conns := func(s *Server) int {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.conns)
	}
	for i, want := range [][2]int{{1, 0}, {1, 1}, {2, 1}} {
		c, _ := dialKey(t, lb.URL(), testKey)
		c.alive()
		if got := [2]int{conns(a), conns(b)}; got != want {
			t.Fatalf("after connection %d: connections per backend %v, want %v", i+1, got, want)
		}
	}
}
