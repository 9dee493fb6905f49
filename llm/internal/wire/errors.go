package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rkat-dev/rkat/llm"
)

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 64 << 10

// post sends a JSON request and returns the response when its status is 2xx.
// Any other status becomes a classified *llm.Error; a transport failure
// becomes a retryable *llm.Error, or wraps the context's error when ctx
// ended.
func post(ctx context.Context, client *http.Client, provider, url string, header http.Header, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, &llm.Error{Provider: provider, Kind: llm.KindInvalid, Message: "build request", Err: err}
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := client.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s: %w", provider, ctxErr)
		}
		return nil, &llm.Error{Provider: provider, Kind: llm.KindRetryable, Message: "request failed", Err: err}
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	return nil, StatusError(provider, resp.StatusCode, resp.Header, data, time.Now())
}

// StatusError classifies an HTTP error response: the kind follows
// llm.ClassifyStatus unless the body reports a context-length overflow, and
// RetryAfter honours retry-after-ms, Retry-After (seconds or HTTP date) and
// a google.rpc.RetryInfo retryDelay in the body.
func StatusError(provider string, status int, h http.Header, body []byte, now time.Time) *llm.Error {
	info := ParseErrorBody(body)
	e := &llm.Error{Provider: provider, Kind: llm.ClassifyStatus(status), Status: status, Message: info.Message}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	if status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge {
		switch {
		case IsContextLength(info.Code, info.Message):
			e.Kind = llm.KindContextLength
		case info.Reason == "API_KEY_INVALID":
			e.Kind = llm.KindAuth // Gemini reports a bad key as 400
		}
	}
	if e.Retryable() {
		e.RetryAfter = RetryAfter(h, now)
		if e.RetryAfter == 0 {
			e.RetryAfter = info.RetryDelay
		}
	}
	return e
}

// ErrorInfo is what the adapters read from a provider's JSON error.
type ErrorInfo struct {
	Message    string
	Code       string // provider error type, code or status
	Reason     string // google.rpc.ErrorInfo reason, when given
	RetryDelay time.Duration
}

// ParseErrorBody reads the error shapes the supported APIs use:
// {"error":{"type"|"code"|"status","message","details":[RetryInfo]}} and
// {"error":"message"}. Unknown bodies yield their trimmed text.
func ParseErrorBody(body []byte) ErrorInfo {
	var env struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &env) != nil || len(env.Error) == 0 {
		return ErrorInfo{Message: truncate(strings.TrimSpace(string(body)))}
	}
	var s string
	if json.Unmarshal(env.Error, &s) == nil {
		return ErrorInfo{Message: truncate(s)}
	}
	var obj struct {
		Message string          `json:"message"`
		Type    string          `json:"type"`
		Code    json.RawMessage `json:"code"`
		Status  string          `json:"status"`
		Details []struct {
			Type       string `json:"@type"`
			RetryDelay string `json:"retryDelay"`
			Reason     string `json:"reason"`
		} `json:"details"`
	}
	if json.Unmarshal(env.Error, &obj) != nil {
		return ErrorInfo{Message: truncate(string(env.Error))}
	}
	info := ErrorInfo{Message: truncate(obj.Message), Code: obj.Type}
	var code string
	if json.Unmarshal(obj.Code, &code) == nil && code != "" {
		info.Code = code
	}
	if obj.Status != "" {
		info.Code = obj.Status
	}
	for _, d := range obj.Details {
		if d.Reason != "" {
			info.Reason = d.Reason
		}
		if strings.HasSuffix(d.Type, "google.rpc.RetryInfo") {
			if dur, err := time.ParseDuration(d.RetryDelay); err == nil && dur > 0 {
				info.RetryDelay = dur
			}
		}
	}
	return info
}

// truncate bounds a message copied from a response.
func truncate(s string) string {
	const limit = 1000
	if len(s) > limit {
		return s[:limit] + "..."
	}
	return s
}

// RetryAfter reads the server's advised wait: retry-after-ms (milliseconds),
// then Retry-After as seconds or as an HTTP date relative to now.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("retry-after-ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs > 0 {
			return time.Duration(secs * float64(time.Second))
		}
		return 0
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// contextPhrases are fragments providers use when a prompt exceeds the
// model's context window (Anthropic, OpenAI, Gemini, vLLM, llama.cpp).
var contextPhrases = []string{
	"context_length_exceeded", "context length", "context window", "context size",
	"prompt is too long", "input token count", "maximum context", "too many tokens",
}

// IsContextLength reports whether an error code or message says the input
// exceeded the model's context window.
func IsContextLength(code, message string) bool {
	s := strings.ToLower(code + " " + message)
	for _, p := range contextPhrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// CodeError classifies an error reported inside a stream by its provider
// code (for example "overloaded_error", "rate_limit_exceeded",
// "RESOURCE_EXHAUSTED").
func CodeError(provider, code, message string) *llm.Error {
	e := &llm.Error{Provider: provider, Kind: llm.KindFatal, Message: message}
	if e.Message == "" {
		e.Message = code
	}
	c := strings.ToLower(code)
	switch {
	case IsContextLength(code, message):
		e.Kind = llm.KindContextLength
	case strings.Contains(c, "rate_limit") || strings.Contains(c, "resource_exhausted") || strings.Contains(c, "quota"):
		e.Kind = llm.KindRateLimited
	case strings.Contains(c, "overloaded") || strings.Contains(c, "server_error") || strings.Contains(c, "api_error") ||
		strings.Contains(c, "internal") || strings.Contains(c, "unavailable") || strings.Contains(c, "timeout"):
		e.Kind = llm.KindRetryable
	case strings.Contains(c, "auth") || strings.Contains(c, "permission"):
		e.Kind = llm.KindAuth
	case strings.Contains(c, "invalid") || strings.Contains(c, "not_found"):
		e.Kind = llm.KindInvalid
	}
	return e
}

// Malformed reports an event the adapter could not decode.
func Malformed(provider string, err error) *llm.Error {
	return &llm.Error{Provider: provider, Kind: llm.KindFatal, Message: "malformed stream event", Err: err}
}

// Invalid reports a request the adapter refuses to send.
func Invalid(provider, format string, args ...any) *llm.Error {
	return &llm.Error{Provider: provider, Kind: llm.KindInvalid, Message: fmt.Sprintf(format, args...)}
}

// PeekType returns the "type" member of a JSON object, or "" when data is
// not an object with a string type. Decoders use it to tell an event type
// they do not know (ignored) from a malformed event of a known type.
func PeekType(data []byte) string {
	var v struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(data, &v) != nil {
		return ""
	}
	return v.Type
}
