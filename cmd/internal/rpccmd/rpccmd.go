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
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/rkat-dev/rkat/comms"
	"github.com/rkat-dev/rkat/host"
	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/realm"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/server"
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
	h, err := host.New(host.Config{Realm: r, Resolver: resolver, ProjectDir: work, UserDir: home, Builtins: true,
		Comms: comms.Config{URL: o.realtimeURL, SecretKey: secretKey(o)}, ScheduleLease: o.scheduleLease, LeaseTTL: o.leaseTTL, Logger: logger})
	if errors.Is(err, comms.ErrConfig) {
		fmt.Fprintln(stderr, "rkat-rpc:", err)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintln(stderr, "rkat-rpc:", err)
		return exitError
	}
	defer h.Close()
	liveMgr, stopLive, err := startLive(o, h.Open, logger)
	if err != nil {
		fmt.Fprintln(stderr, "rkat-rpc:", err)
		return exitUsage
	}
	defer stopLive()
	cfg := h.ServerConfig()
	cfg.Live, cfg.LiveWS, cfg.LiveWebRTC = liveMgr, o.liveWS != "", o.liveWebRTC
	cfg.InstanceID = o.instance
	cfg.HookOverrides = true // the client is the user who started this process
	srv, err := server.New(cfg)
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
