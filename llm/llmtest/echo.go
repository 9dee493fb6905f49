package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// NewAnthropicEcho starts a fake Anthropic Messages API on 127.0.0.1 that
// answers every streamed request in Anthropic's SSE format with a reply
// derived from what it was sent: "echo:" followed by the system prompt and
// the text of every user message of the conversation, in order. A caller
// that checks a later answer for something said in an earlier turn (or for
// injected context) therefore passes only if the request really carried it.
// Requests are recorded like NewServer's. It stops when the test ends.
func NewAnthropicEcho(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveEcho))
	t.Cleanup(s.Close)
	return s
}

// echoRequest is the part of a Messages request the echo reads.
type echoRequest struct {
	Model    string          `json:"model"`
	System   json.RawMessage `json:"system"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
}

func (s *Server) serveEcho(w http.ResponseWriter, r *http.Request) {
	body, reply, status := s.record(r), "", http.StatusOK
	var req echoRequest
	switch {
	case r.Method != http.MethodPost || r.URL.Path != "/v1/messages":
		status, reply = http.StatusNotFound, "not_found_error"
	case r.Header.Get("x-api-key") == "":
		status, reply = http.StatusUnauthorized, "authentication_error"
	case json.Unmarshal(body, &req) != nil || req.Model == "" || len(req.Messages) == 0:
		status, reply = http.StatusBadRequest, "invalid_request_error"
	}
	if status != http.StatusOK {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"type":"error","error":{"type":%q,"message":"llmtest echo: %s"}}`, reply, reply)
		return
	}
	parts := []string{"echo:"}
	parts = append(parts, blockTexts(req.System)...)
	for _, m := range req.Messages {
		if m.Role == "user" {
			parts = append(parts, blockTexts(m.Content)...)
		}
	}
	writeAnthropicText(w, req.Model, strings.Join(parts, " "))
}

// record stores r as a received request and returns its body.
func (s *Server) record(r *http.Request) []byte {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.RequestURI(), Header: r.Header.Clone(), Body: body})
	s.mu.Unlock()
	return body
}

// blockTexts returns the texts of a string or of a list of content blocks
// (text blocks only).
func blockTexts(raw json.RawMessage) []string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	var blocks []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	_ = json.Unmarshal(raw, &blocks)
	var out []string
	for _, b := range blocks {
		if b.Type == "text" && b.Text != "" {
			out = append(out, b.Text)
		}
	}
	return out
}

// writeAnthropicText streams text as one text block, the way the Messages
// API streams (message_start, ping, block start, deltas, block stop,
// message_delta with usage, message_stop).
func writeAnthropicText(w http.ResponseWriter, model, text string) {
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("request-id", "req_llmtest_echo")
	event := func(name string, data any) {
		b, _ := json.Marshal(data)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, b)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	words := len(strings.Fields(text))
	event("message_start", map[string]any{"type": "message_start", "message": map[string]any{
		"id": "msg_llmtest_echo", "type": "message", "role": "assistant", "content": []any{},
		"model": model, "stop_reason": nil, "stop_sequence": nil,
		"usage": map[string]int{"input_tokens": words, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 1},
	}})
	event("ping", map[string]string{"type": "ping"})
	event("content_block_start", map[string]any{"type": "content_block_start", "index": 0, "content_block": map[string]string{"type": "text", "text": ""}})
	for _, chunk := range splitChunks(text, 3) {
		event("content_block_delta", map[string]any{"type": "content_block_delta", "index": 0, "delta": map[string]string{"type": "text_delta", "text": chunk}})
	}
	event("content_block_stop", map[string]any{"type": "content_block_stop", "index": 0})
	event("message_delta", map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": "end_turn", "stop_sequence": nil}, "usage": map[string]int{"output_tokens": words}})
	event("message_stop", map[string]string{"type": "message_stop"})
}

// splitChunks cuts s into at most n pieces of similar length, on rune
// boundaries.
func splitChunks(s string, n int) []string {
	r := []rune(s)
	size := (len(r) + n - 1) / n
	if size == 0 {
		return []string{s}
	}
	var out []string
	for len(r) > 0 {
		k := min(size, len(r))
		out = append(out, string(r[:k]))
		r = r[k:]
	}
	return out
}
