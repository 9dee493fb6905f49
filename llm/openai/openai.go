// Package openai adapts two OpenAI wire protocols to llm.Provider, speaking
// HTTP+SSE directly: the Responses API (New), used for OpenAI's own models,
// and Chat Completions streaming (NewChat), used for OpenAI-compatible
// self-hosted servers such as Ollama, vLLM and llama.cpp server, including
// parallel tool calls whose arguments arrive in fragments.
package openai

import (
	"context"
	"net/http"
	"strings"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/internal/wire"
)

// Name is the provider id of the Responses adapter.
const Name = "openai"

// DefaultBaseURL is the API root; requests go to {base}/responses or
// {base}/chat/completions.
const DefaultBaseURL = "https://api.openai.com/v1"

// Config configures an adapter.
type Config struct {
	APIKey     string       // sent as a bearer token; empty sends none
	BaseURL    string       // API root; empty means DefaultBaseURL
	HTTPClient *http.Client // nil: a client of its own, 2 min header timeout, ctx bounds the rest
}

// Provider is an OpenAI adapter. It is safe for concurrent use.
type Provider struct {
	conn   wire.Conn
	path   string
	encode func(name string, req *llm.Request) ([]byte, error)
	decode func(name string) wire.Decoder
}

// New returns a Responses API adapter.
func New(cfg Config) *Provider {
	return newProvider(cfg, Name, "/responses", encodeResponses, func(name string) wire.Decoder { return &respDecoder{name: name} })
}

// NewChat returns a Chat Completions adapter.
func NewChat(cfg Config) *Provider {
	return newProvider(cfg, llm.ProviderSelfHosted, "/chat/completions", encodeChat, func(name string) wire.Decoder { return &chatDecoder{name: name} })
}

// newProvider builds an adapter that reports itself as name.
func newProvider(cfg Config, name, path string, enc func(string, *llm.Request) ([]byte, error), dec func(string) wire.Decoder) *Provider {
	h := http.Header{}
	if cfg.APIKey != "" {
		h.Set("Authorization", "Bearer "+cfg.APIKey)
	}
	return &Provider{conn: wire.NewConn(name, cfg.BaseURL, DefaultBaseURL, cfg.HTTPClient, h), path: path, encode: enc, decode: dec}
}

// Name returns the provider id.
func (p *Provider) Name() string { return p.conn.Provider }

// Stream starts a streamed call.
func (p *Provider) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	body, err := p.encode(p.conn.Provider, req)
	if err != nil {
		return nil, err
	}
	return p.conn.Stream(ctx, p.path, body, p.decode(p.conn.Provider))
}

// dataURL returns an image block as a data: URL.
func dataURL(b llm.Block) string { return "data:" + b.MediaType + ";base64," + b.Data }

// argsText returns tool-call arguments as the JSON text both OpenAI APIs
// carry in a string, "{}" when empty.
func argsText(b llm.Block) string {
	if s := strings.TrimSpace(string(b.Args)); s != "" {
		return s
	}
	return "{}"
}

// toolSchema returns a tool's parameter schema, an empty object schema when
// none is given.
func toolSchema(t llm.ToolDef) []byte {
	if len(t.InputSchema) == 0 {
		return []byte(`{"type":"object","properties":{}}`)
	}
	return t.InputSchema
}
