package agentpeer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/realtime/peer"
	"github.com/rkat-dev/rkat/session"
)

// Session labels of a conversation.
const (
	LabelAgent        = "agentpeer.agent"
	LabelChannel      = "agentpeer.channel"
	LabelConversation = "agentpeer.conversation"
)

// conversation is one session the agent talks in. Its queue and busy flag
// are guarded by run.mu; sessionID belongs to its worker.
type conversation struct {
	key       string
	queue     []prompt
	busy      bool
	sessionID string
}

// prompt is one queued prompt: the text given to the model, who sent it,
// and where the answer goes ("" for the channel).
type prompt struct {
	text string
	from string
	to   string
}

// enqueue adds p to its conversation, starting the conversation's worker
// if it has none. A full queue, or too many busy conversations, is
// answered with chat.error.
func (r *run) enqueue(key string, p prompt) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	c := r.convs[key]
	if c == nil {
		if len(r.convs) >= maxIdleConversations+r.a.cfg.MaxConversations {
			r.forgetIdleLocked()
		}
		c = &conversation{key: key}
		if key == channelKey {
			c.sessionID = r.a.cfg.ChannelSession
		}
		r.convs[key] = c
	}
	var refusal string
	switch {
	case len(c.queue) >= r.a.cfg.MaxQueue:
		refusal = fmt.Sprintf("busy: %d prompts are already waiting in this conversation", len(c.queue))
	case !c.busy && r.busy >= r.a.cfg.MaxConversations:
		refusal = fmt.Sprintf("busy: the agent is answering %d conversations", r.busy)
	default:
		c.queue = append(c.queue, p)
		if !c.busy {
			c.busy = true
			r.busy++
			r.workers.Go(func() { r.work(c) })
		}
	}
	r.mu.Unlock()
	if refusal != "" {
		r.reply(p.to, ChatError{Type: TypeChatError, Turn: newTurnID(), Error: refusal, InReplyTo: p.from})
	}
}

// forgetIdleLocked drops every idle conversation from memory.
func (r *run) forgetIdleLocked() {
	for k, c := range r.convs {
		if !c.busy {
			delete(r.convs, k)
		}
	}
}

// forget drops the direct conversation of a peer that left, unless busy.
func (r *run) forget(peerID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c := r.convs["direct:"+peerID]; c != nil && !c.busy {
		delete(r.convs, c.key)
	}
}

// work runs c's queued prompts one at a time until the queue is empty.
func (r *run) work(c *conversation) {
	for {
		r.mu.Lock()
		if len(c.queue) == 0 || r.ctx.Err() != nil {
			c.queue = nil
			c.busy = false
			r.busy--
			r.mu.Unlock()
			return
		}
		p := c.queue[0]
		c.queue = c.queue[1:]
		r.mu.Unlock()
		r.turn(c, p)
	}
}

// turn runs one prompt on c's session, streaming the answer.
func (r *run) turn(c *conversation, p prompt) {
	out := &stream{r: r, turn: newTurnID(), p: p}
	text, err := r.runTurn(c, p, out.onEvent)
	if err != nil {
		out.fail(err)
		return
	}
	out.finish(text)
}

// runTurn finds or creates c's session and runs p on it, passing the run's
// events to onEvent; it returns the answer's text.
func (r *run) runTurn(c *conversation, p prompt, onEvent func(session.Envelope)) (string, error) {
	cfg := r.a.cfg
	if c.sessionID == "" {
		id, err := r.findSession(c.key)
		if err != nil {
			return "", err
		}
		c.sessionID = id
	}
	blocks := []llm.Block{llm.Text(p.text)}
	if c.sessionID != "" {
		res, err := cfg.Sessions.Turn(r.ctx, session.TurnRequest{
			SessionID: c.sessionID, Prompt: blocks, Model: cfg.Model, Provider: cfg.Provider,
			SystemPrompt: cfg.SystemPrompt, OnEvent: onEvent,
		})
		if errors.Is(err, session.ErrNotFound) || errors.Is(err, session.ErrArchived) {
			c.sessionID = "" // gone (archived by someone): start afresh below
		} else {
			return res.Text, err
		}
	}
	cr, err := r.createSession(c.key, blocks, onEvent)
	c.sessionID = cr.SessionID
	if err != nil || cr.Run == nil {
		return "", err
	}
	return cr.Run.Text, nil
}

// createSession creates the session of conversation key, labelled so that
// findSession finds it, and runs its first turn on blocks.
func (r *run) createSession(key string, blocks []llm.Block, onEvent func(session.Envelope)) (session.CreateResult, error) {
	cfg := r.a.cfg
	return cfg.Sessions.Create(r.ctx, session.CreateRequest{
		Prompt: blocks, Model: cfg.Model, Provider: cfg.Provider, SystemPrompt: cfg.SystemPrompt,
		AdditionalInstructions: []string{r.instructions(key)},
		Labels:                 map[string]string{LabelAgent: cfg.Name, LabelChannel: cfg.Channel, LabelConversation: key},
		OnEvent:                onEvent,
	})
}

// findSession returns the newest active session of the conversation, or ""
// when there is none.
func (r *run) findSession(key string) (string, error) {
	cfg := r.a.cfg
	res, err := cfg.Sessions.List(r.ctx, session.ListRequest{
		Labels: map[string]string{LabelAgent: cfg.Name, LabelChannel: cfg.Channel, LabelConversation: key},
		Limit:  1,
	})
	if err != nil {
		return "", fmt.Errorf("find conversation: %w", err)
	}
	if len(res.Sessions) == 0 {
		return "", nil
	}
	return res.Sessions[0].ID, nil
}

// instructions tell the model where it is talking.
func (r *run) instructions(key string) string {
	cfg := r.a.cfg
	if key == channelKey {
		return fmt.Sprintf("You are %s, taking part in the realtime channel %q. Every message here was sent to everyone in the channel and starts with the sender's name; your answers go to everyone.", cfg.Name, cfg.Channel)
	}
	return fmt.Sprintf("You are %s, in the realtime channel %q. This conversation is private: direct messages from the peer %s, answered to them alone.", cfg.Name, cfg.Channel, strings.TrimPrefix(key, "direct:"))
}

// stream sends one turn's answer: deltas while the rate limit has room
// (coalesced into the next one while it has none), tool activity, then the
// full text or an error. Deltas are a preview: together they are a prefix
// of the text, all of it unless the agent was throttled.
type stream struct {
	r       *run
	turn    string
	p       prompt
	pending strings.Builder
}

func (s *stream) onEvent(env session.Envelope) {
	switch ev := env.Event.(type) {
	case event.TextDelta:
		s.pending.WriteString(ev.Delta)
		if s.r.lim.Allow() {
			s.flush()
		}
	case event.ToolExecutionStarted:
		_ = s.sendWait(ChatTool{Type: TypeChatTool, Turn: s.turn, Name: ev.Name, Status: ToolStarted})
	case event.ToolExecutionCompleted:
		_ = s.sendWait(ChatTool{Type: TypeChatTool, Turn: s.turn, Name: ev.Name, Status: ToolDone})
	}
}

// flush sends the pending deltas as one chat.delta (a token is already taken).
func (s *stream) flush() {
	if s.pending.Len() == 0 {
		return
	}
	d := s.pending.String()
	s.pending.Reset()
	_ = s.r.send(s.p.to, ChatDelta{Type: TypeChatDelta, Turn: s.turn, Delta: d})
}

// finish sends the last deltas if the rate limit has room, then the full
// text.
func (s *stream) finish(text string) {
	if s.pending.Len() > 0 && s.r.lim.Allow() {
		s.flush()
	}
	var big *peer.OversizedError
	if err := s.sendWait(Chat{Type: TypeChat, Turn: s.turn, Text: text, InReplyTo: s.p.from}); errors.As(err, &big) {
		s.fail(fmt.Errorf("the answer is %d bytes, more than the server carries in one message (%d)", big.Size, big.Cap))
	}
}

// sendWait waits for a token, then sends data.
func (s *stream) sendWait(data any) error {
	if err := s.r.lim.Wait(s.r.ctx); err != nil {
		return err
	}
	return s.r.send(s.p.to, data)
}

// fail ends the turn with chat.error.
func (s *stream) fail(err error) {
	if s.r.ctx.Err() != nil {
		return // shutting down: nobody to tell
	}
	_ = s.sendWait(ChatError{Type: TypeChatError, Turn: s.turn, Error: err.Error(), InReplyTo: s.p.from})
}
