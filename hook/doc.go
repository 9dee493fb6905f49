// Package hook runs user hooks at the eight fixed points of an agent run
// (run_started, pre_llm_request, post_llm_response, pre_tool_execution,
// post_tool_execution, turn_boundary, run_completed, run_failed).
//
// Entries come from .rkat/hooks.toml (project), ~/.rkat/hooks.toml (user)
// and a session's hooks_override; New validates them into an immutable
// Engine shared by every run of a session. Engine.Begin opens a Run, owned
// by the agent's run goroutine: Run.At runs the hooks of one point and
// returns the merged Outcome (a denial, rewritten tool arguments or a
// rewritten tool result). Foreground hooks run one after the other on the
// caller's goroutine, in priority then registration order, each bounded by
// its timeout; a deny stops the rest. Background hooks (observe only) run on
// goroutines owned by the Run, at most MaxBackground at once (more are
// skipped and reported); their completion events wait in a buffer bounded by
// that number until the next At or End, so every event reaches the run's
// emit on the run goroutine, and Run.End waits for them all. A command hook
// gets the invocation as JSON on stdin and answers a decision as JSON on
// stdout; it runs in its own process group, killed whole on timeout. An HTTP
// hook gets the invocation as a POST body and answers in the response body.
// Failures (timeout, runtime error, a malformed decision) follow the hook's
// failure policy: fail_open continues, fail_closed denies with reason code
// timeout or runtime_error.
package hook
