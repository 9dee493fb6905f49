package sdk

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/rkat-dev/rkat/rpc"
)

func TestFromRPC(t *testing.T) {
	tests := []struct {
		name    string
		in      error
		want    *Error
		code    string
		message string
	}{
		{"semantic data wins", rpc.NewError(-32012, "HOOK_DENIED", "denied by hook", map[string]string{"hook": "h"}), ErrHookDenied, "HOOK_DENIED", "denied by hook"},
		{"numeric only", &rpc.Error{Code: -32002, Message: "busy"}, ErrSessionBusy, "SESSION_BUSY", "busy"},
		{"numeric budget", &rpc.Error{Code: -32011, Message: "b"}, ErrBudgetExhausted, "BUDGET_EXHAUSTED", "b"},
		{"numeric capability", &rpc.Error{Code: -32020, Message: "c"}, ErrCapabilityUnavailable, "CAPABILITY_UNAVAILABLE", "c"},
		{"unknown code", &rpc.Error{Code: -32099, Message: "x"}, nil, "-32099", "x"},
		{"data message overrides", &rpc.Error{Code: -32001, Message: "m", Data: json.RawMessage(`{"code":"SESSION_NOT_FOUND","message":"better"}`)}, ErrSessionNotFound, "SESSION_NOT_FOUND", "better"},
		{"closed", rpc.ErrClosed, ErrConnectionClosed, "CONNECTION_CLOSED", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := fromRPC(tt.in)
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code {
				t.Fatalf("fromRPC = %v", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("%v does not match %v", err, tt.want)
			}
			if tt.message != "" && e.Message != tt.message {
				t.Fatalf("message %q, want %q", e.Message, tt.message)
			}
		})
	}
	if errors.Is(fromRPC(&rpc.Error{Code: -32001}), ErrSessionBusy) {
		t.Fatal("different codes match")
	}
}
