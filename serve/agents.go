package serve

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/agentpeer"
	"github.com/rkat-dev/rkat/realtime"
)

// Restart backoff of a failed agent: it doubles from minBackoff up to
// maxBackoff and starts over once a run has lasted stableRun.
const (
	minBackoff = 250 * time.Millisecond
	maxBackoff = 30 * time.Second
	stableRun  = time.Minute
)

// AgentConfig is one [[agents]] entry: an agent peer that joins Channel on
// this server and answers the people in it (docs/agent-peer-protocol.md).
type AgentConfig struct {
	Name    string `toml:"name"`
	Channel string `toml:"channel"`
	// Model or Provider choose its model; empty means the realm's default.
	Model    string `toml:"model"`
	Provider string `toml:"provider"`
	// SystemPrompt, when set, is the system prompt of its conversations.
	SystemPrompt *string `toml:"system_prompt"`
	// Metadata is added to its presence metadata.
	Metadata map[string]any `toml:"metadata"`
	// AnswerAgents makes it answer other agents too (off: no agent loops).
	AnswerAgents bool `toml:"answer_agents"`
}

// AgentStatus is what GET /agents reports of one agent.
type AgentStatus struct {
	Name    string `json:"name"`
	Channel string `json:"channel"`
	// State is "starting", "running" (joined), "restarting" (waiting for
	// the next attempt after a failure) or "stopped".
	State     string    `json:"state"`
	PeerID    string    `json:"peer_id,omitempty"`
	Restarts  int       `json:"restarts"`
	LastError string    `json:"last_error,omitempty"`
	Since     time.Time `json:"since"`
}

// agents supervises the configured agent peers: one goroutine each, which
// runs the agent and restarts it with backoff when it fails.
type agents struct {
	mu     sync.Mutex
	status []AgentStatus
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// startAgents joins every configured agent to this server's hub at url
// with the internal secret key.
func (s *Server) startAgents(url string) error {
	ctx, cancel := context.WithCancel(context.Background())
	s.agents.cancel = cancel
	for i, ac := range s.cfg.File.Agents {
		a, err := agentpeer.New(ctx, agentpeer.Config{
			Sessions: s.svc, URL: url, Channel: ac.Channel, SecretKey: s.internalKey,
			Name: ac.Name, Model: ac.Model, Provider: ac.Provider, SystemPrompt: ac.SystemPrompt,
			Metadata: ac.Metadata, AnswerAgents: ac.AnswerAgents,
			Joined: func(peerID string) {
				s.agents.set(i, func(st *AgentStatus) { st.State, st.PeerID = "running", peerID })
			},
			Logger: s.log.With("agent", ac.Name),
		})
		if err != nil {
			s.stopAgents()
			return fmt.Errorf("agent %q: %w", ac.Name, err)
		}
		s.agents.status = append(s.agents.status, AgentStatus{Name: ac.Name, Channel: ac.Channel, State: "starting", Since: time.Now()})
		s.agents.wg.Go(func() { s.agents.supervise(ctx, i, a) })
	}
	return nil
}

// supervise runs agent i until ctx ends, restarting it with backoff.
func (g *agents) supervise(ctx context.Context, i int, a *agentpeer.Agent) {
	backoff := minBackoff
	for {
		start := time.Now()
		err := a.Run(ctx)
		if ctx.Err() != nil {
			g.set(i, func(st *AgentStatus) { st.State, st.PeerID = "stopped", "" })
			return
		}
		if time.Since(start) >= stableRun {
			backoff = minBackoff
		}
		g.set(i, func(st *AgentStatus) {
			st.State, st.PeerID, st.Restarts = "restarting", "", st.Restarts+1
			if err != nil {
				st.LastError = err.Error()
			}
		})
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			g.set(i, func(st *AgentStatus) { st.State = "stopped" })
			return
		case <-t.C:
		}
		backoff = min(2*backoff, maxBackoff)
		g.set(i, func(st *AgentStatus) { st.State = "starting" })
	}
}

func (g *agents) set(i int, f func(*AgentStatus)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f(&g.status[i])
	g.status[i].Since = time.Now()
}

// list returns a copy of every agent's status.
func (g *agents) list() []AgentStatus {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]AgentStatus{}, g.status...)
}

// stopAgents ends every agent and waits for them.
func (s *Server) stopAgents() {
	if s.agents.cancel != nil {
		s.agents.cancel()
	}
	s.agents.wg.Wait()
}

// handleAgents serves GET /agents: {"agents":[AgentStatus]}.
func (s *Server) handleAgents(w http.ResponseWriter, _ *http.Request) {
	realtime.WriteJSON(w, http.StatusOK, map[string]any{"agents": s.agents.list()})
}

// loopbackAddr is addr with an unspecified IP (0.0.0.0, ::) replaced by
// the loopback address, for connecting to our own listener.
func loopbackAddr(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return addr.String()
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
}
