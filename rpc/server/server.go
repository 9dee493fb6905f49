// Package server is the method table of rkat-rpc: it serves the JSON-RPC
// contract (spec/agent-rpc.md) over an rpc.Conn by calling the session
// service, and it is the one place where Go errors become wire error codes.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/comms"
	"github.com/rkat-dev/rkat/live"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/mob"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/schedule"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/skill"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/blob"
	"github.com/rkat-dev/rkat/tool/mcp"
)

// DefaultCallbackTimeout bounds one tool/execute round trip.
const DefaultCallbackTimeout = 120 * time.Second

// Config configures a Server.
type Config struct {
	// Open returns the realm's session service and its store. It is called
	// by the first method that needs them, so that start-up and initialize
	// stay fast; after a failure, by the next one (a failure is reported to
	// its caller, never cached). Required.
	Open func(ctx context.Context) (*session.Service, store.Store, error)
	// Catalog is served by models/catalog; nil serves an empty catalog.
	Catalog *llm.Catalog
	// RealmID names the realm; session refs are "<RealmID>:<session id>".
	RealmID string
	// InstanceID is reported by the config methods ("" reports null).
	InstanceID string
	// Backend names the realm's storage backend ("sqlite", "memory", "postgres").
	Backend string
	// ResolvedPaths are reported by config/get.
	ResolvedPaths map[string]string
	// Builtins and Shell report that the session service can enable the
	// builtin tools and the shell (capabilities/get advertises them).
	Builtins, Shell bool
	// CallbackTimeout bounds tool/execute calls (default 120 s).
	CallbackTimeout time.Duration
	// Blobs keeps the realm's image payloads for blob/get; nil leaves
	// blob/get unserved.
	Blobs blob.Store
	// StreamBuffer is the number of events buffered per session/stream_open
	// stream (default 1024); a stream whose client falls further behind
	// ends with terminal_error (stream_queue_overflow).
	StreamBuffer int
	// Conn tunes each connection; its Transport, Handler and IDPrefix are
	// set by Serve.
	Conn rpc.Config
	// AgentURL checks the realtime URL an agent/join request names and
	// returns the one to dial. It is for servers whose clients must not
	// make the process dial addresses of their choosing (rkat serve's /rpc);
	// nil dials the URL as given.
	AgentURL func(requested string) (string, error)
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// HookOverrides accepts hooks_override on session/create. Its command
	// and http hooks run programs and reach URLs the client names, so only
	// a server whose client is the machine's user (rkat-rpc over stdio)
	// enables it; otherwise a hooks_override asking for hooks is refused
	// with -32602. Hooks from the hooks.toml files run either way.
	HookOverrides bool
	// Skills serves skills/list and the sessions' skill_refs and
	// preload_skills; nil leaves them unserved and skills unavailable.
	Skills *skill.Library
	// Schedules returns the realm's schedule service once Open has run;
	// nil leaves schedule/* unserved (-32601).
	Schedules func() *schedule.Service
	// MCP holds the sessions' MCP servers (the session service's
	// ToolSource); nil leaves mcp/* unserved and mcp_live unavailable.
	MCP *mcp.Sessions
	// Comms is the hub that sessions created with comms_name join; nil
	// leaves comms/* unserved and refuses comms_name.
	Comms *comms.Network
	// Live serves the live/* methods when set (rkat-rpc --live-ws or
	// --live-webrtc); without it they are not registered. LiveWS and
	// LiveWebRTC say which transports it serves.
	Live               *live.Manager
	LiveWS, LiveWebRTC bool
}

type method func(ctx context.Context, c *connState, params json.RawMessage) (any, error)

// Server serves the agent runtime's JSON-RPC methods. One Server may serve
// several connections; each has its own registered callback tools.
type Server struct {
	cfg     Config
	methods map[string]method
	names   []string
	caps    wire.CapabilitiesResult
	hostID  string // runtime/host_info's process-scoped id

	openMu sync.Mutex // held while opening, so one caller opens
	realm  *opened    // nil until an Open succeeds

	mobOnce sync.Once
	mobSvc  *mob.Service // after the first mob method, with the realm open
	mobErr  error

	mu               sync.Mutex
	externalTools    map[string][]wire.ToolSpec // per session, from session/create
	scheduleSessions map[string]bool            // sessions created with enable_schedule
}

type opened struct {
	svc *session.Service
	st  store.Store
}

// New returns a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Open == nil {
		return nil, fmt.Errorf("server: Config.Open is required")
	}
	if cfg.CallbackTimeout <= 0 {
		cfg.CallbackTimeout = DefaultCallbackTimeout
	}
	if cfg.StreamBuffer <= 0 {
		cfg.StreamBuffer = defaultStreamBuffer
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, externalTools: map[string][]wire.ToolSpec{}, scheduleSessions: map[string]bool{}, hostID: uuid.NewString()}
	s.methods = map[string]method{
		wire.MethodInitialize:       s.initialize,
		wire.MethodInitialized:      func(context.Context, *connState, json.RawMessage) (any, error) { return struct{}{}, nil },
		wire.MethodCapabilities:     s.capabilities,
		wire.MethodModelsCatalog:    s.modelsCatalog,
		wire.MethodSessionCreate:    s.sessionCreate,
		wire.MethodSessionList:      s.sessionList,
		wire.MethodSessionRead:      s.sessionRead,
		wire.MethodSessionHistory:   s.sessionHistory,
		wire.MethodSessionArchive:   s.sessionArchive,
		wire.MethodInjectContext:    s.injectContext,
		wire.MethodExternalEvent:    s.externalEvent,
		wire.MethodTurnStart:        s.turnStart,
		wire.MethodTurnInterrupt:    s.turnInterrupt,
		wire.MethodConfigGet:        s.configGet,
		wire.MethodConfigSet:        s.configSet,
		wire.MethodConfigPatch:      s.configPatch,
		wire.MethodAgentJoin:        s.agentJoin,
		wire.MethodAgentLeave:       s.agentLeave,
		wire.MethodToolsRegister:    s.toolsRegister,
		wire.MethodStreamOpen:       s.streamOpen,
		wire.MethodStreamClose:      s.streamClose,
		wire.MethodHostInfo:         s.hostInfo,
		wire.MethodHostCapabilities: s.hostCapabilities,
		wire.MethodHostHealth:       s.hostHealth,
		wire.MethodHelpAsk:          s.helpAsk,
		wire.MethodInputStatus:      s.inputStatus,
	}
	if cfg.Blobs != nil {
		s.methods[wire.MethodBlobGet] = s.blobGet
	}
	if cfg.Comms != nil {
		s.methods[wire.MethodCommsSend] = s.commsSend
		s.methods[wire.MethodCommsPeers] = s.commsPeers
		s.methods[wire.MethodPeerResponseTerminal] = s.peerResponseTerminal
		maps.Copy(s.methods, s.mobMethods())
	}
	if cfg.Skills != nil {
		s.methods[wire.MethodSkillsList] = s.skillsList
	}
	if cfg.Schedules != nil {
		s.scheduleMethods()
	}
	if cfg.MCP != nil {
		s.methods[wire.MethodMCPAdd] = s.mcpAdd
		s.methods[wire.MethodMCPRemove] = s.mcpRemove
		s.methods[wire.MethodMCPReload] = s.mcpReload
	}
	if cfg.Live != nil {
		maps.Copy(s.methods, s.liveMethods())
	}
	for name := range s.methods {
		s.names = append(s.names, name)
	}
	slices.Sort(s.names)
	s.caps = capabilities(cfg.Builtins, cfg.Shell, cfg.MCP != nil, cfg.Schedules != nil, cfg.Skills != nil, cfg.Comms != nil)
	return s, nil
}

// Methods returns the methods the server serves, sorted.
func (s *Server) Methods() []string { return slices.Clone(s.names) }

// connState is the per-connection state: the connection and its callback
// tools, plus the background runs (keep_alive) and agents (agent/join) it
// started.
type connState struct {
	conn     *rpc.Conn
	ctx      context.Context // ends when the connection is shutting down
	bg       *sync.WaitGroup
	mu       sync.Mutex
	tools    []wire.ToolSpec
	streams  streams
	agents   map[string]*joinedAgent
	channels []*live.Channel          // live channels opened by this connection
	comms    map[string]*commsSession // by session id
}

// Serve serves one connection over t until the peer closes it or ctx ends,
// and returns once every goroutine it started has stopped.
func (s *Server) Serve(ctx context.Context, t rpc.Transport) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var bg sync.WaitGroup
	cs := &connState{ctx: ctx, bg: &bg}
	cc := s.cfg.Conn
	cc.Transport = t
	cc.IDPrefix = "srv-"
	if cc.Logger == nil {
		cc.Logger = s.cfg.Logger
	}
	cc.Handler = func(ctx context.Context, req *rpc.Request) (any, error) {
		m, ok := s.methods[req.Method]
		if !ok {
			return nil, wire.NewError(rpc.CodeMethodNotFound, "method not found: "+req.Method, nil)
		}
		res, err := m(ctx, cs, req.Params)
		if err != nil {
			return nil, wireError(err)
		}
		return res, nil
	}
	cs.conn = rpc.New(cc)
	err := cs.conn.Serve(ctx)
	cancel() // stop keep_alive runs and agents still going
	cs.closeChannels()
	bg.Wait()
	return err
}

// service opens the realm on first use. A failed open is retried by the
// next call, so a cause fixed meanwhile (a full disk, a read-only state
// root) does not need a new process.
func (s *Server) service() (*session.Service, store.Store, error) {
	s.openMu.Lock()
	defer s.openMu.Unlock()
	if s.realm == nil {
		svc, st, err := s.cfg.Open(context.Background())
		if err != nil {
			return nil, nil, fmt.Errorf("opening realm %q: %w", s.cfg.RealmID, err)
		}
		s.realm = &opened{svc, st}
	}
	return s.realm.svc, s.realm.st, nil
}

// Open opens the realm now rather than at the first method that needs it
// (rkat-rpc does so for a named realm, so its schedules run without a
// call). A failure is returned and the next call tries again.
func (s *Server) Open() error {
	_, _, err := s.service()
	return err
}

func (s *Server) initialize(context.Context, *connState, json.RawMessage) (any, error) {
	return wire.InitializeResult{
		ServerInfo:      wire.ServerInfo{Name: "rkat-rpc", Version: wire.ContractVersion},
		ContractVersion: wire.ContractVersion,
		Methods:         s.Methods(),
	}, nil
}

func (s *Server) capabilities(context.Context, *connState, json.RawMessage) (any, error) {
	return s.caps, nil
}

func (s *Server) modelsCatalog(context.Context, *connState, json.RawMessage) (any, error) {
	out := wire.ModelsCatalog{ContractVersion: wire.CurrentVersion(), Providers: []llm.ProviderModels{}}
	if s.cfg.Catalog != nil {
		out.Providers = s.cfg.Catalog.Providers()
	}
	return out, nil
}

// capabilities lists every capability id of the contract with an honest
// status: only what this build really serves is Available. builtins and
// shell are compiled in but depend on the runtime (enabled for this server,
// a shell program that can run): without it they are DisabledByPolicy.
// mcp_live, schedule, skills, comms and mob depend on their managers being
// configured.
func capabilities(builtins, shell, mcpLive, schedules, skills, commsOn bool) wire.CapabilitiesResult {
	available := json.RawMessage(`"` + wire.StatusAvailable + `"`)
	notCompiled := func(feature string) json.RawMessage {
		b, _ := json.Marshal(map[string]any{"NotCompiled": map[string]string{"feature": feature}})
		return b
	}
	entries := []struct {
		id, desc string
		ok       bool
		policy   string // when not ok: the DisabledByPolicy description, "" for NotCompiled
	}{
		{"sessions", "Session lifecycle management", true, ""},
		{"streaming", "Streaming run events as session/event notifications", true, ""},
		{"structured_output", "Structured output validated against a JSON Schema", true, ""},
		{"hooks", "Lifecycle hooks", true, ""},
		{"builtins", "Built-in tools", builtins, "not enabled for this server"},
		{"shell", "Shell command execution", shell, "not enabled for this server, or no shell program can run"},
		{"comms", "Inter-agent communication", commsOn, ""},
		{"memory_store", "Long-term memory store", false, ""},
		{"schedule", "Scheduled runs", schedules, ""},
		{"work_graph", "Work graph", false, ""},
		{"session_store", "Durable session storage", true, ""},
		{"session_compaction", "History compaction", true, ""},
		{"skills", "Skills", skills, ""},
		{"mcp_live", "Live MCP server management", mcpLive, ""},
		{"adaptive_flow", "Adaptive flows", false, ""},
		{"mob", "Agent teams whose members talk over the realtime hub", commsOn, ""},
	}
	out := wire.CapabilitiesResult{ContractVersion: wire.CurrentVersion()}
	for _, e := range entries {
		st := available
		switch {
		case !e.ok && e.policy != "":
			st, _ = json.Marshal(map[string]any{"DisabledByPolicy": map[string]string{"description": e.policy}})
		case !e.ok:
			st = notCompiled(e.id)
		}
		out.Capabilities = append(out.Capabilities, wire.Capability{ID: e.id, Description: e.desc, Status: st})
	}
	return out
}

// decode reads params into a T, rejecting unknown keys and wrong types.
func decode[T any](params json.RawMessage) (T, error) {
	var v T
	if err := decodeStrict(params, &v); err != nil {
		return v, invalidParams("%v", err)
	}
	return v, nil
}

// decodeStrict decodes raw into v, refusing unknown keys.
func decodeStrict(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
