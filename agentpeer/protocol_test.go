package agentpeer

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParsePrompt(t *testing.T) {
	tests := []struct {
		data string
		text string
		err  error // nil, errNotPrompt or errBadPrompt
	}{
		{`"hello"`, "hello", nil},
		{` "padded" `, "padded", nil},
		{`{"type":"chat","text":"hi"}`, "hi", nil},
		{`{"text":"hi","type":"chat","extra":[1]}`, "hi", nil},
		{`{"type":"chat","text":"hi","turn":"t1"}`, "", errNotPrompt},
		{`{"type":"chat","text":"hi","turn":null}`, "", errNotPrompt},
		{`{"type":"chat.delta","turn":"t","delta":"x"}`, "", errNotPrompt},
		{`{"type":5,"text":"hi"}`, "", errNotPrompt},
		{`{"hello":1}`, "", errNotPrompt},
		{`[1,2]`, "", errNotPrompt},
		{`42`, "", errNotPrompt},
		{`null`, "", errNotPrompt},
		{`true`, "", errNotPrompt},
		{``, "", errNotPrompt},
		{`{"type":"chat","te`, "", errNotPrompt},
		{`"unterminated`, "", errBadPrompt},
		{`{"type":"chat"}`, "", errBadPrompt},
		{`{"type":"chat","text":5}`, "", errBadPrompt},
		{`{"type":"chat","text":null}`, "", errBadPrompt},
		{`""`, "", errBadPrompt},
		{`" \n\t "`, "", errBadPrompt},
		{`"` + strings.Repeat("a", 101) + `"`, "", errBadPrompt},
		{`"` + strings.Repeat("a", 100) + `"`, strings.Repeat("a", 100), nil},
	}
	for _, tt := range tests {
		text, err := parsePrompt(json.RawMessage(tt.data), 100)
		if text != tt.text || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("parsePrompt(%.40q) = %q, %v; want %q, %v", tt.data, text, err, tt.text, tt.err)
		}
	}
}

func TestInfoOf(t *testing.T) {
	tests := []struct {
		meta string
		want peerInfo
	}{
		{`{"kind":"agent","name":"bot"}`, peerInfo{Kind: "agent", Name: "bot"}},
		{`{"kind":7,"name":["x"]}`, peerInfo{}},
		{`[1]`, peerInfo{}},
		{``, peerInfo{}},
	}
	for _, tt := range tests {
		if got := infoOf(json.RawMessage(tt.meta)); got != tt.want {
			t.Errorf("infoOf(%s) = %+v, want %+v", tt.meta, got, tt.want)
		}
	}
}

// FuzzParsePrompt: any input gives a prompt that obeys the rules, or one of
// the two errors; nothing panics.
func FuzzParsePrompt(f *testing.F) {
	for _, s := range []string{`"hi"`, `{"type":"chat","text":"x"}`, `{"type":"chat","text":5}`, `[]`, `{`, `"\ud800"`, `{"type":"chat","turn":"t"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := parsePrompt(data, 64)
		if err != nil {
			if !errors.Is(err, errNotPrompt) && !errors.Is(err, errBadPrompt) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if len(text) > 64 || !utf8.ValidString(text) || strings.TrimSpace(text) == "" {
			t.Fatalf("accepted bad prompt %q", text)
		}
	})
}
