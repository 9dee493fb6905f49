package scripted

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"

	"github.com/rkat-dev/rkat/llm"
)

// realtimeQueue bounds the events a scripted realtime session holds for its
// reader; a full queue makes the session wait for the reader.
const realtimeQueue = 1024

// ErrRealtimeClosed is returned by a closed scripted realtime session.
var ErrRealtimeClosed = errors.New("scripted: realtime session closed")

// OpenRealtime opens an offline realtime session (see the package doc).
func (p *Provider) OpenRealtime(ctx context.Context, cfg llm.RealtimeConfig) (llm.RealtimeConn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c := &rtConn{p: p, cfg: cfg, conv: slices.Clone(cfg.History), events: make(chan llm.RealtimeEvent, realtimeQueue),
		closed: make(chan struct{})}
	c.emit(llm.RealtimeEvent{Type: llm.RTReady})
	return c, nil
}

// rtConn is one scripted realtime session. Commands run on the caller's
// goroutine; a response streams on a goroutine of its own (so that a cancel
// can stop it), which Close waits for.
type rtConn struct {
	p      *Provider
	events chan llm.RealtimeEvent
	closed chan struct{}
	once   sync.Once
	wg     sync.WaitGroup

	mu       sync.Mutex
	cfg      llm.RealtimeConfig
	conv     []llm.Message
	buffer   []byte // uncommitted user audio
	echo     []byte // the last committed user audio, echoed back
	speaking bool
	items    map[string]bool
	nextID   int
	cancel   context.CancelFunc // of the response in progress
}

func (c *rtConn) id(prefix string) string {
	c.nextID++
	return fmt.Sprintf("%s_%d", prefix, c.nextID)
}

// emit queues ev for Recv; it waits while the queue is full.
func (c *rtConn) emit(ev llm.RealtimeEvent) {
	select {
	case c.events <- ev:
	case <-c.closed:
	}
}

func (c *rtConn) fail(code, msg string) {
	c.emit(llm.RealtimeEvent{Type: llm.RTError, Err: &llm.Error{Provider: Name, Kind: llm.KindInvalid, Message: code + ": " + msg}})
}

// Recv returns the next event.
func (c *rtConn) Recv(ctx context.Context) (llm.RealtimeEvent, error) {
	select {
	case ev := <-c.events:
		return ev, nil
	case <-c.closed:
		return llm.RealtimeEvent{}, ErrRealtimeClosed
	case <-ctx.Done():
		c.Close()
		return llm.RealtimeEvent{}, ctx.Err()
	}
}

// Close ends the session and waits for a streaming response to stop.
func (c *rtConn) Close() error {
	c.once.Do(func() {
		close(c.closed)
		c.mu.Lock()
		if c.cancel != nil {
			c.cancel()
		}
		c.mu.Unlock()
	})
	c.wg.Wait()
	return nil
}

// Send applies one command.
func (c *rtConn) Send(ctx context.Context, cmd llm.RealtimeCommand) error {
	select {
	case <-c.closed:
		return ErrRealtimeClosed
	default:
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch cmd.Type {
	case llm.RTUpdate:
		history := c.cfg.History
		c.cfg = cmd.Config
		c.cfg.History = history
		c.emit(llm.RealtimeEvent{Type: llm.RTReady})
	case llm.RTAppendAudio:
		c.buffer = append(c.buffer, cmd.Audio...)
		if c.cfg.ServerVAD {
			c.detect(cmd.Audio)
		}
	case llm.RTCommitAudio:
		if len(c.buffer) == 0 {
			c.fail("input_audio_buffer_commit_empty", "the audio buffer is empty")
			return nil
		}
		c.commit()
	case llm.RTUserText:
		c.addUser(llm.Text(cmd.Text))
	case llm.RTToolResult:
		c.addUser(llm.Block{Type: llm.BlockToolResult, ID: cmd.CallID, Text: cmd.Text})
	case llm.RTRespond:
		c.respond(cmd.TextOnly || c.cfg.TextOnly)
	case llm.RTCancel:
		if c.cancel == nil {
			c.fail("response_cancel_not_active", "no active response")
			return nil
		}
		c.cancel()
	case llm.RTTruncate:
		if !c.items[cmd.ItemID] {
			c.fail("item_truncate_invalid_item_id", "unknown item "+cmd.ItemID)
			return nil
		}
		c.emit(llm.RealtimeEvent{Type: llm.RTTruncated, ItemID: cmd.ItemID, ContentIndex: cmd.ContentIndex, AudioEndMS: cmd.AudioEndMS})
	default:
		return fmt.Errorf("scripted: unknown realtime command %d", cmd.Type)
	}
	return nil
}

func (c *rtConn) addUser(b llm.Block) {
	if n := len(c.conv); n > 0 && c.conv[n-1].Role == llm.RoleUser {
		c.conv[n-1].Content = append(slices.Clip(c.conv[n-1].Content), b)
		return
	}
	c.conv = append(c.conv, llm.Message{Role: llm.RoleUser, Content: []llm.Block{b}})
}

// detect is the scripted server VAD: a loud chunk starts speech, a silent
// chunk after speech ends it, commits the buffer and answers.
func (c *rtConn) detect(chunk []byte) {
	loud := false
	for i := 0; i+1 < len(chunk); i += 2 {
		if v := int16(binary.LittleEndian.Uint16(chunk[i:])); v > 500 || v < -500 {
			loud = true
			break
		}
	}
	switch {
	case loud && !c.speaking:
		c.speaking = true
		c.emit(llm.RealtimeEvent{Type: llm.RTSpeechStarted})
	case !loud && c.speaking:
		c.speaking = false
		c.emit(llm.RealtimeEvent{Type: llm.RTSpeechStopped})
		c.commit()
		c.respond(c.cfg.TextOnly)
	}
}

// commit turns the audio buffer into a user item with a transcript that
// names its length ("audio of 100 ms").
func (c *rtConn) commit() {
	id := c.id("item")
	ms := len(c.buffer) / (2 * llm.RealtimeSampleRate / 1000)
	c.echo, c.buffer = c.buffer, nil
	text := fmt.Sprintf("audio of %d ms", ms)
	c.emit(llm.RealtimeEvent{Type: llm.RTInputCommitted, ItemID: id})
	c.emit(llm.RealtimeEvent{Type: llm.RTUserTranscript, ItemID: id, Text: text})
	c.addUser(llm.Text(text))
}

// respond streams the scripted answer to the conversation. It runs under
// c.mu and starts the streaming goroutine.
func (c *rtConn) respond(textOnly bool) {
	if c.cancel != nil {
		c.fail("conversation_already_has_active_response", "a response is in progress")
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	req := &llm.Request{Model: c.cfg.Model, System: c.cfg.Instructions, Tools: c.cfg.Tools, Messages: slices.Clone(c.conv)}
	respID, itemID := c.id("resp"), c.id("item")
	if c.items == nil {
		c.items = map[string]bool{}
	}
	c.items[itemID] = true
	echo := c.echo
	c.echo = nil
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer cancel()
		msg, done := c.stream(ctx, req, respID, itemID, textOnly, echo)
		c.mu.Lock()
		c.cancel = nil
		if len(msg.Content) > 0 {
			c.conv = append(c.conv, msg)
		}
		c.mu.Unlock()
		c.emit(done)
	}()
}

// stream plays one scripted call as realtime events and returns the
// assistant message it produced and the closing event.
func (c *rtConn) stream(ctx context.Context, req *llm.Request, respID, itemID string, textOnly bool, echo []byte) (llm.Message, llm.RealtimeEvent) {
	done := llm.RealtimeEvent{Type: llm.RTResponseDone, ResponseID: respID, ItemID: itemID, StopReason: llm.StopEndTurn}
	msg := llm.Message{Role: llm.RoleAssistant}
	st, err := c.p.Stream(ctx, req)
	if err != nil {
		return msg, c.failed(done, err)
	}
	defer st.Close()
	var text string
	chunk := 0
	for {
		ev, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if ctx.Err() != nil {
				done.StopReason = llm.StopCancelled
				break
			}
			return msg, c.failed(done, err)
		}
		base := llm.RealtimeEvent{ResponseID: respID, ItemID: itemID, Text: ev.Text}
		switch ev.Type {
		case llm.EventTextDelta:
			text += ev.Text
			if textOnly {
				base.Type = llm.RTTextDelta
				c.emit(base)
				continue
			}
			for _, a := range audioFor(ev.Text, echo, chunk) {
				c.emit(llm.RealtimeEvent{Type: llm.RTAudioDelta, ResponseID: respID, ItemID: itemID, Audio: a})
			}
			chunk++
			base.Type = llm.RTTranscriptDelta
			c.emit(base)
		case llm.EventToolCall:
			tc := *ev.ToolCall
			msg.Content = append(msg.Content, llm.Block{Type: llm.BlockToolUse, ID: tc.ID, Name: tc.Name, Args: tc.Args})
			c.emit(llm.RealtimeEvent{Type: llm.RTToolCall, ResponseID: respID, ItemID: itemID, ToolCall: &tc})
		case llm.EventUsage:
			done.Usage = ev.Usage
		case llm.EventStop:
			done.StopReason = ev.StopReason
		}
	}
	if ctx.Err() != nil {
		done.StopReason = llm.StopCancelled
	}
	if text != "" {
		msg.Content = append([]llm.Block{llm.Text(text)}, msg.Content...)
	}
	done.Text = text
	return msg, done
}

// failed reports a scripted error as an error event plus a failed response.
func (c *rtConn) failed(done llm.RealtimeEvent, err error) llm.RealtimeEvent {
	le, ok := llm.AsError(err)
	if !ok {
		le = &llm.Error{Provider: Name, Kind: llm.KindFatal, Message: err.Error(), Err: err}
	}
	c.emit(llm.RealtimeEvent{Type: llm.RTError, Err: le})
	done.StopReason, done.Err = "", le
	return done
}

// audioFor returns the audio of the chunk-th transcript delta: with user
// audio to echo, all of it in 100 ms slices with the first delta and none
// later; else 10 ms of a 440 Hz tone per character (PCM16, 24 kHz, mono).
func audioFor(delta string, echo []byte, chunk int) [][]byte {
	const slice = 2 * llm.RealtimeSampleRate / 10
	if len(echo) > 0 {
		var out [][]byte
		for start := 0; chunk == 0 && start < len(echo); start += slice {
			out = append(out, echo[start:min(start+slice, len(echo))])
		}
		return out
	}
	samples := len(delta) * llm.RealtimeSampleRate / 100
	out := make([]byte, 2*samples)
	for i := range samples {
		v := int16(6000 * math.Sin(2*math.Pi*440*float64(i)/llm.RealtimeSampleRate))
		binary.LittleEndian.PutUint16(out[2*i:], uint16(v))
	}
	return [][]byte{out}
}
