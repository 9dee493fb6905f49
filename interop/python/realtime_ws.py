#!/usr/bin/env python3
"""Interop script: drives an rkat realtime server from Python through the
`websockets` library (asyncio API, as in 10.4), the transport the published
`metered-realtime` Python SDK is built on. This is NOT the SDK (it is not
installable here): the script speaks the wire protocol itself and asserts the
frames and close codes the SDK's SignallingClient / MeteredPeer rely on.

Environment:
  RKAT_URL          ws://127.0.0.1:PORT
  RKAT_HTTP         http://127.0.0.1:PORT
  RKAT_KEY          publishable key (subscribe, publish, presence, send on room/**)
  RKAT_SECRET       REST secret key (POST /v1/tokens, DELETE /v1/peers/{id})
  RKAT_FRAME_SLACK  bytes the server allows over maxMessageSize per frame

Output: one JSON object per stdout line:
  {"check": NAME, "ok": BOOL, "detail": ...}   one per assertion
  {"done": true, "failures": N}                last line
Exit status 0 only when every check passed. Stdlib + websockets only.
"""

import asyncio
import itertools
import json
import math
import os
import re
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

import websockets
from websockets.exceptions import ConnectionClosed

STEP = 3.0  # seconds any single wait may take before its check fails
SCRIPT_LIMIT = 45.0  # whole-script watchdog
CHANNEL = "room/py-interop"


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        print(f"missing {name}", file=sys.stderr)
        sys.exit(2)
    return value


URL_BASE = env("RKAT_URL")
HTTP_BASE = env("RKAT_HTTP")
KEY = env("RKAT_KEY")
SECRET = env("RKAT_SECRET")
FRAME_SLACK = int(env("RKAT_FRAME_SLACK"))

failures = 0


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def check(name: str, ok: bool, detail=None) -> None:
    global failures
    if not ok:
        failures += 1
    emit({"check": name, "ok": bool(ok), "detail": detail})


def rest(method: str, path: str, body: dict | None = None) -> tuple[int, dict | None]:
    """Calls the REST API with the secret key; returns (status, JSON body)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(HTTP_BASE + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + SECRET)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=STEP) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        raw = err.read()
        return err.code, json.loads(raw) if raw else None


async def mint(sub: str, peer_metadata: dict) -> tuple[str, int]:
    """Mints a JWT via POST /v1/tokens; returns (token, expiresAt)."""
    status, body = await asyncio.to_thread(rest, "POST", "/v1/tokens", {
        "sub": sub,
        "channels": ["room/**"],
        "permissions": ["subscribe", "publish", "presence", "send"],
        "peerMetadata": peer_metadata,
        "ttlSeconds": 600,
    })
    if status != 200 or not body or "token" not in body:
        raise RuntimeError(f"mint {sub}: HTTP {status} {body}")
    return body["token"], body["expiresAt"]


class Peer:
    """One websockets connection plus a reader task that records every
    inbound frame in order and the ConnectionClosed that ended it."""

    _ids = itertools.count(1)

    def __init__(self, name: str, ws) -> None:
        self.name = name
        self.ws = ws
        self.frames: list[dict] = []
        self.closed: ConnectionClosed | None = None
        self._cond = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, name: str, query: str, **kwargs) -> "Peer":
        ws = await websockets.connect(f"{URL_BASE}/v1?{query}", open_timeout=STEP, **kwargs)
        return cls(name, ws)

    async def _read(self) -> None:
        try:
            while True:
                raw = await self.ws.recv()
                try:
                    frame = json.loads(raw)
                except (TypeError, ValueError):
                    frame = {"type": "<unparsable>", "raw": repr(raw)[:200]}
                async with self._cond:
                    self.frames.append(frame)
                    self._cond.notify_all()
        except ConnectionClosed as exc:
            async with self._cond:
                self.closed = exc
                self._cond.notify_all()

    def mark(self) -> int:
        return len(self.frames)

    async def wait(self, pred, start: int = 0) -> tuple[int, dict] | None:
        """Returns (index, frame) of the first frame at or after start that
        matches pred, or None on timeout or when the connection closed."""

        async def scan():
            async with self._cond:
                i = start
                while True:
                    for j in range(i, len(self.frames)):
                        if pred(self.frames[j]):
                            return j, self.frames[j]
                    i = len(self.frames)
                    if self.closed is not None:
                        return None
                    await self._cond.wait()

        try:
            return await asyncio.wait_for(scan(), STEP)
        except asyncio.TimeoutError:
            return None

    async def wait_type(self, typ: str, start: int = 0, **fields) -> dict | None:
        hit = await self.wait(
            lambda f: f.get("type") == typ and all(f.get(k) == v for k, v in fields.items()), start)
        return None if hit is None else hit[1]

    async def wait_closed(self) -> ConnectionClosed | None:
        async def closed():
            async with self._cond:
                await self._cond.wait_for(lambda: self.closed is not None)
            return self.closed

        try:
            return await asyncio.wait_for(closed(), STEP)
        except asyncio.TimeoutError:
            return None

    async def send(self, frame: dict) -> None:
        await self.ws.send(json.dumps(frame))

    async def request(self, frame: dict) -> tuple[int, dict] | None:
        """Sends frame with a fresh requestId and waits for its ack or error."""
        rid = f"py-{self.name}-{next(self._ids)}"
        start = self.mark()
        await self.send({**frame, "requestId": rid})
        return await self.wait(
            lambda f: f.get("requestId") == rid and f.get("type") in ("ack", "error"), start)

    async def acked(self, frame: dict) -> bool:
        hit = await self.request(frame)
        return hit is not None and hit[1]["type"] == "ack"

    async def app_ping(self) -> bool:
        start = self.mark()
        await self.send({"type": "ping"})
        return await self.wait_type("pong", start) is not None

    async def shutdown(self) -> None:
        try:
            await asyncio.wait_for(self.ws.close(), STEP)
        except (asyncio.TimeoutError, OSError):
            pass
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)


def close_detail(exc: ConnectionClosed | None) -> dict | None:
    if exc is None:
        return None
    return {"rcvd": None if exc.rcvd is None else {"code": exc.rcvd.code, "reason": exc.rcvd.reason},
            "code": exc.code, "error": str(exc)}


def rcvd_code(exc: ConnectionClosed | None) -> int | None:
    return None if exc is None or exc.rcvd is None else exc.rcvd.code


def is_seconds_now(value) -> bool:
    """A finite number within five minutes of now, read as Unix seconds."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and abs(value - time.time()) < 300)


def welcome_ok(w: dict | None) -> bool:
    return (w is not None and isinstance(w.get("peerId"), str) and w["peerId"] != ""
            and is_seconds_now(w.get("serverTime"))
            and isinstance(w.get("maxMessageSize"), int) and w["maxMessageSize"] > 0)


def ice_server_ok(server) -> bool:
    """The shape the SDKs accept for one metadata.iceServers entry."""
    urls = server.get("urls") if isinstance(server, dict) else None
    urls = [urls] if isinstance(urls, str) else urls
    return (isinstance(urls, list) and len(urls) > 0
            and all(isinstance(u, str) and re.match(r"(?i)^(stun|stuns|turn|turns):", u) for u in urls))


def entry_ids(entries) -> list:
    return [e.get("peerId") for e in entries] if isinstance(entries, list) else []


def presence_for(channel: str):
    return lambda f: f.get("type") == "presence" and f.get("channel") == channel


async def main(peers: list) -> None:
    async def open_peer(name: str, query: str, **kwargs) -> Peer:
        peer = await Peer.open(name, query, **kwargs)
        peers.append(peer)
        return peer

    key_query = "key=" + urllib.parse.quote(KEY, safe="")

    # 1. Welcome with a publishable key, and with a REST-minted JWT.
    bob = await open_peer("bob", key_query)
    carol = await open_peer("carol", key_query)
    wb = await bob.wait_type("welcome")
    wc = await carol.wait_type("welcome")
    check("welcome-key", welcome_ok(wb) and bob.frames.index(wb) == 0
          and "expiresAt" in wb and wb["expiresAt"] is None, wb)
    ice = (wb or {}).get("metadata", {}).get("iceServers")
    check("welcome-key-ice-servers", isinstance(ice, list) and len(ice) > 0 and all(ice_server_ok(s) for s in ice), ice)
    check("welcome-key-fresh-peer-id", welcome_ok(wc) and welcome_ok(wb) and wc["peerId"] != wb["peerId"],
          [None if w is None else w.get("peerId") for w in (wb, wc)])
    token, exp = await mint("py-alice", {"name": "Alice"})
    token_query = "token=" + urllib.parse.quote(token, safe="")
    alice = await open_peer("alice", token_query)
    wa = await alice.wait_type("welcome")
    check("welcome-token", welcome_ok(wa) and wa["peerId"] == "py-alice" and wa.get("expiresAt") == exp,
          {"welcome": wa, "mintedExpiresAt": exp})
    if not (wa and wb and wc):
        raise RuntimeError("cannot continue without welcomes")
    bob_id, carol_id, max_size = wb["peerId"], wc["peerId"], wb["maxMessageSize"]

    # 2. Subscribe: ack, then the snapshot; presence joined for existing members.
    start = alice.mark()
    hit = await alice.request({"type": "subscribe", "channel": CHANNEL})
    check("subscribe-ack", hit is not None and hit[1]["type"] == "ack", hit and hit[1])
    ack_at = hit[0] if hit else start
    snap = await alice.wait(presence_for(CHANNEL), start)
    check("snapshot-empty", snap is not None and snap[0] > ack_at and snap[1]["joined"] == []
          and snap[1]["left"] == [], {"ackIndex": ack_at, "snapshot": snap})
    alice_mark = alice.mark()
    start = bob.mark()
    hit = await bob.request({"type": "subscribe", "channel": CHANNEL, "includeSenderMetadata": True})
    joined = await alice.wait(lambda f: presence_for(CHANNEL)(f) and bob_id in entry_ids(f.get("joined")), alice_mark)
    check("presence-joined", joined is not None and joined[1]["left"] == []
          and joined[1]["joined"] == [{"peerId": bob_id}], joined and joined[1])
    snap = await bob.wait(presence_for(CHANNEL), start)
    check("presence-snapshot", hit is not None and hit[1]["type"] == "ack" and snap is not None
          and snap[0] > hit[0] and snap[1]["left"] == []
          and snap[1]["joined"] == [{"peerId": "py-alice", "metadata": {"name": "Alice"}}],
          {"ack": hit and hit[1], "snapshot": snap and snap[1]})

    # 3. Publish: right `from`, opt-in fromMetadata, no self-delivery.
    acked = await alice.acked({"type": "publish", "channel": CHANNEL, "data": {"text": "hi", "n": 1}})
    msg = await bob.wait_type("message", data={"text": "hi", "n": 1})
    check("publish-receive", acked and msg is not None and msg.get("from") == "py-alice"
          and msg.get("channel") == CHANNEL and msg.get("fromMetadata") == {"name": "Alice"}, msg)
    acked = await bob.acked({"type": "publish", "channel": CHANNEL, "data": {"text": "yo"}})
    back = await alice.wait_type("message", data={"text": "yo"})
    check("publish-from-pk", acked and back is not None and back.get("from") == bob_id
          and "fromMetadata" not in back, back)
    # Frames to one connection leave in production order, so a self-delivery
    # of "hi" would have arrived before "yo".
    self_hits = [f for f in alice.frames if f.get("type") == "message" and f.get("data") == {"text": "hi", "n": 1}]
    check("no-self-delivery", back is not None and not self_hits, self_hits)
    stray = [f for f in carol.frames if f.get("type") == "message"]
    check("no-delivery-to-non-subscriber", not stray, stray)

    # 4. Directs (send), with fromMetadata from the JWT peer.
    acked = await bob.acked({"type": "send", "to": "py-alice", "data": {"hello": 1}})
    d1 = await alice.wait_type("direct", data={"hello": 1})
    check("direct-pk-to-jwt", acked and d1 is not None and d1.get("from") == bob_id and "fromMetadata" not in d1, d1)
    acked = await alice.acked({"type": "send", "to": bob_id, "data": {"hello": 2}})
    d2 = await bob.wait_type("direct", data={"hello": 2})
    check("direct-jwt-to-pk", acked and d2 is not None and d2.get("from") == "py-alice"
          and d2.get("fromMetadata") == {"name": "Alice"}, d2)

    # 5. Documented error frames, correlated by requestId; the socket stays up.
    for name, peer, frame, code in (
        ("error-channel-reserved", alice, {"type": "subscribe", "channel": "_metered/x"}, "channel_reserved"),
        ("error-channel-not-authorized", bob, {"type": "subscribe", "channel": "forbidden/x"}, "channel_not_authorized"),
        ("error-peer-not-found", alice, {"type": "send", "to": "nobody-here", "data": {"x": 1}}, "peer_not_found"),
        ("error-missing-data", bob, {"type": "publish", "channel": CHANNEL}, "missing_data"),
    ):
        hit = await peer.request(frame)
        check(name, hit is not None and hit[1]["type"] == "error" and hit[1].get("code") == code,
              hit and hit[1])
    alive = [await alice.app_ping(), await bob.app_ping()]
    check("connection-survives-errors", all(alive) and alice.closed is None and bob.closed is None, alive)

    # 6. Unsubscribe: ack, presence left at the remaining member.
    alice_mark = alice.mark()
    acked = await bob.acked({"type": "unsubscribe", "channel": CHANNEL})
    left = await alice.wait(lambda f: presence_for(CHANNEL)(f) and bob_id in entry_ids(f.get("left")), alice_mark)
    check("presence-left", acked and left is not None and left[1]["joined"] == []
          and entry_ids(left[1]["left"]) == [bob_id], left and left[1])

    # 7. The library's own keepalive: short protocol-ping interval, idle.
    ka = await open_peer("keepalive", key_query, ping_interval=0.2, ping_timeout=1.0)
    welcomed = await ka.wait_type("welcome") is not None
    await asyncio.sleep(1.6)  # eight ping intervals; a missing pong fails the socket after 1.2 s
    latency = ka.ws.latency  # set when a keepalive pong arrives
    still_open = ka.closed is None and ka.ws.open
    check("keepalive-idle", welcomed and still_open and latency > 0 and await ka.app_ping(),
          {"open": still_open, "latency": latency, "closed": close_detail(ka.closed)})
    try:
        pong = await ka.ws.ping(b"rkat-interop")
        await asyncio.wait_for(pong, STEP)
        check("protocol-ping-pong", True, None)
    except (asyncio.TimeoutError, ConnectionClosed) as exc:
        check("protocol-ping-pong", False, repr(exc))

    # 8. Close codes as the library surfaces them.
    status, body = await asyncio.to_thread(rest, "DELETE", "/v1/peers/" + urllib.parse.quote(carol_id, safe=""))
    exc = await carol.wait_closed()
    check("close-admin-4020", status == 204 and rcvd_code(exc) == 4020 and exc.code == 4020,
          {"status": status, "body": body, "close": close_detail(exc)})

    alice2 = await open_peer("alice2", token_query)
    w2 = await alice2.wait_type("welcome")
    exc = await alice.wait_closed()
    check("close-duplicate-4020", rcvd_code(exc) == 4020 and w2 is not None and w2.get("peerId") == "py-alice"
          and await alice2.app_ping(), {"welcome": w2, "close": close_detail(exc)})

    try:
        bad = await open_peer("bad", "token=not.a.jwt")
        exc = await bad.wait_closed()
        check("close-invalid-token-4001", rcvd_code(exc) == 4001 and bad.frames == [],
              {"frames": bad.frames, "close": close_detail(exc)})
    except (websockets.InvalidHandshake, OSError) as err:
        check("close-invalid-token-4001", False, "upgrade refused: " + repr(err))

    # A payload of exactly maxMessageSize bytes (what the SDK's pre-check lets
    # through) fits in the frame limit; a frame over limit + slack gets 1009.
    big = "x" * (max_size - 2)  # JSON string: two quotes + body = max_size bytes
    acked = await alice2.acked({"type": "publish", "channel": CHANNEL, "data": big})
    check("max-size-payload-accepted", acked and alice2.closed is None, {"dataBytes": max_size})
    frame = json.dumps({"type": "publish", "channel": CHANNEL, "data": "y" * (max_size + FRAME_SLACK)})
    await bob.ws.send(frame)
    exc = await bob.wait_closed()
    check("close-oversize-1009", rcvd_code(exc) == 1009,
          {"frameBytes": len(frame), "limit": max_size + FRAME_SLACK, "close": close_detail(exc)})


async def run() -> None:
    peers: list[Peer] = []
    try:
        await asyncio.wait_for(main(peers), SCRIPT_LIMIT)
    except asyncio.TimeoutError:
        check("script-timeout", False, f"script did not finish in {SCRIPT_LIMIT}s")
    except Exception:  # any crash is a failed run, reported as a check
        check("script-error", False, traceback.format_exc())
    finally:
        await asyncio.gather(*(p.shutdown() for p in peers))


if __name__ == "__main__":
    asyncio.run(run())
    emit({"done": True, "failures": failures})
    sys.exit(0 if failures == 0 else 1)
