package event_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
)

func TestBound(t *testing.T) {
	marshal := func(e event.Event) []byte {
		b, err := event.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	big := strings.Repeat("p", 100_000)
	manyBlocks := make([]llm.Block, 2000)
	for i := range manyBlocks {
		manyBlocks[i] = llm.Text("short")
	}
	tests := []struct {
		name  string
		in    []byte
		limit int
		ok    bool
		cut   bool
	}{
		{"fits", marshal(event.TextDelta{Delta: "hi"}), 100, true, false},
		{"one long string", marshal(event.TextComplete{Content: big}), 10_000, true, true},
		{"prompt twice (legacy and canonical)", marshal(event.RunStarted{SessionID: "s", Prompt: big,
			Input: event.RunInput{Kind: "content", Content: []llm.Block{llm.Text(big)}}}), 20_000, true, true},
		{"escapes and UTF-8 cut on boundaries", marshal(event.TextComplete{Content: strings.Repeat("é\n\"\\<\U0001F600", 20_000)}), 5_000, true, true},
		{"many short strings", marshal(event.RunStarted{Input: event.RunInput{Kind: "content", Content: manyBlocks}}), 10_000, false, false},
		{"not JSON", []byte(`"unterminated`), 5, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, ok := event.Bound(tt.in, tt.limit)
			if ok != tt.ok {
				t.Fatalf("ok = %v", ok)
			}
			if !ok {
				if !bytes.Equal(out, tt.in) {
					t.Fatal("payload changed although it could not be bounded")
				}
				return
			}
			if len(out) > tt.limit || !json.Valid(out) {
				t.Fatalf("%d bytes (limit %d), valid %v", len(out), tt.limit, json.Valid(out))
			}
			if strings.Contains(string(out), "...[truncated ") != tt.cut {
				t.Fatalf("marker present = %v", !tt.cut)
			}
			if _, err := event.Unmarshal(out); err != nil {
				t.Fatalf("bounded event does not decode: %v", err)
			}
			if tt.cut && len(out) < tt.limit/2 {
				t.Fatalf("cut to %d bytes, far below the %d limit", len(out), tt.limit)
			}
		})
	}
}

// FuzzBound: for any JSON value and limit, Bound returns valid JSON within
// the limit, or reports false and leaves the payload alone.
func FuzzBound(f *testing.F) {
	f.Add([]byte(`{"type":"text_complete","content":"`+strings.Repeat("x", 300)+`"}`), 200)
	f.Add([]byte(`["\u00e9\ud83d\ude00\n\"","`+strings.Repeat("é", 200)+`",{"k":"`+strings.Repeat("\\u0041", 100)+`"}]`), 150)
	f.Add([]byte(`{"a":[1,2,{"b":null}],"c":true}`), 3)
	f.Fuzz(func(t *testing.T, payload []byte, limit int) {
		if !json.Valid(payload) {
			return
		}
		out, ok := event.Bound(payload, limit)
		if !ok {
			if !bytes.Equal(out, payload) {
				t.Fatal("payload changed although it could not be bounded")
			}
			return
		}
		if len(payload) <= limit && !bytes.Equal(out, payload) {
			t.Fatal("a payload within the limit was changed")
		}
		if len(out) > limit && len(payload) > limit {
			t.Fatalf("%d bytes over the limit %d", len(out), limit)
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON: %q", out)
		}
	})
}
