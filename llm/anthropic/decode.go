package anthropic

import (
	"encoding/json"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/internal/wire"
)

// decoder maps Messages API stream events to llm events. One decoder serves
// one call.
type decoder struct {
	ev    event // reused between events
	tools wire.ToolCalls
	usage llm.Usage
	stop  string
}

type event struct {
	Type  string `json:"type"`
	Index int    `json:"index"`
	Delta struct {
		Type        string `json:"type"`
		Text        string `json:"text"`
		Thinking    string `json:"thinking"`
		Signature   string `json:"signature"`
		PartialJSON string `json:"partial_json"`
		StopReason  string `json:"stop_reason"`
	} `json:"delta"`
	ContentBlock struct {
		Type      string `json:"type"`
		ID        string `json:"id"`
		Name      string `json:"name"`
		Text      string `json:"text"`
		Thinking  string `json:"thinking"`
		Signature string `json:"signature"`
		Data      string `json:"data"` // redacted_thinking
	} `json:"content_block"`
	Message struct {
		Usage usage `json:"usage"`
	} `json:"message"`
	Usage usage `json:"usage"`
	Error struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
}

// known are the event types the decoder reads; others are skipped even when
// their shape is unexpected.
var known = map[string]bool{
	"message_start": true, "content_block_start": true, "content_block_delta": true,
	"content_block_stop": true, "message_delta": true, "message_stop": true, "error": true, "ping": true,
}

// usage holds pointers so that a message_delta can update only the counts
// it carries (its counts are cumulative).
type usage struct {
	Input         *int64 `json:"input_tokens"`
	Output        *int64 `json:"output_tokens"`
	CacheCreation *int64 `json:"cache_creation_input_tokens"`
	CacheRead     *int64 `json:"cache_read_input_tokens"`
}

func (d *decoder) Event(sse wire.SSEEvent, out []llm.Event) ([]llm.Event, error) {
	if ev, ok := textDelta(sse.Data); ok {
		return append(out, ev), nil
	}
	return d.full(sse.Data, out)
}

// full decodes any event with encoding/json.
func (d *decoder) full(data []byte, out []llm.Event) ([]llm.Event, error) {
	d.ev = event{}
	if err := json.Unmarshal(data, &d.ev); err != nil {
		if t := wire.PeekType(data); t == "" || known[t] {
			return out, wire.Malformed(Name, err)
		}
		return out, nil // an event type this adapter does not read
	}
	ev := &d.ev
	switch ev.Type {
	case "content_block_delta":
		return d.delta(ev, out)
	case "content_block_start":
		return d.start(ev, out)
	case "content_block_stop":
		if d.tools.Has(ev.Index) {
			out, _ = d.tools.Finish(ev.Index, nil, out)
		}
	case "message_start":
		d.addUsage(ev.Message.Usage)
		out = append(out, llm.Event{Type: llm.EventUsage, Usage: d.usage})
	case "message_delta":
		if ev.Delta.StopReason != "" {
			d.stop = ev.Delta.StopReason
		}
		d.addUsage(ev.Usage)
		out = append(out, llm.Event{Type: llm.EventUsage, Usage: d.usage})
	case "message_stop":
		out = d.tools.FinishAll(out)
		out = append(out, llm.Event{Type: llm.EventStop, StopReason: d.stopReason()})
	case "error":
		return out, wire.CodeError(Name, ev.Error.Type, ev.Error.Message)
	}
	// "ping" and event types added to the API later are ignored.
	return out, nil
}

func (d *decoder) start(ev *event, out []llm.Event) ([]llm.Event, error) {
	cb := &ev.ContentBlock
	switch cb.Type {
	case "text":
		if cb.Text != "" {
			out = append(out, llm.Event{Type: llm.EventTextDelta, Index: ev.Index, Text: cb.Text})
		}
	case "thinking":
		if cb.Thinking != "" {
			out = append(out, llm.Event{Type: llm.EventReasoningDelta, Index: ev.Index, Text: cb.Thinking})
		}
		if cb.Signature != "" {
			out = append(out, llm.Event{Type: llm.EventReasoningSignature, Index: ev.Index, Text: cb.Signature})
		}
	case "redacted_thinking":
		out = append(out, llm.Event{Type: llm.EventReasoningRedacted, Index: ev.Index, Text: cb.Data})
	case "tool_use":
		if d.tools.Has(ev.Index) {
			return out, wire.Malformed(Name, errDuplicateBlock)
		}
		out = append(out, d.tools.Start(ev.Index, cb.ID, cb.Name))
	}
	return out, nil
}

func (d *decoder) delta(ev *event, out []llm.Event) ([]llm.Event, error) {
	switch ev.Delta.Type {
	case "text_delta":
		out = append(out, llm.Event{Type: llm.EventTextDelta, Index: ev.Index, Text: ev.Delta.Text})
	case "thinking_delta":
		out = append(out, llm.Event{Type: llm.EventReasoningDelta, Index: ev.Index, Text: ev.Delta.Thinking})
	case "signature_delta":
		out = append(out, llm.Event{Type: llm.EventReasoningSignature, Index: ev.Index, Text: ev.Delta.Signature})
	case "input_json_delta":
		e, ok := d.tools.Append(ev.Index, ev.Delta.PartialJSON)
		if !ok {
			return out, wire.Malformed(Name, errOrphanDelta)
		}
		out = append(out, e)
	}
	return out, nil
}

func (d *decoder) addUsage(u usage) {
	set := func(dst *int64, src *int64) {
		if src != nil {
			*dst = *src
		}
	}
	set(&d.usage.InputTokens, u.Input)
	set(&d.usage.OutputTokens, u.Output)
	set(&d.usage.CacheCreationTokens, u.CacheCreation)
	set(&d.usage.CacheReadTokens, u.CacheRead)
}

// End is reached only when the body closed before message_stop.
func (d *decoder) End(out []llm.Event) ([]llm.Event, error) { return out, nil }

// stopReason maps the API's stop_reason.
func (d *decoder) stopReason() llm.StopReason {
	switch d.stop {
	case "tool_use":
		return llm.StopToolUse
	case "max_tokens", "model_context_window_exceeded":
		return llm.StopMaxTokens
	case "stop_sequence":
		return llm.StopSequence
	case "refusal":
		return llm.StopContentFilter
	case "":
		if d.tools.Count() > 0 {
			return llm.StopToolUse
		}
	}
	return llm.StopEndTurn // end_turn, pause_turn and reasons added later
}

// textDelta decodes the most frequent event,
// {"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"..."}},
// without encoding/json, reading the same members the full decoder reads.
// Any other shape reports false.
func textDelta(data []byte) (llm.Event, bool) {
	if !wire.Valid(data) {
		return llm.Event{}, false
	}
	var typ, index, delta, dtype, text []byte
	plain := true
	wire.Members(data, func(k, v []byte) bool {
		plain = plain && !wire.Ambiguous(k, "type", "index", "delta", "content_block", "message", "usage", "error")
		switch string(k) {
		case "type":
			typ = v
		case "index":
			index = v
		case "delta":
			delta = v
		}
		return true
	})
	if !plain || string(typ) != `"content_block_delta"` {
		return llm.Event{}, false
	}
	wire.Members(delta, func(k, v []byte) bool {
		plain = plain && !wire.Ambiguous(k, "type", "text", "thinking", "signature", "partial_json", "stop_reason")
		switch string(k) {
		case "type":
			dtype = v
		case "text":
			text = v
		}
		return true
	})
	if !plain || string(dtype) != `"text_delta"` {
		return llm.Event{}, false
	}
	i, ok := wire.Int(index)
	s, ok2 := wire.Str(text)
	if !ok || !ok2 {
		return llm.Event{}, false
	}
	return llm.Event{Type: llm.EventTextDelta, Index: int(i), Text: s}, true
}
