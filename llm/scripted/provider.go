package scripted

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rkat-dev/rkat/llm"
)

// Name is both the provider name and the model id of the scripted provider.
const Name = "scripted"

// Default reply settings.
const (
	defaultChunks    = 3
	defaultPromptCut = 80
	defaultPrefix    = "Scripted reply: "
)

// Config configures a Provider.
type Config struct {
	// Script drives the replies; nil means the default behaviour only.
	Script *Script
}

// Provider is the scripted llm.Provider. It is safe for concurrent use and
// keeps no state between calls.
type Provider struct {
	script *Script
}

// New returns a scripted provider.
func New(cfg Config) *Provider { return &Provider{script: cfg.Script} }

// FromEnv returns a provider driven by the script file named by the
// RKAT_TEST_SCRIPT variable as looked up by getenv (os.Getenv in programs),
// or by the default behaviour when the variable is empty.
func FromEnv(getenv func(string) string) (*Provider, error) {
	path := getenv(EnvScript)
	if path == "" {
		return New(Config{}), nil
	}
	s, err := Load(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvScript, err)
	}
	return New(Config{Script: s}), nil
}

// Name returns "scripted".
func (p *Provider) Name() string { return Name }

// Stream answers one model call as the script says.
func (p *Provider) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	run := findRun(req.Messages)
	var resp *Response
	if rule := p.script.rule(run.prompt); rule != nil {
		resp = pick(rule.Responses, run.calls, req.Attempt)
	} else {
		resp = defaultResponse(run)
	}
	s := &stream{ctx: ctx, delay: time.Duration(resp.DelayMS) * time.Millisecond}
	s.build(resp, req)
	if len(s.events) == 0 && s.err != nil {
		// An error-only response fails the call before any event.
		if err := s.wait(); err != nil {
			return nil, err
		}
		return nil, s.err
	}
	return s, nil
}

// runInfo is what the request says about the run it belongs to.
type runInfo struct {
	prompt     string
	calls      int          // assistant messages since the prompt
	extraction *llm.Message // the pending structured-output request, if any
}

// findRun locates the run's prompt: the last user message that is neither
// tool results only nor a structured-output request.
func findRun(msgs []llm.Message) runInfo {
	var info runInfo
	for i := len(msgs) - 1; i >= 0; i-- {
		m := &msgs[i]
		if m.Role == llm.RoleAssistant {
			info.calls++
			continue
		}
		if llm.OnlyToolResults(m.Content) {
			continue
		}
		if isExtraction(m) {
			if info.extraction == nil && info.calls == 0 {
				info.extraction = m
			}
			continue
		}
		info.prompt = m.PlainText()
		return info
	}
	return info
}

// isExtraction reports whether m is a structured-output request: its first
// text block starts with llm.ExtractionPrompt.
func isExtraction(m *llm.Message) bool {
	for _, b := range m.Content {
		if b.Type == llm.BlockText {
			return strings.HasPrefix(b.Text, llm.ExtractionPrompt)
		}
	}
	return false
}

// pick returns the response of the call that follows calls completed calls,
// at the given retry attempt. Each completed call went through the retryable
// error responses before it, so they are skipped for it.
func pick(rs []Response, calls, attempt int) *Response {
	at := func(i int) *Response { return &rs[min(i, len(rs)-1)] }
	i := 0
	for range calls {
		for i < len(rs)-1 && at(i).retries() {
			i++
		}
		i++
	}
	return at(i + attempt)
}

// defaultResponse is the reply when no rule matches.
func defaultResponse(run runInfo) *Response {
	if run.extraction != nil {
		return &Response{Text: exampleFromSchema(run.extraction), Chunks: 1}
	}
	prompt := strings.Join(strings.Fields(run.prompt), " ")
	if utf8.RuneCountInString(prompt) > defaultPromptCut {
		prompt = string([]rune(prompt)[:defaultPromptCut]) + "..."
	}
	return &Response{Text: defaultPrefix + prompt}
}

// stream replays a prepared list of events.
type stream struct {
	ctx    context.Context
	delay  time.Duration
	events []llm.Event
	next   int
	err    error // returned after the events, nil for io.EOF
	closed bool
}

func (s *stream) build(r *Response, req *llm.Request) {
	n := 0
	if r.Reasoning != "" {
		n++
	}
	chunks := r.Chunks
	if chunks == 0 {
		chunks = defaultChunks
	}
	chunks = min(chunks, utf8.RuneCountInString(r.Text))
	n += chunks + len(r.ToolCalls) + 2
	s.events = make([]llm.Event, 0, n)
	if r.Reasoning != "" {
		s.events = append(s.events, llm.Event{Type: llm.EventReasoningDelta, Text: r.Reasoning})
	}
	s.events = appendChunks(s.events, r.Text, chunks)
	for i, tc := range r.ToolCalls {
		call := &llm.ToolCall{ID: tc.ID, Name: tc.Name, Args: tc.Args}
		if call.ID == "" {
			call.ID = "call_" + strconv.Itoa(len(req.Messages)) + "_" + strconv.Itoa(i)
		}
		if tc.RawArgs != nil {
			call.Args = json.RawMessage(*tc.RawArgs)
		} else if call.Args == nil {
			call.Args = json.RawMessage("{}")
		}
		s.events = append(s.events, llm.Event{Type: llm.EventToolCall, Index: i, ToolCall: call})
	}
	if r.Error != nil {
		s.err = &llm.Error{
			Provider:   Name,
			Kind:       r.Error.Kind,
			RetryAfter: time.Duration(r.Error.RetryAfterMS) * time.Millisecond,
			Message:    r.Error.Message,
		}
		return
	}
	usage := estimateUsage(req, r)
	if r.Usage != nil {
		usage = *r.Usage
	}
	stop := r.StopReason
	if stop == "" {
		stop = llm.StopEndTurn
		if len(r.ToolCalls) > 0 {
			stop = llm.StopToolUse
		}
	}
	s.events = append(s.events,
		llm.Event{Type: llm.EventUsage, Usage: usage},
		llm.Event{Type: llm.EventStop, StopReason: stop})
}

// appendChunks splits text into n deltas of nearly equal rune counts.
func appendChunks(evs []llm.Event, text string, n int) []llm.Event {
	if n <= 0 {
		return evs
	}
	runes := utf8.RuneCountInString(text)
	start, seen := 0, 0
	for k := 1; k <= n; k++ {
		want := runes * k / n
		end := start
		for seen < want {
			_, size := utf8.DecodeRuneInString(text[end:])
			end += size
			seen++
		}
		evs = append(evs, llm.Event{Type: llm.EventTextDelta, Text: text[start:end]})
		start = end
	}
	return evs
}

// estimateUsage counts about one token per four characters.
func estimateUsage(req *llm.Request, r *Response) llm.Usage {
	in := len(req.System)
	for i := range req.Messages {
		for _, b := range req.Messages[i].Content {
			in += len(b.Text) + len(b.Args)
		}
	}
	out := len(r.Text) + len(r.Reasoning)
	for _, tc := range r.ToolCalls {
		out += len(tc.Name) + len(tc.Args)
	}
	return llm.Usage{InputTokens: int64(in/4 + 1), OutputTokens: int64(out/4 + 1)}
}

// wait pauses for the response's delay, or until the call is cancelled.
func (s *stream) wait() error {
	if s.delay > 0 {
		t := time.NewTimer(s.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-s.ctx.Done():
		}
	}
	return s.ctx.Err()
}

// Recv returns the next event, io.EOF after the stop event, the scripted
// error after the events of an error response, or the context's error once
// the call is cancelled.
func (s *stream) Recv() (llm.Event, error) {
	if s.closed {
		return llm.Event{}, io.ErrClosedPipe
	}
	if s.next >= len(s.events) {
		if s.err != nil {
			return llm.Event{}, s.err
		}
		return llm.Event{}, io.EOF
	}
	ev := s.events[s.next]
	if ev.Type == llm.EventTextDelta || ev.Type == llm.EventReasoningDelta || ev.Type == llm.EventToolCall {
		if err := s.wait(); err != nil {
			return llm.Event{}, err
		}
	} else if err := s.ctx.Err(); err != nil {
		return llm.Event{}, err
	}
	s.next++
	return ev, nil
}

// Close ends the stream; later Recv calls fail.
func (s *stream) Close() error {
	s.closed = true
	return nil
}
