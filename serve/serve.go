package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rkat-dev/rkat/comms"
	"github.com/rkat-dev/rkat/host"
	"github.com/rkat-dev/rkat/internal/randhex"
	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/realm"
	"github.com/rkat-dev/rkat/realtime"
	"github.com/rkat-dev/rkat/rpc/server"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/web"
)

// Config configures a Server.
type Config struct {
	// File is the parsed rkat.toml, or Default().
	File File
	// StateRoot holds the realm's SQLite file ("" means $RKAT_STATE_ROOT,
	// else ~/.rkat).
	StateRoot string
	// Store is a shared store URL (postgres://...); "" means
	// $RKAT_STORE_URL, else the file's [store] url, else the SQLite file.
	Store string
	// Resolver chooses providers and models for every session. Required.
	Resolver *providers.Resolver
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// ProjectDir and UserDir are the parents of the project's and the
	// user's .rkat directories, whose mcp.toml, hooks.toml and skills/ the
	// sessions use ("" reads none of that side). Their builtin tools stay
	// off: /rpc clients are remote.
	ProjectDir, UserDir string
}

// Server is one `rkat serve` process: the realtime server, the JSON-RPC
// endpoint, metrics, health and the console on one HTTP handler.
type Server struct {
	cfg   Config
	log   *slog.Logger
	realm realm.Realm
	host  *host.Host
	svc   *session.Service
	rt    *realtime.Server
	rpc   *server.Server
	mux   *http.ServeMux

	metrics   *metrics
	gatherers prometheus.Gatherers
	agents    agents
	// internalKey is a secret key known only to this process, with which
	// the agents mint their tokens.
	internalKey string
	// hubURL is this server's own /v1 on loopback, known once listening:
	// the only hub agent/join over /rpc may join.
	hubURL atomic.Pointer[string]

	ready    atomic.Bool
	draining atomic.Bool

	// rpcCtx is every RPC connection's context; cancelling it interrupts
	// what still runs and closes the connections with 1001.
	rpcCtx    context.Context
	rpcCancel context.CancelFunc
	connMu    sync.Mutex
	connsDone bool
	open      int // RPC connections open (and being opened), also rkat_serve_rpc_connections
	conns     sync.WaitGroup
	closeOnce sync.Once
}

// New opens the realm's store and session service and builds the handlers.
// Call Serve to run it; Serve also releases what New opened. Close releases
// it when Serve is never called.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Resolver == nil {
		return nil, fmt.Errorf("%w: a Resolver is required", ErrConfig)
	}
	if err := cfg.File.validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	r, err := realm.Resolve(realm.Options{StateRoot: cfg.StateRoot, Name: cfg.File.realm(), Store: cfg.Store, ConfigStore: cfg.File.Store.URL})
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, realm: r, mux: http.NewServeMux()}
	rtCfg := cfg.File.Config
	rtCfg.Logger = cfg.Logger
	s.internalKey = "sk_internal_" + randhex.String(24)
	rtCfg.SecretKeys = append(slices.Clone(rtCfg.SecretKeys), realtime.SecretKeyConfig{Key: s.internalKey})
	if len(rtCfg.SigningKeys) == 0 && len(cfg.File.Agents) > 0 {
		rtCfg.SigningKeys = []realtime.SigningKeyConfig{{Kid: "rkat-serve-internal", Secret: randhex.String(32)}}
	}
	if s.rt, err = realtime.New(rtCfg); err != nil {
		return nil, err
	}
	s.rpcCtx, s.rpcCancel = context.WithCancel(context.Background())
	s.host, err = host.New(host.Config{Realm: r, Resolver: cfg.Resolver, ProjectDir: cfg.ProjectDir, UserDir: cfg.UserDir,
		Comms: comms.Config{Origin: s.hubOrigin, SecretKey: s.internalKey}, Logger: cfg.Logger})
	if err != nil {
		s.Close()
		return nil, err
	}
	if s.svc, _, err = s.host.Open(ctx); err != nil {
		s.Close()
		return nil, err
	}
	rpcCfg := s.host.ServerConfig()
	rpcCfg.AgentURL = s.agentURL // agent/join only to this server's hub
	// HookOverrides stays off: /rpc clients must not run commands here.
	if s.rpc, err = server.New(rpcCfg); err != nil {
		s.Close()
		return nil, err
	}
	reg := prometheus.NewRegistry()
	s.metrics = newMetrics(reg, s.svc, s.openRPC)
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.gatherers = prometheus.Gatherers{reg, s.rt.Registry()}
	s.route()
	return s, nil
}

func (s *Server) route() {
	s.mux.Handle("/v1", s.rt)
	s.mux.Handle("/v1/", s.rt)
	s.mux.HandleFunc("GET /rpc", s.handleRPC)
	s.mux.HandleFunc("GET /metrics", s.withSecret(promhttp.HandlerFor(s.gatherers, promhttp.HandlerOpts{}).ServeHTTP))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	s.mux.HandleFunc("GET /readyz", s.handleReady)
	s.mux.HandleFunc("GET /agents", s.withSecret(s.handleAgents))
	s.mux.Handle("/", web.Handler())
}

// ServeHTTP routes every endpoint of the process.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Realm is the realm the sessions live in.
func (s *Server) Realm() realm.Realm { return s.realm }

func (s *Server) handleReady(w http.ResponseWriter, _ *http.Request) {
	switch {
	case s.draining.Load():
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
	case !s.ready.Load():
		http.Error(w, "starting", http.StatusServiceUnavailable)
	default:
		_, _ = io.WriteString(w, "ready\n")
	}
}

// withSecret admits requests carrying a secret key.
func (s *Server) withSecret(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cred, err := s.rt.Credential(r)
		if err != nil || !cred.Secret {
			realtime.WriteError(w, http.StatusUnauthorized, "unauthorized", "a secret key is required (Authorization: Bearer sk_...)")
			return
		}
		h(w, r)
	}
}

// Serve accepts connections on ln until ctx ends, then shuts down
// gracefully: new RPC connections are refused and /readyz fails, running
// turns get the [serve] shutdown_grace to finish, what still runs is
// interrupted (its committed rows stay), RPC connections close with 1001
// and realtime clients get going_away then 1001. It closes the store before
// it returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	hub := "ws://" + loopbackAddr(ln.Addr()) + "/v1"
	s.hubURL.Store(&hub)
	if err := s.startAgents(hub); err != nil {
		_ = hs.Close()
		<-errc
		s.Close()
		return err
	}
	s.ready.Store(true)
	s.log.Info("serving", "addr", ln.Addr().String(), "realm", s.realm.Name)
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	err := s.shutdown(hs)
	if serveErr == nil {
		serveErr = <-errc
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	return errors.Join(serveErr, err)
}

// shutdown runs the graceful shutdown described at Serve.
func (s *Server) shutdown(hs *http.Server) error {
	grace := s.cfg.File.grace()
	s.draining.Store(true)
	deadline := time.Now().Add(grace)
	s.log.Info("shutting down", "running_turns", s.svc.Running(), "grace", grace)
	hctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	_ = hs.Shutdown(hctx) // closes the listener; upgraded connections are ours
	for s.svc.Running() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := s.svc.Running(); n > 0 {
		s.log.Warn("interrupting turns still running after the grace period", "turns", n)
	}
	_ = s.host.Schedules().Close() // a delivery cut short stays claimed for the realm's next process
	s.stopAgents()
	s.connMu.Lock()
	s.connsDone = true
	s.connMu.Unlock()
	s.rpcCancel()
	s.conns.Wait()
	rctx, rcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer rcancel()
	err := s.rt.Shutdown(rctx)
	s.Close()
	s.log.Info("shut down")
	return err
}

// Close interrupts running turns, ends the realtime server and closes the
// store. Serve calls it; call it directly only for a Server never served.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.rpcCancel()
		if s.host != nil {
			s.host.Close()
		}
		_ = s.rt.Shutdown(context.Background())
	})
}

// hubOrigin is this server's own origin on loopback, the hub of the comms
// peers and mobs of /rpc's sessions, so people in the console can join
// their channels.
func (s *Server) hubOrigin() (string, error) {
	hub, err := s.agentURL("")
	return strings.TrimSuffix(hub, "/v1"), err
}

// agentURL lets agent/join over /rpc join only this server's own hub: a
// client holding the rpc permission must not make the server dial (and
// send keys to) an address of its choosing. An empty URL means this hub.
func (s *Server) agentURL(requested string) (string, error) {
	hub := s.hubURL.Load()
	if hub == nil {
		return "", errors.New("the server is not listening yet")
	}
	if requested != "" && requested != *hub {
		return "", fmt.Errorf("agents join only this server's hub (%s)", *hub)
	}
	return *hub, nil
}
