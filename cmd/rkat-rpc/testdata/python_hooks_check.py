"""Drives rkat-rpc's hooks through the published Python SDK (meerkat-sdk).

usage: python_hooks_check.py BINARY PROJECT_ROOT HTTP_HOOK_URL MARKER
The project's .rkat/hooks.toml logs every point and denies destructive
shell calls; the scripted provider (RKAT_TEST_SCRIPT) makes the model call
the SDK's own callback tool "shell".
"""

import asyncio
import json
import os
import sys

from meerkat import MeerkatClient, MeerkatError


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


async def main():
    binary, project, http_url, marker = sys.argv[1:5]
    client = MeerkatClient(binary)
    ran = []

    @client.tool("shell", description="run a command", input_schema={"type": "object"})
    async def shell(arguments: dict) -> str:
        ran.append(arguments.get("command"))
        return "ran: " + str(arguments.get("command"))

    await client.connect(realm_backend="memory", context_root=project)
    try:
        check(client.has_capability("hooks"), "hooks capability")

        # A guardrail from hooks.toml denies the destructive call: the model
        # sees an error result and the turn goes on.
        s = await client.create_session("danger")
        check(s.text == "after denial", f"text {s.text!r}")
        check(ran == [], f"the denied call ran: {ran}")
        history = await client.read_session_history(s.id)
        results = [r for m in history.messages if m.role == "tool_results" for r in m.results]
        check(len(results) == 1 and results[0].is_error, f"results {results}")
        check("denied by hook no-rm (safety_violation)" in json.dumps(results[0].content), f"result {results[0].content}")

        # hooks_override adds a guardrail rewriting the arguments and
        # disables the configured one.
        rewrite = {"entries": [{"id": "ls-only", "point": "pre_tool_execution", "capability": "guardrail",
                                "runtime": {"type": "command", "command": "/bin/sh", "args": ["-c",
                                    "cat >/dev/null; echo '{\"decision\":\"allow\",\"rewrite\":{\"args\":{\"command\":\"ls\"}}}'"]}}],
                   "disable": ["no-rm"]}
        s = await client.create_session("rewrite", hooks_override=rewrite)
        check(s.text == "rewritten" and ran == ["ls"], f"text {s.text!r}, ran {ran}")

        # An HTTP guardrail denies the run: the SDK raises the contract's error.
        gate = {"entries": [{"id": "gate", "point": "run_started", "capability": "guardrail",
                             "runtime": {"type": "http", "url": http_url}}]}
        try:
            await client.create_session("gated", hooks_override=gate)
            raise AssertionError("the denied run succeeded")
        except MeerkatError as err:
            check(err.code == "HOOK_DENIED", f"code {err.code}: {err}")
            check(isinstance(err.details, dict) and err.details.get("reason_code") == "policy_violation"
                  and err.details.get("hook_id") == "gate", f"details {err.details}")
    finally:
        await client.close()

    # The same guardrails in front of rkat's own shell tool (enable_shell),
    # from a client without a callback tool of that name.
    client = MeerkatClient(binary)
    await client.connect(realm_backend="memory", context_root=project)
    try:
        s = await client.create_session("real danger", enable_shell=True)
        check(s.text == "after denial", f"text {s.text!r}")
        check(not os.path.exists(marker), "the denied shell command ran")
        s = await client.create_session("real rewrite", enable_shell=True, hooks_override={
            "entries": [{"id": "echo-only", "point": "pre_tool_execution", "capability": "guardrail",
                         "runtime": {"type": "command", "command": "/bin/sh", "args": ["-c",
                             "cat >/dev/null; echo '{\"decision\":\"allow\",\"rewrite\":{\"args\":{\"command\":\"echo rewritten-by-hook\"}}}'"]}}],
            "disable": ["no-rm"]})
        history = await client.read_session_history(s.id)
        results = [r for m in history.messages if m.role == "tool_results" for r in m.results]
        check(len(results) == 1 and "rewritten-by-hook" in json.dumps(results[0].content), f"results {results}")
        check(not os.path.exists(marker), "the rewritten command ran as first asked")
        print("hooks ok")
    finally:
        await client.close()


asyncio.run(main())
