"""A live conversation through the published Python SDK (meerkat-sdk 0.8)
against rkat-rpc --live-ws: the SDK's live_* calls plus the /live/ws socket
(with the websockets library). argv[1] is the reply prefix the provider
gives ("Scripted reply: " or "Echo: "). Exits non-zero on any failure."""

import asyncio
import base64
import json
import sys

import websockets
from meerkat import MeerkatClient
from meerkat.errors import MeerkatError

PREFIX = sys.argv[1]
tool_calls = []


def check(cond, what):
    if not cond:
        raise AssertionError(what)


async def until(queue, kind, seen=None):
    """Read observations until one of kind; return them, that one last."""
    seen = [] if seen is None else seen
    while True:
        obs = await asyncio.wait_for(queue.get(), 15)
        seen.append(obs)
        if obs.get("observation") == kind:
            return seen


def deltas(seen):
    return "".join(o.get("delta", "") for o in seen if o["observation"] == "assistant_text_delta")


async def main():
    client = MeerkatClient()

    @client.tool("weather", description="weather of a city", input_schema={"type": "object"})
    async def weather(arguments):
        tool_calls.append(arguments)
        return "-3C in " + arguments.get("city", "?")

    await client.connect(live_ws=True)
    try:
        plain = await client.create_session(prompt="hi", model="scripted", provider="scripted")
        try:
            await client.live_open(plain.id)
            raise AssertionError("live/open on a non-realtime model succeeded")
        except MeerkatError as e:
            check(e.code in ("INVALID_PARAMS", "-32602"), f"non-realtime live/open code {e.code}")

        session = await client.create_session(prompt="Let's talk.", model="gpt-realtime-2", provider="openai")
        sid = session.id
        opened = await client.live_open(sid, turning_mode="explicit_commit")
        ch = opened["channel_id"]
        check(opened["transport"]["transport"] == "websocket", "websocket transport")
        check(opened["capabilities"]["audio_in"] and opened["capabilities"]["barge_in_supported"], "capabilities")
        check(opened["continuity"]["mode"] == "transcript_only", f"continuity {opened['continuity']}")
        for _ in range(200):
            status = await client.live_status(ch)
            if status["status"]["status"] == "ready":
                break
            await asyncio.sleep(0.025)
        check(status["status"]["status"] == "ready", f"status {status}")

        async with websockets.connect(opened["transport"]["url"], max_size=4 << 20) as ws:
            queue = asyncio.Queue()

            async def pump():
                async for frame in ws:
                    queue.put_nowait(json.loads(frame))

            reader = asyncio.create_task(pump())

            # Text in, commit, streamed text out.
            check((await client.live_send_input_text(ch, "hello live"))["status"] == "sent", "send_input")
            check((await client.live_commit_input(ch, response_modality="text"))["status"] == "committed", "commit")
            seen = await until(queue, "turn_completed")
            check(deltas(seen) == PREFIX + "hello live", f"text reply {deltas(seen)!r}")

            # Audio in three ways (JSON-RPC, a JSON text frame, a binary
            # frame): 300 ms of PCM16 24 kHz reach the provider.
            pcm = bytes(4800)
            b64 = base64.b64encode(pcm).decode()
            await client.live_send_input_audio(ch, b64, 24000, 1)
            await ws.send(json.dumps({"kind": "audio", "data": b64, "sample_rate_hz": 24000, "channels": 1}))
            await ws.send(pcm)
            await asyncio.sleep(0.2)  # the socket frames are queued before the commit
            await client.live_commit_input(ch)
            seen = await until(queue, "turn_completed")
            transcripts = [o["text"] for o in seen if o["observation"] == "user_transcript_final"]
            check(transcripts == ["audio of 300 ms"], f"user transcript {transcripts}")
            audio = [o for o in seen if o["observation"] == "assistant_audio_chunk"]
            check(audio and audio[0]["sample_rate_hz"] == 24000 and base64.b64decode(audio[0]["data"]), "assistant audio")
            item = audio[0]["item_id"]

            # Truncate at the playback cursor.
            check((await client.live_truncate(ch, item, 0, 5))["status"] == "truncated", "truncate")
            await until(queue, "assistant_transcript_truncated")

            # Bad input keeps the channel: a malformed frame, an oversized chunk.
            await ws.send("{not json")
            rejected = (await until(queue, "command_rejected"))[-1]
            check(rejected["code"]["code"] == "config_rejected", f"rejected {rejected}")
            try:
                await client.live_send_input_audio(ch, base64.b64encode(bytes(1 << 21)).decode(), 24000, 1)
                raise AssertionError("oversized chunk accepted")
            except MeerkatError as e:
                check(e.code == "INVALID_PARAMS", f"oversized code {e.code}")
                check(e.details["reason"]["kind"] == "input_too_large", f"oversized details {e.details}")

            # A function call runs the connection's callback tool; the model
            # answers from its result.
            await client.live_send_input_text(ch, "weather in Oslo?")
            await client.live_commit_input(ch, response_modality="text")
            seen = await until(queue, "turn_completed")
            check([o["tool_name"] for o in seen if o["observation"] == "tool_call_requested"] == ["weather"], "tool call")
            check(tool_calls == [{"city": "Oslo"}], f"tool calls {tool_calls}")
            check("-3C in Oslo" in deltas(seen) or "cold" in deltas(seen), f"after tool {deltas(seen)!r}")

            # Interrupt cancels a slow response.
            await client.live_send_input_text(ch, "slow please")
            await client.live_commit_input(ch, response_modality="text")
            await until(queue, "assistant_text_delta")
            check((await client.live_interrupt(ch))["status"] == "interrupted", "interrupt")
            seen = await until(queue, "turn_completed")
            check(seen[-1]["stop_reason"] == "cancelled", f"interrupted stop {seen[-1]}")

            # Refresh applies instructions without closing.
            refreshed = await client.live_refresh(ch)
            check(getattr(refreshed, "status", None) == "queued", f"refresh {refreshed}")
            check((await client.live_status(ch))["status"]["status"] == "ready", "ready after refresh")

            closed = await client.live_close(ch)
            check(getattr(closed, "status", None) == "closed", f"close {closed}")
            check((await client.live_status(ch))["status"]["status"] == "closed", "closed status")
            reader.cancel()

        history = await client.read_session_history(sid)
        text = repr(history.messages)
        for want in ["hello live", PREFIX + "hello live", "audio of 300 ms", "-3C in Oslo", "slow please"]:
            check(want in text, f"history lacks {want!r}: {text[:2000]}")
        print("live ok", len(history.messages), "rows")
    finally:
        await client.close()


asyncio.run(main())
