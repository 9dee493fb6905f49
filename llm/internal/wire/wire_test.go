package wire

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/llm"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func FuzzValid(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,2.5e-3,-0,true,false,null,"x\u00e9\n"]}`, `01`, `1.`, `"\x"`, `{"a" 1}`, `[1,]`, ` "a" `, "\"\x01\"", `-`, `1e`, `{"a":{"b":[{}]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := Valid(data), json.Valid(data); got != want {
			t.Fatalf("Valid(%q) = %v, json.Valid = %v", data, got, want)
		}
	})
}

// get returns the raw value of key in the JSON object raw.
func get(raw []byte, key string) []byte {
	var out []byte
	Members(raw, func(k, v []byte) bool {
		if string(k) == key {
			out = v
		}
		return out == nil
	})
	return out
}

func TestReaders(t *testing.T) {
	data := []byte(` {"a" : 1, "b":{"c":[1,{"d":"x"}],"e":"q\"uo\u00e9"}, "n": null} `)
	if string(get(data, "a")) != "1" || get(data, "zz") != nil || !IsNull(get(data, "n")) || !Ambiguous([]byte("TYPE"), "type") ||
		Ambiguous([]byte("type"), "type") || !Ambiguous([]byte(`t\u0079pe`)) || Ambiguous([]byte("other"), "type") {
		t.Fatal("get")
	}
	b := get(data, "b")
	if s, ok := Str(get(b, "e")); !ok || s != `q"uoé` {
		t.Fatalf("Str = %q", s)
	}
	var elems []string
	Elements(get(b, "c"), func(v []byte) bool { elems = append(elems, string(v)); return true })
	if len(elems) != 2 || elems[1] != `{"d":"x"}` {
		t.Fatalf("Elements = %q", elems)
	}
	for _, tt := range []struct {
		in string
		n  int64
		ok bool
	}{{"12", 12, true}, {"-7", -7, true}, {"1.5", 0, false}, {"", 0, false}, {"1234567890123456789", 0, false}} {
		if n, ok := Int([]byte(tt.in)); n != tt.n || ok != tt.ok {
			t.Errorf("Int(%q) = %d, %v", tt.in, n, ok)
		}
	}
}

func TestSSEReader(t *testing.T) {
	in := ": comment\nevent: a\ndata: 1\ndata:2\nid: 7\nretry: 5\n\nunknown\r\ndata: x\r\n\r\ndata: tail\n"
	r := NewSSEReader(strings.NewReader(in))
	want := []struct{ name, data string }{{"a", "1\n2"}, {"", "x"}, {"", "tail"}}
	for _, w := range want {
		ev, err := r.Next()
		if err != nil || string(ev.Name) != w.name || string(ev.Data) != w.data {
			t.Fatalf("event %q %q, %v; want %+v", ev.Name, ev.Data, err, w)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("end = %v", err)
	}
	if _, err := NewSSEReader(strings.NewReader("data: cut")).Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("unterminated line = %v", err)
	}
	big := "data: " + strings.Repeat("x", MaxEventSize+1) + "\n\n"
	if _, err := NewSSEReader(strings.NewReader(big)).Next(); !errors.Is(err, ErrEventTooLarge) {
		t.Fatalf("huge event = %v", err)
	}
}

func TestStatusError(t *testing.T) {
	now := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		kind   llm.ErrorKind
		after  time.Duration
	}{
		{"retry-after seconds", 429, http.Header{"Retry-After": {"3"}}, `{}`, llm.KindRateLimited, 3 * time.Second},
		{"retry-after date", 503, http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, ``, llm.KindRetryable, 90 * time.Second},
		{"retry-after-ms wins", 429, http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"9"}}, ``, llm.KindRateLimited, 250 * time.Millisecond},
		{"retry info", 429, nil, `{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2.5s"}]}}`, llm.KindRateLimited, 2500 * time.Millisecond},
		{"no wait on 400", 400, http.Header{"Retry-After": {"3"}}, `{"error":{"message":"bad"}}`, llm.KindInvalid, 0},
		{"context", 400, nil, `{"error":{"type":"invalid_request_error","message":"prompt is too long: 1 tokens > 0 maximum"}}`, llm.KindContextLength, 0},
		{"context 413", 413, nil, `{"error":"the request exceeds the available context size"}`, llm.KindContextLength, 0},
		{"forbidden", 403, nil, `not json`, llm.KindAuth, 0},
		{"not found", 404, nil, ``, llm.KindInvalid, 0},
	}
	for _, tt := range tests {
		e := StatusError("p", tt.status, tt.header, []byte(tt.body), now)
		if e.Kind != tt.kind || e.RetryAfter != tt.after || e.Status != tt.status || e.Message == "" {
			t.Errorf("%s: %+v", tt.name, e)
		}
	}
}

func TestCodeError(t *testing.T) {
	tests := map[string]llm.ErrorKind{
		"overloaded_error": llm.KindRetryable, "rate_limit_exceeded": llm.KindRateLimited, "RESOURCE_EXHAUSTED": llm.KindRateLimited,
		"UNAVAILABLE": llm.KindRetryable, "server_error": llm.KindRetryable, "authentication_error": llm.KindAuth,
		"invalid_request_error": llm.KindInvalid, "context_length_exceeded": llm.KindContextLength, "weird": llm.KindFatal,
	}
	for code, kind := range tests {
		if e := CodeError("p", code, ""); e.Kind != kind || e.Message != code {
			t.Errorf("%s: %+v", code, e)
		}
	}
}

func TestMergeParams(t *testing.T) {
	body := []byte(`{"model":"m"}`)
	out, err := MergeParams("p", body, map[string]json.RawMessage{"b": json.RawMessage(`2`), "a": json.RawMessage(`{"x":1}`)}, nil, nil)
	if err != nil || string(out) != `{"model":"m","a":{"x":1},"b":2}` {
		t.Fatalf("merge = %s, %v", out, err)
	}
	if _, err := MergeParams("p", body, map[string]json.RawMessage{"a": json.RawMessage(`{`)}, nil, nil); err == nil {
		t.Fatal("invalid JSON value accepted")
	}
	if out, err := MergeParams("p", []byte(`{}`), map[string]json.RawMessage{"a": json.RawMessage(`1`)}, nil, nil); err != nil || string(out) != `{"a":1}` {
		t.Fatalf("empty object merge = %s, %v", out, err)
	}
}

func TestConnTransportErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := NewConn("p", url+"/", "http://default.invalid", nil, nil)
	if c.Base != url {
		t.Fatalf("base %q", c.Base)
	}
	_, err := c.Stream(context.Background(), "/x", []byte(`{}`), nil)
	if e, ok := llm.AsError(err); !ok || e.Kind != llm.KindRetryable || e.Provider != "p" {
		t.Fatalf("refused connection: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Stream(ctx, "/x", []byte(`{}`), nil); !errors.Is(err, context.Canceled) || llm.IsRetryable(err) {
		t.Fatalf("cancelled call: %v", err)
	}
	if d := NewConn("p", "", "http://default.invalid", nil, nil); d.Base != "http://default.invalid" || d.Client == nil {
		t.Fatalf("default conn %+v", d)
	}
}
