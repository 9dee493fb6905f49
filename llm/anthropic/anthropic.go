// Package anthropic adapts the Anthropic Messages API (streaming) to
// llm.Provider. It speaks the HTTP+SSE wire directly (see the package
// llm/internal/wire for why) and maps text, thinking with its signature,
// tool_use blocks whose input arrives as partial JSON, usage including cache
// creation and cache read tokens, and stop reasons.
package anthropic

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/internal/wire"
)

// Name is the provider id.
const Name = "anthropic"

// DefaultBaseURL is the API root; requests go to {base}/v1/messages.
const DefaultBaseURL = "https://api.anthropic.com"

// APIVersion is the anthropic-version header sent with every request.
const APIVersion = "2023-06-01"

// DefaultMaxTokens is used when a request leaves MaxTokens at zero (the API
// requires max_tokens).
const DefaultMaxTokens = 8192

// Config configures the adapter.
type Config struct {
	APIKey     string       // sent as x-api-key; empty sends none
	BaseURL    string       // API root; empty means DefaultBaseURL
	HTTPClient *http.Client // nil: a client of its own, 2 min header timeout, ctx bounds the rest
}

// Provider is the Anthropic adapter. It is safe for concurrent use.
type Provider struct{ conn wire.Conn }

// New returns an adapter.
func New(cfg Config) *Provider {
	h := http.Header{}
	h.Set("anthropic-version", APIVersion)
	if cfg.APIKey != "" {
		h.Set("x-api-key", cfg.APIKey)
	}
	return &Provider{conn: wire.NewConn(Name, cfg.BaseURL, DefaultBaseURL, cfg.HTTPClient, h)}
}

// Name returns "anthropic".
func (p *Provider) Name() string { return Name }

// Stream starts a streamed Messages call.
func (p *Provider) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	body, err := EncodeRequest(req)
	if err != nil {
		return nil, err
	}
	return p.conn.Stream(ctx, "/v1/messages", body, &decoder{})
}

type request struct {
	Model     string    `json:"model"`
	MaxTokens int       `json:"max_tokens"`
	System    string    `json:"system,omitempty"`
	Messages  []message `json:"messages"`
	Tools     []toolDef `json:"tools,omitempty"`
	Stream    bool      `json:"stream"`
}

type message struct {
	Role    string  `json:"role"`
	Content []block `json:"content"`
}

type block struct {
	Type      string          `json:"type"`
	Text      string          `json:"text,omitempty"`
	Source    *imageSource    `json:"source,omitempty"`
	ID        string          `json:"id,omitempty"`
	Name      string          `json:"name,omitempty"`
	Input     json.RawMessage `json:"input,omitempty"`
	ToolUseID string          `json:"tool_use_id,omitempty"`
	Content   any             `json:"content,omitempty"` // tool_result: a string, or text and image blocks
	IsError   bool            `json:"is_error,omitempty"`
	Thinking  *string         `json:"thinking,omitempty"`
	Signature string          `json:"signature,omitempty"`
	Data      string          `json:"data,omitempty"` // redacted_thinking
}

type imageSource struct {
	Type      string `json:"type"`
	MediaType string `json:"media_type"`
	Data      string `json:"data"`
}

type toolDef struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	InputSchema json.RawMessage `json:"input_schema"`
}

// reserved are the request keys provider_params may not override.
var reserved = []string{"model", "max_tokens", "system", "messages", "tools", "stream"}

// checks validate the documented provider_params.
var checks = map[string]wire.Check{
	"temperature":    wire.Number(0, 1),
	"top_p":          wire.Number(0, 1),
	"top_k":          wire.Integer(0),
	"stop_sequences": wire.Strings,
	"thinking": wire.Object(map[string]wire.Check{
		"type":          wire.OneOf("enabled", "disabled", "adaptive"),
		"budget_tokens": wire.Integer(1024),
	}),
	"tool_choice":  wire.Object(map[string]wire.Check{"type": wire.OneOf("auto", "any", "tool", "none")}),
	"service_tier": wire.OneOf("auto", "standard_only"),
	"metadata":     wire.Object(nil),
}

// EncodeRequest builds the JSON body of a streamed Messages call.
func EncodeRequest(req *llm.Request) ([]byte, error) {
	r := request{Model: req.Model, MaxTokens: req.MaxTokens, System: req.System, Stream: true}
	if r.MaxTokens <= 0 {
		r.MaxTokens = DefaultMaxTokens
	}
	if err := checkThinkingBudget(req.ProviderParams["thinking"], r.MaxTokens); err != nil {
		return nil, err
	}
	for _, m := range req.Messages {
		if em := encodeMessage(m); len(em.Content) > 0 {
			r.Messages = append(r.Messages, em)
		}
	}
	for _, t := range req.Tools {
		schema := t.InputSchema
		if len(schema) == 0 {
			schema = json.RawMessage(`{"type":"object"}`)
		}
		r.Tools = append(r.Tools, toolDef{Name: t.Name, Description: t.Description, InputSchema: schema})
	}
	body, err := json.Marshal(r)
	if err != nil {
		return nil, wire.Invalid(Name, "encode request: %v", err)
	}
	return wire.MergeParams(Name, body, req.ProviderParams, reserved, checks)
}

// checkThinkingBudget enforces the documented rule that an enabled
// thinking budget is below max_tokens.
func checkThinkingBudget(raw json.RawMessage, maxTokens int) error {
	if raw == nil {
		return nil
	}
	var t struct {
		Type   string `json:"type"`
		Budget int    `json:"budget_tokens"`
	}
	if json.Unmarshal(raw, &t) != nil || t.Type != "enabled" {
		return nil // shape errors are reported by the thinking check
	}
	if t.Budget >= maxTokens {
		return wire.Invalid(Name, "provider_params: thinking.budget_tokens (%d) must be below max_tokens (%d)", t.Budget, maxTokens)
	}
	if t.Budget == 0 {
		return wire.Invalid(Name, "provider_params: thinking.budget_tokens is required when thinking is enabled")
	}
	return nil
}

func encodeMessage(m llm.Message) message {
	out := message{Role: string(m.Role), Content: make([]block, 0, len(m.Content))}
	for _, b := range m.Content {
		switch b.Type {
		case llm.BlockText:
			if b.Text != "" {
				out.Content = append(out.Content, block{Type: "text", Text: b.Text})
			}
		case llm.BlockImage:
			out.Content = append(out.Content, block{Type: "image", Source: &imageSource{Type: "base64", MediaType: b.MediaType, Data: b.Data}})
		case llm.BlockToolUse:
			out.Content = append(out.Content, block{Type: "tool_use", ID: b.ID, Name: b.Name, Input: wire.ObjectArgs(b.Args)})
		case llm.BlockToolResult:
			var content any = b.Text
			if len(b.Images) > 0 {
				parts := []block{{Type: "text", Text: b.Text}}
				for _, img := range b.Images {
					parts = append(parts, block{Type: "image", Source: &imageSource{Type: "base64", MediaType: img.MediaType, Data: img.Data}})
				}
				content = parts
			}
			out.Content = append(out.Content, block{Type: "tool_result", ToolUseID: b.ID, Content: content, IsError: b.IsError})
		case llm.BlockReasoning:
			// An encrypted (redacted) block goes back as it came. Thinking
			// without its signature is rejected by the API; it came from
			// another provider or was cut short, so it is dropped.
			switch {
			case b.Data != "":
				out.Content = append(out.Content, block{Type: "redacted_thinking", Data: b.Data})
			case b.Signature != "":
				text := b.Text
				out.Content = append(out.Content, block{Type: "thinking", Thinking: &text, Signature: b.Signature})
			}
		}
	}
	return out
}
