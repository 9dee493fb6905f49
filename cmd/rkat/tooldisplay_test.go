package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
)

func TestToolDisplay(t *testing.T) {
	events := []event.Event{
		event.ToolCallRequested{ID: "a", Name: "shell", Args: json.RawMessage(`{"command":"make"}`)},
		event.ToolCallRequested{ID: "b", Name: "grep", Args: json.RawMessage(`{"pattern":"x"}`)},
		event.ToolExecutionStarted{ID: "a", Name: "shell"},
		event.ToolExecutionStarted{ID: "b", Name: "grep"},
		event.ToolResultReceived{ID: "b", Name: "grep", Content: []llm.Block{llm.Text("no\nmatches")}},
		event.ToolResultReceived{ID: "a", Name: "shell", Content: []llm.Block{llm.Text("boom")}, IsError: true},
		event.TextDelta{Delta: "not a tool event"},
	}
	cases := []struct {
		terminal bool
		want     string
	}{
		{false, "[tool shell {\"command\":\"make\"}]\n[tool grep {\"pattern\":\"x\"}]\n" +
			"[tool grep ok 7ms: no matches]\n[tool shell error 21ms: boom]\n"},
		{true, "[tool shell {\"command\":\"make\"}]\n[tool grep {\"pattern\":\"x\"}]\n" +
			"… running shell" + "\r\033[K" + "… running shell, grep" + "\r\033[K" +
			"[tool grep ok 7ms: no matches]\n… running shell" + "\r\033[K" + "[tool shell error 21ms: boom]\n"},
	}
	for _, tc := range cases {
		var b strings.Builder
		d := newToolDisplay(&b)
		d.terminal = tc.terminal
		clock := time.Unix(0, 0)
		d.now = func() time.Time { clock = clock.Add(7 * time.Millisecond); return clock }
		handled := 0
		for _, ev := range events {
			if d.event(ev) {
				handled++
			}
		}
		if handled != 6 || b.String() != tc.want {
			t.Errorf("terminal %v: handled %d, output\n%q\nwant\n%q", tc.terminal, handled, b.String(), tc.want)
		}
	}
}
