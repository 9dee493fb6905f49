// Package rpccmd is the rkat-rpc program, shared by the rkat-rpc binary and
// `rkat rpc`: flag parsing, realm selection and the JSON-RPC server over
// stdin/stdout. stdout carries protocol lines only and stderr stays quiet
// unless start-up fails; diagnostics go to --log-file.
package rpccmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/rkat-dev/rkat/comms"
	"github.com/rkat-dev/rkat/hook"
	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/realm"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/server"
	"github.com/rkat-dev/rkat/schedule"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/skill"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/blob"
	"github.com/rkat-dev/rkat/tool"
	"github.com/rkat-dev/rkat/tool/builtin"
	"github.com/rkat-dev/rkat/tool/mcp"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

type options struct {
	realm, instance, stateRoot, backend string
	store                               string
	leaseTTL                            time.Duration
	contextRoot, userConfigRoot         string
	isolated, liveWebRTC                bool
	liveWS, liveWSScheme                string
	logFile, logLevel                   string
	realtimeURL                         string
	scheduleLease                       time.Duration
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := pflag.NewFlagSet("rkat-rpc", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.realm, "realm", "", "join or create a named realm (shared durable state)")
	fs.BoolVar(&o.isolated, "isolated", false, "use a fresh realm of its own (the default)")
	fs.StringVar(&o.instance, "instance", "", "instance id inside the realm")
	fs.StringVar(&o.stateRoot, "state-root", "", "state directory (default $RKAT_STATE_ROOT or ~/.rkat)")
	fs.StringVar(&o.backend, "realm-backend", realm.BackendSQLite, "storage backend of the realm: sqlite or memory")
	fs.StringVar(&o.store, "store", "", "shared store URL (postgres://...; default $RKAT_STORE_URL, else [store] url of config.toml)")
	fs.DurationVar(&o.leaseTTL, "lease-ttl", 0, "how long a crashed process's turn keeps its session busy for others (default 10s)")
	fs.StringVar(&o.contextRoot, "context-root", "", "project directory whose .rkat/config.toml applies")
	fs.StringVar(&o.userConfigRoot, "user-config-root", "", "directory whose .rkat/config.toml holds user-wide settings (default: home)")
	fs.StringVar(&o.realtimeURL, "realtime-url", "", "realtime hub for comms peers (ws:// origin; its secret key in $RKAT_REALTIME_SECRET_KEY); default: an embedded hub on loopback")
	fs.StringVar(&o.liveWS, "live-ws", "", "serve live channels: /live/ws WebSocket listener on this loopback address (e.g. 127.0.0.1:0)")
	fs.StringVar(&o.liveWSScheme, "live-ws-scheme", "ws", "scheme of the /live/ws URLs handed out: ws or wss (behind a TLS proxy)")
	fs.BoolVar(&o.liveWebRTC, "live-webrtc", false, "serve live channels to browsers over WebRTC (live/webrtc/answer)")
	fs.StringVar(&o.logFile, "log-file", "", "write diagnostics to this file (stderr stays quiet)")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.DurationVar(&o.scheduleLease, "schedule-lease", 30*time.Second,
		"how long a claimed schedule occurrence stays this process's without renewal (a crashed process's claims are taken over after it)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	case o.liveWSScheme != "ws" && o.liveWSScheme != "wss":
		return o, errors.New("--live-ws-scheme must be ws or wss")
	case o.backend == "jsonl":
		return o, errors.New("--realm-backend jsonl is not supported; use sqlite or memory")
	case o.realm != "" && o.isolated:
		return o, errors.New("--realm and --isolated are mutually exclusive")
	case o.scheduleLease <= 0:
		return o, errors.New("--schedule-lease must be positive")
	}
	return o, nil
}

// Main runs rkat-rpc with args (without the program name) and returns the
// process exit code: 0 when the client closes stdin, ctx ends or the
// process receives SIGTERM or SIGINT. On a stop (ctx or signal) it stops
// reading stdin at once, even with stdin still open, interrupts running
// turns (what they committed stays), writes nothing more and returns.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	o, err := parse(args, stderr)
	if errors.Is(err, pflag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "rkat-rpc:", err)
		return exitUsage
	}
	logger, closeLog, err := newLogger(o.logFile, o.logLevel)
	if err != nil {
		fmt.Fprintln(stderr, "rkat-rpc:", err)
		return exitUsage
	}
	defer closeLog()
	home, work := configRoots(o)
	r, err := realm.Resolve(realm.Options{StateRoot: o.stateRoot, Name: o.realm, Isolated: o.isolated, Backend: o.backend,
		Store: o.store, ConfigFiles: providers.ConfigPaths(home, work)})
	if err != nil {
		fmt.Fprintln(stderr, "rkat-rpc:", err)
		return exitUsage
	}
	resolver, err := newResolver(o)
	if err != nil {
		fmt.Fprintln(stderr, "rkat-rpc:", err)
		return exitError
	}
	tools, err := builtin.LoadConfig(providers.ConfigPaths(home, work)...)
	if err != nil {
		fmt.Fprintln(stderr, "rkat-rpc:", err)
		return exitError
	}
	// A broken mcp.toml is reported in every session's first turn.
	servers, mcpErr := mcp.LoadConfig(work, home, os.LookupEnv)
	mcpSessions := mcp.NewSessions(mcp.Config{Servers: servers, LoadError: mcpErr, ProjectDir: work})
	defer mcpSessions.Close()
	skills := skill.New(skill.Config{ProjectDir: filepath.Join(work, ".rkat", "skills"), UserDir: filepath.Join(home, ".rkat", "skills")})
	// A broken hooks.toml fails every turn (never runs without its guardrails).
	hooks, hooksErr := hook.LoadFiles(home, work)
	rt := runtime{tools: tools, projectRoot: work, mcp: mcpSessions, scheduleLease: o.scheduleLease,
		skillTools: skills.Tools(), hooks: hooks, hooksErr: hooksErr, leaseTTL: o.leaseTTL}
	defer rt.close()
	hub, err := comms.New(comms.Config{URL: o.realtimeURL, SecretKey: secretKey(o), Logger: logger})
	if err != nil {
		fmt.Fprintln(stderr, "rkat-rpc:", err)
		return exitUsage
	}
	defer hub.Close()
	open := rt.opener(r, resolver, logger)
	liveMgr, stopLive, err := startLive(o, open, logger)
	if err != nil {
		fmt.Fprintln(stderr, "rkat-rpc:", err)
		return exitUsage
	}
	defer stopLive()
	srv, err := server.New(server.Config{
		Open:          open,
		Schedules:     rt.schedules,
		Live:          liveMgr,
		LiveWS:        o.liveWS != "",
		LiveWebRTC:    o.liveWebRTC,
		Catalog:       resolver.Catalog(),
		RealmID:       r.Name,
		InstanceID:    o.instance,
		Backend:       r.Backend,
		Blobs:         blobs(r),
		ResolvedPaths: map[string]string{"state_root": r.StateRoot, "realm_dir": r.Dir},
		Builtins:      true,
		Shell:         tools.ShellConfig().Available(),
		Logger:        logger,
		MCP:           mcpSessions,
		Comms:         hub,
		Skills:        skills,
		HookOverrides: true, // the client is the user who started this process
	})
	if err != nil {
		fmt.Fprintln(stderr, "rkat-rpc:", err)
		return exitError
	}
	logger.Info("serving", "realm", r.Name, "backend", r.Backend)
	if o.realm != "" {
		// A named realm holds durable schedules: open it (and start its
		// executor) now, without waiting for a call that touches it.
		opened := make(chan struct{})
		go func() {
			defer close(opened)
			if err := srv.Open(); err != nil {
				logger.Warn("opening the realm failed; the next call retries", "err", err)
			}
		}()
		defer func() { <-opened }()
	}
	in, restore := serveStdio(stdin)
	defer restore()
	err = srv.Serve(ctx, rpc.NewStream(newStoppableReader(ctx, in), stoppableWriter{ctx, stdout}, 0))
	if ctx.Err() != nil {
		logger.Info("stopped", "cause", context.Cause(ctx))
		return exitOK
	}
	if err != nil {
		logger.Error("connection ended", "err", err)
		return exitError
	}
	return exitOK
}

// secretKey is the realtime hub's secret key, read only with --realtime-url.
func secretKey(o options) string {
	if o.realtimeURL == "" {
		return ""
	}
	return os.Getenv("RKAT_REALTIME_SECRET_KEY")
}

// blobs is the realm's blob store: files beside its database, or memory
// for a realm that lives in memory.
func blobs(r realm.Realm) blob.Store {
	if r.Backend == realm.BackendMemory {
		return blob.NewMemory(0)
	}
	return blob.NewDir(filepath.Join(r.Dir, "blobs"))
}

// runtime holds the realm's store, session service, builtin tools and
// schedule executor once opened.
type runtime struct {
	tools         builtin.FileConfig
	projectRoot   string
	mcp           session.ToolSource // the sessions' MCP servers
	skillTools    []tool.Tool        // tools every session has
	hooks         [][]hook.Entry     // hooks.toml layers
	hooksErr      error              // a broken hooks.toml
	scheduleLease time.Duration
	leaseTTL      time.Duration // of the turns' session leases

	mu    sync.Mutex
	st    store.Store
	svc   *session.Service
	box   *builtin.Toolbox
	sched *schedule.Service
}

func (rt *runtime) open(ctx context.Context, r realm.Realm, resolver *providers.Resolver, logger *slog.Logger) (*session.Service, store.Store, error) {
	st, err := realm.Open(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	box, err := builtin.New(builtin.Config{ProjectRoot: rt.projectRoot, Tasks: st, Shell: rt.tools.ShellConfig()})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	svc, err := session.New(ctx, session.Config{Store: st, Resolver: resolver, Tools: tool.NewRegistry(rt.skillTools...),
		Hooks: rt.hooks, HooksError: rt.hooksErr, Builtins: box, DefaultBuiltins: deref(rt.tools.EnableBuiltins), DefaultShell: deref(rt.tools.EnableShell),
		MaxParallelTools: rt.tools.MaxParallel, ToolSource: rt.mcp, Realm: r.Name, Logger: logger, LeaseTTL: rt.leaseTTL,
		ToolTimeout: server.DefaultCallbackTimeout + server.DefaultCallbackTimeout/20})
	if err != nil {
		box.Close()
		st.Close()
		return nil, nil, err
	}
	sched, err := schedule.New(schedule.Config{Store: st, Sessions: svc, Lease: rt.scheduleLease, Logger: logger})
	if err != nil {
		svc.Close()
		box.Close()
		st.Close()
		return nil, nil, err
	}
	sched.Start()
	rt.mu.Lock()
	rt.st, rt.svc, rt.box, rt.sched = st, svc, box, sched
	rt.mu.Unlock()
	return svc, st, nil
}

func (rt *runtime) schedules() *schedule.Service {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.sched
}

// opener returns rt.open shared by the RPC server and the live channels:
// the realm opens once, on first use; a failed open is retried by the next
// call.
func (rt *runtime) opener(r realm.Realm, resolver *providers.Resolver, logger *slog.Logger) func(context.Context) (*session.Service, store.Store, error) {
	var mu sync.Mutex
	return func(ctx context.Context) (*session.Service, store.Store, error) {
		mu.Lock()
		defer mu.Unlock()
		rt.mu.Lock()
		svc, st := rt.svc, rt.st
		rt.mu.Unlock()
		if svc != nil {
			return svc, st, nil
		}
		return rt.open(ctx, r, resolver, logger)
	}
}

func (rt *runtime) close() {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.sched != nil {
		rt.sched.Close()
	}
	if rt.svc != nil {
		rt.svc.Close()
	}
	if rt.box != nil {
		rt.box.Close()
	}
	if rt.st != nil {
		rt.st.Close()
	}
}

func newResolver(o options) (*providers.Resolver, error) {
	home, work := configRoots(o)
	return providers.Load(home, work, os.Getenv)
}

// configRoots returns the user's and the project's directories: the
// parents of the .rkat/config.toml files, the project being also the root
// the builtin tools work in.
func configRoots(o options) (home, work string) {
	home = o.userConfigRoot
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	work = o.contextRoot
	if work == "" {
		work, _ = os.Getwd()
	}
	return home, work
}

func deref(b *bool) bool { return b != nil && *b }

func newLogger(path, level string) (*slog.Logger, func(), error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, nil, fmt.Errorf("--log-level: %w", err)
	}
	if path == "" {
		return slog.New(slog.DiscardHandler), func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("--log-file: %w", err)
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: lv})), func() { f.Close() }, nil
}
