package event

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/rkat-dev/rkat/llm"
)

func TestRoundTrip(t *testing.T) {
	events := []Event{
		RunStarted{SessionID: "s", Input: RunInput{Kind: "content", Content: []llm.Block{llm.Text("hi")}}, Prompt: "hi"},
		RunCompleted{SessionID: "s", Result: "ok", Usage: llm.Usage{InputTokens: 1, OutputTokens: 2}, StructuredOutput: json.RawMessage(`{"a":1}`)},
		RunFailed{SessionID: "s", ErrorReport: ErrorReport{Class: "llm_failure", Message: "boom"}, ErrorClass: "llm_failure", Error: "boom"},
		TurnStarted{TurnNumber: 2},
		TurnCompleted{StopReason: llm.StopToolUse, Usage: &TurnUsage{Usage: llm.Usage{InputTokens: 5}, Accounting: Accounting{Provider: "p"}}},
		TurnCompleted{StopReason: llm.StopEndTurn},
		TextDelta{Delta: "He\"l"}, TextComplete{Content: "Hello"},
		ReasoningDelta{Delta: "r"}, ReasoningComplete{Content: "rr"},
		ToolCallRequested{ID: "t", Name: "echo", Args: json.RawMessage(`{"x":1}`)},
		ToolExecutionStarted{ID: "t", Name: "echo"},
		ToolExecutionCompleted{ID: "t", Name: "echo", Content: []llm.Block{llm.Text("x")}, DurationMS: 3},
		ToolExecutionTimedOut{ID: "t", Name: "echo", TimeoutMS: 10},
		ToolResultReceived{ID: "t", Name: "echo", Content: []llm.Block{llm.Text("x")}, IsError: true},
		Retrying{Retry: RetryInfo{Failure: RetryFailure{Kind: "retryable"}, Plan: RetryPlan{Attempt: 1, MaxRetries: 3}}, Attempt: 1},
		BudgetWarning{BudgetType: "tokens", Used: 80, Limit: 100, Percent: 80},
		ExtractionSucceeded{SessionID: "s", StructuredOutput: json.RawMessage(`[1]`)},
		ExtractionFailed{SessionID: "s", LastOutput: "x", Attempts: 3, Reason: "invalid"},
		StreamTruncated{Reason: TruncationReason{Kind: "channel_full", Dropped: 4}},
		ToolConfigChanged{Payload: ToolConfigChange{Operation: "add", Target: "fs",
			StatusInfo: ToolConfigStatus{Kind: "external_tool_delta", Phase: "applied"}, AppliedAtTurn: new(int)}},
		HookStarted{HookID: "h", Point: "pre_tool_execution"},
		SkillsResolved{Skills: []SkillKey{{SourceUUID: "u", SkillName: "s"}}, InjectionBytes: 10},
		CompactionStarted{InputTokens: 9, EstimatedHistoryTokens: 900, MessageCount: 12},
		CompactionCompleted{SummaryTokens: 40, MessagesBefore: 12, MessagesAfter: 4},
		CompactionFailed{Reason: CompactionReason{Kind: "nothing_to_compact", Message: "m"}},
		HookCompleted{HookID: "h", Point: "pre_tool_execution", DurationMS: 2},
		HookFailed{HookID: "h", Point: "run_started", Reason: HookFailureReason{ReasonCode: "timeout", TimeoutMS: 50}, Error: "timed out"},
		HookDenied{HookID: "h", Point: "pre_tool_execution", ReasonCode: "policy_violation", Message: "no", Payload: json.RawMessage(`{"a":1}`)},
	}
	for _, e := range events {
		b, err := Marshal(e)
		if err != nil {
			t.Fatalf("%s: %v", e.Type(), err)
		}
		var head map[string]any
		if err := json.Unmarshal(b, &head); err != nil || head["type"] != e.Type() {
			t.Fatalf("%s: bad payload %s (%v)", e.Type(), b, err)
		}
		got, err := Unmarshal(b)
		if err != nil {
			t.Fatalf("%s: unmarshal %s: %v", e.Type(), b, err)
		}
		if !reflect.DeepEqual(got, e) {
			t.Errorf("%s: round trip\n got %#v\nwant %#v", e.Type(), got, e)
		}
	}
}

func TestUnmarshalUnknownAndMalformed(t *testing.T) {
	got, err := Unmarshal([]byte(`{"type":"skill_resolution_failed","reason":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	if u, ok := got.(Unknown); !ok || u.Type() != "skill_resolution_failed" {
		t.Fatalf("got %#v", got)
	}
	for _, bad := range []string{`{"type":"text_delta","delta":5}`, `{"delta":"x"}`, `[`, `{"type":"turn_started","turn_number":"x"}`} {
		if _, err := Unmarshal([]byte(bad)); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", bad)
		}
	}
}

func TestAppendPayloadEmptyBody(t *testing.T) {
	if got := string(AppendPayload(nil, "x", []byte("{}"))); got != `{"type":"x"}` {
		t.Fatalf("got %s", got)
	}
}

func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte(`{"type":"text_delta","delta":"x"}`))
	f.Add([]byte(`{"type":"run_completed","session_id":"s","result":"","usage":{"input_tokens":1,"output_tokens":2},"extraction_required":false}`))
	f.Add([]byte(`{"type":"zzz"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Unmarshal(data)
		if err != nil {
			return
		}
		if _, err := Marshal(e); err != nil {
			t.Fatalf("re-marshal %T: %v", e, err)
		}
	})
}
