package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func FuzzParseClientFrame(f *testing.F) {
	for _, s := range []string{
		`{"type":"ping"}`, `{"type":"subscribe","channel":"a/b","requestId":"1","includeSenderMetadata":true}`,
		`{"type":"publish","channel":"c","data":{"x":[1,"2",null]}}`, `{"type":"send","to":"p","data":null}`,
		`{"type":"unsubscribe","channel":""}`, `[]`, `null`, `{"type":7}`, `{"type":"x","requestId":""}`, "\xff",
		`{"type":"subscribe","channel":"r","since":{"offset":7,"epoch":"e1"}}`, `{"type":"subscribe","channel":"r","since":{"offset":-1,"epoch":"e"}}`,
		`{"type":"subscribe","channel":"r","since":{"offset":1e3,"epoch":""}}`, `{"type":"subscribe","channel":"r","since":[]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := ParseClientFrame(b)
		if err != nil {
			var fe *FrameError
			if !errors.As(err, &fe) || fe.Code == "" {
				t.Fatalf("error %v is not a FrameError with a code", err)
			}
			if len(fe.RequestID) > 4*MaxRequestIDLen {
				t.Fatalf("echoed requestId too long")
			}
			return
		}
		switch fr.Type {
		case TypePing:
		case TypeSubscribe, TypeUnsubscribe:
			if ValidateChannel(fr.Channel) != nil {
				t.Fatalf("accepted bad channel %q", fr.Channel)
			}
			if s := fr.Since; s != nil && (s.Epoch == "" || len(s.Epoch) > MaxEpochLen) {
				t.Fatalf("accepted bad since %+v", s)
			}
		case TypePublish, TypeSend:
			if !json.Valid(fr.Data) {
				t.Fatalf("accepted invalid data %q", fr.Data)
			}
		default:
			t.Fatalf("accepted unknown type %q", fr.Type)
		}
	})
}

func FuzzPatternMatch(f *testing.F) {
	for _, s := range [][2]string{{"room/*", "room/1"}, {"a/**", "a/b/c"}, {`x\*`, "x*"}, {"**", ""}, {`\\*`, `\abc`}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, channel string) {
		p, err := CompilePattern(pattern)
		if err != nil {
			return
		}
		m := p.Match(channel)
		// A pattern without wildcards or escapes matches exactly itself.
		if !strings.ContainsAny(pattern, `*\`) && m != (pattern == channel) {
			t.Fatalf("literal %q vs %q: match=%v", pattern, channel, m)
		}
		// "**" suffix after a literal prefix matches every extension.
		if q, err := CompilePattern(pattern + "**"); err == nil && m && !q.Match(channel+"/x") {
			t.Fatalf("%q** should match %q", pattern, channel+"/x")
		}
		// Covers must be sound: if a literal channel pattern is covered, p matches it.
		if lit, err := CompilePattern(channel); err == nil && !strings.ContainsAny(channel, `*\`) && p.Covers(lit) != m {
			t.Fatalf("Covers(%q) disagrees with Match", channel)
		}
	})
}
