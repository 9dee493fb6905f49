package openai

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/internal/wire"
)

// maxRealtimeMessage bounds one server event (audio deltas are small; a
// session.updated echo with many tools is the largest).
const maxRealtimeMessage = 4 << 20

// Realtime speaks OpenAI's Realtime API (GA event names) over a WebSocket
// at {base}/realtime?model=M, the base URL's http(s) scheme turned into
// ws(s). It serves live channels (OpenRealtime) and ordinary turns on
// realtime models (Stream: one socket per model call, text in, text out),
// which the Responses API does not serve. It is safe for concurrent use.
type Realtime struct {
	base   string
	key    string
	client *http.Client
}

// NewRealtime returns a Realtime API adapter configured like New.
func NewRealtime(cfg Config) *Realtime {
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	return &Realtime{base: strings.TrimRight(base, "/"), key: cfg.APIKey, client: cfg.HTTPClient}
}

// Name returns the provider id.
func (p *Realtime) Name() string { return Name }

// AcceptsAudio reports the Realtime API's audio formats this adapter
// configures: PCM16 24 kHz and G.711 μ-law.
func (p *Realtime) AcceptsAudio(f llm.AudioFormat) bool {
	return f == llm.AudioPCM16 || f == llm.AudioG711ULaw
}

// realtimeURL returns the socket URL for model.
func (p *Realtime) realtimeURL(model string) (string, error) {
	u, err := url.Parse(p.base + "/realtime")
	if err != nil {
		return "", fmt.Errorf("openai realtime: base URL: %w", err)
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	}
	u.RawQuery = url.Values{"model": {model}}.Encode()
	return u.String(), nil
}

// OpenRealtime dials a session, configures it and seeds its history.
func (p *Realtime) OpenRealtime(ctx context.Context, cfg llm.RealtimeConfig) (llm.RealtimeConn, error) {
	target, err := p.realtimeURL(cfg.Model)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	if p.key != "" {
		h.Set("Authorization", "Bearer "+p.key)
	}
	ws, resp, err := websocket.Dial(ctx, target, &websocket.DialOptions{HTTPHeader: h, HTTPClient: p.client})
	if err != nil {
		e := &llm.Error{Provider: Name, Kind: llm.KindRetryable, Message: "realtime dial failed", Err: err}
		if resp != nil && resp.StatusCode >= 400 {
			e.Status, e.Kind = resp.StatusCode, llm.ClassifyStatus(resp.StatusCode)
		}
		return nil, e
	}
	ws.SetReadLimit(maxRealtimeMessage)
	c := &rtConn{ws: ws}
	first := []any{sessionUpdate(cfg)}
	for _, it := range historyItems(cfg.History) {
		first = append(first, map[string]any{"type": "conversation.item.create", "item": it})
	}
	for _, ev := range first {
		if err := c.write(ctx, ev); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// rtConn is one Realtime API socket.
type rtConn struct {
	ws   *websocket.Conn
	once sync.Once
}

func (c *rtConn) write(ctx context.Context, ev any) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("openai realtime: encode: %w", err)
	}
	if err := c.ws.Write(ctx, websocket.MessageText, b); err != nil {
		return &llm.Error{Provider: Name, Kind: llm.KindRetryable, Message: "realtime socket write failed", Err: err}
	}
	return nil
}

// Send encodes cmd as its client event.
func (c *rtConn) Send(ctx context.Context, cmd llm.RealtimeCommand) error {
	ev, err := clientEvent(cmd)
	if err != nil {
		return err
	}
	return c.write(ctx, ev)
}

// clientEvent returns the client event of cmd.
func clientEvent(cmd llm.RealtimeCommand) (any, error) {
	switch cmd.Type {
	case llm.RTUpdate:
		return sessionUpdate(cmd.Config), nil
	case llm.RTAppendAudio:
		return map[string]any{"type": "input_audio_buffer.append", "audio": base64.StdEncoding.EncodeToString(cmd.Audio)}, nil
	case llm.RTCommitAudio:
		return map[string]any{"type": "input_audio_buffer.commit"}, nil
	case llm.RTUserText:
		return map[string]any{"type": "conversation.item.create", "item": message("user", "input_text", cmd.Text)}, nil
	case llm.RTToolResult:
		return map[string]any{"type": "conversation.item.create",
			"item": map[string]any{"type": "function_call_output", "call_id": cmd.CallID, "output": cmd.Text}}, nil
	case llm.RTRespond:
		r := map[string]any{}
		if cmd.TextOnly {
			r["output_modalities"] = []string{"text"}
		}
		return map[string]any{"type": "response.create", "response": r}, nil
	case llm.RTCancel:
		return map[string]any{"type": "response.cancel"}, nil
	case llm.RTTruncate:
		return map[string]any{"type": "conversation.item.truncate", "item_id": cmd.ItemID,
			"content_index": cmd.ContentIndex, "audio_end_ms": cmd.AudioEndMS}, nil
	}
	return nil, fmt.Errorf("openai realtime: unknown command %d", cmd.Type)
}

// sessionUpdate returns the session.update event for cfg.
func sessionUpdate(cfg llm.RealtimeConfig) map[string]any {
	modalities := []string{"audio"}
	if cfg.TextOnly {
		modalities = []string{"text"}
	}
	var vad any // JSON null: explicit commits
	if cfg.ServerVAD {
		vad = map[string]any{"type": "server_vad"}
	}
	out := map[string]any{"format": audioFormat(cfg.OutputFormat)}
	if cfg.Voice != "" {
		out["voice"] = cfg.Voice
	}
	tools := make([]map[string]any, 0, len(cfg.Tools))
	for _, t := range cfg.Tools {
		tools = append(tools, map[string]any{"type": "function", "name": t.Name, "description": t.Description,
			"parameters": json.RawMessage(toolSchema(t))})
	}
	return map[string]any{"type": "session.update", "session": map[string]any{
		"type":              "realtime",
		"instructions":      cfg.Instructions,
		"output_modalities": modalities,
		"audio": map[string]any{
			"input": map[string]any{"format": audioFormat(cfg.InputFormat), "turn_detection": vad,
				"transcription": map[string]any{"model": "gpt-4o-mini-transcribe"}},
			"output": out,
		},
		"tools":       tools,
		"tool_choice": "auto",
	}}
}

func audioFormat(f llm.AudioFormat) map[string]any {
	if f == llm.AudioG711ULaw {
		return map[string]any{"type": "audio/pcmu"}
	}
	return map[string]any{"type": "audio/pcm", "rate": llm.RealtimeSampleRate}
}

func message(role, kind, text string) map[string]any {
	return map[string]any{"type": "message", "role": role, "content": []map[string]any{{"type": kind, "text": text}}}
}

// historyItems converts a transcript into conversation items.
func historyItems(msgs []llm.Message) []map[string]any {
	var items []map[string]any
	for _, m := range msgs {
		for _, b := range m.Content {
			switch {
			case b.Type == llm.BlockText && b.Text != "" && m.Role == llm.RoleAssistant:
				items = append(items, message("assistant", "output_text", b.Text))
			case b.Type == llm.BlockText && b.Text != "":
				items = append(items, message("user", "input_text", b.Text))
			case b.Type == llm.BlockImage && m.Role == llm.RoleUser:
				items = append(items, map[string]any{"type": "message", "role": "user",
					"content": []map[string]any{{"type": "input_image", "image_url": dataURL(b)}}})
			case b.Type == llm.BlockToolUse:
				items = append(items, map[string]any{"type": "function_call", "call_id": b.ID, "name": b.Name, "arguments": argsText(b)})
			case b.Type == llm.BlockToolResult:
				items = append(items, map[string]any{"type": "function_call_output", "call_id": b.ID, "output": b.Text})
			}
		}
	}
	return items
}

// serverEvent holds the fields of the server events this adapter reads.
type serverEvent struct {
	Type         string `json:"type"`
	ItemID       string `json:"item_id"`
	ResponseID   string `json:"response_id"`
	ContentIndex int    `json:"content_index"`
	Delta        string `json:"delta"`
	Transcript   string `json:"transcript"`
	CallID       string `json:"call_id"`
	Name         string `json:"name"`
	Arguments    string `json:"arguments"`
	AudioEndMS   int    `json:"audio_end_ms"`
	Error        *struct {
		Type    string `json:"type"`
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Response   *rtResponse `json:"response"`
	RateLimits []struct {
		Name         string  `json:"name"`
		Remaining    float64 `json:"remaining"`
		ResetSeconds float64 `json:"reset_seconds"`
	} `json:"rate_limits"`
}

type rtResponse struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	StatusDetails *struct {
		Reason string `json:"reason"`
	} `json:"status_details"`
	Output []struct {
		Type    string `json:"type"`
		ID      string `json:"id"`
		Content []struct {
			Text       string `json:"text"`
			Transcript string `json:"transcript"`
		} `json:"content"`
	} `json:"output"`
	Usage *struct {
		InputTokens       int64 `json:"input_tokens"`
		OutputTokens      int64 `json:"output_tokens"`
		InputTokenDetails struct {
			CachedTokens int64 `json:"cached_tokens"`
		} `json:"input_token_details"`
	} `json:"usage"`
}

// Recv reads server events until one maps to a realtime event.
func (c *rtConn) Recv(ctx context.Context) (llm.RealtimeEvent, error) {
	for {
		typ, data, err := c.ws.Read(ctx)
		if err != nil {
			return llm.RealtimeEvent{}, &llm.Error{Provider: Name, Kind: llm.KindRetryable, Message: "realtime socket closed", Err: err}
		}
		if typ != websocket.MessageText {
			continue
		}
		if ev, ok := decodeServerEvent(data); ok {
			return ev, nil
		}
	}
}

// decodeServerEvent maps one server event; ok is false for events that
// carry nothing the runtime uses (session.created, item bookkeeping, ...).
func decodeServerEvent(data []byte) (llm.RealtimeEvent, bool) {
	var se serverEvent
	if err := json.Unmarshal(data, &se); err != nil {
		return llm.RealtimeEvent{Type: llm.RTError, Err: &llm.Error{Provider: Name, Kind: llm.KindFatal,
			Message: "malformed realtime event", Err: err}}, true
	}
	ev := llm.RealtimeEvent{ResponseID: se.ResponseID, ItemID: se.ItemID, ContentIndex: se.ContentIndex}
	switch se.Type {
	case "session.updated":
		ev.Type = llm.RTReady
	case "input_audio_buffer.speech_started":
		ev.Type = llm.RTSpeechStarted
	case "input_audio_buffer.speech_stopped":
		ev.Type = llm.RTSpeechStopped
	case "input_audio_buffer.committed":
		ev.Type = llm.RTInputCommitted
	case "conversation.item.input_audio_transcription.completed":
		ev.Type, ev.Text = llm.RTUserTranscript, se.Transcript
	case "response.output_text.delta":
		ev.Type, ev.Text = llm.RTTextDelta, se.Delta
	case "response.output_audio_transcript.delta":
		ev.Type, ev.Text = llm.RTTranscriptDelta, se.Delta
	case "response.output_audio.delta":
		audio, err := base64.StdEncoding.DecodeString(se.Delta)
		if err != nil {
			return llm.RealtimeEvent{Type: llm.RTError, Err: &llm.Error{Provider: Name, Kind: llm.KindFatal,
				Message: "audio delta is not base64", Err: err}}, true
		}
		ev.Type, ev.Audio = llm.RTAudioDelta, audio
	case "response.function_call_arguments.done":
		ev.Type = llm.RTToolCall
		ev.ToolCall = &llm.ToolCall{ID: se.CallID, Name: se.Name, Args: json.RawMessage(se.Arguments)}
	case "response.done":
		if se.Response == nil {
			return ev, false
		}
		responseDone(&ev, se.Response)
	case "conversation.item.truncated":
		ev.Type, ev.AudioEndMS = llm.RTTruncated, se.AudioEndMS
	case "error":
		if se.Error == nil {
			return ev, false
		}
		ev.Type, ev.Err = llm.RTError, classify(se.Error.Type, se.Error.Code, se.Error.Message)
	case "rate_limits.updated":
		for _, rl := range se.RateLimits {
			if rl.Remaining <= 0 {
				return llm.RealtimeEvent{Type: llm.RTRateLimited, Err: &llm.Error{Provider: Name, Kind: llm.KindRateLimited,
					RetryAfter: time.Duration(rl.ResetSeconds * float64(time.Second)), Message: rl.Name + " rate limit reached"}}, true
			}
		}
		return ev, false
	default:
		return ev, false
	}
	return ev, true
}

// responseDone fills ev from a response.done payload.
func responseDone(ev *llm.RealtimeEvent, r *rtResponse) {
	ev.Type, ev.ResponseID = llm.RTResponseDone, r.ID
	if r.Usage != nil {
		ev.Usage = wire.CachedUsage(r.Usage.InputTokens, r.Usage.InputTokenDetails.CachedTokens, r.Usage.OutputTokens)
	}
	ev.StopReason = llm.StopEndTurn
	var text strings.Builder
	for _, o := range r.Output {
		if o.Type == "function_call" {
			ev.StopReason = llm.StopToolUse
		}
		if o.Type == "message" {
			ev.ItemID = o.ID
			for _, c := range o.Content {
				text.WriteString(c.Text + c.Transcript)
			}
		}
	}
	ev.Text = text.String()
	reason := ""
	if r.StatusDetails != nil {
		reason = r.StatusDetails.Reason
	}
	switch r.Status {
	case "cancelled":
		ev.StopReason = llm.StopCancelled
	case "incomplete":
		ev.StopReason = llm.StopMaxTokens
		if reason == "content_filter" {
			ev.StopReason = llm.StopContentFilter
		}
	case "failed":
		ev.Err = &llm.Error{Provider: Name, Kind: llm.KindRetryable, Message: "response failed: " + reason}
	}
}

// classify maps a Realtime error event to an llm error kind.
func classify(typ, code, msg string) *llm.Error {
	kind := llm.KindFatal
	switch {
	case strings.Contains(code, "rate_limit") || strings.Contains(typ, "rate_limit"):
		kind = llm.KindRateLimited
	case strings.Contains(code, "api_key") || strings.Contains(typ, "authentication"):
		kind = llm.KindAuth
	case strings.Contains(code, "context_length"):
		kind = llm.KindContextLength
	case typ == "invalid_request_error":
		kind = llm.KindInvalid
	case typ == "server_error":
		kind = llm.KindRetryable
	}
	if code != "" {
		msg = code + ": " + msg
	}
	return &llm.Error{Provider: Name, Kind: kind, Message: msg}
}

// Close closes the socket.
func (c *rtConn) Close() error {
	c.once.Do(func() { _ = c.ws.CloseNow() })
	return nil
}

// Stream runs one model call over a fresh socket: the request's transcript
// seeds the conversation and a text-only response is asked for.
func (p *Realtime) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	history := req.Messages
	conn, err := p.OpenRealtime(ctx, llm.RealtimeConfig{Model: req.Model, Instructions: req.System,
		Tools: req.Tools, TextOnly: true, History: history})
	if err != nil {
		return nil, err
	}
	if err := conn.Send(ctx, llm.RealtimeCommand{Type: llm.RTRespond, TextOnly: true}); err != nil {
		conn.Close()
		return nil, err
	}
	return &rtStream{ctx: ctx, conn: conn}, nil
}

// rtStream maps a realtime response to llm stream events.
type rtStream struct {
	ctx     context.Context
	conn    llm.RealtimeConn
	pending []llm.Event
	done    bool
	calls   int
}

func (s *rtStream) Recv() (llm.Event, error) {
	for {
		if len(s.pending) > 0 {
			ev := s.pending[0]
			s.pending = s.pending[1:]
			return ev, nil
		}
		if s.done {
			s.conn.Close()
			return llm.Event{}, io.EOF
		}
		rev, err := s.conn.Recv(s.ctx)
		if err != nil {
			var le *llm.Error
			if errors.As(err, &le) {
				le.Message = "realtime socket closed before response.done"
			}
			return llm.Event{}, err
		}
		switch rev.Type {
		case llm.RTTextDelta, llm.RTTranscriptDelta:
			return llm.Event{Type: llm.EventTextDelta, Text: rev.Text}, nil
		case llm.RTToolCall:
			i := s.calls
			s.calls++
			tc := rev.ToolCall
			s.pending = []llm.Event{{Type: llm.EventToolCall, Index: i, ToolCall: tc}}
			return llm.Event{Type: llm.EventToolCallDelta, Index: i, Text: string(tc.Args),
				ToolCall: &llm.ToolCall{ID: tc.ID, Name: tc.Name}}, nil
		case llm.RTError:
			return llm.Event{}, rev.Err
		case llm.RTResponseDone:
			if rev.Err != nil {
				return llm.Event{}, rev.Err
			}
			s.done = true
			s.pending = []llm.Event{{Type: llm.EventUsage, Usage: rev.Usage}, {Type: llm.EventStop, StopReason: rev.StopReason}}
		}
	}
}

func (s *rtStream) Close() error { return s.conn.Close() }
