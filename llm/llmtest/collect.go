package llmtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rkat-dev/rkat/llm"
)

// Result is what one streamed call produced, gathered by Collect.
type Result struct {
	Text      string
	Reasoning string
	Signature string
	Redacted  []string // encrypted reasoning blocks, in order
	Calls     []llm.ToolCall
	Usage     llm.Usage
	Stop      llm.StopReason
	Events    int
}

// ErrInvariant is wrapped by the errors Drain returns when a stream broke
// the contract of llm.Stream (as opposed to failing as a call).
var ErrInvariant = errors.New("llmtest: stream invariant violated")

// Collect starts a call on p and drains it with Drain.
func Collect(ctx context.Context, p llm.Provider, req *llm.Request) (Result, error) {
	st, err := p.Stream(ctx, req)
	if err != nil {
		return Result{}, err
	}
	defer st.Close()
	return Drain(st)
}

// Drain reads st to its end and checks the invariants every adapter owes
// its callers: a complete tool call carries an ID and was announced by a
// delta with the same ID, nothing follows EventStop, stop reasons are
// valid, and a stream ends with EventStop then io.EOF or with an error.
// The returned error is the stream's error, or one wrapping ErrInvariant.
func Drain(st llm.Stream) (Result, error) {
	var (
		res     Result
		text    strings.Builder
		reason  strings.Builder
		started = map[int]string{} // index -> call id from the first delta
	)
	for {
		ev, err := st.Recv()
		if err == io.EOF {
			if res.Stop == "" {
				return res, fmt.Errorf("%w: io.EOF before EventStop", ErrInvariant)
			}
			res.Text, res.Reasoning = text.String(), reason.String()
			return res, nil
		}
		if err != nil {
			res.Text, res.Reasoning = text.String(), reason.String()
			return res, err
		}
		if res.Stop != "" {
			return res, fmt.Errorf("%w: event %d after EventStop", ErrInvariant, ev.Type)
		}
		res.Events++
		switch ev.Type {
		case llm.EventTextDelta:
			text.WriteString(ev.Text)
		case llm.EventReasoningDelta:
			reason.WriteString(ev.Text)
		case llm.EventReasoningSignature:
			res.Signature += ev.Text
		case llm.EventReasoningRedacted:
			res.Redacted = append(res.Redacted, ev.Text)
		case llm.EventToolCallDelta:
			if ev.ToolCall != nil {
				started[ev.Index] = ev.ToolCall.ID
			} else if _, ok := started[ev.Index]; !ok {
				return res, fmt.Errorf("%w: tool-call delta for index %d before its start", ErrInvariant, ev.Index)
			}
		case llm.EventToolCall:
			c := ev.ToolCall
			if c == nil || c.ID == "" {
				return res, fmt.Errorf("%w: tool call without id %+v", ErrInvariant, c)
			}
			if id, ok := started[ev.Index]; !ok || id != c.ID {
				return res, fmt.Errorf("%w: tool call %s completed without its start delta", ErrInvariant, c.ID)
			}
			res.Calls = append(res.Calls, *c)
		case llm.EventUsage:
			res.Usage = ev.Usage
		case llm.EventStop:
			if !ev.StopReason.Valid() {
				return res, fmt.Errorf("%w: invalid stop reason %q", ErrInvariant, ev.StopReason)
			}
			res.Stop = ev.StopReason
		default:
			return res, fmt.Errorf("%w: unknown event type %d", ErrInvariant, ev.Type)
		}
	}
}

// JSONEqual reports whether a and b hold the same JSON value.
func JSONEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}
