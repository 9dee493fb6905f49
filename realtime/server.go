package realtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// Server is the realtime messaging server. Create it with New, mount it as
// an http.Handler (or call Serve), and call Shutdown to end every
// connection, the background sweeper and the writer workers.
type Server struct {
	limits   Limits
	log      *slog.Logger
	auth     atomic.Pointer[authenticator] // replaced by Reload
	history  historyPolicies               // [[channels]], fixed from New
	reloadMu sync.Mutex                    // one Reload at a time
	hub      *hub
	registry *prometheus.Registry
	metrics  *metrics
	mux      *http.ServeMux
	ips      *ipLimiter
	writers  *writers
	// pongFrame is the encoded reply to every application ping; frames are
	// immutable once queued, so one copy serves every connection.
	pongFrame []byte

	draining  atomic.Bool
	framesOut atomic.Int64

	mu     sync.Mutex
	conns  map[*conn]struct{}
	closed bool
	wg     sync.WaitGroup // read loops

	stopSweep    chan struct{}
	sweepDone    chan struct{}
	shutdownOnce sync.Once
}

// New validates cfg and returns a Server with its sweeper and writer
// workers running.
func New(cfg Config) (*Server, error) {
	limits := cfg.Limits.withDefaults()
	auth, err := newAuthenticator(cfg, limits)
	if err != nil {
		return nil, err
	}
	history, err := compileHistory(cfg, limits)
	if err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{
		limits:    limits,
		history:   history,
		log:       log,
		registry:  prometheus.NewRegistry(),
		conns:     map[*conn]struct{}{},
		ips:       &ipLimiter{limit: limits.ConnectsPerIP, window: time.Duration(limits.ConnectWindow), seen: map[string]*ipWindow{}},
		stopSweep: make(chan struct{}),
		sweepDone: make(chan struct{}),
		pongFrame: textFrame([]byte(pongFrame)),
	}
	s.auth.Store(auth)
	s.metrics = newMetrics(s.registry, func() float64 { return float64(s.framesOut.Load()) })
	s.hub = newHub(s)
	if cfg.Cluster.enabled() {
		cc, err := cfg.Cluster.withDefaults()
		if err != nil {
			return nil, err
		}
		if _, err := newNATSBroker(s.hub, cc, log); err != nil {
			return nil, err
		}
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /v1", s.handleWebSocket)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	s.routeREST()
	// One P is left to the read goroutines: while every P runs a writer, the
	// Go scheduler notices a readable socket only on its 10 ms network poll,
	// which would hold up the very publishes the writers fan out.
	s.writers = newWriters(runtime.GOMAXPROCS(0) - 1)
	go s.sweep()
	return s, nil
}

// ErrLimitsChanged reports a Reload whose limits differ from the running
// server's; limits apply from New only.
var ErrLimitsChanged = errors.New("realtime: limits cannot change while the server runs; restart it")

// Reload applies a changed configuration to the running server: publishable
// keys, signing keys, secret keys and apps. Connections whose app is now
// suspended are sent an account_suspended error and closed with 4012;
// connections whose publishable key or signing key was removed, moved to
// another app or (for a signing key) given another secret are sent
// invalid_token and closed with 4001. Lowered connection caps and quotas
// apply to what comes next; nobody else is disconnected. An invalid cfg, or
// one whose Limits or Channels differ, is refused and changes nothing. cfg.Logger is
// ignored.
func (s *Server) Reload(cfg Config) error {
	if cfg.Limits.withDefaults() != s.limits {
		return ErrLimitsChanged
	}
	history, err := compileHistory(cfg, s.limits)
	if err != nil {
		return err
	}
	if !history.equal(s.history) {
		return ErrChannelsChanged
	}
	auth, err := newAuthenticator(cfg, s.limits)
	if err != nil {
		return err
	}
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	s.auth.Store(auth)
	s.hub.reconfigure(auth)
	s.log.Info("configuration reloaded", "keys", len(auth.keys), "signing_keys", len(auth.signing), "secret_keys", len(auth.secrets), "apps", len(auth.apps))
	return nil
}

// ServeHTTP routes /v1 (WebSocket), the REST API and /metrics.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, literalName(r))
}

// Registry returns the server's Prometheus registry.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// Serve accepts connections on ln until ctx is done, then shuts down
// gracefully (bounded by shutdownTimeout) and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener, shutdownTimeout time.Duration) error {
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	_ = hs.Shutdown(sctx)
	err := s.Shutdown(sctx)
	if serveErr == nil {
		serveErr = <-errc
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	return errors.Join(serveErr, err)
}

// Shutdown stops accepting work, sends going_away to every connection,
// lets each outbound queue drain, closes with 1001 and waits for the
// connections to end (forcing them closed when ctx expires). Every publish
// acked before Shutdown is delivered to the subscribers still connected.
func (s *Server) Shutdown(ctx context.Context) error {
	var err error
	s.shutdownOnce.Do(func() {
		s.draining.Store(true)
		s.hub.barrier()
		s.hub.broker.close(true)
		s.mu.Lock()
		s.closed = true
		conns := make([]*conn, 0, len(s.conns))
		for c := range s.conns {
			conns = append(conns, c)
		}
		s.mu.Unlock()
		s.log.Info("shutting down", "connections", len(conns))
		goingAway := textFrame(fmt.Appendf(nil, `{"type":%q,"retryAfterMs":%d}`, wire.TypeGoingAway, time.Duration(s.limits.ShutdownRetryAfter).Milliseconds()))
		for _, c := range conns {
			c.enqueue(goingAway)
			c.closeAfterFlush(wire.CloseGoingAway, "server shutting down")
		}
		done := make(chan struct{})
		go func() {
			s.wg.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-ctx.Done():
			err = fmt.Errorf("realtime: shutdown: %w", ctx.Err())
			for _, c := range conns {
				_ = c.ws.CloseNow()
			}
			<-done
		}
		close(s.stopSweep)
		<-s.sweepDone
		s.writers.close()
		s.log.Info("shut down", "err", err)
	})
	return err
}

// handleWebSocket authenticates, upgrades and welcomes one connection.
func (s *Server) handleWebSocket(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		s.metrics.rejectedUpgrade.WithLabelValues("503").Inc()
		http.Error(w, "server shutting down", http.StatusServiceUnavailable)
		return
	}
	now := time.Now()
	if !s.ips.allow(clientIP(r), now) {
		s.metrics.rejectedUpgrade.WithLabelValues("429").Inc()
		http.Error(w, "too many connection attempts", http.StatusTooManyRequests)
		return
	}
	id, authErr := s.auth.Load().authenticate(r, now)
	c := &conn{srv: s, id: id, entry: wire.PresenceEntry{PeerID: id.peerID, Metadata: id.peerMetadata}}
	hw := &hijackWriter{ResponseWriter: w, timeout: time.Duration(s.limits.WriteTimeout)}
	ws, err := websocket.Accept(hw, r, &websocket.AcceptOptions{
		InsecureSkipVerify: true, // origins are checked per publishable key
		CompressionMode:    websocket.CompressionDisabled,
		OnPongReceived:     func(context.Context, []byte) { c.touch(time.Now()) },
	})
	if err != nil {
		s.log.Debug("websocket accept failed", "err", err)
		return
	}
	ws.SetReadLimit(int64(s.limits.MaxMessageSize + wire.FrameSlack))
	c.ws, c.sock = ws, hw.conn
	if authErr != nil {
		s.refuse(c, authErr.code, authErr.reason)
		return
	}
	welcome, err := encodeFrame(wire.Welcome{
		Type:           wire.TypeWelcome,
		PeerID:         id.peerID,
		ExpiresAt:      id.expiresAt,
		ServerTime:     now.Unix(),
		MaxMessageSize: s.limits.MaxMessageSize,
		Metadata:       id.metadata,
	})
	if err != nil {
		s.refuse(c, wire.ClosePolicyViolation, "cannot encode welcome")
		return
	}
	c.touch(now)
	c.tokens, c.lastFill = float64(s.limits.RateBurst), now
	if !s.track(c) {
		s.refuse(c, wire.CloseGoingAway, "server shutting down")
		return
	}
	if code, reason := s.hub.register(c, welcome); code != 0 {
		s.refuse(c, code, reason)
		s.forget(c)
		return
	}
	if id.expiresAt != nil {
		d := time.Until(time.Unix(*id.expiresAt, 0)) - time.Duration(s.limits.ExpiryCloseAdvance)
		c.expiry = time.AfterFunc(max(d, 0), func() {
			s.hub.detach(c)
			c.closeAfterFlush(wire.CloseTokenExpired, "token expired")
		})
	}
	go c.readLoop()
}

// refuse closes a connection that was never welcomed.
func (s *Server) refuse(c *conn, code int, reason string) {
	s.metrics.closes.WithLabelValues(strconv.Itoa(code)).Inc()
	s.log.Info("connection refused", "code", code, "reason", reason)
	c.mu.Lock()
	c.closing, c.dead = true, true
	c.mu.Unlock()
	_ = c.ws.Close(websocket.StatusCode(code), reason)
	c.wg.Wait()
}

// track records a welcomed connection whose readLoop is about to start; it
// fails once Shutdown has begun.
func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return true
}

// forget is called by a finished readLoop.
func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.wg.Done()
}

// sweep pings connections, drops idle ones and expires per-IP counters.
func (s *Server) sweep() {
	defer close(s.sweepDone)
	t := time.NewTicker(time.Duration(s.limits.PingInterval))
	defer t.Stop()
	for {
		select {
		case <-s.stopSweep:
			return
		case now := <-t.C:
			s.sweepOnce(now)
		}
	}
}

func (s *Server) sweepOnce(now time.Time) {
	s.ips.expire(now)
	if len(s.history) > 0 {
		for _, a := range s.hub.allApps() {
			a.expireHistories(now, s.hub.journal != nil)
		}
	}
	s.mu.Lock()
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	idle := time.Duration(s.limits.IdleTimeout)
	for _, c := range conns {
		if now.Sub(time.Unix(0, c.lastActive.Load())) > idle {
			s.metrics.drops.WithLabelValues("idle").Inc()
			_ = c.ws.CloseNow()
			continue
		}
		c.ping(time.Duration(s.limits.PingInterval))
	}
}

// clientIP is the remote host of r (proxies are not trusted).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// maxTrackedIPs bounds the per-IP limiter's memory; beyond it new addresses
// are not limited until the next expiry sweep.
const maxTrackedIPs = 100000

// ipLimiter counts connection attempts per IP in fixed windows.
type ipLimiter struct {
	limit  int
	window time.Duration

	mu   sync.Mutex
	seen map[string]*ipWindow
}

type ipWindow struct {
	start time.Time
	count int
}

func (l *ipLimiter) allow(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.seen[ip]
	if w == nil || now.Sub(w.start) >= l.window {
		if w == nil && len(l.seen) >= maxTrackedIPs {
			return true
		}
		l.seen[ip] = &ipWindow{start: now, count: 1}
		return true
	}
	if w.count >= l.limit {
		return false
	}
	w.count++
	return true
}

func (l *ipLimiter) expire(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for ip, w := range l.seen {
		if now.Sub(w.start) >= l.window {
			delete(l.seen, ip)
		}
	}
}
