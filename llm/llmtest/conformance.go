package llmtest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/llm"
)

// API describes one provider API for the conformance suite.
type API struct {
	// Name is the fixture directory: anthropic, openai, chat or gemini.
	Name string
	// Model is sent in every request.
	Model string
	// New returns the adapter under test pointed at the fake's URL.
	New func(serverURL string) llm.Provider
	// Path is the request path (with query) the adapter must use.
	Path string
	// Signature says whether the reasoning fixture carries a signature
	// the adapter must surface.
	Signature bool
	// TextUsage and CacheUsage are the usages the text and cache_usage
	// fixtures must yield.
	TextUsage, CacheUsage llm.Usage
	// RetryAfter is the wait the 429 fixture advises; negative means "any
	// positive duration".
	RetryAfter time.Duration
}

// Conformance runs every fixture of api through its adapter and checks the
// mapped events, the typed errors and their retry decisions.
func Conformance(t *testing.T, api API) {
	weather := `{"location":"Paris, FR"}`
	ok := func(check func(t *testing.T, r Result)) func(t *testing.T, r Result, err error) {
		return func(t *testing.T, r Result, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("stream failed: %v", err)
			}
			check(t, r)
		}
	}
	name := api.New("").Name()
	fails := func(kind llm.ErrorKind, status int) func(t *testing.T, r Result, err error) {
		return func(t *testing.T, r Result, err error) {
			t.Helper()
			e, isErr := llm.AsError(err)
			if !isErr {
				t.Fatalf("want *llm.Error of kind %s, got %v", kind, err)
			}
			if e.Kind != kind || e.Status != status || e.Provider != name {
				t.Fatalf("error = %+v, want kind %s status %d", e, kind, status)
			}
			wantRetry := kind == llm.KindRetryable || kind == llm.KindRateLimited
			if e.Retryable() != wantRetry || llm.IsRetryable(err) != wantRetry {
				t.Fatalf("retryable = %v, want %v", e.Retryable(), wantRetry)
			}
			if len(r.Calls) != 0 {
				t.Fatalf("failed stream completed tool calls %+v", r.Calls)
			}
		}
	}
	tests := []struct {
		fixture string
		check   func(t *testing.T, r Result, err error)
	}{
		{"text", ok(func(t *testing.T, r Result) {
			if r.Text != "Hello! How can I help you today?" || r.Stop != llm.StopEndTurn || r.Usage != api.TextUsage {
				t.Fatalf("got %+v", r)
			}
		})},
		{"reasoning", ok(func(t *testing.T, r Result) {
			if r.Text != "27 * 453 = 12,231." || !strings.Contains(r.Reasoning, "12231") || (r.Signature != "") != api.Signature {
				t.Fatalf("got %+v", r)
			}
		})},
		{"tool_call", ok(func(t *testing.T, r Result) {
			if len(r.Calls) != 1 || r.Calls[0].Name != "get_weather" || !JSONEqual(r.Calls[0].Args, []byte(weather)) || r.Stop != llm.StopToolUse {
				t.Fatalf("got %+v", r)
			}
		})},
		{"parallel_tools", ok(func(t *testing.T, r Result) {
			if len(r.Calls) != 2 || r.Stop != llm.StopToolUse || r.Calls[0].ID == r.Calls[1].ID ||
				r.Calls[0].Name != "get_weather" || !JSONEqual(r.Calls[0].Args, []byte(`{"location":"Paris"}`)) ||
				r.Calls[1].Name != "get_time" || !JSONEqual(r.Calls[1].Args, []byte(`{"timezone":"Europe/Paris"}`)) {
				t.Fatalf("got %+v", r)
			}
		})},
		{"split_args", ok(func(t *testing.T, r Result) {
			if len(r.Calls) != 1 || !JSONEqual(r.Calls[0].Args, []byte(`{"query":"café crème","limit":10}`)) {
				t.Fatalf("got %+v", r)
			}
		})},
		{"cache_usage", ok(func(t *testing.T, r Result) {
			if r.Usage != api.CacheUsage || r.Stop != llm.StopEndTurn {
				t.Fatalf("usage %+v, want %+v", r.Usage, api.CacheUsage)
			}
		})},
		{"max_tokens", ok(func(t *testing.T, r Result) {
			if r.Stop != llm.StopMaxTokens || r.Text != "This answer is cut" {
				t.Fatalf("got %+v", r)
			}
		})},
		{"error_event", fails(llm.KindRetryable, 0)},
		{"disconnect", fails(llm.KindRetryable, 0)},
		{"truncated", fails(llm.KindRetryable, 0)},
		{"malformed", fails(llm.KindFatal, 0)},
		{"429", func(t *testing.T, r Result, err error) {
			fails(llm.KindRateLimited, 429)(t, r, err)
			e, _ := llm.AsError(err)
			if (api.RetryAfter >= 0 && e.RetryAfter != api.RetryAfter) || e.RetryAfter <= 0 {
				t.Fatalf("RetryAfter = %v, want %v", e.RetryAfter, api.RetryAfter)
			}
		}},
		{"500", fails(llm.KindRetryable, 500)},
		{"401", func(t *testing.T, r Result, err error) {
			e, _ := llm.AsError(err)
			if e == nil {
				t.Fatalf("want auth error, got %v", err)
			}
			fails(llm.KindAuth, e.Status)(t, r, err)
			if e.Status != 401 && e.Status != 400 {
				t.Fatalf("status %d", e.Status)
			}
		}},
		{"context_length", fails(llm.KindContextLength, 400)},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			srv := NewServer(t, api.Name+"/"+tt.fixture)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			r, err := Collect(ctx, api.New(srv.URL()), &llm.Request{Model: api.Model, Messages: []llm.Message{llm.UserText("hi")}})
			tt.check(t, r, err)
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("server got %d requests, want 1", len(reqs))
			}
			if reqs[0].Path != api.Path {
				t.Fatalf("request path %q, want %q", reqs[0].Path, api.Path)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		srv := NewServer(t, api.Name+"/text")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Collect(ctx, api.New(srv.URL()), &llm.Request{Model: api.Model, Messages: []llm.Message{llm.UserText("hi")}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
}
