package wire

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/rpc"
)

func TestVersionCompatibility(t *testing.T) {
	tests := []struct {
		server string
		ok     bool
	}{
		{"0.8.26", true}, {"0.8.0", true}, {"0.8.99-pre", true}, {"0.8.1+build.5", true},
		{"0.6.6", false}, {"0.9.0", false}, {"1.8.26", false}, {"", false}, {"0.8", false}, {"x.y.z", false},
	}
	sdk, _ := ParseVersion(ContractVersion)
	for _, tt := range tests {
		v, err := ParseVersion(tt.server)
		if got := err == nil && sdk.CompatibleWith(v); got != tt.ok {
			t.Errorf("%q compatible = %v, want %v (%v)", tt.server, got, tt.ok, err)
		}
	}
	a, _ := ParseVersion("1.2.3")
	b, _ := ParseVersion("1.9.0")
	if !a.CompatibleWith(b) || a.String() != "1.2.3" {
		t.Error("1.x versions should be compatible")
	}
}

func TestContent(t *testing.T) {
	tests := []struct {
		in      string
		want    []llm.Block
		wantErr bool
	}{
		{`"hello"`, []llm.Block{llm.Text("hello")}, false},
		{`""`, nil, false},
		{`{"type":"text","text":"one"}`, []llm.Block{llm.Text("one")}, false},
		{`[{"type":"text","text":"a"},{"type":"image","media_type":"image/png","source":"inline","data":"iVBORw0KGgo="}]`,
			[]llm.Block{llm.Text("a"), {Type: llm.BlockImage, MediaType: "image/png", Data: "iVBORw0KGgo="}}, false},
		{`[{"type":"image","media_type":"image/png","source":"inline","data":"AAA="}]`, nil, true}, // not a PNG
		{`[{"type":"image","media_type":"image/png","source":"blob","blob_id":"sha256:00"}]`, nil, true},
		{`[{"type":"video"}]`, nil, true},
		{`5`, nil, true},
		{`[1]`, nil, true},
	}
	for _, tt := range tests {
		got, err := ParseContent(json.RawMessage(tt.in))
		if (err != nil) != tt.wantErr || (err != nil && !errors.Is(err, ErrContent)) {
			t.Errorf("%s: err %v", tt.in, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: %+v", tt.in, got)
			continue
		}
		for i := range got {
			if got[i].Type != tt.want[i].Type || got[i].Text != tt.want[i].Text || got[i].Data != tt.want[i].Data {
				t.Errorf("%s: block %d = %+v", tt.in, i, got[i])
			}
		}
		if err == nil && len(got) > 0 {
			back, err := ParseContent(Content(got))
			if err != nil || len(back) != len(got) {
				t.Errorf("%s: round trip %s: %v", tt.in, Content(got), err)
			}
		}
	}
}

func TestCapabilityStatus(t *testing.T) {
	a := Capability{ID: "x", Status: json.RawMessage(`"Available"`)}
	n := Capability{ID: "y", Status: json.RawMessage(`{"NotCompiled":{"feature":"y"}}`)}
	if !a.Available() || n.Available() || a.StatusName() != "Available" || n.StatusName() != "NotCompiled" {
		t.Fatal("capability status helpers")
	}
}

// Every numeric code the contract names carries its semantic code, in the
// error data a server sends and in ErrorName, which clients use for servers
// that send no data.
func TestNewErrorCarriesSemanticCode(t *testing.T) {
	for code, name := range map[int]string{
		rpc.CodeParseError: ErrCodeParse, rpc.CodeSessionBusy: ErrCodeSessionBusy,
		rpc.CodeCapabilityUnavailable: ErrCodeCapabilityUnavailable, rpc.CodeHookDenied: ErrCodeHookDenied,
	} {
		e := NewError(code, "why", map[string]int{"n": 1})
		var d ErrorData
		if err := json.Unmarshal(e.Data, &d); err != nil || d.Code != name || d.Message != "why" || string(d.Details) != `{"n":1}` {
			t.Errorf("code %d: data %s (%v)", code, e.Data, err)
		}
		if got := ErrorName(code); got != name {
			t.Errorf("ErrorName(%d) = %q, want %q", code, got, name)
		}
	}
	if e := NewError(-1, "odd", nil); e.Data != nil || ErrorName(-1) != "" {
		t.Errorf("unnamed code got data %s", e.Data)
	}
}
