package openai

import (
	"encoding/json"
	"strings"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/internal/wire"
)

type respRequest struct {
	Model           string          `json:"model"`
	Instructions    string          `json:"instructions,omitempty"`
	Input           []respItem      `json:"input"`
	Tools           []respTool      `json:"tools,omitempty"`
	MaxOutputTokens int             `json:"max_output_tokens,omitempty"`
	Stream          bool            `json:"stream"`
	Store           *bool           `json:"store,omitempty"`
	Include         []string        `json:"include,omitempty"`
	Reasoning       json.RawMessage `json:"reasoning,omitempty"`
}

// respItem is one input item: a message, a function call, a function call
// output or a reasoning item.
type respItem struct {
	Type             string         `json:"type"`
	Role             string         `json:"role,omitempty"`
	Content          []respPart     `json:"content,omitempty"`
	ID               string         `json:"id,omitempty"`
	CallID           string         `json:"call_id,omitempty"`
	Name             string         `json:"name,omitempty"`
	Arguments        string         `json:"arguments,omitempty"`
	Output           any            `json:"output,omitempty"` // a string, or input_text and input_image parts
	Summary          *[]respSummary `json:"summary,omitempty"`
	EncryptedContent string         `json:"encrypted_content,omitempty"`
}

type respPart struct {
	Type     string `json:"type"`
	Text     string `json:"text,omitempty"`
	ImageURL string `json:"image_url,omitempty"`
}

type respSummary struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type respTool struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters"`
	Strict      bool            `json:"strict"`
}

var respReserved = []string{"model", "instructions", "input", "tools", "max_output_tokens", "stream"}

var effort = wire.OneOf("none", "minimal", "low", "medium", "high", "xhigh")

var respChecks = map[string]wire.Check{
	"temperature":         wire.Number(0, 2),
	"top_p":               wire.Number(0, 1),
	"reasoning":           wire.Object(map[string]wire.Check{"effort": effort, "summary": wire.OneOf("auto", "concise", "detailed")}),
	"parallel_tool_calls": wire.Bool,
	"max_tool_calls":      wire.Integer(1),
	"service_tier":        wire.OneOf("auto", "default", "flex", "priority", "scale"),
	"text":                wire.Object(map[string]wire.Check{"verbosity": wire.OneOf("low", "medium", "high")}),
	"truncation":          wire.OneOf("auto", "disabled"),
	"store":               wire.Bool,
	"include":             wire.Strings,
	"metadata":            wire.Object(nil),
}

// signatureSep separates the reasoning item id from its encrypted content in
// the opaque signature the adapter hands out for reasoning blocks.
const signatureSep = ":"

// encodeResponses builds the body of a streamed Responses call. The call is
// stateless (store false) and asks for encrypted reasoning so that reasoning
// items can be sent back on the next call. provider_params reasoning_effort
// is a shorthand for reasoning {effort, summary:"auto"}.
func encodeResponses(name string, req *llm.Request) ([]byte, error) {
	r := respRequest{Model: req.Model, Instructions: req.System, MaxOutputTokens: req.MaxTokens, Stream: true, Input: []respItem{}}
	params := req.ProviderParams
	if _, ok := params["store"]; !ok {
		f := false
		r.Store = &f
	}
	if _, ok := params["include"]; !ok {
		r.Include = []string{"reasoning.encrypted_content"}
	}
	if raw, ok := params["reasoning_effort"]; ok {
		if _, both := params["reasoning"]; both {
			return nil, wire.Invalid(name, "provider_params: give reasoning or reasoning_effort, not both")
		}
		if err := effort(raw); err != nil {
			return nil, wire.Invalid(name, "provider_params: reasoning_effort: %v", err)
		}
		r.Reasoning = json.RawMessage(`{"effort":` + string(raw) + `,"summary":"auto"}`)
		params = without(params, "reasoning_effort")
	}
	for _, m := range req.Messages {
		r.Input = appendRespItems(r.Input, m)
	}
	for _, t := range req.Tools {
		r.Tools = append(r.Tools, respTool{Type: "function", Name: t.Name, Description: t.Description, Parameters: toolSchema(t)})
	}
	body, err := json.Marshal(r)
	if err != nil {
		return nil, wire.Invalid(name, "encode request: %v", err)
	}
	return wire.MergeParams(name, body, params, respReserved, respChecks)
}

// without returns params minus key, leaving the caller's map untouched.
func without(params map[string]json.RawMessage, key string) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(params))
	for k, v := range params {
		if k != key {
			out[k] = v
		}
	}
	return out
}

func appendRespItems(items []respItem, m llm.Message) []respItem {
	var parts []respPart // the message being built, flushed around other items
	flush := func() {
		if len(parts) > 0 {
			items = append(items, respItem{Type: "message", Role: string(m.Role), Content: parts})
			parts = nil
		}
	}
	textType := "input_text"
	if m.Role == llm.RoleAssistant {
		textType = "output_text"
	}
	for _, b := range m.Content {
		switch b.Type {
		case llm.BlockText:
			if b.Text != "" {
				parts = append(parts, respPart{Type: textType, Text: b.Text})
			}
		case llm.BlockImage:
			if m.Role == llm.RoleUser {
				parts = append(parts, respPart{Type: "input_image", ImageURL: dataURL(b)})
			}
		case llm.BlockToolUse:
			flush()
			items = append(items, respItem{Type: "function_call", CallID: b.ID, Name: b.Name, Arguments: argsText(b)})
		case llm.BlockToolResult:
			flush()
			var out any = b.Text
			if len(b.Images) > 0 {
				parts := []respPart{{Type: "input_text", Text: b.Text}}
				for _, img := range b.Images {
					parts = append(parts, respPart{Type: "input_image", ImageURL: dataURL(img)})
				}
				out = parts
			}
			items = append(items, respItem{Type: "function_call_output", CallID: b.ID, Output: out})
		case llm.BlockReasoning:
			id, enc, ok := strings.Cut(b.Signature, signatureSep)
			if !ok || id == "" || enc == "" {
				continue // not ours (or cut short): the API cannot use it
			}
			flush()
			summary := []respSummary{}
			if b.Text != "" {
				summary = append(summary, respSummary{Type: "summary_text", Text: b.Text})
			}
			items = append(items, respItem{Type: "reasoning", ID: id, Summary: &summary, EncryptedContent: enc})
		}
	}
	flush()
	return items
}

// respDecoder maps Responses API stream events to llm events.
type respDecoder struct {
	name    string
	ev      respEvent
	tools   wire.ToolCalls
	refusal bool
}

type respEvent struct {
	Type        string  `json:"type"`
	OutputIndex int     `json:"output_index"`
	Delta       string  `json:"delta"`
	Arguments   *string `json:"arguments"`
	Code        string  `json:"code"`
	Message     string  `json:"message"`
	Item        struct {
		ID               string  `json:"id"`
		Type             string  `json:"type"`
		CallID           string  `json:"call_id"`
		Name             string  `json:"name"`
		Arguments        *string `json:"arguments"`
		EncryptedContent string  `json:"encrypted_content"`
	} `json:"item"`
	Response struct {
		Usage *struct {
			InputTokens  int64 `json:"input_tokens"`
			OutputTokens int64 `json:"output_tokens"`
			InputDetails struct {
				CachedTokens int64 `json:"cached_tokens"`
			} `json:"input_tokens_details"`
		} `json:"usage"`
		IncompleteDetails *struct {
			Reason string `json:"reason"`
		} `json:"incomplete_details"`
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	} `json:"response"`
}

var respKnown = map[string]bool{
	"response.output_text.delta": true, "response.refusal.delta": true,
	"response.reasoning_summary_text.delta": true, "response.reasoning_text.delta": true,
	"response.output_item.added": true, "response.output_item.done": true,
	"response.function_call_arguments.delta": true, "response.completed": true,
	"response.incomplete": true, "response.failed": true, "error": true,
}

func (d *respDecoder) Event(sse wire.SSEEvent, out []llm.Event) ([]llm.Event, error) {
	if ev, ok := respTextDelta(sse.Data); ok {
		return append(out, ev), nil
	}
	return d.full(sse.Data, out)
}

// full decodes any event with encoding/json.
func (d *respDecoder) full(data []byte, out []llm.Event) ([]llm.Event, error) {
	d.ev = respEvent{}
	if err := json.Unmarshal(data, &d.ev); err != nil {
		if t := wire.PeekType(data); t == "" || respKnown[t] {
			return out, wire.Malformed(d.name, err)
		}
		return out, nil
	}
	ev := &d.ev
	switch ev.Type {
	case "response.output_text.delta":
		out = append(out, llm.Event{Type: llm.EventTextDelta, Index: ev.OutputIndex, Text: ev.Delta})
	case "response.refusal.delta":
		d.refusal = true
		out = append(out, llm.Event{Type: llm.EventTextDelta, Index: ev.OutputIndex, Text: ev.Delta})
	case "response.reasoning_summary_text.delta", "response.reasoning_text.delta":
		out = append(out, llm.Event{Type: llm.EventReasoningDelta, Index: ev.OutputIndex, Text: ev.Delta})
	case "response.output_item.added":
		if ev.Item.Type == "function_call" && !d.tools.Has(ev.OutputIndex) {
			out = append(out, d.tools.Start(ev.OutputIndex, ev.Item.CallID, ev.Item.Name))
		}
	case "response.function_call_arguments.delta":
		e, ok := d.tools.Append(ev.OutputIndex, ev.Delta)
		if !ok {
			return out, wire.Malformed(d.name, errOrphanArguments)
		}
		out = append(out, e)
	case "response.output_item.done":
		return d.itemDone(ev, out), nil
	case "response.completed", "response.incomplete":
		return d.finish(ev, out), nil
	case "response.failed":
		if e := ev.Response.Error; e != nil {
			return out, wire.CodeError(d.name, e.Code, e.Message)
		}
		return out, wire.CodeError(d.name, "server_error", "response failed")
	case "error":
		return out, wire.CodeError(d.name, ev.Code, ev.Message)
	}
	return out, nil
}

func (d *respDecoder) itemDone(ev *respEvent, out []llm.Event) []llm.Event {
	switch ev.Item.Type {
	case "function_call":
		if !d.tools.Has(ev.OutputIndex) {
			out = append(out, d.tools.Start(ev.OutputIndex, ev.Item.CallID, ev.Item.Name))
		}
		out, _ = d.tools.Finish(ev.OutputIndex, ev.Item.Arguments, out)
	case "reasoning":
		if ev.Item.EncryptedContent != "" && ev.Item.ID != "" {
			out = append(out, llm.Event{Type: llm.EventReasoningSignature, Index: ev.OutputIndex,
				Text: ev.Item.ID + signatureSep + ev.Item.EncryptedContent})
		}
	}
	return out
}

// finish handles response.completed and response.incomplete. Calls of a
// completed response are complete; calls an incomplete response left open
// were cut off and are not emitted.
func (d *respDecoder) finish(ev *respEvent, out []llm.Event) []llm.Event {
	if u := ev.Response.Usage; u != nil {
		out = append(out, llm.Event{Type: llm.EventUsage,
			Usage: wire.CachedUsage(u.InputTokens, u.InputDetails.CachedTokens, u.OutputTokens)})
	}
	stop := llm.StopEndTurn
	switch {
	case ev.Type == "response.incomplete":
		stop = llm.StopMaxTokens
		if det := ev.Response.IncompleteDetails; det != nil && det.Reason == "content_filter" {
			stop = llm.StopContentFilter
		}
	case d.refusal:
		stop = llm.StopContentFilter
	default:
		out = d.tools.FinishAll(out)
		if d.tools.Count() > 0 {
			stop = llm.StopToolUse
		}
	}
	return append(out, llm.Event{Type: llm.EventStop, StopReason: stop})
}

func (d *respDecoder) End(out []llm.Event) ([]llm.Event, error) { return out, nil }

// respTextDelta decodes the most frequent event,
// {"type":"response.output_text.delta","output_index":N,"delta":"...",...},
// without encoding/json, reading the members the full decoder reads. Any
// other shape reports false.
func respTextDelta(data []byte) (llm.Event, bool) {
	if !wire.Valid(data) {
		return llm.Event{}, false
	}
	var typ, index, delta []byte
	plain := true
	wire.Members(data, func(k, v []byte) bool {
		plain = plain && !wire.Ambiguous(k, "type", "output_index", "delta", "arguments", "code", "message", "item", "response")
		switch string(k) {
		case "type":
			typ = v
		case "output_index":
			index = v
		case "delta":
			delta = v
		}
		return true
	})
	if !plain || string(typ) != `"response.output_text.delta"` {
		return llm.Event{}, false
	}
	i, ok := wire.Int(index)
	s, ok2 := wire.Str(delta)
	if !ok || !ok2 {
		return llm.Event{}, false
	}
	return llm.Event{Type: llm.EventTextDelta, Index: int(i), Text: s}, true
}
