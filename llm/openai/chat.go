package openai

import (
	"encoding/json"
	"strings"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/internal/wire"
)

type chatRequest struct {
	Model         string        `json:"model"`
	Messages      []chatMessage `json:"messages"`
	Tools         []chatTool    `json:"tools,omitempty"`
	MaxTokens     int           `json:"max_tokens,omitempty"`
	Stream        bool          `json:"stream"`
	StreamOptions struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

// chatMessage is one Chat Completions message. Content is a string, a list
// of parts (when images are present) or null (an assistant message holding
// only tool calls).
type chatMessage struct {
	Role       string         `json:"role"`
	Content    any            `json:"content"`
	ToolCalls  []chatToolCall `json:"tool_calls,omitempty"`
	ToolCallID string         `json:"tool_call_id,omitempty"`
}

type chatPart struct {
	Type     string        `json:"type"`
	Text     string        `json:"text,omitempty"`
	ImageURL *chatImageURL `json:"image_url,omitempty"`
}

type chatImageURL struct {
	URL string `json:"url"`
}

type chatToolCall struct {
	ID       string       `json:"id"`
	Type     string       `json:"type"`
	Function chatFunction `json:"function"`
}

type chatFunction struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

type chatTool struct {
	Type     string `json:"type"`
	Function struct {
		Name        string          `json:"name"`
		Description string          `json:"description,omitempty"`
		Parameters  json.RawMessage `json:"parameters"`
	} `json:"function"`
}

var chatReserved = []string{"model", "messages", "tools", "max_tokens", "stream", "stream_options"}

var chatChecks = map[string]wire.Check{
	"temperature":           wire.Number(0, 2),
	"top_p":                 wire.Number(0, 1),
	"presence_penalty":      wire.Number(-2, 2),
	"frequency_penalty":     wire.Number(-2, 2),
	"seed":                  wire.Integer(-1 << 62),
	"reasoning_effort":      effort,
	"parallel_tool_calls":   wire.Bool,
	"max_completion_tokens": wire.Integer(1),
	"response_format":       wire.Object(map[string]wire.Check{"type": wire.OneOf("text", "json_object", "json_schema")}),
}

// encodeChat builds the body of a streamed Chat Completions call, asking
// for a final usage chunk.
func encodeChat(name string, req *llm.Request) ([]byte, error) {
	r := chatRequest{Model: req.Model, MaxTokens: req.MaxTokens, Stream: true, Messages: []chatMessage{}}
	r.StreamOptions.IncludeUsage = true
	if req.System != "" {
		r.Messages = append(r.Messages, chatMessage{Role: "system", Content: req.System})
	}
	for _, m := range req.Messages {
		if m.Role == llm.RoleAssistant {
			r.Messages = appendChatAssistant(r.Messages, m)
		} else {
			r.Messages = appendChatUser(r.Messages, m)
		}
	}
	for _, t := range req.Tools {
		var ct chatTool
		ct.Type = "function"
		ct.Function.Name, ct.Function.Description, ct.Function.Parameters = t.Name, t.Description, toolSchema(t)
		r.Tools = append(r.Tools, ct)
	}
	body, err := json.Marshal(r)
	if err != nil {
		return nil, wire.Invalid(name, "encode request: %v", err)
	}
	return wire.MergeParams(name, body, req.ProviderParams, chatReserved, chatChecks)
}

// appendChatUser emits tool results as "tool" messages first (they must
// follow the assistant's tool calls), then the user's text and images.
func appendChatUser(msgs []chatMessage, m llm.Message) []chatMessage {
	var parts []chatPart
	hasImage := false
	for _, b := range m.Content {
		switch b.Type {
		case llm.BlockToolResult:
			msgs = append(msgs, chatMessage{Role: "tool", ToolCallID: b.ID, Content: b.Text})
		case llm.BlockText:
			parts = append(parts, chatPart{Type: "text", Text: b.Text})
		case llm.BlockImage:
			hasImage = true
			parts = append(parts, chatPart{Type: "image_url", ImageURL: &chatImageURL{URL: dataURL(b)}})
		}
	}
	switch {
	case len(parts) == 0:
	case hasImage:
		msgs = append(msgs, chatMessage{Role: "user", Content: parts})
	default:
		// Plain text as a string: the form every compatible server accepts.
		var sb strings.Builder
		for _, p := range parts {
			sb.WriteString(p.Text)
		}
		msgs = append(msgs, chatMessage{Role: "user", Content: sb.String()})
	}
	return msgs
}

func appendChatAssistant(msgs []chatMessage, m llm.Message) []chatMessage {
	msg := chatMessage{Role: "assistant"}
	if text := m.PlainText(); text != "" {
		msg.Content = text
	}
	for _, b := range m.ToolCalls() {
		msg.ToolCalls = append(msg.ToolCalls, chatToolCall{ID: b.ID, Type: "function", Function: chatFunction{Name: b.Name, Arguments: argsText(b)}})
	}
	if msg.Content == nil && len(msg.ToolCalls) == 0 {
		return msgs
	}
	return append(msgs, msg)
}

// chatDecoder maps chat.completion.chunk events to llm events. The stream
// ends with "data: [DONE]"; a server that closes the body after a
// finish_reason without sending [DONE] is accepted too.
type chatDecoder struct {
	name   string
	chunk  chatChunk
	tools  wire.ToolCalls
	finish string
	usage  llm.Usage
}

type chatChunk struct {
	Choices []struct {
		Index int `json:"index"`
		Delta struct {
			Content          string `json:"content"`
			ReasoningContent string `json:"reasoning_content"` // vLLM, DeepSeek, llama.cpp
			Reasoning        string `json:"reasoning"`         // Ollama, OpenRouter
			Refusal          string `json:"refusal"`
			ToolCalls        []struct {
				Index    int    `json:"index"`
				ID       string `json:"id"`
				Function struct {
					Name      string `json:"name"`
					Arguments string `json:"arguments"`
				} `json:"function"`
			} `json:"tool_calls"`
		} `json:"delta"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int64 `json:"prompt_tokens"`
		CompletionTokens int64 `json:"completion_tokens"`
		PromptDetails    *struct {
			CachedTokens int64 `json:"cached_tokens"`
		} `json:"prompt_tokens_details"`
	} `json:"usage"`
	Error json.RawMessage `json:"error"`
}

var doneMarker = []byte("[DONE]")

func (d *chatDecoder) Event(sse wire.SSEEvent, out []llm.Event) ([]llm.Event, error) {
	if string(sse.Data) == string(doneMarker) {
		return d.stop(out), nil
	}
	if ev, ok := chatTextDelta(sse.Data); ok {
		return append(out, ev), nil
	}
	return d.full(sse.Data, out)
}

// full decodes any chunk with encoding/json.
func (d *chatDecoder) full(data []byte, out []llm.Event) ([]llm.Event, error) {
	// Reuse the choices array, zeroed: encoding/json keeps stale fields of
	// reused slice elements.
	clear(d.chunk.Choices[:cap(d.chunk.Choices)])
	d.chunk.Choices = d.chunk.Choices[:0]
	d.chunk.Usage, d.chunk.Error = nil, nil
	if err := json.Unmarshal(data, &d.chunk); err != nil {
		return out, wire.Malformed(d.name, err)
	}
	if len(d.chunk.Error) > 0 && string(d.chunk.Error) != "null" {
		info := wire.ParseErrorBody(data)
		return out, wire.CodeError(d.name, info.Code, info.Message)
	}
	for i := range d.chunk.Choices {
		c := &d.chunk.Choices[i]
		if c.Index != 0 {
			continue // rkat asks for one choice
		}
		if c.Delta.ReasoningContent != "" {
			out = append(out, llm.Event{Type: llm.EventReasoningDelta, Text: c.Delta.ReasoningContent})
		}
		if c.Delta.Reasoning != "" {
			out = append(out, llm.Event{Type: llm.EventReasoningDelta, Text: c.Delta.Reasoning})
		}
		if c.Delta.Content != "" {
			out = append(out, llm.Event{Type: llm.EventTextDelta, Text: c.Delta.Content})
		}
		if c.Delta.Refusal != "" {
			out = append(out, llm.Event{Type: llm.EventTextDelta, Text: c.Delta.Refusal})
		}
		for j := range c.Delta.ToolCalls {
			tc := &c.Delta.ToolCalls[j]
			if !d.tools.Has(tc.Index) {
				if tc.ID == "" && tc.Function.Name == "" {
					return out, wire.Malformed(d.name, errOrphanToolDelta)
				}
				out = append(out, d.tools.Start(tc.Index, tc.ID, tc.Function.Name))
			} else {
				d.tools.SetName(tc.Index, tc.Function.Name)
			}
			if tc.Function.Arguments != "" {
				e, _ := d.tools.Append(tc.Index, tc.Function.Arguments)
				out = append(out, e)
			}
		}
		if c.FinishReason != "" {
			d.finish = c.FinishReason
		}
	}
	if u := d.chunk.Usage; u != nil {
		var cached int64
		if u.PromptDetails != nil {
			cached = u.PromptDetails.CachedTokens
		}
		d.usage = wire.CachedUsage(u.PromptTokens, cached, u.CompletionTokens)
		out = append(out, llm.Event{Type: llm.EventUsage, Usage: d.usage})
	}
	return out, nil
}

// stop completes the open tool calls and ends the call. Calls are complete
// only once the model gave its finish_reason or the server its [DONE]; calls
// open when the output hit its token limit were cut off and are left out.
func (d *chatDecoder) stop(out []llm.Event) []llm.Event {
	if d.finish != "length" {
		out = d.tools.FinishAll(out)
	}
	reason := llm.StopEndTurn
	switch d.finish {
	case "length":
		reason = llm.StopMaxTokens
	case "content_filter":
		reason = llm.StopContentFilter
	case "tool_calls", "function_call":
		reason = llm.StopToolUse
	}
	// Some servers report "stop" even when the model called tools.
	if reason == llm.StopEndTurn && d.tools.Count() > 0 {
		reason = llm.StopToolUse
	}
	return append(out, llm.Event{Type: llm.EventStop, StopReason: reason})
}

func (d *chatDecoder) End(out []llm.Event) ([]llm.Event, error) {
	if d.finish != "" {
		return d.stop(out), nil
	}
	return out, nil
}

// chatTextDelta decodes the most frequent chunk, one choice whose delta
// holds only content (and perhaps the role), without finish_reason, usage
// or error, without encoding/json. Any other shape reports false.
func chatTextDelta(data []byte) (llm.Event, bool) {
	if !wire.Valid(data) {
		return llm.Event{}, false
	}
	var choices []byte
	plain := true
	wire.Members(data, func(k, v []byte) bool {
		plain = plain && !wire.Ambiguous(k, "choices", "usage", "error")
		switch string(k) {
		case "choices":
			choices = v
		case "usage", "error":
			plain = plain && wire.IsNull(v)
		}
		return true
	})
	var choice []byte
	n := 0
	wire.Elements(choices, func(v []byte) bool { choice, n = v, n+1; return true })
	if !plain || n != 1 {
		return llm.Event{}, false
	}
	var delta, content []byte
	wire.Members(choice, func(k, v []byte) bool {
		plain = plain && !wire.Ambiguous(k, "index", "delta", "finish_reason")
		switch string(k) {
		case "index":
			plain = plain && string(v) == "0"
		case "finish_reason":
			plain = plain && wire.IsNull(v)
		case "delta":
			delta = v
		}
		return true
	})
	wire.Members(delta, func(k, v []byte) bool {
		plain = plain && !wire.Ambiguous(k, "content")
		switch string(k) {
		case "content":
			content = v
		case "role":
		default:
			plain = false
		}
		return true
	})
	s, ok := wire.Str(content)
	if !plain || !ok || s == "" {
		return llm.Event{}, false
	}
	return llm.Event{Type: llm.EventTextDelta, Text: s}, true
}
