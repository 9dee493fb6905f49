// Package gemini adapts the Gemini API's streamGenerateContent (with
// alt=sse) to llm.Provider, speaking HTTP+SSE directly: text and thought
// parts, functionCall parts, thought signatures, usage metadata and finish
// reasons.
package gemini

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/internal/wire"
)

// Name is the provider id.
const Name = "gemini"

// DefaultBaseURL is the API root; requests go to
// {base}/v1beta/models/{model}:streamGenerateContent?alt=sse.
const DefaultBaseURL = "https://generativelanguage.googleapis.com"

// APIVersion is the path version segment.
const APIVersion = "v1beta"

// Config configures the adapter.
type Config struct {
	APIKey     string       // sent as x-goog-api-key; empty sends none
	BaseURL    string       // API root; empty means DefaultBaseURL
	HTTPClient *http.Client // nil: a client of its own, 2 min header timeout, ctx bounds the rest
}

// Provider is the Gemini adapter. It is safe for concurrent use.
type Provider struct{ conn wire.Conn }

// New returns an adapter.
func New(cfg Config) *Provider {
	h := http.Header{}
	if cfg.APIKey != "" {
		h.Set("x-goog-api-key", cfg.APIKey)
	}
	return &Provider{conn: wire.NewConn(Name, cfg.BaseURL, DefaultBaseURL, cfg.HTTPClient, h)}
}

// Name returns "gemini".
func (p *Provider) Name() string { return Name }

// Stream starts a streamed generateContent call.
func (p *Provider) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	body, err := EncodeRequest(req)
	if err != nil {
		return nil, err
	}
	model := strings.TrimPrefix(req.Model, "models/")
	path := "/" + APIVersion + "/models/" + url.PathEscape(model) + ":streamGenerateContent?alt=sse"
	return p.conn.Stream(ctx, path, body, &decoder{})
}

type request struct {
	Contents          []content       `json:"contents"`
	SystemInstruction *content        `json:"systemInstruction,omitempty"`
	Tools             []toolSet       `json:"tools,omitempty"`
	GenerationConfig  json.RawMessage `json:"generationConfig,omitempty"`
}

type content struct {
	Role  string `json:"role,omitempty"`
	Parts []part `json:"parts"`
}

type part struct {
	Text             *string       `json:"text,omitempty"`
	InlineData       *inlineData   `json:"inlineData,omitempty"`
	FunctionCall     *functionCall `json:"functionCall,omitempty"`
	FunctionResponse *functionResp `json:"functionResponse,omitempty"`
	ThoughtSignature string        `json:"thoughtSignature,omitempty"`
}

type inlineData struct {
	MimeType string `json:"mimeType"`
	Data     string `json:"data"`
}

type functionCall struct {
	ID   string          `json:"id,omitempty"`
	Name string          `json:"name"`
	Args json.RawMessage `json:"args"`
}

type functionResp struct {
	ID       string `json:"id,omitempty"`
	Name     string `json:"name"`
	Response struct {
		Result string `json:"result,omitempty"`
		Error  string `json:"error,omitempty"`
	} `json:"response"`
	Parts []functionRespPart `json:"parts,omitempty"` // images of the result
}

type functionRespPart struct {
	InlineData *inlineData `json:"inlineData"`
}

type toolSet struct {
	FunctionDeclarations []funcDecl `json:"functionDeclarations"`
}

type funcDecl struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
}

// genConfigChecks are the documented generationConfig fields rkat accepts
// in provider_params, either flat or inside a "generationConfig" object.
var genConfigChecks = map[string]wire.Check{
	"temperature":        wire.Number(0, 2),
	"topP":               wire.Number(0, 1),
	"topK":               wire.Integer(1),
	"candidateCount":     wire.Integer(1),
	"stopSequences":      wire.Strings,
	"seed":               wire.Integer(-1 << 31),
	"presencePenalty":    wire.Number(-2, 2),
	"frequencyPenalty":   wire.Number(-2, 2),
	"responseMimeType":   wire.OneOf("text/plain", "application/json", "text/x.enum"),
	"responseSchema":     wire.Object(nil),
	"responseJsonSchema": wire.Object(nil),
	"mediaResolution":    nil,
	"thinkingConfig": wire.Object(map[string]wire.Check{
		"includeThoughts": wire.Bool,
		"thinkingBudget":  wire.Integer(-1),
		"thinkingLevel":   wire.OneOf("minimal", "low", "medium", "high"),
	}),
}

var topChecks = map[string]wire.Check{
	"safetySettings": nil,
	"toolConfig":     wire.Object(nil),
	"cachedContent":  nil,
	"labels":         wire.Object(nil),
}

var reserved = []string{"contents", "systemInstruction", "tools", "generationConfig", "maxOutputTokens"}

// EncodeRequest builds the JSON body of a generateContent call.
func EncodeRequest(req *llm.Request) ([]byte, error) {
	r := request{Contents: []content{}}
	if req.System != "" {
		s := req.System
		r.SystemInstruction = &content{Parts: []part{{Text: &s}}}
	}
	names := map[string]string{} // tool-call id -> function name
	for _, m := range req.Messages {
		for _, b := range m.Content {
			if b.Type == llm.BlockToolUse {
				names[b.ID] = b.Name
			}
		}
	}
	for _, m := range req.Messages {
		if c := encodeContent(m, names); len(c.Parts) > 0 {
			r.Contents = append(r.Contents, c)
		}
	}
	if len(req.Tools) > 0 {
		ts := toolSet{}
		for _, t := range req.Tools {
			ts.FunctionDeclarations = append(ts.FunctionDeclarations, funcDecl{Name: t.Name, Description: t.Description, Parameters: t.InputSchema})
		}
		r.Tools = []toolSet{ts}
	}
	gen, top, err := splitParams(req.ProviderParams)
	if err != nil {
		return nil, err
	}
	base := []byte(`{}`)
	if req.MaxTokens > 0 {
		base, _ = json.Marshal(map[string]int{"maxOutputTokens": req.MaxTokens})
	}
	if r.GenerationConfig, err = wire.MergeParams(Name, base, gen, reserved, genConfigChecks); err != nil {
		return nil, err
	}
	if string(r.GenerationConfig) == "{}" {
		r.GenerationConfig = nil
	}
	body, err := json.Marshal(r)
	if err != nil {
		return nil, wire.Invalid(Name, "encode request: %v", err)
	}
	return wire.MergeParams(Name, body, top, reserved, topChecks)
}

// splitParams sorts provider_params into generationConfig fields and
// top-level fields. A "generationConfig" object is flattened into the former.
func splitParams(params map[string]json.RawMessage) (gen, top map[string]json.RawMessage, err error) {
	gen, top = map[string]json.RawMessage{}, map[string]json.RawMessage{}
	for k, v := range params {
		switch _, isGen := genConfigChecks[k]; {
		case k == "generationConfig":
			var inner map[string]json.RawMessage
			if json.Unmarshal(v, &inner) != nil {
				return nil, nil, wire.Invalid(Name, "provider_params: generationConfig must be an object")
			}
			for ik, iv := range inner {
				if _, dup := params[ik]; dup {
					return nil, nil, wire.Invalid(Name, "provider_params: %q given twice", ik)
				}
				gen[ik] = iv
			}
		case isGen:
			gen[k] = v
		default:
			top[k] = v
		}
	}
	return gen, top, nil
}

func encodeContent(m llm.Message, names map[string]string) content {
	c := content{Role: "user"}
	if m.Role == llm.RoleAssistant {
		c.Role = "model"
	}
	pending := "" // thought signature waiting for the part it belongs to
	add := func(p part) {
		if p.ThoughtSignature == "" {
			p.ThoughtSignature, pending = pending, ""
		}
		c.Parts = append(c.Parts, p)
	}
	for _, b := range m.Content {
		switch b.Type {
		case llm.BlockText:
			if b.Text != "" {
				t := b.Text
				add(part{Text: &t})
			}
		case llm.BlockImage:
			add(part{InlineData: &inlineData{MimeType: b.MediaType, Data: b.Data}})
		case llm.BlockToolUse:
			// A call's own signature goes back on it (the API checks).
			add(part{FunctionCall: &functionCall{ID: apiID(b.ID), Name: b.Name, Args: wire.ObjectArgs(b.Args)}, ThoughtSignature: b.Signature})
		case llm.BlockToolResult:
			fr := &functionResp{ID: apiID(b.ID), Name: names[b.ID]}
			if b.IsError {
				fr.Response.Error = b.Text
			} else {
				fr.Response.Result = b.Text
			}
			for _, img := range b.Images {
				fr.Parts = append(fr.Parts, functionRespPart{InlineData: &inlineData{MimeType: img.MediaType, Data: img.Data}})
			}
			add(part{FunctionResponse: fr})
		case llm.BlockReasoning:
			// Thought text is not sent back; its signature rides on the
			// part that follows it, as the API returned them.
			if b.Signature != "" {
				pending = b.Signature
			}
		}
	}
	if pending != "" {
		empty := ""
		add(part{Text: &empty})
	}
	return c
}

// apiID returns the id to send back: ids the API never issued are omitted.
func apiID(id string) string {
	if strings.HasPrefix(id, wire.LocalIDPrefix) {
		return ""
	}
	return id
}
