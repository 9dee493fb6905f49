package server

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/agentpeer"
	"github.com/rkat-dev/rkat/rpc/wire"
)

// maxAgentsPerConn bounds the agents one connection keeps in channels.
const maxAgentsPerConn = 16

// joinedAgent is an agent/join of this connection: its Run ends with
// cancel, reporting on done.
type joinedAgent struct {
	cancel context.CancelFunc
	done   chan error
}

// agentJoin starts an agent peer in a channel and answers once it has
// joined. The agent belongs to the connection: it leaves with agent/leave
// or when the connection ends.
func (s *Server) agentJoin(ctx context.Context, cs *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.AgentJoinParams](params)
	if err != nil {
		return nil, err
	}
	if (p.Key == "") == (p.Token == "") {
		return nil, invalidParams("exactly one of key and token is required")
	}
	if s.cfg.AgentURL != nil {
		if p.URL, err = s.cfg.AgentURL(p.URL); err != nil {
			return nil, invalidParams("url: %v", err)
		}
	}
	svc, _, err := s.service()
	if err != nil {
		return nil, err
	}
	cfg := agentpeer.Config{
		Sessions: svc, URL: p.URL, Channel: p.Channel, Token: p.Token, Name: p.Name, Model: p.Model, Provider: p.Provider,
		SystemPrompt: p.SystemPrompt, Metadata: p.Metadata, AnswerAgents: p.AnswerAgents, Logger: s.cfg.Logger,
	}
	cfg.SetKey(p.Key)
	if p.SessionID != "" {
		if cfg.ChannelSession, err = s.sessionID(p.SessionID); err != nil {
			return nil, err
		}
		if _, err := svc.Read(ctx, cfg.ChannelSession); err != nil {
			return nil, err
		}
	}
	joined := make(chan string, 1)
	cfg.Joined = func(id string) {
		select {
		case joined <- id:
		default: // a later join of the same Run
		}
	}
	a, err := agentpeer.New(ctx, cfg)
	if err != nil {
		return nil, err
	}

	id := "agent-" + uuid.NewString()
	runCtx, cancel := context.WithCancel(cs.ctx)
	ja := &joinedAgent{cancel: cancel, done: make(chan error, 1)}
	cs.mu.Lock()
	if len(cs.agents) >= maxAgentsPerConn {
		cs.mu.Unlock()
		cancel()
		return nil, invalidParams("this connection already has %d agents in channels (agent/leave one first)", maxAgentsPerConn)
	}
	if cs.agents == nil {
		cs.agents = map[string]*joinedAgent{}
	}
	cs.agents[id] = ja
	cs.mu.Unlock()
	cs.bg.Go(func() { ja.done <- a.Run(runCtx) })

	select {
	case peerID := <-joined:
		return wire.AgentJoinResult{AgentID: id, PeerID: peerID, Channel: p.Channel, Presence: a.Metadata()}, nil
	case err := <-ja.done:
		s.forgetAgent(cs, id)
		return nil, fmt.Errorf("agent/join: %w", err)
	case <-ctx.Done():
		s.forgetAgent(cs, id)
		cancel()
		<-ja.done
		return nil, ctx.Err()
	}
}

// agentLeave stops an agent of this connection and waits until it has left.
func (s *Server) agentLeave(_ context.Context, cs *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.AgentLeaveParams](params)
	if err != nil {
		return nil, err
	}
	ja := s.forgetAgent(cs, p.AgentID)
	if ja == nil {
		return nil, invalidParams("no agent %q on this connection", p.AgentID)
	}
	ja.cancel()
	if err := <-ja.done; err != nil {
		s.cfg.Logger.Warn("agent ended with an error before agent/leave", "agent_id", p.AgentID, "err", err)
	}
	return wire.AgentLeaveResult{AgentID: p.AgentID, Left: true}, nil
}

// forgetAgent removes an agent from the connection and returns it (nil if
// unknown).
func (s *Server) forgetAgent(cs *connState, id string) *joinedAgent {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	ja := cs.agents[id]
	delete(cs.agents, id)
	return ja
}
