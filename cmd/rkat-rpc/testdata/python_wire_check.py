#!/usr/bin/env python3
"""Stdlib-only check of rkat-rpc against the parsing rules of the published
Python SDK meerkat-sdk 0.8 (spec/agent-rpc.md): version gate, capability
entries, strict event envelopes, the event-type inventory with the legacy
fields its typed parsers read, WireRunResult, session shapes, error data,
the tool/execute callback and the mcp/add response.

Usage: python_wire_check.py /path/to/rkat-rpc STATE_DIR
(env RKAT_TEST_CLIENT=1 and an RKAT_TEST_SCRIPT with a "use echo" rule).
Exits 0 when every check passes, 1 with a message otherwise.
"""
import json
import subprocess
import sys
import uuid

SDK_VERSION = "0.8.26"
KNOWN_TYPES = {
    "run_started", "run_completed", "run_failed", "extraction_succeeded", "extraction_failed",
    "turn_started", "reasoning_delta", "reasoning_complete", "text_delta", "text_complete",
    "assistant_image_appended", "tool_call_requested", "tool_execution_started",
    "tool_execution_completed", "tool_execution_timed_out", "tool_result_received",
    "turn_completed", "turn_usage_accounting_unmeasured", "turn_usage_accounting_identity_disputed",
    "compaction_started", "compaction_completed", "compaction_failed", "budget_warning", "retrying",
    "hook_started", "hook_completed", "hook_failed", "hook_denied", "skills_resolved",
    "skill_resolution_failed", "interaction_complete", "interaction_callback_pending",
    "interaction_failed", "stream_truncated", "tool_config_changed", "background_job_completed",
    "transcript_rewrite_committed", "peer_content_ingested", "provider_cache_breakpoints_discarded",
}
# Fields the SDK's typed parsers need (legacy ones included, contract 3.2).
REQUIRED = {
    "run_started": {"session_id": str, "input": dict, "prompt": str},
    "run_completed": {"session_id": str, "result": str, "usage": dict},
    "run_failed": {"session_id": str, "error_class": str, "error": str},
    "retrying": {"attempt": int, "max_attempts": int, "error": str, "delay_ms": int},
    "turn_started": {"turn_number": int},
    "text_delta": {"delta": str},
    "text_complete": {"content": str},
    "tool_call_requested": {"id": str, "name": str, "args": dict},
    "tool_result_received": {"id": str, "name": str, "content": list, "is_error": bool},
    "turn_completed": {"stop_reason": str},
}
STOP_REASONS = {"end_turn", "tool_use", "max_tokens", "stop_sequence", "content_filter", "cancelled"}
ROLES = {"system", "system_notice", "user", "block_assistant", "tool_results"}


class CheckError(Exception):
    pass


def check(cond, what):
    if not cond:
        raise CheckError(what)


def compatible(server):
    def parse(v):
        v = v.split("-")[0].split("+")[0]
        parts = v.split(".")
        check(len(parts) == 3 and all(p.isdigit() for p in parts), f"garbled version {v!r}")
        return [int(p) for p in parts]
    a, b = parse(SDK_VERSION), parse(server)
    return a[1] == b[1] if a[0] == 0 and b[0] == 0 else a[0] == b[0]


def canonical_uuid(v):
    check(isinstance(v, str) and str(uuid.UUID(v)) == v, f"not a canonical UUID: {v!r}")


def u64(v, what):
    check(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 1 << 64, f"{what} not u64: {v!r}")


class Client:
    def __init__(self, binary, state):
        # The state dir doubles as project and user config root: no mcp.toml.
        self.p = subprocess.Popen([binary, "--isolated", "--state-root", state, "--context-root", state,
                                   "--user-config-root", state], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.next_id = 0
        self.tools = {}

    def request(self, method, params):
        self.next_id += 1
        self.p.stdin.write(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}) + "\n")
        self.p.stdin.flush()
        events = []
        while True:
            line = self.p.stdout.readline()
            check(line, f"{method}: server closed stdout")
            msg = json.loads(line)  # a non-JSON line is PROTOCOL_ERROR for the SDK
            if "id" in msg and "method" in msg:
                check(isinstance(msg["id"], str), "server request id must be a string")
                check(msg["method"] == "tool/execute", f"unexpected server request {msg['method']}")
                p = msg["params"]
                out = self.tools[p["name"]](p["arguments"])
                self.p.stdin.write(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": {"content": out, "is_error": False}}) + "\n")
                self.p.stdin.flush()
            elif "id" in msg:
                check(msg["id"] == self.next_id and type(msg["id"]) is int, f"id echo {msg['id']!r}")
                return events, msg
            else:
                check(msg.get("method") == "session/event", f"unknown notification {msg.get('method')}")
                events.append(msg["params"])

    def call(self, method, params):
        events, msg = self.request(method, params)
        check("error" not in msg, f"{method}: {msg.get('error')}")
        return events, msg["result"]

    def close(self):
        self.p.stdin.close()
        code = self.p.wait(timeout=10)
        err = self.p.stderr.read()
        check(code == 0, f"exit code {code}")
        check(err == "", f"stderr not quiet: {err!r}")


def check_event(params, sid, last_seq):
    check(params.get("session_id") == sid, "event routed to another session")
    env = params["event"]
    canonical_uuid(env["event_id"])
    check(env["source"]["type"] == "session", "source type")
    canonical_uuid(env["source"]["session_id"])
    u64(env["seq"], "seq")
    u64(env["timestamp_ms"], "timestamp_ms")
    check(env["seq"] > last_seq, "seq must increase")
    payload = env["payload"]
    t = payload.get("type")
    check(t in KNOWN_TYPES, f"event type {t!r} outside the SDK inventory")
    for field, typ in REQUIRED.get(t, {}).items():
        check(isinstance(payload.get(field), typ), f"{t}.{field} missing or not {typ.__name__}")
    if t == "turn_completed":
        check(payload["stop_reason"] in STOP_REASONS, "stop_reason")
    if t == "tool_config_changed":
        change = payload["payload"]
        check(change["operation"] in {"add", "remove", "reload"}, "tool_config_changed operation")
        check(isinstance(change["target"], str) and isinstance(change["persisted"], bool), f"tool_config_changed {change}")
    return env["seq"], t


def check_run_result(r):
    check(isinstance(r.get("session_id"), str) and r["session_id"], "session_id")
    check(isinstance(r.get("text"), str), "text")
    check(isinstance(r.get("turns"), int) and isinstance(r.get("tool_calls"), int), "turns/tool_calls")
    check(isinstance(r["usage"].get("input_tokens"), int) and isinstance(r["usage"].get("output_tokens"), int), "usage")
    check(all(v is not None for v in r.values()), "null where the SDK expects absence")


def main():
    c = Client(sys.argv[1], sys.argv[2])
    _, init = c.call("initialize", {})
    check(compatible(init["contract_version"]), f"VERSION_MISMATCH {init['contract_version']}")
    check(isinstance(init["methods"], list), "methods")
    _, caps = c.call("capabilities/get", {})
    for e in caps["capabilities"]:
        check(e.get("id") and e.get("description"), f"capability entry {e}")
        st = e["status"]
        check(st == "Available" or (isinstance(st, dict) and len(st) == 1), f"status {st!r}")

    c.call("tools/register", {"tools": [{"name": "echo", "description": "e", "input_schema": {"type": "object"}}]})
    c.tools["echo"] = lambda args: "echo " + json.dumps(args)
    events, res = c.call("session/create", {"prompt": "hi"})
    check_run_result(res)
    sid, seq, types = res["session_id"], 0, []
    for e in events:
        seq, t = check_event(e, sid, seq)
        types.append(t)
    check(types[0] == "run_started" and types[-1] == "run_completed", f"order {types}")
    events, res = c.call("turn/start", {"session_id": sid, "prompt": "use echo"})
    check_run_result(res)
    for e in events:
        seq, t = check_event(e, sid, seq)
        types.append(t)
    check("tool_result_received" in types, "callback tool round trip")

    # Builtin tools next to the callback tool in one turn (the SDK's create_session(enable_builtins=...)).
    events, res = c.call("session/create", {"prompt": "builtins and callback", "enable_builtins": True,
                                            "enable_shell": True, "shell_env": {"FROM_ENV": "py"}})
    check_run_result(res)
    bsid, bseq, done = res["session_id"], 0, {}
    for e in events:
        bseq, t = check_event(e, bsid, bseq)
        if t == "tool_result_received":
            ev = e["event"]["payload"]
            done[ev["name"]] = ev.get("is_error", False)
    check(done == {"echo": False, "task_create": False, "shell": False, "read_file": True}, f"mixed tool results {done}")
    # mcp/add: McpLiveOpResponse(**raw) takes exactly these keys.
    _, op = c.call("mcp/add", {"session_id": sid, "persisted": False,
                               "server_config": {"name": "absent", "command": "/nonexistent/mcp-server"}})
    check(set(op) <= {"session_id", "operation", "server_name", "status", "persisted", "applied_at_turn"}, f"mcp keys {op}")
    check(op["session_id"] and op["operation"] == "add" and op["status"] in {"staged", "applied", "rejected"}
          and isinstance(op["persisted"], bool), f"mcp/add {op}")
    events, res = c.call("turn/start", {"session_id": sid, "prompt": "hi again"})
    check_run_result(res)
    for e in events:
        seq, t = check_event(e, sid, seq)
        types.append(t)
    check("tool_config_changed" in types, "an MCP server that cannot start is reported")

    _, lst = c.call("session/list", {})
    for s in lst["sessions"]:
        check(isinstance(s["created_at"], int) and isinstance(s["updated_at"], int), "unix-second timestamps")
        check(isinstance(s["total_tokens"], int) and isinstance(s["is_active"], bool), "summary fields")
        check("labels" not in s or s["labels"], "labels must be omitted when empty")
    _, info = c.call("session/read", {"session_id": sid})
    check(info["model"] and info["provider"], "model/provider")
    _, hist = c.call("session/history", {"session_id": sid, "offset": 0})
    for row in hist["messages"]:
        check(row["role"] in ROLES, f"role {row['role']}")
        check(isinstance(row["created_at"], str), "created_at")
        if row["role"] == "block_assistant":
            check(row["stop_reason"] in STOP_REASONS, "row stop_reason")
            for b in row["blocks"]:
                check(isinstance(b["block_type"], str) and ("data" in b or b["block_type"] == "unknown"), f"block {b}")
        if row["role"] == "tool_results":
            for r in row["results"]:
                check(isinstance(r["tool_use_id"], str) and "content" in r, f"result {r}")
    _, msg = c.request("turn/start", {"session_id": "0196f3a2-5c1e-7d00-8a10-2b9c4e6f0a11", "prompt": "x"})
    err = msg["error"]
    check(err["code"] == -32001 and err["data"]["code"] == "SESSION_NOT_FOUND", f"error data {err}")
    c.close()


if __name__ == "__main__":
    try:
        main()
    except (CheckError, KeyError, TypeError, ValueError) as e:
        print(f"FAIL: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
    print("ok")
