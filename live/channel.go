package live

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/tool"
)

// TurningMode says who ends the user's turn.
type TurningMode string

// Turning modes of live/open.
const (
	// ProviderManaged: the provider's voice activity detection commits
	// audio and answers; live/commit_input only asks for a response.
	ProviderManaged TurningMode = "provider_managed"
	// ExplicitCommit: the caller commits audio with live/commit_input.
	ExplicitCommit TurningMode = "explicit_commit"
)

// Sentinel errors of channels; match with errors.Is.
var (
	ErrNotFound = errors.New("live: channel not found")
	ErrClosed   = errors.New("live: channel closed")
	ErrExists   = errors.New("live: the session already has a live channel")
	ErrLimit    = errors.New("live: too many live channels")
)

// Channel is one live channel. Its methods are safe for concurrent use.
type Channel struct {
	id, sessionID string
	m             *Manager
	provider      llm.RealtimeProvider
	turning       TurningMode
	tools         []tool.Tool // extra tools of the opener (callback tools)

	in      chan llm.RealtimeCommand
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}
	toolsWG sync.WaitGroup

	mu         sync.Mutex
	cfg        llm.RealtimeConfig
	toolSet    *tool.Set
	state      State
	pending    int // audio bytes queued
	audioSince bool
	resampler  *Resampler // of the client's last sample rate
	subs       map[*Subscription]struct{}
	responding bool
	textOnly   bool            // the modality asked for by the last commit, kept after tool calls
	calls      int             // tool calls of the current response still running
	followUp   bool            // the current response ended in tool use: respond when calls reach 0
	exchange   []llm.Message   // the uncommitted exchange
	answer     llm.Message     // the assistant message of the current response, without its text
	answerText strings.Builder // the text of the current response, its first block once it ends
	hasText    bool            // the current response has a text block, even an empty one
	results    []llm.Block     // tool results of the current response
	usage      llm.Usage
}

// ID returns the channel id.
func (c *Channel) ID() string { return c.id }

// SessionID returns the id of the channel's session.
func (c *Channel) SessionID() string { return c.sessionID }

// State returns the channel's current state.
func (c *Channel) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// Done is closed when the channel has closed and its goroutines stopped.
func (c *Channel) Done() <-chan struct{} { return c.done }

// setState changes the state and tells the subscribers. Runs under c.mu.
func (c *Channel) setStateLocked(s State) {
	if c.state.Status == s.Status && len(s.Reason) == 0 {
		return
	}
	c.state = s
	st := s
	c.publishLocked(Observation{Kind: ObsStatusChanged, Status: &st})
	if s.Status == StatusReady {
		c.publishLocked(Observation{Kind: ObsReady})
	}
}

// enqueue queues a command for the provider without blocking; a full queue
// or too much pending audio is input_backpressured.
func (c *Channel) enqueue(cmd llm.RealtimeCommand) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.enqueueLocked(cmd)
}

func (c *Channel) enqueueLocked(cmd llm.RealtimeCommand) error {
	if err := c.openLocked(); err != nil {
		return err
	}
	if c.pending+len(cmd.Audio) > c.m.cfg.MaxPendingAudio {
		return reject(Reason{"kind": "input_backpressured", "max_pending_bytes": c.m.cfg.MaxPendingAudio})
	}
	select {
	case c.in <- cmd:
		c.pending += len(cmd.Audio)
		return nil
	default:
		return reject(Reason{"kind": "input_backpressured", "max_pending_bytes": c.m.cfg.MaxPendingAudio})
	}
}

// openLocked fails with ErrClosed once the channel is closing.
func (c *Channel) openLocked() error {
	switch c.state.Status {
	case StatusClosing, StatusClosed:
		return fmt.Errorf("%w: %s", ErrClosed, c.id)
	}
	return nil
}

// Send queues one validated input chunk (see ParseChunk).
func (c *Channel) Send(ch Chunk) error {
	switch ch.Kind {
	case ChunkText:
		c.mu.Lock()
		defer c.mu.Unlock()
		if err := c.enqueueLocked(llm.RealtimeCommand{Type: llm.RTUserText, Text: ch.Text}); err != nil {
			return err
		}
		c.addUserLocked(llm.Text(ch.Text))
		return nil
	case ChunkAudio:
		return c.SendAudio(ch.Audio, ch.SampleRateHz, ch.Channels)
	}
	return reject(Reason{"kind": "unsupported_input_chunk_variant"})
}

// SendAudio queues PCM16 LE audio at rate Hz with channels interleaved
// channels, resampled to the provider's 24 kHz mono.
func (c *Channel) SendAudio(pcm []byte, rate, channels int) error {
	if err := (Chunk{Kind: ChunkAudio, Audio: pcm, SampleRateHz: rate, Channels: channels}).checkAudio(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cfg.InputFormat == llm.AudioG711ULaw {
		return reject(Reason{"kind": "audio_input_format_mismatch", "expected_sample_rate_hz": 8000, "expected_channels": 1,
			"actual_sample_rate_hz": rate, "actual_channels": channels})
	}
	if rate != llm.RealtimeSampleRate || channels != 1 {
		if c.resampler == nil || c.resampler.from != rate {
			r, err := NewResampler(rate, llm.RealtimeSampleRate)
			if err != nil {
				return reject(Reason{"kind": "other", "detail": err.Error()})
			}
			c.resampler = r
		}
		pcm = pcmBytes(c.resampler.Process(nil, pcmSamples(pcm, channels)))
	}
	if len(pcm) == 0 {
		return nil
	}
	if err := c.enqueueLocked(llm.RealtimeCommand{Type: llm.RTAppendAudio, Audio: pcm}); err != nil {
		return err
	}
	c.audioSince = true
	return nil
}

// G711 reports whether the channel speaks G.711 μ-law both ways (see
// OpenRequest.G711): input through SendULaw, assistant audio as μ-law.
func (c *Channel) G711() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cfg.InputFormat == llm.AudioG711ULaw
}

// SendULaw queues G.711 μ-law audio (8 kHz mono) on a G.711 channel, as is.
func (c *Channel) SendULaw(b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cfg.InputFormat != llm.AudioG711ULaw {
		return reject(Reason{"kind": "audio_input_format_mismatch", "expected_sample_rate_hz": llm.RealtimeSampleRate,
			"expected_channels": 1, "actual_sample_rate_hz": 8000, "actual_channels": 1})
	}
	if len(b) > MaxAudioBytes {
		return tooLarge(MaxAudioBytes, len(b))
	}
	if err := c.enqueueLocked(llm.RealtimeCommand{Type: llm.RTAppendAudio, Audio: b}); err != nil {
		return err
	}
	c.audioSince = true
	return nil
}

// Commit ends the user's turn and asks for a response (text only when
// textOnly, else the channel's default modality).
func (c *Channel) Commit(textOnly bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.turning == ExplicitCommit && c.audioSince {
		if err := c.enqueueLocked(llm.RealtimeCommand{Type: llm.RTCommitAudio}); err != nil {
			return err
		}
		c.audioSince = false
	}
	c.textOnly = textOnly || c.cfg.TextOnly
	if err := c.enqueueLocked(llm.RealtimeCommand{Type: llm.RTRespond, TextOnly: c.textOnly}); err != nil {
		return err
	}
	c.responding = true
	return nil
}

// Interrupt cancels the response in progress (barge-in); without one it
// does nothing.
func (c *Channel) Interrupt() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.responding {
		return c.openLocked()
	}
	if err := c.enqueueLocked(llm.RealtimeCommand{Type: llm.RTCancel}); err != nil {
		return err
	}
	c.publishLocked(Observation{Kind: ObsTurnInterrupted})
	return nil
}

// Truncate cuts assistant item itemID at the client's playback cursor.
func (c *Channel) Truncate(itemID string, contentIndex, playedMS int) error {
	if itemID == "" || contentIndex < 0 || playedMS < 0 {
		return reject(Reason{"kind": "other", "detail": "truncate needs an item_id and non-negative content_index and audio_played_ms"})
	}
	return c.enqueue(llm.RealtimeCommand{Type: llm.RTTruncate, ItemID: itemID, ContentIndex: contentIndex, AudioEndMS: playedMS})
}

// Refresh applies the session's current instructions and tools to the open
// provider session without reopening it. A model or provider swap needs a
// close and a new open.
func (c *Channel) Refresh(ctx context.Context) error {
	view, err := c.m.view(ctx, c.sessionID, c.tools)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if view.Model.ID != c.cfg.Model {
		return reject(Reason{"kind": "refresh_model_swap", "from_model": c.cfg.Model, "to_model": view.Model.ID})
	}
	c.cfg.Instructions, c.cfg.Tools, c.toolSet = view.Instructions, view.Tools.Defs(), view.Tools
	return c.enqueueLocked(llm.RealtimeCommand{Type: llm.RTUpdate, Config: c.cfg})
}

// Close closes the channel and waits for its goroutines. A reason other
// than "" is reported on the closed state (a channel already closing keeps
// its own).
func (c *Channel) Close(reason string) {
	c.mu.Lock()
	if c.state.Status != StatusClosed && c.state.Status != StatusClosing {
		var r Reason
		if reason != "" {
			r = Reason{"kind": "other", "detail": reason}
		}
		c.setStateLocked(State{Status: StatusClosing})
		c.state.Reason = r
	}
	c.mu.Unlock()
	c.cancel()
	<-c.done
}

// run owns the provider sessions: it opens one, writes queued commands to
// it, and on a lost socket turns the channel degraded and reopens it (up to
// Config.Reconnects times in a row) or closes it with the reason.
func (c *Channel) run(history []llm.Message) {
	defer c.finish()
	failures := 0
	for {
		c.mu.Lock()
		cfg := c.cfg
		c.mu.Unlock()
		cfg.History = history
		conn, err := c.provider.OpenRealtime(c.ctx, cfg)
		if err == nil {
			err = c.serve(conn)
			if c.ctx.Err() != nil {
				return
			}
			failures = 0
		}
		if c.ctx.Err() != nil {
			return
		}
		failures++
		c.mu.Lock()
		c.dropResponseLocked()
		c.setStateLocked(State{Status: StatusDegraded, Reason: Reason{"kind": "network_unstable"}})
		c.publishLocked(Observation{Kind: ObsError, Code: "connection_lost", Message: err.Error()})
		c.mu.Unlock()
		if failures > c.m.cfg.Reconnects {
			c.mu.Lock()
			c.state = State{Status: StatusClosing, Reason: Reason{"kind": "other", "detail": "provider connection lost: " + err.Error()}}
			c.mu.Unlock()
			return
		}
		select {
		case <-c.ctx.Done():
			return
		case <-time.After(c.m.cfg.ReconnectDelay):
		}
		if view, verr := c.m.view(c.ctx, c.sessionID, c.tools); verr == nil {
			history = view.History // reopen from the canonical history, committed exchanges included
		}
	}
}

// serve writes queued commands to conn while a reader goroutine handles its
// events; it returns when the channel closes (nil) or the socket is lost.
func (c *Channel) serve(conn llm.RealtimeConn) error {
	lost := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		lost <- c.read(conn)
	}()
	defer func() {
		conn.Close()
		wg.Wait()
	}()
	for {
		select {
		case <-c.ctx.Done():
			return nil
		case err := <-lost:
			return err
		case cmd := <-c.in:
			if n := len(cmd.Audio); n > 0 {
				c.mu.Lock()
				c.pending -= n
				c.mu.Unlock()
			}
			if err := conn.Send(c.ctx, cmd); err != nil {
				return err
			}
		}
	}
}

// read handles provider events until the session ends.
func (c *Channel) read(conn llm.RealtimeConn) error {
	for {
		ev, err := conn.Recv(c.ctx)
		if err != nil {
			return err
		}
		c.handle(ev)
	}
}

// handle turns one provider event into observations and history. An
// exchange that ends is committed after c.mu is released, so input is not
// held up by the store; events are handled one at a time on the reader, so
// commits keep their order.
func (c *Channel) handle(ev llm.RealtimeEvent) {
	if ex, ok := c.apply(ev); ok {
		if err := c.m.commit(c.ctx, c.sessionID, ex); err != nil {
			c.mu.Lock()
			c.publishLocked(Observation{Kind: ObsError, Code: "internal_error", Message: "committing the exchange: " + err.Error()})
			c.mu.Unlock()
		}
	}
}

// apply does the work of handle under c.mu and returns the exchange to
// commit, if the event ended one.
func (c *Channel) apply(ev llm.RealtimeEvent) (session.LiveExchange, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	obs := Observation{ResponseID: ev.ResponseID}
	switch ev.Type {
	case llm.RTReady:
		if c.state.Status == StatusOpening || c.state.Status == StatusDegraded {
			c.setStateLocked(State{Status: StatusReady})
		}
		return session.LiveExchange{}, false
	case llm.RTSpeechStarted, llm.RTSpeechStopped:
		kind := "speech_started"
		if ev.Type == llm.RTSpeechStopped {
			kind = "speech_stopped"
		}
		obs.Kind, obs.Event = ObsRealtimeTranscript, map[string]any{"kind": kind}
	case llm.RTInputCommitted:
		c.addUserLocked(llm.Text(audioRef(ev.ItemID)))
		obs.Kind, obs.ItemID, obs.ContentIndex, obs.MediaType = ObsUserCommitted, ev.ItemID, intp(0), "audio/pcm"
		obs.IdempotencyKey = new(string)
	case llm.RTUserTranscript:
		c.addTranscriptLocked(ev.ItemID, ev.Text)
		obs.Kind, obs.Text, obs.ProviderItemID = ObsUserTranscript, ev.Text, ev.ItemID
	case llm.RTTextDelta:
		c.responding = true
		c.addAnswerText(ev.Text)
		obs.Kind, obs.Delta, obs.ProviderItemID = ObsTextDelta, ev.Text, ev.ItemID
	case llm.RTTranscriptDelta:
		c.responding = true
		c.addAnswerText(ev.Text)
		obs.Kind, obs.Delta, obs.ProviderItemID = ObsTranscriptDelta, ev.Text, ev.ItemID
	case llm.RTAudioDelta:
		c.responding = true
		obs.Kind, obs.Audio, obs.SampleRateHz, obs.Channels = ObsAudioChunk, ev.Audio, llm.RealtimeSampleRate, 1
		if c.cfg.OutputFormat == llm.AudioG711ULaw {
			obs.SampleRateHz = 8000 // μ-law bytes
		}
		obs.ItemID, obs.ContentIndex = ev.ItemID, intp(ev.ContentIndex)
	case llm.RTToolCall:
		c.responding = true
		c.startToolLocked(*ev.ToolCall)
		obs.Kind, obs.ProviderCallID, obs.ToolName, obs.Arguments = ObsToolCall, ev.ToolCall.ID, ev.ToolCall.Name, argsJSON(ev.ToolCall.Args)
	case llm.RTTruncated:
		obs.Kind, obs.ProviderItemID, obs.AudioEndMS = ObsTranscriptTruncate, ev.ItemID, intp(ev.AudioEndMS)
	case llm.RTError, llm.RTRateLimited:
		if ev.Err.Kind == llm.KindRateLimited && c.state.Status == StatusReady {
			c.setStateLocked(State{Status: StatusDegraded, Reason: Reason{"kind": "rate_limited"}})
		}
		obs.Kind, obs.Code, obs.Message = ObsError, string(ev.Err.Kind), ev.Err.Message
	case llm.RTResponseDone:
		return c.responseDoneLocked(ev)
	default:
		return session.LiveExchange{}, false
	}
	c.publishLocked(obs)
	return session.LiveExchange{}, false
}

func argsJSON(raw []byte) []byte {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return []byte("{}")
	}
	return raw
}

func (c *Channel) addUserLocked(b llm.Block) {
	if n := len(c.exchange); n > 0 && c.exchange[n-1].Role == llm.RoleUser && !llm.OnlyToolResults(c.exchange[n-1].Content) {
		c.exchange[n-1].Content = append(c.exchange[n-1].Content, b)
		return
	}
	c.exchange = append(c.exchange, llm.Message{Role: llm.RoleUser, Content: []llm.Block{b}})
}

// audioRef is the text block that stands for committed user audio in the
// history: the provider's item id, followed by its transcript when one
// arrives in time.
func audioRef(itemID string) string { return "[live audio input " + itemID + "]" }

// addTranscriptLocked puts a transcript before its audio reference in the
// uncommitted exchange. A transcript that arrives after its exchange was
// committed is only observed.
func (c *Channel) addTranscriptLocked(itemID, text string) {
	ref := audioRef(itemID)
	for i := range c.exchange {
		m := &c.exchange[i]
		if m.Role != llm.RoleUser {
			continue
		}
		if j := slices.IndexFunc(m.Content, func(b llm.Block) bool { return b.Text == ref }); j >= 0 {
			m.Content = slices.Insert(m.Content, j, llm.Text(text))
			return
		}
	}
}

func (c *Channel) addAnswerText(s string) {
	c.answerText.WriteString(s)
	c.hasText = true
}

// responseDoneLocked ends a response: after tool calls it waits for their
// results and asks again; otherwise the exchange is a turn boundary and is
// returned for the caller to commit to the session's history once it has
// released c.mu.
func (c *Channel) responseDoneLocked(ev llm.RealtimeEvent) (session.LiveExchange, bool) {
	if c.state.Status == StatusDegraded && c.state.Reason["kind"] == "rate_limited" {
		c.setStateLocked(State{Status: StatusReady})
	}
	c.responding = false
	c.usage = c.usage.Add(ev.Usage)
	if c.hasText {
		c.answer.Content = slices.Insert(c.answer.Content, 0, llm.Text(c.answerText.String()))
		c.answerText.Reset()
		c.hasText = false
	}
	if len(c.answer.Content) > 0 {
		c.answer.Role = llm.RoleAssistant
		c.exchange = append(c.exchange, c.answer)
	}
	text := c.answer.PlainText()
	c.answer = llm.Message{}
	usage := ev.Usage
	if text != "" {
		c.publishLocked(Observation{Kind: ObsTranscriptFinal, ResponseID: ev.ResponseID, ProviderItemID: ev.ItemID,
			Text: text, StopReason: ev.StopReason, Usage: &usage})
	}
	if ev.Err != nil {
		c.publishLocked(Observation{Kind: ObsError, Code: "provider_error", Message: ev.Err.Error()})
	}
	if ev.StopReason == llm.StopToolUse {
		c.followUp = true
		c.respondAfterToolsLocked()
		return session.LiveExchange{}, false
	}
	c.publishLocked(Observation{Kind: ObsTurnCompleted, ResponseID: ev.ResponseID, StopReason: ev.StopReason, Usage: &usage})
	ex := session.LiveExchange{Messages: c.exchange, StopReason: ev.StopReason, Usage: c.usage}
	c.exchange, c.usage = nil, llm.Usage{}
	return ex, true
}

// dropResponseLocked forgets a response the lost socket cut short.
func (c *Channel) dropResponseLocked() {
	c.responding, c.followUp, c.answer, c.results = false, false, llm.Message{}, nil
	c.answerText.Reset()
	c.hasText = false
}

// startToolLocked runs a tool call on its own goroutine; its result goes
// back to the model.
func (c *Channel) startToolLocked(call llm.ToolCall) {
	c.answer.Content = append(c.answer.Content, llm.Block{Type: llm.BlockToolUse, ID: call.ID, Name: call.Name, Args: argsJSON(call.Args)})
	c.calls++
	t, ok := c.toolSet.Lookup(call.Name)
	c.toolsWG.Add(1)
	go func() {
		defer c.toolsWG.Done()
		res := tool.ErrorResult("unknown tool " + call.Name)
		if ok {
			ctx, cancel := context.WithTimeout(tool.WithCallID(c.ctx, call.ID), c.m.cfg.ToolTimeout)
			r, err := t.Call(ctx, argsJSON(call.Args))
			cancel()
			if res = r; err != nil {
				res = tool.ErrorResult(err.Error())
			}
		}
		text := llm.Message{Content: res.Content}.PlainText()
		c.mu.Lock()
		defer c.mu.Unlock()
		c.calls--
		if c.ctx.Err() != nil {
			return
		}
		c.results = append(c.results, llm.Block{Type: llm.BlockToolResult, ID: call.ID, Text: text, IsError: res.IsError})
		if err := c.enqueueLocked(llm.RealtimeCommand{Type: llm.RTToolResult, CallID: call.ID, Text: text}); err != nil {
			c.publishLocked(Observation{Kind: ObsError, Code: "internal_error", Message: "returning a tool result: " + err.Error()})
		}
		c.respondAfterToolsLocked()
	}()
}

// respondAfterToolsLocked asks for the next response once the response
// ended in tool use and every call has its result queued.
func (c *Channel) respondAfterToolsLocked() {
	if !c.followUp || c.calls > 0 {
		return
	}
	c.followUp = false
	if len(c.results) > 0 { // after the assistant message that made the calls
		c.exchange = append(c.exchange, llm.Message{Role: llm.RoleUser, Content: c.results})
		c.results = nil
	}
	if err := c.enqueueLocked(llm.RealtimeCommand{Type: llm.RTRespond, TextOnly: c.textOnly}); err != nil {
		c.publishLocked(Observation{Kind: ObsError, Code: "internal_error", Message: "continuing after tools: " + err.Error()})
	}
}

// finish marks the channel closed once run has returned and the tool calls
// stopped, and releases its subscribers.
func (c *Channel) finish() {
	c.cancel()
	c.toolsWG.Wait()
	c.mu.Lock()
	reason := c.state.Reason
	c.setStateLocked(State{Status: StatusClosed, Reason: reason})
	for s := range c.subs {
		s.closeLocked()
	}
	c.subs = nil
	c.mu.Unlock()
	c.m.remove(c)
	close(c.done)
}

// Subscription receives a channel's observations through a bounded buffer.
// A subscriber that falls behind is dropped: C is closed.
type Subscription struct {
	c      *Channel
	ch     chan Observation
	closed bool
}

// Subscribe returns a subscription with a buffer of n observations (at
// least 1). On a closed channel C is closed at once.
func (c *Channel) Subscribe(n int) *Subscription {
	s := &Subscription{c: c, ch: make(chan Observation, max(n, 1))}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.subs == nil {
		s.closeLocked()
		return s
	}
	c.subs[s] = struct{}{}
	return s
}

// C delivers the observations.
func (s *Subscription) C() <-chan Observation { return s.ch }

// Close stops the subscription.
func (s *Subscription) Close() {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	delete(s.c.subs, s)
	s.closeLocked()
}

func (s *Subscription) closeLocked() {
	if !s.closed {
		s.closed = true
		close(s.ch)
	}
}

// publishLocked hands o to every subscriber without blocking.
func (c *Channel) publishLocked(o Observation) {
	for s := range c.subs {
		select {
		case s.ch <- o:
		default:
			delete(c.subs, s)
			s.closeLocked()
		}
	}
}
