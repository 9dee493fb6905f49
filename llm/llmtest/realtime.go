package llmtest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/realtime/peer"
)

// RealtimeReply is what the Realtime fake answers to one response.create.
type RealtimeReply struct {
	Text string // answer text (or audio transcript)
	// ToolCall makes the response a function call instead of a message.
	ToolCall *RealtimeToolCall
	// Drop closes the socket abruptly in the middle of the response.
	Drop bool
	// Error sends an error event {type, code, message} instead of a response.
	Error *RealtimeError
	// RateLimited reports the requests limit exhausted (remaining 0, reset
	// in 1.5 s) in rate_limits.updated before the response streams.
	RateLimited bool
}

// RealtimeToolCall is a function call the fake makes.
type RealtimeToolCall struct {
	Name      string
	Arguments string
}

// RealtimeError is an error event's payload.
type RealtimeError struct {
	Type, Code, Message string
}

// RealtimeItem is a conversation item the fake holds.
type RealtimeItem struct {
	ID     string
	Type   string // message, function_call, function_call_output
	Role   string
	Text   string // text, transcript or function output
	CallID string
	Name   string
	Audio  int // bytes of user audio
}

// RealtimeConfig configures the fake.
type RealtimeConfig struct {
	// APIKey, when set, must arrive as "Authorization: Bearer <key>".
	APIKey string
	// Reply chooses the answer to a response.create from the conversation.
	// Nil: a function_call_output is answered "Tool said: <output>", else
	// "Echo: <last user text or transcript>".
	Reply func(items []RealtimeItem) RealtimeReply
	// DeltaDelay pauses between streamed deltas (for cancel tests).
	DeltaDelay time.Duration
}

// Realtime is a fake of OpenAI's Realtime WebSocket (GA event names),
// written from the official API reference: session.update/updated,
// input_audio_buffer.append/commit (and server VAD on silence),
// conversation.item.create/added/done, input transcription, response.create
// streaming text or audio with transcripts, function calls,
// response.cancel, conversation.item.truncate, error and rate_limits
// events. It records every client event.
type Realtime struct {
	cfg   RealtimeConfig
	srv   *httptest.Server
	close sync.Once

	mu     sync.Mutex
	events []map[string]any
	audio  int // bytes appended over all sockets
	dials  int
}

// NewRealtime starts the fake on 127.0.0.1 and stops it when t ends. The
// socket is served at any path ending in /realtime.
func NewRealtime(t interface{ Cleanup(func()) }, cfg RealtimeConfig) *Realtime {
	f := &Realtime{cfg: cfg}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// Close stops the fake: later dials are refused.
func (f *Realtime) Close() { f.close.Do(f.srv.Close) }

// URL is the API root to give the adapter (http://127.0.0.1:port/v1).
func (f *Realtime) URL() string { return f.srv.URL + "/v1" }

// Events returns the client events received so far, in order.
func (f *Realtime) Events() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.events...)
}

// EventTypes returns the types of the client events received so far.
func (f *Realtime) EventTypes() []string {
	var out []string
	for _, ev := range f.Events() {
		s, _ := ev["type"].(string)
		out = append(out, s)
	}
	return out
}

// AudioBytes is the number of audio bytes appended over all sockets.
func (f *Realtime) AudioBytes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.audio
}

// Dials is the number of sockets opened.
func (f *Realtime) Dials() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dials
}

func (f *Realtime) serve(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/realtime") || r.URL.Query().Get("model") == "" {
		http.Error(w, `{"error":{"type":"invalid_request_error","message":"unknown path or missing model"}}`, http.StatusNotFound)
		return
	}
	if f.cfg.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+f.cfg.APIKey {
		http.Error(w, `{"error":{"type":"invalid_request_error","code":"invalid_api_key","message":"Incorrect API key"}}`, http.StatusUnauthorized)
		return
	}
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	ws.SetReadLimit(16 << 20)
	f.mu.Lock()
	f.dials++
	f.mu.Unlock()
	s := &rtSession{f: f, ws: ws, model: r.URL.Query().Get("model"), vad: true, modalities: []string{"audio"}}
	s.run(r.Context())
}

// rtSession is the state of one fake socket.
type rtSession struct {
	f     *Realtime
	ws    *websocket.Conn
	model string

	wmu        sync.Mutex
	nextID     atomic.Int64
	vad        bool
	pcmuIn     bool // input_audio format audio/pcmu (G.711 μ-law, 8 kHz)
	pcmuOut    bool // output format audio/pcmu
	modalities []string
	buffer     []byte
	speaking   bool
	items      []RealtimeItem
	cancel     context.CancelFunc
	wg         sync.WaitGroup
	respMu     sync.Mutex
}

func (s *rtSession) id(prefix string) string {
	return fmt.Sprintf("%s_%03d", prefix, s.nextID.Add(1))
}

func (s *rtSession) send(ctx context.Context, ev map[string]any) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	ev["event_id"] = s.id("event")
	b, _ := json.Marshal(ev)
	return s.ws.Write(ctx, websocket.MessageText, b)
}

func (s *rtSession) fail(ctx context.Context, code, msg string) {
	_ = s.send(ctx, map[string]any{"type": "error", "error": map[string]any{"type": "invalid_request_error", "code": code, "message": msg}})
}

func (s *rtSession) run(ctx context.Context) {
	ctx, stop := context.WithCancel(ctx)
	defer func() {
		stop()
		s.wg.Wait()
		_ = s.ws.CloseNow()
	}()
	_ = s.send(ctx, map[string]any{"type": "session.created", "session": map[string]any{"type": "realtime", "model": s.model}})
	for {
		_, data, err := s.ws.Read(ctx)
		if err != nil {
			return
		}
		var ev map[string]any
		if json.Unmarshal(data, &ev) != nil {
			s.fail(ctx, "invalid_json", "event is not JSON")
			continue
		}
		s.f.mu.Lock()
		s.f.events = append(s.f.events, ev)
		s.f.mu.Unlock()
		s.handle(ctx, ev)
	}
}

func (s *rtSession) handle(ctx context.Context, ev map[string]any) {
	typ, _ := ev["type"].(string)
	s.respMu.Lock()
	defer s.respMu.Unlock()
	switch typ {
	case "session.update":
		s.update(ev)
		_ = s.send(ctx, map[string]any{"type": "session.updated", "session": ev["session"]})
	case "input_audio_buffer.append":
		b64, _ := ev["audio"].(string)
		audio, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			s.fail(ctx, "invalid_value", "audio is not base64")
			return
		}
		s.f.mu.Lock()
		s.f.audio += len(audio)
		s.f.mu.Unlock()
		s.buffer = append(s.buffer, audio...)
		if s.vad {
			s.detect(ctx, audio)
		}
	case "input_audio_buffer.commit":
		if len(s.buffer) == 0 {
			s.fail(ctx, "input_audio_buffer_commit_empty", "buffer too small: expected at least 100ms of audio, but buffer only has 0.00ms of audio")
			return
		}
		s.commit(ctx)
	case "conversation.item.create":
		it, _ := ev["item"].(map[string]any)
		item := s.itemOf(it)
		s.items = append(s.items, item)
		s.itemAdded(ctx, item)
	case "response.create":
		mods := s.modalities
		if r, ok := ev["response"].(map[string]any); ok {
			if m, ok := r["output_modalities"].([]any); ok && len(m) > 0 {
				mods = nil
				for _, x := range m {
					if str, ok := x.(string); ok {
						mods = append(mods, str)
					}
				}
			}
		}
		s.respond(ctx, mods)
	case "response.cancel":
		if s.cancel == nil {
			s.fail(ctx, "response_cancel_not_active", "Cancellation failed: no active response found")
			return
		}
		s.cancel()
	case "conversation.item.truncate":
		id, _ := ev["item_id"].(string)
		found := false
		for _, it := range s.items {
			found = found || it.ID == id
		}
		if !found {
			s.fail(ctx, "item_truncate_invalid_item_id", "Invalid item_id: "+id)
			return
		}
		_ = s.send(ctx, map[string]any{"type": "conversation.item.truncated", "item_id": id,
			"content_index": ev["content_index"], "audio_end_ms": ev["audio_end_ms"]})
	default:
		s.fail(ctx, "invalid_event", "unknown event type "+typ)
	}
}

func (s *rtSession) update(ev map[string]any) {
	sess, _ := ev["session"].(map[string]any)
	if m, ok := sess["output_modalities"].([]any); ok && len(m) > 0 {
		s.modalities = nil
		for _, x := range m {
			if str, ok := x.(string); ok {
				s.modalities = append(s.modalities, str)
			}
		}
	}
	audio, _ := sess["audio"].(map[string]any)
	in, _ := audio["input"].(map[string]any)
	if td, ok := in["turn_detection"]; ok {
		s.vad = td != nil
	}
	if f, ok := in["format"].(map[string]any); ok {
		s.pcmuIn = f["type"] == "audio/pcmu"
	}
	out, _ := audio["output"].(map[string]any)
	if f, ok := out["format"].(map[string]any); ok {
		s.pcmuOut = f["type"] == "audio/pcmu"
	}
}

// detect is a tiny server VAD: loud audio starts speech, a silent chunk
// after speech ends it, commits the buffer and answers.
func (s *rtSession) detect(ctx context.Context, chunk []byte) {
	loud := false
	for i := 0; i < len(chunk) && !loud; {
		var v int16
		switch {
		case s.pcmuIn:
			v = peer.MuLawDecode(chunk[i])
			i++
		case i+1 < len(chunk):
			v = int16(uint16(chunk[i]) | uint16(chunk[i+1])<<8)
			i += 2
		default:
			i++
		}
		loud = v > 500 || v < -500
	}
	switch {
	case loud && !s.speaking:
		s.speaking = true
		_ = s.send(ctx, map[string]any{"type": "input_audio_buffer.speech_started", "audio_start_ms": 0, "item_id": s.id("item")})
	case !loud && s.speaking:
		s.speaking = false
		_ = s.send(ctx, map[string]any{"type": "input_audio_buffer.speech_stopped", "audio_end_ms": s.bufferMS(), "item_id": ""})
		s.commit(ctx)
		s.respond(ctx, s.modalities)
	}
}

// bufferMS is the length of the input buffer: 48 bytes a millisecond of
// PCM16 at 24 kHz, 8 of μ-law.
func (s *rtSession) bufferMS() int {
	if s.pcmuIn {
		return len(s.buffer) / 8
	}
	return len(s.buffer) / 48
}

func (s *rtSession) commit(ctx context.Context) {
	item := RealtimeItem{ID: s.id("item"), Type: "message", Role: "user", Audio: len(s.buffer), Text: fmt.Sprintf("audio of %d ms", s.bufferMS())}
	s.buffer = nil
	prev := ""
	if n := len(s.items); n > 0 {
		prev = s.items[n-1].ID
	}
	s.items = append(s.items, item)
	_ = s.send(ctx, map[string]any{"type": "input_audio_buffer.committed", "item_id": item.ID, "previous_item_id": prev})
	s.itemAdded(ctx, item)
	_ = s.send(ctx, map[string]any{"type": "conversation.item.input_audio_transcription.completed", "item_id": item.ID,
		"content_index": 0, "transcript": item.Text})
}

func (s *rtSession) itemOf(it map[string]any) RealtimeItem {
	item := RealtimeItem{ID: s.id("item")}
	if id, ok := it["id"].(string); ok && id != "" {
		item.ID = id
	}
	item.Type, _ = it["type"].(string)
	item.Role, _ = it["role"].(string)
	item.CallID, _ = it["call_id"].(string)
	item.Name, _ = it["name"].(string)
	if out, ok := it["output"].(string); ok {
		item.Text = out
	}
	if content, ok := it["content"].([]any); ok {
		for _, c := range content {
			if cm, ok := c.(map[string]any); ok {
				t, _ := cm["text"].(string)
				item.Text += t
			}
		}
	}
	return item
}

func (s *rtSession) itemAdded(ctx context.Context, item RealtimeItem) {
	wire := map[string]any{"id": item.ID, "object": "realtime.item", "type": item.Type, "status": "completed"}
	if item.Role != "" {
		wire["role"] = item.Role
	}
	_ = s.send(ctx, map[string]any{"type": "conversation.item.added", "item": wire})
	_ = s.send(ctx, map[string]any{"type": "conversation.item.done", "item": wire})
}

// respond streams one response on its own goroutine (so that
// response.cancel can stop it); the session waits for it on close.
func (s *rtSession) respond(ctx context.Context, mods []string) {
	if s.cancel != nil {
		s.fail(ctx, "conversation_already_has_active_response", "Conversation already has an active response in progress")
		return
	}
	reply := s.reply()
	if reply.Error != nil {
		_ = s.send(ctx, map[string]any{"type": "error", "error": map[string]any{"type": reply.Error.Type, "code": reply.Error.Code, "message": reply.Error.Message}})
		return
	}
	if reply.RateLimited {
		_ = s.send(ctx, map[string]any{"type": "rate_limits.updated", "rate_limits": []any{
			map[string]any{"name": "requests", "limit": 1000, "remaining": 0, "reset_seconds": 1.5}}})
	}
	rctx, cancel := context.WithCancel(ctx)
	s.cancel = cancel
	respID, itemID := s.id("resp"), s.id("item")
	audio := len(mods) > 0 && mods[0] == "audio"
	if reply.ToolCall == nil {
		s.items = append(s.items, RealtimeItem{ID: itemID, Type: "message", Role: "assistant", Text: reply.Text})
	} else {
		s.items = append(s.items, RealtimeItem{ID: itemID, Type: "function_call", CallID: "call_" + itemID, Name: reply.ToolCall.Name})
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		status := s.stream(rctx, ctx, respID, itemID, reply, audio)
		s.respMu.Lock()
		s.cancel = nil
		s.respMu.Unlock()
		cancel()
		if status == "" {
			return
		}
		output := []map[string]any{}
		if reply.ToolCall != nil {
			output = append(output, map[string]any{"type": "function_call", "id": itemID, "call_id": "call_" + itemID,
				"name": reply.ToolCall.Name, "arguments": reply.ToolCall.Arguments})
		} else {
			part := map[string]any{"type": "output_text", "text": reply.Text}
			if audio {
				part = map[string]any{"type": "output_audio", "transcript": reply.Text}
			}
			output = append(output, map[string]any{"type": "message", "id": itemID, "role": "assistant", "content": []any{part}})
		}
		words := int64(len(strings.Fields(reply.Text)) + 1)
		_ = s.send(ctx, map[string]any{"type": "response.done", "response": map[string]any{
			"object": "realtime.response", "id": respID, "status": status, "output": output,
			"usage": map[string]any{"total_tokens": 20 + words, "input_tokens": 20, "output_tokens": words,
				"input_token_details": map[string]any{"cached_tokens": 0}}}})
		_ = s.send(ctx, map[string]any{"type": "rate_limits.updated", "rate_limits": []any{
			map[string]any{"name": "requests", "limit": 1000, "remaining": 999, "reset_seconds": 0.06},
			map[string]any{"name": "tokens", "limit": 50000, "remaining": 49000, "reset_seconds": 1.2}}})
	}()
}

// stream sends the deltas of a response and returns its final status
// ("completed" or "cancelled"), or "" when the socket was dropped.
func (s *rtSession) stream(rctx, ctx context.Context, respID, itemID string, reply RealtimeReply, audio bool) string {
	base := map[string]any{"response_id": respID, "item_id": itemID, "output_index": 0, "content_index": 0}
	ev := func(typ string, kv ...any) map[string]any {
		m := map[string]any{"type": typ}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	_ = s.send(ctx, map[string]any{"type": "response.created", "response": map[string]any{"object": "realtime.response", "id": respID, "status": "in_progress", "output": []any{}}})
	pause := func() bool {
		if s.f.cfg.DeltaDelay <= 0 {
			return rctx.Err() == nil
		}
		select {
		case <-rctx.Done():
			return false
		case <-time.After(s.f.cfg.DeltaDelay):
			return true
		}
	}
	if tc := reply.ToolCall; tc != nil {
		callID := "call_" + itemID
		_ = s.send(ctx, map[string]any{"type": "response.output_item.added", "response_id": respID, "output_index": 0,
			"item": map[string]any{"id": itemID, "type": "function_call", "call_id": callID, "name": tc.Name, "arguments": ""}})
		_ = s.send(ctx, ev("response.function_call_arguments.delta", "call_id", callID, "delta", tc.Arguments))
		_ = s.send(ctx, ev("response.function_call_arguments.done", "call_id", callID, "name", tc.Name, "arguments", tc.Arguments))
		return "completed"
	}
	_ = s.send(ctx, map[string]any{"type": "response.output_item.added", "response_id": respID, "output_index": 0,
		"item": map[string]any{"id": itemID, "type": "message", "role": "assistant", "content": []any{}}})
	words := strings.SplitAfter(reply.Text, " ")
	for i, w := range words {
		if !pause() {
			return "cancelled"
		}
		if reply.Drop && i == len(words)/2 {
			_ = s.ws.CloseNow()
			return ""
		}
		if audio {
			_ = s.send(ctx, ev("response.output_audio.delta", "delta", base64.StdEncoding.EncodeToString(s.tone(i))))
			_ = s.send(ctx, ev("response.output_audio_transcript.delta", "delta", w))
		} else {
			_ = s.send(ctx, ev("response.output_text.delta", "delta", w))
		}
	}
	if audio {
		_ = s.send(ctx, ev("response.output_audio.done"))
		_ = s.send(ctx, ev("response.output_audio_transcript.done", "transcript", reply.Text))
	} else {
		_ = s.send(ctx, ev("response.output_text.done", "text", reply.Text))
	}
	return "completed"
}

// tone returns 20 ms of a 440 Hz tone in the session's output format.
func (s *rtSession) tone(n int) []byte {
	rate := 24000
	if s.pcmuOut {
		rate = 8000
	}
	samples := rate / 50
	out := make([]byte, 0, samples*2)
	for i := 0; i < samples; i++ {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(n*samples+i)/float64(rate)))
		if s.pcmuOut {
			out = append(out, peer.MuLawEncode(v))
			continue
		}
		out = append(out, byte(v), byte(uint16(v)>>8))
	}
	return out
}

func (s *rtSession) reply() RealtimeReply {
	if s.f.cfg.Reply != nil {
		return s.f.cfg.Reply(append([]RealtimeItem(nil), s.items...))
	}
	return DefaultRealtimeReply(s.items)
}

// DefaultRealtimeReply is the fake's answer when RealtimeConfig.Reply is
// nil: "Tool said: <output>" after a function output, else "Echo: <last
// user text or transcript>".
func DefaultRealtimeReply(items []RealtimeItem) RealtimeReply {
	for i := len(items) - 1; i >= 0; i-- {
		switch {
		case items[i].Type == "function_call_output":
			return RealtimeReply{Text: "Tool said: " + items[i].Text}
		case items[i].Role == "user":
			return RealtimeReply{Text: "Echo: " + items[i].Text}
		}
	}
	return RealtimeReply{Text: "Hello."}
}
