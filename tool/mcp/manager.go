package mcp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/tool"
)

// Defaults of Config.
const (
	DefaultConnectTimeout  = 10 * time.Second
	DefaultCallTimeout     = 60 * time.Second
	DefaultMaxResultBytes  = 1 << 20
	DefaultMaxLiveSessions = 32
	// maxStaged bounds the changes waiting for a session's next turn.
	maxStaged = 64
)

// Errors of staged changes; match with errors.Is.
var (
	// ErrUnknownServer: no server of that name in the session.
	ErrUnknownServer = errors.New("mcp: no such server")
	// ErrServerExists: a server of that name is already in the session.
	ErrServerExists = errors.New("mcp: server already exists")
	// ErrTooManyStaged: too many changes are waiting for the next turn.
	ErrTooManyStaged = errors.New("mcp: too many staged changes")
	// ErrClosed: the Sessions was closed.
	ErrClosed = errors.New("mcp: closed")
)

// Operation names a change of a session's servers, as on the wire.
type Operation string

// Operations.
const (
	OpAdd    Operation = "add"
	OpRemove Operation = "remove"
	OpReload Operation = "reload"
)

// Config configures the MCP clients of every session.
type Config struct {
	// Servers every session starts with (LoadConfig's result).
	Servers []ServerConfig
	// LoadError is LoadConfig's error, if any: every session reports it at
	// its first turn (and runs without the configured servers).
	LoadError error
	// ProjectDir is the project directory: the working directory of stdio
	// servers ("" inherits) and the home of the .rkat/mcp.toml that
	// persisted changes are written to.
	ProjectDir string
	// ConnectTimeout bounds a server's start when its config sets none.
	ConnectTimeout time.Duration
	// CallTimeout bounds each tool call.
	CallTimeout time.Duration
	// MaxResultBytes caps the text and image bytes of one tool result.
	MaxResultBytes int
	// MaxLiveSessions bounds the sessions whose servers run at once: past
	// it, the servers of the session whose last turn is oldest are stopped
	// (they start again at its next turn).
	MaxLiveSessions int
	// Environ is the base environment of stdio servers; nil means the
	// process's environment without the provider API keys.
	Environ func() []string
}

func (c *Config) environ() []string {
	if c.Environ != nil {
		return c.Environ()
	}
	// A server gets provider credentials only through its own env table.
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return providers.IsKeyVar(name)
	})
}

// Sessions holds the MCP servers of every session. It implements
// session.ToolSource: at each turn boundary a session's staged changes are
// applied, servers not yet started are started, and their tools are handed
// to the turn.
type Sessions struct {
	cfg    Config
	life   context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	sessions map[string]*manager
	recent   []string // sessions with running servers, by last turn, oldest first
	closed   bool
}

// NewSessions returns the MCP clients of a session service. Close it to stop
// every server.
func NewSessions(cfg Config) *Sessions {
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = DefaultCallTimeout
	}
	if cfg.MaxResultBytes <= 0 {
		cfg.MaxResultBytes = DefaultMaxResultBytes
	}
	if cfg.MaxLiveSessions <= 0 {
		cfg.MaxLiveSessions = DefaultMaxLiveSessions
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Sessions{cfg: cfg, life: ctx, cancel: cancel, sessions: map[string]*manager{}}
}

// manager returns the servers of session id, creating them from the
// configured servers on first use.
func (s *Sessions) manager(id string) (*manager, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	m := s.sessions[id]
	if m == nil {
		m = &manager{owner: s}
		if err := s.cfg.LoadError; err != nil {
			m.notices = append(m.notices, event.ToolConfigChanged{Payload: event.ToolConfigChange{
				Operation: string(OpReload), Target: "mcp.toml",
				StatusInfo: event.ToolConfigStatus{Kind: "warning_failed_closed", Error: err.Error()},
			}})
		}
		for _, c := range s.cfg.Servers {
			m.staged = append(m.staged, change{op: OpAdd, cfg: c, initial: true})
		}
		s.sessions[id] = m
	}
	return m, nil
}

// Add stages server c for session id's next turn. Staged changes live with
// the session in this process; persisted only says, in the event that
// reports the change, that the caller also wrote it to an mcp.toml
// (AddToFile, RemoveFromFile).
func (s *Sessions) Add(id string, c ServerConfig, persisted bool) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.stage(id, change{op: OpAdd, cfg: c, persisted: persisted})
}

// Remove stages the removal of server name from session id.
func (s *Sessions) Remove(id, name string, persisted bool) error {
	return s.stage(id, change{op: OpRemove, cfg: ServerConfig{Name: name}, persisted: persisted})
}

// Reload stages a restart of server name of session id, or of all its
// servers when name is empty. A server that failed to start is tried again.
func (s *Sessions) Reload(id, name string) error {
	return s.stage(id, change{op: OpReload, cfg: ServerConfig{Name: name}})
}

func (s *Sessions) stage(id string, c change) error {
	m, err := s.manager(id)
	if err != nil {
		return err
	}
	return m.stage(c)
}

// TurnTools applies session id's staged changes, starts its servers that
// have not started yet (in parallel, each within its connect timeout) and
// returns the tools of every server that has not failed, with
// tool_config_changed events for the changes applied and the servers that
// failed since the last boundary. While no server's tool list changed, it
// returns the same set as at the previous boundary, so the schemas that set
// compiled are not compiled again.
func (s *Sessions) TurnTools(ctx context.Context, id string, turn int) (*tool.Set, []event.Event) {
	m, err := s.manager(id)
	if err != nil {
		return nil, nil
	}
	for _, old := range s.touch(id) {
		old.park()
	}
	return m.boundary(ctx, turn)
}

// touch marks session id as the latest to run a turn and returns the
// managers of the sessions pushed past MaxLiveSessions.
func (s *Sessions) touch(id string) []*manager {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recent = append(slices.DeleteFunc(s.recent, func(x string) bool { return x == id }), id)
	var out []*manager
	for len(s.recent) > s.cfg.MaxLiveSessions {
		if m := s.sessions[s.recent[0]]; m != nil {
			out = append(out, m)
		}
		s.recent = s.recent[1:]
	}
	return out
}

// ProjectFile is the project's mcp.toml, where persisted changes go; "" when
// there is no project directory.
func (s *Sessions) ProjectFile() string { return ConfigFile(s.cfg.ProjectDir) }

// Forget stops the servers of session id (archived or gone).
func (s *Sessions) Forget(id string) {
	s.mu.Lock()
	m := s.sessions[id]
	delete(s.sessions, id)
	s.recent = slices.DeleteFunc(s.recent, func(x string) bool { return x == id })
	s.mu.Unlock()
	if m != nil {
		m.close()
	}
}

// Close stops every server of every session and waits for them.
func (s *Sessions) Close() error {
	s.mu.Lock()
	s.closed = true
	all := s.sessions
	s.sessions = nil
	s.mu.Unlock()
	s.cancel()
	var wg sync.WaitGroup
	for _, m := range all {
		wg.Go(m.close)
	}
	wg.Wait()
	return nil
}

// change is a staged change of a session's servers.
type change struct {
	op        Operation
	cfg       ServerConfig // the server to add; only Name for remove/reload ("" reloads all)
	persisted bool         // also written to an mcp.toml
	initial   bool         // a configured server of a new session: reported only when it fails
}

// manager holds the servers of one session. Its boundary runs on the
// session's turn goroutine, one at a time; stage may run concurrently.
type manager struct {
	owner *Sessions

	mu      sync.Mutex
	servers []*server
	staged  []change
	notices []event.Event // reported at the next boundary
	closed  bool

	// The set handed out at the last boundary and the listings it was
	// built from.
	set     *tool.Set
	listing []listing
}

func (m *manager) stage(c change) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	if len(m.staged) >= maxStaged {
		return ErrTooManyStaged
	}
	names := m.futureNamesLocked()
	switch name := c.cfg.Name; {
	case c.op == OpAdd && names[name]:
		return fmt.Errorf("%w: %q", ErrServerExists, name)
	case c.op != OpAdd && name != "" && !names[name]:
		return fmt.Errorf("%w: %q", ErrUnknownServer, name)
	case c.op == OpRemove && name == "":
		return fmt.Errorf("%w: empty name", ErrUnknownServer)
	}
	m.staged = append(m.staged, c)
	return nil
}

// futureNamesLocked returns the server names once the staged changes apply.
func (m *manager) futureNamesLocked() map[string]bool {
	names := map[string]bool{}
	for _, s := range m.servers {
		names[s.cfg.Name] = true
	}
	for _, c := range m.staged {
		switch c.op {
		case OpAdd:
			names[c.cfg.Name] = true
		case OpRemove:
			delete(names, c.cfg.Name)
		}
	}
	return names
}

// boundary applies the staged changes and returns the turn's tools and
// events.
func (m *manager) boundary(ctx context.Context, turn int) (*tool.Set, []event.Event) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil, nil
	}
	staged := m.staged
	events := m.notices
	m.staged, m.notices = nil, nil
	var gone []*server
	for _, c := range staged {
		note := func(target string) {
			if !c.initial {
				events = append(events, applied(c, target, turn))
			}
		}
		switch c.op {
		case OpAdd:
			m.servers = append(m.servers, m.newServer(c))
			note(c.cfg.Name)
		case OpRemove:
			if i := m.indexLocked(c.cfg.Name); i >= 0 {
				gone = append(gone, m.servers[i])
				m.servers = slices.Delete(m.servers, i, i+1)
				note(c.cfg.Name)
			}
		case OpReload:
			for _, s := range m.servers {
				if c.cfg.Name == "" || s.cfg.Name == c.cfg.Name {
					gone = append(gone, s) // restarted below, outside the lock
					note(s.cfg.Name)
				}
			}
		}
	}
	servers := slices.Clone(m.servers)
	m.mu.Unlock()

	for _, s := range gone {
		if slices.Contains(servers, s) {
			s.restart()
		} else {
			s.close()
		}
	}
	var wg sync.WaitGroup
	for _, s := range servers {
		if s.pending() {
			wg.Go(func() { _, _ = s.ensure(ctx) })
		} else {
			wg.Go(func() { s.check(ctx) })
		}
	}
	wg.Wait()
	listed, failures := listings(servers)
	for _, f := range failures {
		events = append(events, event.ToolConfigChanged{Payload: event.ToolConfigChange{
			Operation: string(f.op), Target: f.name,
			StatusInfo: event.ToolConfigStatus{Kind: "warning_failed_closed", Error: f.err.Error()},
		}})
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.set == nil || !slices.EqualFunc(listed, m.listing, listing.same) {
		m.set, m.listing = tool.NewSet(catalog(listed)...), listed
	}
	return m.set, events
}

func applied(c change, target string, turn int) event.Event {
	return event.ToolConfigChanged{Payload: event.ToolConfigChange{
		Operation: string(c.op), Target: target, Persisted: c.persisted, AppliedAtTurn: &turn,
		StatusInfo: event.ToolConfigStatus{Kind: "external_tool_delta", Phase: "applied"},
	}}
}

func (m *manager) newServer(c change) *server {
	life, kill := context.WithCancel(m.owner.life)
	return &server{cfg: c.cfg, opts: &m.owner.cfg, life: life, kill: kill, origin: c.op}
}

func (m *manager) indexLocked(name string) int {
	return slices.IndexFunc(m.servers, func(s *server) bool { return s.cfg.Name == name })
}

// park stops the session's servers but keeps them configured: each starts
// again at the session's next boundary (or call).
func (m *manager) park() {
	m.mu.Lock()
	servers := slices.Clone(m.servers)
	m.mu.Unlock()
	for _, s := range servers {
		s.stop()
	}
}

func (m *manager) close() {
	m.mu.Lock()
	m.closed = true
	servers := m.servers
	m.servers = nil
	m.mu.Unlock()
	var wg sync.WaitGroup
	for _, s := range servers {
		wg.Go(s.close)
	}
	wg.Wait()
}

// failure is a server start failure not reported yet.
type failure struct {
	op   Operation
	name string
	err  error
}

// listing is the tool list of one server that has not failed.
type listing struct {
	srv   *server
	tools []*sdk.Tool
}

// same reports whether l and o are the same list of the same server: a
// server's list is replaced, never modified, when it is listed again.
func (l listing) same(o listing) bool {
	return l.srv == o.srv && len(l.tools) == len(o.tools) && (len(l.tools) == 0 || &l.tools[0] == &o.tools[0])
}

// listings returns the tool lists of the servers that have not failed and
// the failures not reported yet.
func listings(servers []*server) ([]listing, []failure) {
	var out []listing
	var failures []failure
	for _, s := range servers {
		tools, err := s.listed()
		if err != nil {
			if s.markReported(err) {
				failures = append(failures, failure{op: s.origin, name: s.cfg.Name, err: err})
			}
			continue
		}
		out = append(out, listing{srv: s, tools: tools})
	}
	return out, failures
}

// catalog names the tools of the listed servers. Names follow toolName;
// two tools meeting on one name both take the hashed form.
func catalog(listed []listing) []tool.Tool {
	var tools []*mcpTool
	count := map[string]int{}
	for _, l := range listed {
		for _, t := range l.tools {
			mt := &mcpTool{srv: l.srv, t: t}
			mt.def.Name = toolName(l.srv.cfg.Name, t.Name)
			count[mt.def.Name]++
			tools = append(tools, mt)
		}
	}
	out := make([]tool.Tool, 0, len(tools))
	for _, mt := range tools {
		name := mt.def.Name
		if count[name] > 1 {
			name = withHash(mt.srv.cfg.Name, mt.t.Name)
		}
		mt.def = toolDef(name, mt.srv.cfg.Name, mt.t)
		out = append(out, mt)
	}
	return out
}
