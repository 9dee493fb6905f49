package gemini

import (
	"encoding/json"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/internal/wire"
)

// decoder maps GenerateContentResponse chunks to llm events. The API has no
// terminal event: the stream is complete when the body ends after a chunk
// carrying a finishReason (or a prompt block reason).
type decoder struct {
	chunk   chunk
	tools   wire.ToolCalls
	finish  string
	blocked bool
}

type chunk struct {
	Candidates []struct {
		Content struct {
			Parts []struct {
				Text             string `json:"text"`
				Thought          bool   `json:"thought"`
				ThoughtSignature string `json:"thoughtSignature"`
				FunctionCall     *struct {
					ID   string          `json:"id"`
					Name string          `json:"name"`
					Args json.RawMessage `json:"args"`
				} `json:"functionCall"`
			} `json:"parts"`
		} `json:"content"`
		FinishReason string `json:"finishReason"`
	} `json:"candidates"`
	UsageMetadata *struct {
		Prompt     int64 `json:"promptTokenCount"`
		Candidates int64 `json:"candidatesTokenCount"`
		Cached     int64 `json:"cachedContentTokenCount"`
		Thoughts   int64 `json:"thoughtsTokenCount"`
		ToolPrompt int64 `json:"toolUsePromptTokenCount"`
	} `json:"usageMetadata"`
	PromptFeedback *struct {
		BlockReason string `json:"blockReason"`
	} `json:"promptFeedback"`
	Error *struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	} `json:"error"`
}

func (d *decoder) Event(sse wire.SSEEvent, out []llm.Event) ([]llm.Event, error) {
	if o, ok := textChunk(sse.Data, out); ok {
		return o, nil
	}
	return d.full(sse.Data, out)
}

// full decodes any chunk with encoding/json.
func (d *decoder) full(data []byte, out []llm.Event) ([]llm.Event, error) {
	d.chunk = chunk{Candidates: d.chunk.Candidates[:0]}
	clear(d.chunk.Candidates[:cap(d.chunk.Candidates)])
	if err := json.Unmarshal(data, &d.chunk); err != nil {
		return out, wire.Malformed(Name, err)
	}
	if e := d.chunk.Error; e != nil {
		return out, wire.CodeError(Name, e.Status, e.Message)
	}
	if len(d.chunk.Candidates) > 0 {
		cand := &d.chunk.Candidates[0]
		for i := range cand.Content.Parts {
			p := &cand.Content.Parts[i]
			if p.FunctionCall != nil {
				// The signature must go back on this very call.
				out = d.call(p.FunctionCall.ID, p.FunctionCall.Name, p.FunctionCall.Args, p.ThoughtSignature, out)
				continue
			}
			if p.ThoughtSignature != "" {
				out = append(out, llm.Event{Type: llm.EventReasoningSignature, Text: p.ThoughtSignature})
			}
			switch {
			case p.Text == "":
			case p.Thought:
				out = append(out, llm.Event{Type: llm.EventReasoningDelta, Text: p.Text})
			default:
				out = append(out, llm.Event{Type: llm.EventTextDelta, Text: p.Text})
			}
		}
		if cand.FinishReason != "" {
			d.finish = cand.FinishReason
		}
	}
	if f := d.chunk.PromptFeedback; f != nil && f.BlockReason != "" {
		d.blocked = true
	}
	if u := d.chunk.UsageMetadata; u != nil {
		out = append(out, usageEvent(u.Prompt, u.Candidates, u.Cached, u.Thoughts, u.ToolPrompt))
	}
	return out, nil
}

// usageEvent maps usageMetadata: cached prompt tokens are reported apart
// from the other input tokens, thoughts count as output.
func usageEvent(prompt, candidates, cached, thoughts, toolPrompt int64) llm.Event {
	u := wire.CachedUsage(prompt, cached, candidates+thoughts)
	u.InputTokens += toolPrompt
	return llm.Event{Type: llm.EventUsage, Usage: u}
}

// textChunk decodes the most frequent chunk, one candidate without
// finishReason whose content is one plain text part, plus usageMetadata,
// without encoding/json. Any other shape reports false.
func textChunk(data []byte, out []llm.Event) ([]llm.Event, bool) {
	if !wire.Valid(data) {
		return out, false
	}
	var cands, usage []byte
	plain := true
	wire.Members(data, func(k, v []byte) bool {
		plain = plain && !wire.Ambiguous(k, "candidates", "usageMetadata", "promptFeedback", "error")
		switch string(k) {
		case "candidates":
			cands = v
		case "usageMetadata":
			usage = v
		case "promptFeedback", "error":
			plain = false
		}
		return true
	})
	var cand, parts, part, text []byte
	n := 0
	wire.Elements(cands, func(v []byte) bool { cand, n = v, n+1; return true })
	plain = plain && n == 1
	wire.Members(cand, func(k, v []byte) bool {
		plain = plain && !wire.Ambiguous(k, "content", "finishReason")
		switch string(k) {
		case "content":
			wire.Members(v, func(k, v []byte) bool {
				plain = plain && !wire.Ambiguous(k, "parts")
				if string(k) == "parts" {
					parts = v
				}
				return true
			})
		case "finishReason":
			plain = false
		}
		return true
	})
	n = 0
	wire.Elements(parts, func(v []byte) bool { part, n = v, n+1; return true })
	plain = plain && n == 1
	wire.Members(part, func(k, v []byte) bool {
		if string(k) == "text" && !wire.Ambiguous(k) {
			text = v
		} else {
			plain = false
		}
		return true
	})
	s, ok := wire.Str(text)
	if !plain || !ok || s == "" {
		return out, false
	}
	var u [5]int64 // prompt, candidates, cached, thoughts, tool prompt
	if usage != nil {
		okUsage := wire.Members(usage, func(k, v []byte) bool {
			if wire.Ambiguous(k, "promptTokenCount", "candidatesTokenCount", "cachedContentTokenCount", "thoughtsTokenCount", "toolUsePromptTokenCount") {
				ok = false
				return false
			}
			i := -1
			switch string(k) {
			case "promptTokenCount":
				i = 0
			case "candidatesTokenCount":
				i = 1
			case "cachedContentTokenCount":
				i = 2
			case "thoughtsTokenCount":
				i = 3
			case "toolUsePromptTokenCount":
				i = 4
			}
			if i >= 0 {
				u[i], ok = wire.Int(v)
			}
			return ok
		})
		if !okUsage || !ok {
			return out, false
		}
	}
	out = append(out, llm.Event{Type: llm.EventTextDelta, Text: s})
	if usage != nil && !wire.IsNull(usage) {
		out = append(out, usageEvent(u[0], u[1], u[2], u[3], u[4]))
	}
	return out, true
}

// call emits one complete function call: the API streams them whole.
func (d *decoder) call(id, name string, args json.RawMessage, signature string, out []llm.Event) []llm.Event {
	index := d.tools.Count()
	out = append(out, d.tools.Start(index, id, name))
	text := string(args)
	e, _ := d.tools.Append(index, text)
	out = append(out, e)
	out, ok := d.tools.Finish(index, nil, out)
	if ok {
		out[len(out)-1].ToolCall.Signature = signature
	}
	return out
}

func (d *decoder) End(out []llm.Event) ([]llm.Event, error) {
	if d.finish == "" && !d.blocked {
		return out, nil // no finish reason: truncated
	}
	return append(out, llm.Event{Type: llm.EventStop, StopReason: d.stopReason()}), nil
}

// stopReason maps finishReason (and a blocked prompt).
func (d *decoder) stopReason() llm.StopReason {
	switch d.finish {
	case "MAX_TOKENS":
		return llm.StopMaxTokens
	case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE":
		return llm.StopContentFilter
	}
	if d.blocked && d.finish == "" {
		return llm.StopContentFilter
	}
	if d.tools.Count() > 0 {
		return llm.StopToolUse
	}
	return llm.StopEndTurn // STOP, OTHER and reasons added later
}
