package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/rpc/wire"
)

func TestRefuseUnsupported(t *testing.T) {
	tests := []struct {
		params string
		field  string // refused field; "" means accepted
	}{
		{`{"prompt":"x"}`, ""},
		{`{"prompt":"x","enable_shell":false,"enable_builtins":null,"hooks_override":{},"shell_env":{},"comms_name":""}`, ""},
		{`{"prompt":"x","enable_shell":true,"enable_builtins":true,"shell_env":{"A":"1"}}`, ""}, // served (issue 12)
		{`{"prompt":"x","enable_memory":true}`, "enable_memory"},
		{`{"prompt":"x","enable_web_search":true}`, "enable_web_search"},
		{`{"prompt":"x","hooks_override":{"entries":[]}}`, ""}, // hooks are served
		{`{"prompt":"x","enable_workgraph":true}`, "enable_workgraph"},
		{`{"prompt":"x","comms_name":"bot","peer_meta":{"description":"d"}}`, ""}, // comms is served
		{`{"prompt":"x","enable_mob":false,"enable_memory":null}`, ""},
		{`{"prompt":"x","enable_mob":true,"enable_memory":true}`, "enable_memory"}, // the first in the contract's order
	}
	for _, tt := range tests {
		p, err := decode[wire.CreateParams](json.RawMessage(tt.params))
		if err != nil {
			t.Fatalf("%s: %v", tt.params, err)
		}
		err = refuseUnsupported(&p)
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s refused: %v", tt.params, err)
		case tt.field != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.field+" ")):
			t.Errorf("%s: %v, want %s named", tt.params, err, tt.field)
		}
	}
}
