package agent

import (
	"github.com/rkat-dev/rkat/hook"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// The run's hook points, called from the loop at one place each:
// run_started (Run), pre_llm_request and post_llm_response (call),
// pre_tool_execution (runTools), post_tool_execution (dispatch),
// turn_boundary (runTools), run_completed and run_failed (finish).

// CauseHookDenied and CauseHookFailure end a run a hook denied, or whose
// fail_closed hook failed.
const (
	CauseHookDenied  TerminalCause = "hook_denied"
	CauseHookFailure TerminalCause = "hook_failure"
)

// hookAt runs the hooks of a point that may end the run: a denial becomes
// the run's error.
func (r *runner) hookAt(inv hook.Invocation) error {
	if r.hooks == nil {
		return nil
	}
	d := r.hooks.At(r.ctx, inv).Deny
	if d == nil {
		return nil
	}
	cause := CauseHookDenied
	if d.Failure {
		cause = CauseHookFailure
	}
	return &RunError{Cause: cause, Err: &hook.DeniedError{Denial: *d}}
}

// preTool runs pre_tool_execution for a call about to run: a denial answers
// the call with it, a rewrite replaces its arguments.
func (r *runner) preTool(c *pendingCall) {
	if r.hooks == nil {
		return
	}
	out := r.hooks.At(r.ctx, hook.Invocation{Point: hook.PreToolExecution,
		ToolCall: &hook.ToolCall{ToolUseID: c.id, Name: c.name, Args: c.args}})
	switch {
	case out.Deny != nil:
		c.reject = denialText(out.Deny)
	case out.Args != nil:
		c.args = out.Args
	}
}

// postTool runs post_tool_execution on a completed call's result: a denial
// replaces it with an error, a rewrite with the hook's text.
func (r *runner) postTool(c *pendingCall, res tool.Result) tool.Result {
	if r.hooks == nil {
		return res
	}
	out := r.hooks.At(r.ctx, hook.Invocation{Point: hook.PostToolExecution,
		ToolResult: &hook.ToolResult{ToolUseID: c.id, Name: c.name, Content: resultText(res.Content), IsError: res.IsError}})
	switch {
	case out.Deny != nil:
		return tool.ErrorResult(denialText(out.Deny))
	case out.Result != nil:
		return tool.Result{Content: []llm.Block{llm.Text(out.Result.Content)}, IsError: out.Result.IsError}
	}
	return res
}

func denialText(d *hook.Denial) string {
	return "Error: denied by hook " + d.HookID + " (" + string(d.ReasonCode) + "): " + d.Message
}

// llmResponse describes a model call's answer to post_llm_response hooks.
func llmResponse(out callOutput, stop llm.StopReason) *hook.LLMResponse {
	names := make([]string, len(out.calls))
	for i, c := range out.calls {
		names[i] = c.name
	}
	return &hook.LLMResponse{AssistantText: out.text, ToolCallNames: names, StopReason: string(stop)}
}

// closeCalls answers every call of a model response that will not run, so
// the transcript keeps each tool_use paired with its tool_result.
func (r *runner) closeCalls(calls []pendingCall, text string) {
	if len(calls) == 0 {
		return
	}
	results := make([]llm.Block, len(calls))
	for i, c := range calls {
		results[i] = llm.Block{Type: llm.BlockToolResult, ID: c.id, Name: c.name, Text: text, IsError: true}
	}
	r.msgs = append(r.msgs, llm.Message{Role: llm.RoleUser, Content: results})
}
