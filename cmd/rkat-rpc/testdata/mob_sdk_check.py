"""Drives rkat-rpc's mob surface with the published Python SDK (carried in
interop/python/meerkat-sdk): argv = [sdk_dir, rkat-rpc binary, realm, phase].

Phase "run" creates a mob with two profiles (one a realm profile), spawns
members, spawn_many with one bad spec, lists members, reads events with the
cursor and hits the watermark error, and checks realm profile revisions;
phase "after-crash" (a new process on the same realm) lists the mob and its
members again and stops it cleanly. Every call goes through the SDK, whose
validation checks each result. Prints "ok <phase>" on success.
"""
import asyncio
import sys

sys.path.insert(0, sys.argv[1])
from meerkat import MeerkatClient  # noqa: E402
from meerkat.errors import MeerkatError  # noqa: E402

BIN, REALM, PHASE = sys.argv[2], sys.argv[3], sys.argv[4]


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


async def run():
    client = MeerkatClient(BIN)
    await client.connect(realm_id=REALM)
    try:
        expect(client.has_capability("mob"), "mob capability advertised")
        # Realm profiles with revisions.
        created = await client.create_mob_profile("reviewer", {"model": "scripted", "peer_description": "reviews"})
        expect(created["revision"] == 1 and created["name"] == "reviewer", created)
        updated = await client.update_mob_profile("reviewer", {"model": "scripted", "peer_description": "reviews twice"}, 1)
        expect(updated["revision"] == 2, updated)
        try:
            await client.update_mob_profile("reviewer", {"model": "scripted"}, 1)
            expect(False, "stale update accepted")
        except MeerkatError:
            pass
        got = await client.get_mob_profile("reviewer")
        expect(got["profile"]["peer_description"] == "reviews twice", got)
        expect(await client.get_mob_profile("nobody") is None, "missing profile")
        names = [p["name"] for p in await client.list_mob_profiles()]
        expect(names == ["reviewer"], names)
        await client.create_mob_profile("scratch", {"model": "scripted"})
        deleted = await client.delete_mob_profile("scratch", 1)
        expect(deleted == {"name": "scratch", "deleted_revision": 1}, deleted)

        mob = await client.create_mob(definition={
            "id": "team", "orchestrator": {"profile": "lead"},
            "profiles": {"lead": {"model": "scripted", "peer_description": "leads"}, "reviewer": {"realm_profile": "reviewer"}},
        })
        expect(mob.id == "team", mob.id)
        lead = await mob.spawn(profile="lead", agent_identity="lead-1", initial_message="kick off the work")
        expect(lead["agent_identity"] == "lead-1" and lead["member_ref"], lead)
        many = await mob.spawn_many([
            {"profile": "reviewer", "agent_identity": "rev-1", "runtime_mode": "turn_driven"},
            {"profile": "nope", "agent_identity": "bad-1"},
            {"profile": "reviewer", "agent_identity": "rev-2", "labels": {"k": "v"}},
        ])
        statuses = [r.status for r in many.results]
        expect(statuses == ["spawned", "failed", "spawned"], many)
        expect(many.results[1].result.cause == "profile_not_found", many.results[1])
        members = await mob.members()
        ids = sorted(m["agent_identity"] for m in members)
        expect(ids == ["lead-1", "rev-1", "rev-2"], members)
        expect(all(m.get("peer_id") for m in members), members)
        status = await mob.status()
        expect(status["status"] == "Running", status)
        mobs = await client.list_mobs()
        expect([m["mob_id"] for m in mobs] == ["team"], mobs)

        first = await mob.read_events(after_cursor=0, limit=2)
        expect(len(first["events"]) == 2 and first["events"][0]["kind"] == "mob_created", first)
        rest = await mob.read_events(after_cursor=2, limit=100)
        expect(len(rest["events"]) == 2 and rest["events"][-1]["agent_identity"] == "rev-2", rest)
        try:
            await mob.read_events(after_cursor=99, limit=10)
            expect(False, "cursor past the watermark accepted")
        except MeerkatError as err:
            expect("watermark" in str(err).lower() or "WATERMARK" in err.code or err.code == "-32027", (err.code, str(err)))

        # Kickoff: lead-1's initial message ran as its first turn.
        kicked = await mob.wait_for_kickoff_complete(timeout_ms=20000)
        lead_snap = [m for m in kicked if m["agent_identity"] == "lead-1"][0]
        expect(len(kicked) == 3 and all(m["is_final"] for m in kicked), kicked)
        expect("kick off the work" in lead_snap.get("output_preview", "") and lead_snap["tokens_used"] > 0, lead_snap)
        ready = await mob.wait_for_ready(member_ids=["rev-1"], timeout_ms=1000)
        expect([m["agent_identity"] for m in ready] == ["rev-1"], ready)

        # Helpers: a bounded task, and a fork that starts from lead-1's conversation.
        helper = await mob.spawn_helper("summarise the plan", result_label="summary", max_text_bytes=10, role_name="lead")
        bounded = helper["bounded_result"]
        expect(bounded["label"] == "summary" and bounded["status"] == "completed_truncated" and len(bounded["text"]) == 10, helper)
        expect(helper["output"].startswith("Scripted reply") and helper["turns"] >= 1, helper)
        forked = await mob.fork_helper("lead-1", "continue from there", result_label="fork", max_text_bytes=1000)
        expect(forked["bounded_result"]["status"] == "completed", forked)
        hist = await client._request("session/history", {"session_id": forked["session_id"], "offset": 0})
        expect("kick off the work" in str(hist["messages"]), hist)
    finally:
        await client.close()


async def after_crash():
    client = MeerkatClient(BIN)
    await client.connect(realm_id=REALM)
    try:
        mobs = await client.list_mobs()  # "doomed" was made by the killed process
        expect([(m["mob_id"], m["status"]) for m in mobs] == [("doomed", "Running"), ("team", "Running")], mobs)
        mob = client.mob("team")
        members = await mob.members()
        expect(sorted(m["agent_identity"] for m in members) == ["lead-1", "rev-1", "rev-2"], members)
        await mob.lifecycle("stop")
        expect((await mob.status())["status"] == "Stopped", "stopped")
        await client.mob_destroy("team")
        expect([m["mob_id"] for m in await client.list_mobs()] == ["doomed"], "destroyed mob still listed")
    finally:
        await client.close()


asyncio.run(run() if PHASE == "run" else after_crash())
print("ok", PHASE)
