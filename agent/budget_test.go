package agent_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
)

// loopScript makes the model call tools forever, with fixed usage per call.
const loopScript = `{"rules":[{"match":"","responses":[
	{"tool_calls":[{"name":"nap"},{"name":"nap"}],"usage":{"input_tokens":60,"output_tokens":40}}]}]}`

func TestBudgets(t *testing.T) {
	cases := []struct {
		name      string
		budget    agent.Budget
		wantCause agent.TerminalCause
		wantWarn  string // budget_type of the expected warning, "" for none
		check     func(t *testing.T, res agent.Result)
	}{
		{"tokens", agent.Budget{MaxTokens: 250}, agent.CauseBudgetExhausted, "tokens",
			func(t *testing.T, res agent.Result) {
				// Three calls of 100 tokens: the third crosses the limit and
				// its cost is reported, its tools are not run.
				if res.Usage.Total() != 300 || res.Turns != 3 || res.ToolCalls != 4 {
					t.Fatalf("usage %d, turns %d, tool calls %d", res.Usage.Total(), res.Turns, res.ToolCalls)
				}
			}},
		{"time", agent.Budget{MaxDuration: 150 * time.Millisecond}, agent.CauseTimeBudgetExceeded, "time",
			func(t *testing.T, res agent.Result) {
				if res.Turns < 2 {
					t.Fatalf("turns = %d, want several naps before the deadline", res.Turns)
				}
			}},
		{"tool calls", agent.Budget{MaxToolCalls: 3}, agent.CauseBudgetExhausted, "tool_calls",
			func(t *testing.T, res agent.Result) {
				if res.ToolCalls != 3 || res.Turns != 2 {
					t.Fatalf("tool calls %d, turns %d", res.ToolCalls, res.Turns)
				}
				last := res.Messages[len(res.Messages)-1].Content
				if last[0].IsError || !last[1].IsError {
					t.Fatalf("second batch results = %+v, want the first run and the second refused", last)
				}
			}},
		{"turns", agent.Budget{MaxTurns: 2}, agent.CauseTurnLimitReached, "",
			func(t *testing.T, res agent.Result) {
				if res.Turns != 2 || res.ToolCalls != 4 {
					t.Fatalf("turns %d, tool calls %d", res.Turns, res.ToolCalls)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			cfg := newConfig(t, loopScript, rec, blockTool("nap", 20*time.Millisecond))
			cfg.Budget = tc.budget
			res, err := run(t.Context(), cfg, "loop")
			var re *agent.RunError
			if !errors.Is(err, agent.ErrBudgetExhausted) || !errors.As(err, &re) || re.Cause != tc.wantCause {
				t.Fatalf("err = %v, want cause %s", err, tc.wantCause)
			}
			if res.TerminalCause != tc.wantCause {
				t.Fatalf("result cause = %q", res.TerminalCause)
			}
			checkTranscript(t, res.Messages)
			warnings := all[event.BudgetWarning](rec)
			if tc.wantWarn == "" && len(warnings) != 0 {
				t.Fatalf("unexpected warnings %+v", warnings)
			}
			if tc.wantWarn != "" {
				if len(warnings) != 1 || warnings[0].BudgetType != tc.wantWarn || warnings[0].Percent < 80 ||
					warnings[0].Used < warnings[0].Limit*8/10 {
					t.Fatalf("warnings = %+v, want one %s warning at >= 80%%", warnings, tc.wantWarn)
				}
			}
			rf := all[event.RunFailed](rec)
			if len(rf) != 1 || rf[0].TerminalCauseKind != string(tc.wantCause) {
				t.Fatalf("run_failed = %+v", rf)
			}
			tc.check(t, res)
		})
	}
}

func TestFinalAnswerPastTokenBudgetSucceeds(t *testing.T) {
	rec := &recorder{}
	cfg := newConfig(t, `{"rules":[{"match":"","responses":[{"text":"big","usage":{"input_tokens":900,"output_tokens":200}}]}]}`, rec)
	cfg.Budget.MaxTokens = 1000
	res, err := run(t.Context(), cfg, "x")
	if err != nil || res.Text != "big" {
		t.Fatalf("res %+v, err %v", res, err)
	}
	if res.Usage.Total() != 1100 {
		t.Fatalf("usage total %d, want the honest 1100", res.Usage.Total())
	}
}

func TestInterrupt(t *testing.T) {
	cases := []struct {
		name     string
		script   string
		cancelOn string // event type that triggers the interrupt
		wantMsgs int
	}{
		{"mid-stream", `{"rules":[{"match":"","responses":[{"text":"a long answer indeed","chunks":10,"delay_ms":5}]}]}`,
			event.TypeTextDelta, 1},
		{"during tools", `{"rules":[{"match":"","responses":[{"tool_calls":[{"name":"wait"},{"name":"wait"}]},{"text":"never"}]}]}`,
			event.TypeToolExecutionStarted, 3},
		{"during retry wait", `{"rules":[{"match":"","responses":[{"error":{"kind":"retryable","retry_after_ms":5000}},{"text":"never"}]}]}`,
			event.TypeRetrying, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			rec := &recorder{on: func(e event.Event) {
				if e.Type() == tc.cancelOn {
					cancel()
				}
			}}
			cfg := newConfig(t, tc.script, rec, blockTool("wait", 0))
			cfg.Retry.MaxDelay = 10 * time.Second
			res, err := run(ctx, cfg, "go")
			var re *agent.RunError
			if !errors.Is(err, context.Canceled) || !errors.As(err, &re) || re.Cause != agent.CauseCancelled {
				t.Fatalf("err = %v, want cancelled", err)
			}
			if res.TerminalCause != agent.CauseCancelled || res.StopReason != llm.StopCancelled && tc.wantMsgs == 1 {
				t.Fatalf("cause %q stop %q", res.TerminalCause, res.StopReason)
			}
			if len(res.Messages) != tc.wantMsgs {
				t.Fatalf("%d messages, want %d: %+v", len(res.Messages), tc.wantMsgs, res.Messages)
			}
			checkTranscript(t, res.Messages)
			rf := all[event.RunFailed](rec)
			if len(rf) != 1 || rf[0].TerminalCauseKind != "" || rf[0].ErrorClass != "cancelled" {
				t.Fatalf("run_failed = %+v", rf)
			}
		})
	}
}
