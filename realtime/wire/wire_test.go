package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseClientFrame(t *testing.T) {
	long := strings.Repeat("a", MaxRequestIDLen+1)
	tests := []struct {
		name    string
		in      string
		want    ClientFrame
		code    string
		echoRID string
	}{
		{name: "ping", in: `{"type":"ping"}`, want: ClientFrame{Type: TypePing}},
		{name: "subscribe", in: `{"type":"subscribe","channel":"room/1","requestId":"r1","includeSenderMetadata":true,"extra":1}`,
			want: ClientFrame{Type: TypeSubscribe, Channel: "room/1", RequestID: "r1", IncludeSenderMetadata: true}},
		{name: "publish null data", in: `{"type":"publish","channel":"c","data":null}`,
			want: ClientFrame{Type: TypePublish, Channel: "c", Data: json.RawMessage("null")}},
		{name: "send", in: `{"type":"send","to":"bob","data":[1,2],"requestId":"x"}`,
			want: ClientFrame{Type: TypeSend, To: "bob", Data: json.RawMessage("[1,2]"), RequestID: "x"}},
		{name: "not json", in: `hello`, code: ErrMalformedMessage},
		{name: "array", in: `[1]`, code: ErrMalformedMessage},
		{name: "truncated", in: `{"type":"ping"`, code: ErrMalformedMessage},
		{name: "no type", in: `{"requestId":"r"}`, code: ErrMalformedMessage, echoRID: "r"},
		{name: "numeric type", in: `{"type":5}`, code: ErrMalformedMessage},
		{name: "bad requestId type", in: `{"type":"ping","requestId":5}`, code: ErrMalformedMessage},
		{name: "empty requestId", in: `{"type":"subscribe","channel":"c","requestId":""}`, code: ErrMalformedMessage},
		{name: "long requestId", in: `{"type":"subscribe","channel":"c","requestId":"` + long + `"}`, code: ErrMalformedMessage},
		{name: "unknown type", in: `{"type":"hello","requestId":"q"}`, code: ErrUnknownType, echoRID: "q"},
		{name: "channel missing", in: `{"type":"subscribe","requestId":"q"}`, code: ErrInvalidChannel, echoRID: "q"},
		{name: "channel number", in: `{"type":"publish","channel":1,"data":1}`, code: ErrInvalidChannel},
		{name: "channel control", in: `{"type":"unsubscribe","channel":"a\u0085b"}`, code: ErrInvalidChannel},
		{name: "channel too long", in: `{"type":"subscribe","channel":"` + strings.Repeat("é", MaxChannelLen+1) + `"}`, code: ErrInvalidChannel},
		{name: "to empty", in: `{"type":"send","to":"","data":1}`, code: ErrInvalidPeerID},
		{name: "to too long", in: `{"type":"send","to":"` + long + `","data":1}`, code: ErrInvalidPeerID},
		{name: "publish no data", in: `{"type":"publish","channel":"c","requestId":"q"}`, code: ErrMissingData, echoRID: "q"},
		{name: "send no data", in: `{"type":"send","to":"b"}`, code: ErrMissingData},
		{name: "bad includeSenderMetadata", in: `{"type":"subscribe","channel":"c","includeSenderMetadata":"yes"}`, code: ErrMalformedMessage},
		{name: "since", in: `{"type":"subscribe","channel":"c","since":{"offset":42,"epoch":"e1","x":1}}`,
			want: ClientFrame{Type: TypeSubscribe, Channel: "c", Since: &Since{Offset: 42, Epoch: "e1"}}},
		{name: "since null", in: `{"type":"subscribe","channel":"c","since":null}`, want: ClientFrame{Type: TypeSubscribe, Channel: "c"}},
		{name: "since not object", in: `{"type":"subscribe","channel":"c","since":5,"requestId":"q"}`, code: ErrMalformedMessage, echoRID: "q"},
		{name: "since negative", in: `{"type":"subscribe","channel":"c","since":{"offset":-1,"epoch":"e"}}`, code: ErrMalformedMessage},
		{name: "since fraction", in: `{"type":"subscribe","channel":"c","since":{"offset":1.5,"epoch":"e"}}`, code: ErrMalformedMessage},
		{name: "since no epoch", in: `{"type":"subscribe","channel":"c","since":{"offset":1}}`, code: ErrMalformedMessage},
		{name: "since epoch too long", in: `{"type":"subscribe","channel":"c","since":{"offset":1,"epoch":"` + strings.Repeat("e", MaxEpochLen+1) + `"}}`, code: ErrMalformedMessage},
		{name: "invalid utf8", in: "{\"type\":\"ping\xff\"}", code: ErrMalformedMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClientFrame([]byte(tt.in))
			if tt.code == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if got.Type != tt.want.Type || got.Channel != tt.want.Channel || got.To != tt.want.To ||
					got.RequestID != tt.want.RequestID || string(got.Data) != string(tt.want.Data) ||
					got.IncludeSenderMetadata != tt.want.IncludeSenderMetadata ||
					(got.Since == nil) != (tt.want.Since == nil) || (got.Since != nil && *got.Since != *tt.want.Since) {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
				return
			}
			var fe *FrameError
			if !errors.As(err, &fe) {
				t.Fatalf("want FrameError %s, got %v", tt.code, err)
			}
			if fe.Code != tt.code || fe.RequestID != tt.echoRID {
				t.Fatalf("got code %q rid %q, want %q %q", fe.Code, fe.RequestID, tt.code, tt.echoRID)
			}
		})
	}
}

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		pattern, channel string
		want             bool
	}{
		{"app_abc/*", "app_abc/room-1", true},
		{"app_abc/*", "app_abc/sub/deep", false},
		{"app_abc/*", "app_abc/", true},
		{"app_abc/**", "app_abc/sub/deep", true},
		{"app_abc/**", "app_abc", false},
		{"room-*", "room-42", true},
		{"room-*", "admin-1", false},
		{"**", "anything/at/all", true},
		{"Room", "room", false},
		{`lit\*`, "lit*", true},
		{`lit\*`, "litx", false},
		{`back\\slash`, `back\slash`, true},
		{"a.b", "axb", false},
		{"a+(b)", "a+(b)", true},
		{"*/x/**", "one/x/two/three", true},
		{"*/x/**", "one/two/x/three", false},
	}
	for _, tt := range tests {
		p, err := CompilePattern(tt.pattern)
		if err != nil {
			t.Fatalf("compile %q: %v", tt.pattern, err)
		}
		if got := p.Match(tt.channel); got != tt.want {
			t.Errorf("%q.Match(%q) = %v, want %v", tt.pattern, tt.channel, got, tt.want)
		}
	}
}

func TestCompilePatternErrors(t *testing.T) {
	for _, p := range []string{"", `a\`, `a\b`, "a\x00", strings.Repeat("x", MaxChannelLen+1)} {
		if _, err := CompilePattern(p); !errors.Is(err, ErrBadPattern) {
			t.Errorf("CompilePattern(%q) = %v, want ErrBadPattern", p, err)
		}
	}
}

func TestCovers(t *testing.T) {
	tests := []struct {
		key, token string
		want       bool
	}{
		{"room/**", "room/*", true},
		{"room/**", "room/a/**", true},
		{"room/**", "other/*", false},
		{"**", "x/**", true},
		{"room/*", "room/a", true},
		{"room/*", "room/*", true},
		{"room/*", "room/**", false},
		{"room/*", "room/a/b", false},
	}
	for _, tt := range tests {
		k, _ := CompilePattern(tt.key)
		s, _ := CompilePattern(tt.token)
		if got := (Patterns{k}).Covers(s); got != tt.want {
			t.Errorf("%q covers %q = %v, want %v", tt.key, tt.token, got, tt.want)
		}
	}
}

func TestIsReserved(t *testing.T) {
	tests := map[string]bool{"_metered/x": true, "_METERED/x": true, "_Internal/": true, "_system/a/b": true,
		"_metered": false, "metered/x": false, "x/_system/": false, "": false}
	for ch, want := range tests {
		if got := IsReserved(ch); got != want {
			t.Errorf("IsReserved(%q) = %v, want %v", ch, got, want)
		}
	}
}

func TestValidateSubject(t *testing.T) {
	tests := map[string]bool{"alice": true, "a b~": true, "": false, "é": false, "a\tb": false, strings.Repeat("x", 129): false}
	for s, ok := range tests {
		if err := ValidateSubject(s); (err == nil) != ok {
			t.Errorf("ValidateSubject(%q) = %v, want ok=%v", s, err, ok)
		}
	}
}

func TestServerFrameEncoding(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"presence empty", Presence{Type: TypePresence, Channel: "c"}, `{"type":"presence","channel":"c","joined":[],"left":[]}`},
		{"welcome pk", Welcome{Type: TypeWelcome, PeerID: "p", ServerTime: 1, MaxMessageSize: 2},
			`{"type":"welcome","peerId":"p","expiresAt":null,"serverTime":1,"maxMessageSize":2}`},
		{"message null data", Message{Type: TypeMessage, Channel: "c", From: "f"}, `{"type":"message","channel":"c","from":"f","data":null}`},
		{"direct", Direct{Type: TypeDirect, From: "f", Data: json.RawMessage(`{"a":1}`), FromMetadata: json.RawMessage(`{"n":"x"}`)},
			`{"type":"direct","from":"f","data":{"a":1},"fromMetadata":{"n":"x"}}`},
		{"error", Error{Type: TypeError, Code: ErrPeerNotFound}, `{"type":"error","code":"peer_not_found"}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.v)
		if err != nil || string(b) != tt.want {
			t.Errorf("%s: got %s %v, want %s", tt.name, b, err, tt.want)
		}
	}
}

func TestCloseCodes(t *testing.T) {
	for code, terminal := range map[int]bool{4001: true, 4003: true, 4012: true, 4020: true, 4002: false, 4011: false, 1001: false} {
		if IsTerminalClose(code) != terminal {
			t.Errorf("IsTerminalClose(%d) != %v", code, terminal)
		}
		if CloseCodeName(code) == "unknown" {
			t.Errorf("CloseCodeName(%d) unknown", code)
		}
	}
	if CloseCodeName(4999) != "unknown" {
		t.Error("4999 should be unknown")
	}
}
