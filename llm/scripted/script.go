package scripted

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rkat-dev/rkat/llm"
)

// EnvScript names the environment variable that holds the script file path.
const EnvScript = "RKAT_TEST_SCRIPT"

// Limits that keep a script from stalling or flooding a run.
const (
	maxChunks  = 100_000
	maxDelayMS = 600_000
)

// ErrInvalidScript is matched (errors.Is) by every script validation error.
var ErrInvalidScript = errors.New("scripted: invalid script")

// Script is a parsed, validated script. It is immutable and safe to share.
type Script struct {
	Rules []Rule `json:"rules"`
}

// Rule answers the runs whose prompt contains Match.
type Rule struct {
	Match     string     `json:"match"`
	Responses []Response `json:"responses"`
}

// Response is the scripted outcome of one model call.
type Response struct {
	Text       string         `json:"text,omitempty"`
	Chunks     int            `json:"chunks,omitempty"`
	DelayMS    int            `json:"delay_ms,omitempty"`
	Reasoning  string         `json:"reasoning,omitempty"`
	ToolCalls  []ToolCall     `json:"tool_calls,omitempty"`
	Error      *Error         `json:"error,omitempty"`
	Usage      *llm.Usage     `json:"usage,omitempty"`
	StopReason llm.StopReason `json:"stop_reason,omitempty"`
}

// ToolCall is a scripted tool call: Args is a JSON object, RawArgs a string
// sent verbatim (it need not be valid JSON). At most one of them is set.
type ToolCall struct {
	ID      string          `json:"id,omitempty"`
	Name    string          `json:"name"`
	Args    json.RawMessage `json:"args,omitempty"`
	RawArgs *string         `json:"raw_args,omitempty"`
}

// Error is a scripted provider failure.
type Error struct {
	Kind         llm.ErrorKind `json:"kind"`
	RetryAfterMS int           `json:"retry_after_ms,omitempty"`
	Message      string        `json:"message,omitempty"`
}

// Load reads and validates the script file at path.
func Load(path string) (*Script, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scripted: read script: %w", err)
	}
	s, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Parse decodes and validates a script. Errors match ErrInvalidScript and
// name the offending field or position.
func Parse(data []byte) (*Script, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Script
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrInvalidScript, describeJSONError(data, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: unexpected data after the script object", ErrInvalidScript)
	}
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidScript, err)
	}
	return &s, nil
}

// describeJSONError adds a line and column to decoding errors that carry an
// offset.
func describeJSONError(data []byte, err error) string {
	var off int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
		if typ.Field != "" {
			return fmt.Sprintf("field %s: expected %s, got JSON %s", typ.Field, typ.Type, typ.Value)
		}
	}
	if off < 0 || off > int64(len(data)) {
		return err.Error()
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - int64(bytes.LastIndexByte(data[:off], '\n'))
	return fmt.Sprintf("line %d, column %d: %v", line, col, err)
}

func (s *Script) validate() error {
	if s.Rules == nil {
		return errors.New(`missing "rules" array`)
	}
	for i := range s.Rules {
		r := &s.Rules[i]
		if len(r.Responses) == 0 {
			return fmt.Errorf("rules[%d] (match %q): responses must not be empty", i, r.Match)
		}
		for j := range r.Responses {
			if err := r.Responses[j].validate(); err != nil {
				return fmt.Errorf("rules[%d].responses[%d]: %w", i, j, err)
			}
		}
	}
	return nil
}

func (r *Response) validate() error {
	switch {
	case r.Chunks < 0 || r.Chunks > maxChunks:
		return fmt.Errorf("chunks must be between 0 and %d, got %d", maxChunks, r.Chunks)
	case r.DelayMS < 0 || r.DelayMS > maxDelayMS:
		return fmt.Errorf("delay_ms must be between 0 and %d, got %d", maxDelayMS, r.DelayMS)
	case r.StopReason != "" && !r.StopReason.Valid():
		return fmt.Errorf("stop_reason %q is not one of end_turn, tool_use, max_tokens, stop_sequence, content_filter, cancelled", r.StopReason)
	}
	if u := r.Usage; u != nil && (u.InputTokens < 0 || u.OutputTokens < 0 || u.CacheCreationTokens < 0 || u.CacheReadTokens < 0) {
		return errors.New("usage counts must not be negative")
	}
	for k := range r.ToolCalls {
		if err := r.ToolCalls[k].validate(); err != nil {
			return fmt.Errorf("tool_calls[%d]: %w", k, err)
		}
	}
	if r.Error != nil {
		if err := r.Error.validate(); err != nil {
			return fmt.Errorf("error: %w", err)
		}
	}
	return nil
}

func (tc *ToolCall) validate() error {
	if tc.Name == "" {
		return errors.New("name is required")
	}
	if tc.Args != nil && tc.RawArgs != nil {
		return errors.New("set args or raw_args, not both")
	}
	if tc.Args != nil {
		if t := bytes.TrimSpace(tc.Args); len(t) == 0 || t[0] != '{' {
			return errors.New("args must be a JSON object (use raw_args for anything else)")
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, tc.Args); err != nil {
			return fmt.Errorf("args: %w", err)
		}
		tc.Args = buf.Bytes()
	}
	return nil
}

func (e *Error) validate() error {
	switch e.Kind {
	case llm.KindRetryable, llm.KindRateLimited, llm.KindContextLength, llm.KindFatal:
	case "":
		return errors.New("kind is required (retryable, rate_limited, context_length or fatal)")
	default:
		return fmt.Errorf("kind %q is not one of retryable, rate_limited, context_length, fatal", e.Kind)
	}
	if e.RetryAfterMS < 0 || e.RetryAfterMS > maxDelayMS {
		return fmt.Errorf("retry_after_ms must be between 0 and %d, got %d", maxDelayMS, e.RetryAfterMS)
	}
	return nil
}

// rule returns the first rule whose Match is a substring of prompt.
func (s *Script) rule(prompt string) *Rule {
	if s == nil {
		return nil
	}
	for i := range s.Rules {
		if strings.Contains(prompt, s.Rules[i].Match) {
			return &s.Rules[i]
		}
	}
	return nil
}

// retries reports whether the response fails its call in a way the agent
// retries, so that the next attempt of the same call uses the next response.
func (r *Response) retries() bool {
	return r.Error != nil && (r.Error.Kind == llm.KindRetryable || r.Error.Kind == llm.KindRateLimited)
}
