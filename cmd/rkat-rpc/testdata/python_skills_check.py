"""Drives rkat-rpc's skills through the published Python SDK (meerkat-sdk).

usage: python_skills_check.py BINARY PROJECT_ROOT USER_ROOT MODE
MODE "echo": the turns reach a fake Anthropic API that echoes the system
prompt and user text back, so a reply containing a skill's body proves the
request carried it. MODE "scripted": the scripted provider makes the model
call load_skill and skill_read_resource.
"""

import asyncio
import json
import sys

from meerkat import MeerkatClient, MeerkatError, SkillKey


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


async def echo(client):
    skills = await client.list_skills()  # the SDK validates every entry
    by = {(s.name, s.scope): s for s in skills}
    # broken/SKILL.md is malformed: skipped, the rest still listed.
    check(set(by) == {("common", "project"), ("shell", "project"), ("common", "user"), ("mine", "user"),
                      ("shell", "builtin"), ("tasks", "builtin"), ("skill-authoring", "builtin")},
          f"skills: {sorted(by)}")
    check(len(skills) == len(by), "one entry per skill and source")
    project = by[("common", "project")].source.source_uuid
    for name, scope in (("common", "user"), ("shell", "builtin")):
        e = by[(name, scope)]
        check(not e.is_active, f"{scope} {name} is shadowed")
        check(e.shadowed_by.source_uuid == project, "shadowed_by names the project source")
    for name, scope in (("common", "project"), ("shell", "project"), ("mine", "user"), ("tasks", "builtin")):
        e = by[(name, scope)]
        check(e.is_active and e.shadowed_by is None, f"{scope} {name} is active")
        check(e.key.skill_name == name and e.key.source_uuid == e.source.source_uuid, "key names its source")
        check(e.source.fingerprint.startswith("sha256:"), "fingerprint")
    check(by[("shell", "builtin")].source.transport_kind == "embedded", "builtin transport")
    check(by[("mine", "user")].source.transport_kind == "filesystem", "user transport")
    mine = SkillKey(source_uuid=by[("mine", "user")].key.source_uuid, skill_name="mine")

    session = await client.create_session("hello")
    check("Mine body." not in session.text, "no skill before it is invoked")
    res = await session.invoke_skill(mine, "run the skill")
    check("Mine body." in res.text, f"invoke_skill reply lacks the skill: {res.text!r}")
    # A streamed turn with skill_refs reports the resolved skills as a typed
    # skills_resolved event right after run_started.
    async with session.stream("streamed", skill_refs=[mine]) as events:
        seen = [e async for e in events]
    names = [type(e).__name__ for e in seen]
    resolved = [e for e in seen if type(e).__name__ == "SkillsResolved"]
    check(names[:2] == ["RunStarted", "SkillsResolved"], f"events {names}")
    check(len(resolved) == 1 and resolved[0].skills == [mine] and resolved[0].injection_bytes > 0,
          f"skills_resolved {resolved}")
    check("Mine body." in events.result.text, "streamed turn has the skill")
    res = await session.turn("plain turn")
    check("Mine body." not in res.text, "skill_refs apply to their turn only")

    try:
        await session.invoke_skill(SkillKey(source_uuid=mine.source_uuid, skill_name="nope"), "x")
        raise AssertionError("unknown skill accepted")
    except MeerkatError as err:
        check(err.code == "SKILL_NOT_FOUND", f"unknown skill code {err.code}")

    common = SkillKey(source_uuid=by[("common", "user")].key.source_uuid, skill_name="common")
    pre = await client.create_session("first", preload_skills=[common])
    check("User body." in pre.text, "preloaded (shadowed, addressed by key) skill on turn 1")
    res = await pre.turn("second")
    check("User body." in res.text, "preloaded skill stays on later turns")
    print("echo ok")


async def scripted(client):
    session = await client.create_session("use skills")
    check(session.text == "skill used", f"final text {session.text!r}")
    history = await client.read_session_history(session.id)
    results = [r for m in history.messages if m.role == "tool_results" for r in m.results]
    texts = [json.dumps(r.content) for r in results]
    check(len(results) == 2 and not any(r.is_error for r in results), f"tool results {texts}")
    check("Mine body." in texts[0], f"load_skill result {texts[0]}")
    check("note text" in texts[1], f"skill_read_resource result {texts[1]}")
    print("scripted ok")


async def main():
    binary, project, user, mode = sys.argv[1:5]
    client = MeerkatClient(binary)
    await client.connect(realm_backend="memory", context_root=project, user_config_root=user)
    try:
        await (echo(client) if mode == "echo" else scripted(client))
    finally:
        await client.close()


asyncio.run(main())
