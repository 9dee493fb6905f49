#!/usr/bin/env python3
"""Acceptance of rkat-rpc's schedules through the published Python SDK
meerkat-sdk 0.8 (unmodified; on PYTHONPATH), against the binary named by
MEERKAT_BIN_PATH with the scripted provider (RKAT_TEST_CLIENT=1).

Usage: schedules_sdk.py STATE_DIR. Exits 0 when every check passes.
"""
import asyncio
import datetime
import sys
import time

from meerkat import MeerkatClient
from meerkat.errors import MeerkatError
from meerkat.generated.types import CreateScheduleRequest, UpdateScheduleParams

PROMPT = "scheduled check-in"


def check(cond, what):
    if not cond:
        raise SystemExit(f"FAIL: {what}")


async def occurrences(client, schedule_id):
    # Every record passes the SDK's own validation (it raises otherwise).
    return (await client.list_schedule_occurrences(schedule_id))["occurrences"]


async def completed(client, schedule_id):
    return sum(1 for o in await occurrences(client, schedule_id) if o["phase"] == "completed")


async def wait_for(what, probe, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await probe():
            return
        await asyncio.sleep(0.2)
    raise SystemExit(f"FAIL: timed out waiting for {what}")


async def expect_error(code, coro):
    try:
        await coro
    except MeerkatError as e:
        check(e.code == code, f"error code {e.code!r}, want {code!r} ({e})")
        return
    raise SystemExit(f"FAIL: expected {code}")


async def main(state_root):
    client = MeerkatClient()
    await client.connect(isolated=True, state_root=state_root)
    try:
        check(client.has_capability("schedule"), "the schedule capability is not Available")
        session = await client.create_session("hello")
        sid = session.id if hasattr(session, "id") else session.session_id
        start = datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
        target = {"target_kind": "session", "type": "exact_session", "session_id": sid,
                  "action": {"type": "prompt", "prompt": PROMPT}}
        rec = await client.create_schedule(CreateScheduleRequest(
            trigger={"type": "interval", "start_at_utc": start, "every_seconds": 1},
            target=target, name="check-in", labels={"suite": "sdk"},
            misfire_policy={"type": "catch_up_within", "window_seconds": 5}))
        sched = rec["schedule_id"]
        check(rec["revision"] == 1 and rec["phase"] == "active", f"created {rec}")
        check(rec["planning_horizon_days"] == 30 and rec["planning_horizon_occurrences"] == 64, f"horizons {rec}")
        check(rec["overlap_policy"] == "skip_if_running" and rec["missing_target_policy"] == "mark_misfired", f"defaults {rec}")

        async def two_done():
            return await completed(client, sched) >= 2
        await wait_for("two completed occurrences", two_done)
        history = await client.read_session_history(sid)
        scheduled = [m for m in history.messages if m.role == "user" and m.content == PROMPT]
        check(len(scheduled) >= 2, f"history holds {len(scheduled)} scheduled prompts")

        paused = await client.pause_schedule(sched)
        check(paused["phase"] == "paused" and paused["revision"] == 1, f"paused {paused}")
        await asyncio.sleep(1.5)  # let an in-flight delivery finish
        settled = await completed(client, sched)
        await asyncio.sleep(2.5)
        check(await completed(client, sched) == settled, "occurrences completed while paused")
        active = [o for o in await occurrences(client, sched) if o["phase"] in ("claimed", "dispatching")]
        check(not active, f"occurrences in flight while paused: {active}")

        resumed = await client.resume_schedule(sched)
        check(resumed["phase"] == "active" and resumed["revision"] == 1, f"resumed {resumed}")

        async def more():
            return await completed(client, sched) > settled
        await wait_for("an occurrence after resume", more)

        await expect_error("INVALID_PARAMS", client.update_schedule(
            UpdateScheduleParams(schedule_id=sched, expected_revision=41, name="stale")))
        updated = await client.update_schedule(UpdateScheduleParams(schedule_id=sched, expected_revision=1, name="renamed"))
        check(updated["revision"] == 2 and updated["name"] == "renamed", f"updated {updated}")
        check((await client.get_schedule(sched))["revision"] == 2, "get after update")
        listed = (await client.list_schedules(labels={"suite": "sdk"}))["schedules"]
        check([s["schedule_id"] for s in listed] == [sched], f"list by label {listed}")

        tools = (await client.list_schedule_tools())["tools"]
        check("meerkat_schedule_get" in [t["name"] for t in tools], f"tools {tools}")
        got = await client.call_schedule_tool({"name": "meerkat_schedule_get", "arguments": {"schedule_id": sched}})
        check(got["schedule_id"] == sched, f"schedule/call {got}")

        deleted = await client.delete_schedule(sched)
        check(deleted["phase"] == "deleted" and deleted["revision"] == 3 and "deleted_at_utc" in deleted, f"deleted {deleted}")
        check((await client.list_schedules(labels={"suite": "sdk"}))["schedules"] == [], "deleted schedule still listed")
        await asyncio.sleep(0.5)
        final = await completed(client, sched)
        await asyncio.sleep(2.0)
        check(await completed(client, sched) == final, "occurrences completed after delete")
        phases = {o["phase"] for o in await occurrences(client, sched)}
        check("pending" not in phases and "superseded" in phases, f"occurrence phases after delete: {phases}")
        live = (await client.list_schedule_occurrences(sched, include_terminal=False))["occurrences"]
        check(live == [], f"include_terminal=False after delete lists {live}")

        await expect_error("SCHEDULE_NOT_FOUND", client.get_schedule("0196f3a2-5c1e-7d00-8a10-2b9c4e6f0a11"))
        await expect_error("INVALID_PARAMS", client.create_schedule(CreateScheduleRequest(
            trigger={"type": "interval", "start_at_utc": start, "every_seconds": 0}, target=target)))
        print(f"ok: {final} occurrences completed; history holds {len(scheduled)}+ scheduled prompts")
    finally:
        await client.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
