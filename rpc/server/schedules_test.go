package server

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
)

// TestSchedulesUnservedWithoutService: a server without Config.Schedules
// neither advertises nor serves schedule/*, and reports the capability as
// not compiled (advertise == deliver).
func TestSchedulesUnservedWithoutService(t *testing.T) {
	h := newHarness(t, nil)
	var init wire.InitializeResult
	if err := h.call(t, wire.MethodInitialize, map[string]any{}, &init); err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(init.Methods, func(m string) bool { return strings.HasPrefix(m, "schedule/") }); i >= 0 {
		t.Errorf("initialize.methods lists %s", init.Methods[i])
	}
	err := h.call(t, wire.MethodScheduleList, map[string]any{}, nil)
	var re *rpc.Error
	if !errors.As(err, &re) || re.Code != rpc.CodeMethodNotFound {
		t.Errorf("schedule/list = %v, want -32601", err)
	}
	err = h.call(t, wire.MethodSessionCreate, map[string]any{"prompt": "hi", "enable_schedule": true}, nil)
	if !errors.As(err, &re) || re.Code != rpc.CodeInvalidParams || !strings.Contains(re.Message, "enable_schedule") {
		t.Errorf("enable_schedule without schedules = %v, want -32602 naming it", err)
	}
	var caps wire.CapabilitiesResult
	if err := h.call(t, wire.MethodCapabilities, map[string]any{}, &caps); err != nil {
		t.Fatal(err)
	}
	for _, c := range caps.Capabilities {
		if c.ID == "schedule" && string(c.Status) == `"Available"` {
			t.Error("schedule capability is Available without a schedule service")
		}
	}
}

// TestEnableScheduleTools: a session created with enable_schedule has the
// schedule tools from its first turn on, whether that runs at create or,
// for a deferred session, at its first turn/start; later turns keep them.
func TestEnableScheduleTools(t *testing.T) {
	for _, initial := range []string{wire.InitialTurnRunImmediately, wire.InitialTurnDeferred} {
		t.Run(initial, func(t *testing.T) {
			h := newHarnessWith(t, nil, true)
			// listed reports whether the turn's model call of the schedule
			// tool got a result that is not an error.
			listed := func() bool {
				for _, ev := range h.drain() {
					if r, ok := ev.(event.ToolResultReceived); ok && r.Name == "meerkat_schedule_list" {
						return !r.IsError
					}
				}
				return false
			}
			var res wire.RunResult
			if err := h.call(t, wire.MethodSessionCreate, map[string]any{"prompt": "list schedules", "enable_schedule": true,
				"initial_turn": initial}, &res); err != nil {
				t.Fatal(err)
			}
			turns := 2
			if initial == wire.InitialTurnRunImmediately {
				if res.Text != "listed" || !listed() {
					t.Fatalf("first run at create = %+v", res)
				}
				turns = 1
			}
			for range turns {
				var run wire.RunResult
				if err := h.call(t, wire.MethodTurnStart, map[string]any{"session_id": res.SessionID, "prompt": "list schedules"}, &run); err != nil {
					t.Fatal(err)
				}
				if run.Text != "listed" || !listed() {
					t.Fatalf("turn = %+v, schedule tool not served", run)
				}
			}
		})
	}
}
