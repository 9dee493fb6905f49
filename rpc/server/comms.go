package server

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/comms"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/tool"
)

// Bounds of a comms session's waiting input.
const (
	maxCommsQueued = 64                     // inputs waiting for the next turn
	busyRetry      = 100 * time.Millisecond // wait when another client's turn runs
)

// commsSession is a session of this connection joined to the hub. Inbound
// envelopes (and comms/send input) wait in a bounded queue that one pump
// goroutine turns into turns of the session; steer input goes into the
// running turn instead, at its next model call.
type commsSession struct {
	s     *Server
	c     *connState
	svc   *session.Service
	sid   string
	peer  *comms.Peer
	tools []tool.Tool
	wake  chan struct{} // capacity 1
	ctx   context.Context
	leave context.CancelFunc // ends the pump, which closes the peer

	mu      sync.Mutex
	running bool          // a turn of this connection runs on sid
	queued  [][]llm.Block // next turn's prompt parts
	steer   [][]llm.Block // parts for the running turn
}

// joinComms makes session sid a comms peer of the connection.
func (s *Server) joinComms(ctx context.Context, c *connState, svc *session.Service, sid string, m comms.Member) (*commsSession, error) {
	cm := &commsSession{s: s, c: c, svc: svc, sid: sid, wake: make(chan struct{}, 1)}
	cm.ctx, cm.leave = context.WithCancel(c.ctx)
	m.SessionID = sid
	peer, err := s.cfg.Comms.Join(ctx, m, cm.receive)
	if err != nil {
		return nil, err
	}
	cm.peer, cm.tools = peer, comms.Tools(peer)
	c.mu.Lock()
	if c.comms == nil {
		c.comms = map[string]*commsSession{}
	}
	old := c.comms[sid]
	c.comms[sid] = cm
	c.mu.Unlock()
	if old != nil {
		old.leave()
	}
	c.bg.Add(1)
	go func() {
		defer c.bg.Done()
		cm.pump()
		_ = peer.Close()
	}()
	return cm, nil
}

// leaveComms takes session sid off the hub.
func (c *connState) leaveComms(sid string) {
	c.mu.Lock()
	cm := c.comms[sid]
	delete(c.comms, sid)
	c.mu.Unlock()
	if cm != nil {
		cm.leave()
	}
}

func (c *connState) commsOf(sid string) *commsSession {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.comms[sid]
}

// turn runs one turn of a session, as a comms session when it is one: with
// the comms tools, taking steer input, and waking the pump when it ends.
func (s *Server) turn(ctx context.Context, c *connState, svc *session.Service, req session.TurnRequest) (session.RunResult, error) {
	cm := c.commsOf(req.SessionID)
	if cm == nil {
		return svc.Turn(ctx, req)
	}
	return cm.turn(ctx, req)
}

func (cm *commsSession) turn(ctx context.Context, req session.TurnRequest) (session.RunResult, error) {
	req.Tools = append(slices.Clone(req.Tools), cm.tools...)
	req.Steer = cm.takeSteer
	cm.mu.Lock()
	cm.running = true
	cm.mu.Unlock()
	res, err := cm.svc.Turn(ctx, req)
	cm.mu.Lock()
	cm.running = false
	cm.queued = append(cm.queued, cm.steer...) // steer that missed its boundary
	cm.steer = nil
	cm.mu.Unlock()
	cm.kick()
	return res, err
}

func (cm *commsSession) takeSteer() []llm.Block {
	cm.mu.Lock()
	defer cm.mu.Unlock()
	parts := cm.steer
	cm.steer = nil
	return concat(parts)
}

func (cm *commsSession) kick() {
	select {
	case cm.wake <- struct{}{}:
	default:
	}
}

// receive is the peer's handler: an envelope becomes input of the session.
func (cm *commsSession) receive(in comms.Inbound) {
	cm.add([]llm.Block{llm.Text(in.Text())}, in.HandlingMode)
}

// add queues input for the next turn, or for the running one when mode is
// steer; it reports false when the queue is full.
func (cm *commsSession) add(blocks []llm.Block, mode string) bool {
	cm.mu.Lock()
	ok := len(cm.queued)+len(cm.steer) < maxCommsQueued
	switch {
	case !ok:
		cm.s.cfg.Logger.Warn("comms input dropped: queue full", "session_id", cm.sid)
	case mode == comms.HandlingSteer && cm.running:
		cm.steer = append(cm.steer, blocks)
	default:
		cm.queued = append(cm.queued, blocks)
	}
	cm.mu.Unlock()
	cm.kick()
	return ok
}

// pump runs a turn for queued input whenever the session is idle, until
// the connection ends.
func (cm *commsSession) pump() {
	for {
		select {
		case <-cm.ctx.Done():
			return
		case <-cm.wake:
		}
		cm.mu.Lock()
		parts := cm.queued
		if cm.running || len(parts) == 0 {
			cm.mu.Unlock()
			continue
		}
		cm.queued = nil
		cm.mu.Unlock()
		run := cm.c.newRun(cm.s, cm.s.externalToolsOf(cm.sid))
		_, err := cm.turn(cm.ctx, session.TurnRequest{SessionID: cm.sid, Prompt: concat(parts),
			Tools: append(run.tools, cm.s.sessionScheduleTools(cm.sid)...), OnEvent: run.onEvent})
		if errors.Is(err, session.ErrBusy) { // a turn started elsewhere: try again shortly
			cm.mu.Lock()
			cm.queued = append(parts, cm.queued...)
			cm.mu.Unlock()
			select {
			case <-cm.ctx.Done():
				return
			case <-time.After(busyRetry):
				cm.kick()
			}
		} else if err != nil {
			cm.s.cfg.Logger.Info("comms turn failed", "session_id", cm.sid, "err", err)
		}
	}
}

// commsSession returns the comms session named by params' session_id.
func (s *Server) commsSession(c *connState, raw string) (*commsSession, error) {
	sid, err := s.sessionID(raw)
	if err != nil {
		return nil, err
	}
	cm := c.commsOf(sid)
	if cm == nil {
		return nil, invalidParams("session %s has no comms on this connection (create it with comms_name)", sid)
	}
	return cm, nil
}

func (s *Server) commsSend(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.CommsSendParams](params)
	if err != nil {
		return nil, err
	}
	if p.HandlingMode != "" && p.HandlingMode != comms.HandlingQueue && p.HandlingMode != comms.HandlingSteer {
		return nil, invalidParams("handling_mode must be %q or %q", comms.HandlingQueue, comms.HandlingSteer)
	}
	if p.Source != "" && !slices.Contains([]string{"tcp", "uds", "stdin", "webhook", "rpc"}, p.Source) {
		return nil, invalidParams("source must be tcp, uds, stdin, webhook or rpc")
	}
	switch p.Stream {
	case "", "none":
	case "reserve_interaction":
		return nil, invalidParams("stream reserve_interaction is not supported by this build")
	default:
		return nil, invalidParams("stream must be none or reserve_interaction")
	}
	cm, err := s.commsSession(c, p.SessionID)
	if err != nil {
		return nil, err
	}
	blocks, err := contents(p.Blocks)
	if err != nil {
		return nil, err
	}
	noStream := false
	if p.Kind == "input" {
		input := concat(blocks)
		if p.Body != "" {
			input = append([]llm.Block{llm.Text(p.Body)}, input...)
		}
		if len(input) == 0 {
			return nil, invalidParams("input needs a body or blocks")
		}
		if !cm.add(input, p.HandlingMode) {
			return nil, session.ErrPendingFull
		}
		return wire.CommsSendResult{Kind: "input_accepted", InteractionID: uuid.NewString(), StreamReserved: &noStream}, nil
	}
	env := comms.Envelope{Kind: p.Kind, Body: p.Body, Intent: p.Intent, Params: p.Params, InReplyTo: p.InReplyTo,
		Status: p.Status, Result: p.Result, LifecycleKind: p.LifecycleKind, HandlingMode: p.HandlingMode}
	if env.Body == "" && len(blocks) > 0 {
		env.Body = llm.Message{Content: concat(blocks)}.PlainText()
	}
	if p.Kind == comms.KindResponse && p.Status == comms.StatusCancelled {
		return nil, invalidParams("status must be accepted, completed or failed")
	}
	if p.To == "" {
		return nil, invalidParams("%s needs to", p.Kind)
	}
	sent, err := cm.peer.Send(ctx, p.To, env)
	if err != nil {
		return nil, err
	}
	switch p.Kind {
	case comms.KindMessage:
		return wire.CommsSendResult{Kind: "peer_message_sent", EnvelopeID: sent.ID, Delivery: "handed_off"}, nil
	case comms.KindLifecycle:
		return wire.CommsSendResult{Kind: "peer_lifecycle_sent", EnvelopeID: sent.ID}, nil
	case comms.KindRequest:
		return wire.CommsSendResult{Kind: "peer_request_sent", EnvelopeID: sent.ID, InteractionID: uuid.NewString(),
			RequestID: sent.RequestID, StreamReserved: &noStream}, nil
	default:
		return wire.CommsSendResult{Kind: "peer_response_sent", EnvelopeID: sent.ID, InReplyTo: sent.InReplyTo}, nil
	}
}

func (s *Server) commsPeers(_ context.Context, c *connState, params json.RawMessage) (any, error) {
	p, err := decode[struct {
		SessionID string `json:"session_id"`
	}](params)
	if err != nil {
		return nil, err
	}
	cm, err := s.commsSession(c, p.SessionID)
	if err != nil {
		return nil, err
	}
	return map[string]any{"peers": comms.Directory(cm.peer)}, nil
}

// peerResponseTerminal admits a terminal response to a request the session
// made, as if its peer had answered.
func (s *Server) peerResponseTerminal(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.PeerResponseTerminalParams](params)
	if err != nil {
		return nil, err
	}
	switch {
	case p.PeerID == "" || p.RequestID == "":
		return nil, invalidParams("peer_id and request_id are required")
	case !slices.Contains([]string{comms.StatusCompleted, comms.StatusFailed, comms.StatusCancelled}, p.Status):
		return nil, invalidParams("status must be completed, failed or cancelled")
	case p.Result == nil:
		return nil, invalidParams("result is required")
	}
	cm, err := s.commsSession(c, p.SessionID)
	if err != nil {
		return nil, err
	}
	cm.peer.Forget(p.RequestID)
	in := comms.Inbound{From: comms.PeerInfo{PeerID: p.PeerID, Name: p.DisplayName},
		Envelope: comms.Envelope{Kind: comms.KindResponse, ID: uuid.NewString(), InReplyTo: p.RequestID, Status: p.Status, Result: p.Result}}
	if !cm.add([]llm.Block{llm.Text(in.Text())}, comms.HandlingQueue) {
		return nil, session.ErrPendingFull
	}
	return wire.AcceptResult{OutcomeType: "accepted", InputID: in.ID}, nil
}
