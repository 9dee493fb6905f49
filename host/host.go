package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/comms"
	"github.com/rkat-dev/rkat/hook"
	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/realm"
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

// ErrConfig reports an invalid Config.
var ErrConfig = errors.New("host: invalid configuration")

// Config configures a Host.
type Config struct {
	// Realm is the resolved realm whose store Open opens. Required.
	Realm realm.Realm
	// Resolver chooses providers and models for every session. Required.
	Resolver *providers.Resolver
	// ProjectDir and UserDir are the parents of the project's and the
	// user's .rkat directories (config.toml, mcp.toml, hooks.toml, skills/);
	// ProjectDir is also the root the builtin tools work in.
	ProjectDir, UserDir string
	// Builtins enables the builtin tools (files, shell, tasks) with the
	// [tools] table of config.toml; off, they are unavailable (a server
	// whose clients are remote).
	Builtins bool
	// Tools are added to every session's registry, beside the skill tools.
	Tools []tool.Tool
	// NoScheduler leaves the schedule executor off, for a process that
	// runs one turn and exits (rkat run); Schedules then returns nil.
	NoScheduler bool
	// ToolTimeout bounds each tool call; 0 leaves time for the RPC
	// server's callback tools (server.DefaultCallbackTimeout plus 5%).
	ToolTimeout time.Duration
	// Comms locates the hub comms peers and mobs join; its zero value
	// starts an embedded hub on loopback at the first Join.
	Comms comms.Config
	// ScheduleLease is how long a claimed schedule occurrence stays this
	// process's without renewal (0: the schedule package's default).
	ScheduleLease time.Duration
	// LeaseTTL is how long a crashed process's turn keeps its session busy
	// (0: the session package's default).
	LeaseTTL time.Duration
	// Lookup reads the environment for mcp.toml (nil: os.LookupEnv).
	Lookup func(string) (string, bool)
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
}

// Host is one realm's agent runtime.
type Host struct {
	cfg      Config
	tools    builtin.FileConfig
	mcp      *mcp.Sessions
	skills   *skill.Library
	hooks    [][]hook.Entry
	hooksErr error // a broken hooks.toml fails every turn
	comms    *comms.Network
	blobs    blob.Store

	openMu sync.Mutex // held while opening, so one caller opens
	mu     sync.Mutex
	st     store.Store
	svc    *session.Service
	box    *builtin.Toolbox
	sched  *schedule.Service
}

// New reads the configuration files and builds what needs no realm; it
// opens nothing (see Open). A broken mcp.toml is reported in every
// session's first turn and a broken hooks.toml fails every turn, so that
// neither runs without what it configures.
func New(cfg Config) (*Host, error) {
	if cfg.Resolver == nil {
		return nil, fmt.Errorf("%w: a Resolver is required", ErrConfig)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Lookup == nil {
		cfg.Lookup = os.LookupEnv
	}
	if cfg.ToolTimeout <= 0 {
		cfg.ToolTimeout = server.DefaultCallbackTimeout + server.DefaultCallbackTimeout/20
	}
	h := &Host{cfg: cfg}
	if cfg.Builtins {
		var err error
		if h.tools, err = builtin.LoadConfig(providers.ConfigPaths(cfg.UserDir, cfg.ProjectDir)...); err != nil {
			return nil, err
		}
	}
	if cfg.Comms.Logger == nil {
		cfg.Comms.Logger = cfg.Logger
	}
	network, err := comms.New(cfg.Comms)
	if err != nil {
		return nil, err
	}
	h.comms = network
	servers, mcpErr := mcp.LoadConfig(cfg.ProjectDir, cfg.UserDir, cfg.Lookup)
	h.mcp = mcp.NewSessions(mcp.Config{Servers: servers, LoadError: mcpErr, ProjectDir: cfg.ProjectDir})
	h.skills = skill.New(skill.Config{ProjectDir: filepath.Join(cfg.ProjectDir, ".rkat", "skills"), UserDir: filepath.Join(cfg.UserDir, ".rkat", "skills")})
	h.hooks, h.hooksErr = hook.LoadFiles(cfg.UserDir, cfg.ProjectDir)
	h.blobs = blob.NewDir(filepath.Join(cfg.Realm.Dir, "blobs"))
	if cfg.Realm.Backend == realm.BackendMemory {
		h.blobs = blob.NewMemory(0)
	}
	return h, nil
}

// Open returns the realm's session service and store, opening the realm
// and starting its schedule executor on the first call. A failure is
// returned, never cached: the next call tries again.
func (h *Host) Open(ctx context.Context) (*session.Service, store.Store, error) {
	h.openMu.Lock()
	defer h.openMu.Unlock()
	h.mu.Lock()
	svc, st := h.svc, h.st
	h.mu.Unlock()
	if svc != nil {
		return svc, st, nil
	}
	return h.open(ctx)
}

func (h *Host) open(ctx context.Context) (*session.Service, store.Store, error) {
	st, err := realm.Open(ctx, h.cfg.Realm, h.cfg.Logger)
	if err != nil {
		return nil, nil, err
	}
	var box *builtin.Toolbox
	if h.cfg.Builtins {
		if box, err = builtin.New(builtin.Config{ProjectRoot: h.cfg.ProjectDir, Tasks: st, Shell: h.tools.ShellConfig()}); err != nil {
			st.Close()
			return nil, nil, err
		}
	}
	svc, err := session.New(ctx, session.Config{Store: st, Resolver: h.cfg.Resolver, Tools: tool.NewRegistry(append(slices.Clone(h.cfg.Tools), h.skills.Tools()...)...),
		Hooks: h.hooks, HooksError: h.hooksErr, Builtins: box, DefaultBuiltins: deref(h.tools.EnableBuiltins), DefaultShell: deref(h.tools.EnableShell),
		MaxParallelTools: h.tools.MaxParallel, ToolSource: h.mcp, Realm: h.cfg.Realm.Name, Logger: h.cfg.Logger, LeaseTTL: h.cfg.LeaseTTL,
		ToolTimeout: h.cfg.ToolTimeout})
	if err != nil {
		closeBox(box)
		st.Close()
		return nil, nil, err
	}
	var sched *schedule.Service
	if !h.cfg.NoScheduler {
		if sched, err = schedule.New(schedule.Config{Store: st, Sessions: svc, Lease: h.cfg.ScheduleLease, Logger: h.cfg.Logger}); err != nil {
			svc.Close()
			closeBox(box)
			st.Close()
			return nil, nil, err
		}
		sched.Start()
	}
	h.mu.Lock()
	h.st, h.svc, h.box, h.sched = st, svc, box, sched
	h.mu.Unlock()
	return svc, st, nil
}

func closeBox(b *builtin.Toolbox) {
	if b != nil {
		b.Close()
	}
}

// Schedules returns the schedule service once Open has succeeded, else nil.
func (h *Host) Schedules() *schedule.Service {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sched
}

// Comms is the network comms peers and mobs join.
func (h *Host) Comms() *comms.Network { return h.comms }

// MCP holds the sessions' MCP servers.
func (h *Host) MCP() *mcp.Sessions { return h.mcp }

// Skills is the skill library of the project and the user.
func (h *Host) Skills() *skill.Library { return h.skills }

// Blobs keeps the realm's image payloads: files beside its database, or
// memory for a realm that lives in memory.
func (h *Host) Blobs() blob.Store { return h.blobs }

// ServerConfig is the RPC server configuration serving this runtime: the
// caller adds what is its own (live channels, instance id, the policies of
// remote clients such as AgentURL and HookOverrides).
func (h *Host) ServerConfig() server.Config {
	r := h.cfg.Realm
	return server.Config{
		Open:          h.Open,
		Schedules:     h.Schedules,
		Catalog:       h.cfg.Resolver.Catalog(),
		RealmID:       r.Name,
		Backend:       r.Backend,
		Blobs:         h.blobs,
		ResolvedPaths: map[string]string{"state_root": r.StateRoot, "realm_dir": r.Dir},
		Builtins:      h.cfg.Builtins,
		Shell:         h.cfg.Builtins && h.tools.ShellConfig().Available(),
		Logger:        h.cfg.Logger,
		MCP:           h.mcp,
		Comms:         h.comms,
		Skills:        h.skills,
	}
}

// Close stops what Open started and New built, in the order doc.go
// describes. Call it once, after the RPC server's connections end.
func (h *Host) Close() {
	h.mu.Lock()
	sched, svc, box, st := h.sched, h.svc, h.box, h.st
	h.mu.Unlock()
	if sched != nil {
		_ = sched.Close()
	}
	if svc != nil {
		_ = svc.Close()
	}
	closeBox(box)
	if st != nil {
		_ = st.Close()
	}
	h.mcp.Close()
	_ = h.comms.Close()
}

func deref(b *bool) bool { return b != nil && *b }
