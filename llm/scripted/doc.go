// Package scripted is a deterministic, offline llm.Provider for tests, demos
// and every surface that must run without a key. Its provider name and model
// are both "scripted".
//
// # Default behaviour
//
// Without a script, or when no rule matches, the reply is a short text
// derived from the run's prompt ("Scripted reply: <prompt>", the prompt cut
// to 80 characters), streamed in 3 deltas with plausible usage (about one
// token per four characters). In the structured-output step of a run (see
// llm.ExtractionPrompt) the default reply is a minimal JSON value that
// matches the requested schema.
//
// # Script files
//
// A script is a JSON file, usually named by the RKAT_TEST_SCRIPT environment
// variable:
//
//	{"rules": [
//	  {"match": "slow turn", "responses": [{"text": "done slowly", "chunks": 10, "delay_ms": 200}]},
//	  {"match": "use echo", "responses": [
//	     {"tool_calls": [{"name": "echo", "args": {"text": "hi"}}]},
//	     {"text": "tool said hi"}]},
//	  {"match": "flaky", "responses": [
//	     {"error": {"kind": "retryable", "retry_after_ms": 50, "message": "overloaded"}},
//	     {"text": "recovered"}]}
//	]}
//
// A run is one prompt and the model calls that answer it. The run's prompt is
// the text of the last user message of the request that is neither tool
// results only nor a structured-output request. For each run, the first rule
// whose "match" is a substring of the prompt applies (an empty match applies
// to every prompt); the n-th model call of the run, counting from 0 and
// counting failed attempts, uses responses[n]; once the responses run out
// the last one repeats. Without a matching rule the default behaviour
// applies. The provider keeps no state: it finds the call number from the
// request (the assistant messages since the prompt, the error responses
// those calls must have gone through, and llm.Request.Attempt), so
// concurrent sessions never disturb each other.
//
// A response holds any of:
//
//	text         answer text
//	chunks       number of text deltas (default 3, at most one per character)
//	delay_ms     pause before each delta and each tool call
//	reasoning    reasoning text, streamed before the answer in one delta
//	tool_calls   [{"name": "...", "args": {...}}] or {"name": "...", "raw_args": "..."}
//	             where raw_args is sent verbatim and need not be valid JSON;
//	             an optional "id" overrides the generated call id
//	error        {"kind": "retryable"|"rate_limited"|"context_length"|"fatal",
//	              "retry_after_ms": 50, "message": "..."}; a response with
//	             only an error fails the call at once (after delay_ms), one
//	             with text or tool calls too fails after streaming them
//	usage        {"input_tokens": 10, "output_tokens": 5,
//	              "cache_creation_tokens": 0, "cache_read_tokens": 0};
//	             estimated when absent
//	stop_reason  end_turn, tool_use, max_tokens, stop_sequence,
//	             content_filter or cancelled; default tool_use when the
//	             response has tool calls, else end_turn
//
// Unknown fields, a rule without responses, a tool call without a name or
// with both args and raw_args, args that are not a JSON object, an unknown
// error kind or stop reason and negative numbers are rejected when the
// script is loaded, with a message naming the offending field.
//
// # Realtime sessions
//
// The provider is also an llm.RealtimeProvider (live channels offline; the
// resolver sends realtime catalog models such as gpt-realtime-2 here when
// the provider is scripted). The conversation is kept per session; each
// response is the scripted reply to it, found exactly as for Stream (rules
// match the user's text, or "audio of N ms", the transcript given to
// committed audio). Text responses stream as text deltas; audio responses
// stream PCM16 24 kHz audio (the committed user audio echoed back in 100 ms
// slices, or 10 ms of a 440 Hz tone per character) with the reply as
// transcript deltas. With ServerVAD a loud chunk (|sample| > 500) starts
// speech and the next silent chunk stops it, commits and answers. Scripted
// tool calls arrive as tool-call events; their results continue the
// conversation. Output audio is always PCM16, whatever the configured
// output format.
package scripted
