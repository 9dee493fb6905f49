// Interop script: drives the published @metered-ca/realtime SDK (Node 20,
// `ws` as the WebSocket factory) against an rkat realtime server.
//
// Environment: RKAT_URL (ws://127.0.0.1:PORT), RKAT_HTTP (http://127.0.0.1:PORT),
// RKAT_KEY (publishable key), RKAT_SECRET (REST secret key, used as the JWT
// mint endpoint for the token client).
//
// Output: the check lines of harness.mjs. Events: "restart" asks the driver
// to restart the server, "suspend" to suspend the clients' app (a config
// reload); the driver answers each with a line on stdin once done.
import { SignallingClient, OversizedPayloadError } from "@metered-ca/realtime";
import { env, check, factory, Inbox, request, run } from "./harness.mjs";

const URL_BASE = env("RKAT_URL");
const HTTP_BASE = env("RKAT_HTTP");
const KEY = env("RKAT_KEY");
const SECRET = env("RKAT_SECRET");
const CHANNEL = "room/interop";

const mintAlice = async () => {
  const r = await fetch(`${HTTP_BASE}/v1/tokens`, {
    method: "POST",
    headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      sub: "alice",
      channels: ["room/**"],
      permissions: ["subscribe", "publish", "presence", "send"],
      peerMetadata: { name: "Alice" },
      ttlSeconds: 600,
    }),
  });
  if (!r.ok) throw new Error(`mint failed: ${r.status}`);
  return (await r.json()).token;
};

const rejection = async (promise) => {
  try {
    await promise;
    return null;
  } catch (err) {
    return err;
  }
};

const mk = (opts) =>
  new SignallingClient({ url: URL_BASE, webSocketFactory: factory, reconnect: { maxAttempts: 40 }, ...opts });

async function main() {
  const alice = mk({ tokenProvider: mintAlice });
  const bob = mk({ apiKey: KEY });
  const inbox = {};
  for (const [name, c] of [["alice", alice], ["bob", bob]]) {
    inbox[name] = {};
    for (const ev of ["connected", "disconnected", "presence", "message", "direct", "going-away", "server-error"]) {
      inbox[name][ev] = new Inbox(c, ev);
    }
  }

  // 1. Connect.
  await alice.connect();
  await bob.connect();
  const aliceHello = await inbox.alice.connected.wait(() => true);
  const bobHello = await inbox.bob.connected.wait(() => true);
  check("connect", aliceHello?.peerId === "alice" && typeof bobHello?.peerId === "string", {
    alice: aliceHello?.peerId,
    bob: bobHello?.peerId,
  });
  const bobId = bobHello.peerId;

  // 2. Subscribe and presence joined.
  await alice.subscribe(CHANNEL);
  const emptySnapshot = await inbox.alice.presence.wait((p) => p.channel === CHANNEL);
  check("snapshot-empty", emptySnapshot && emptySnapshot.joined.length === 0, emptySnapshot);
  await bob.subscribe(CHANNEL, { includeSenderMetadata: true });
  const joined = await inbox.alice.presence.wait((p) => p.joined.some((e) => e.peerId === bobId));
  check("presence-joined", joined !== null, joined);
  const bobSnap = await inbox.bob.presence.wait((p) => p.joined.some((e) => e.peerId === "alice"));
  check("presence-snapshot", bobSnap?.joined[0]?.metadata?.name === "Alice", bobSnap);

  // 3. Publish with the right from (and opted-in fromMetadata).
  await alice.publish(CHANNEL, { text: "hi" });
  const msg = await inbox.bob.message.wait((m) => m.data?.text === "hi");
  check("publish-receive", msg?.from === "alice" && msg?.channel === CHANNEL && msg?.fromMetadata?.name === "Alice", msg);
  await bob.publish(CHANNEL, { text: "yo" });
  const back = await inbox.alice.message.wait((m) => m.data?.text === "yo");
  check("publish-from-pk", back?.from === bobId && back?.fromMetadata === undefined, back);
  check("no-self-delivery", !inbox.alice.message.items.some((m) => m.data?.text === "hi"), null);

  // 4. Directs.
  await bob.send("alice", { hello: 1 });
  const d1 = await inbox.alice.direct.wait((d) => d.data?.hello === 1);
  check("direct-pk-to-jwt", d1?.from === bobId, d1);
  await alice.send(bobId, { hello: 2 });
  const d2 = await inbox.bob.direct.wait((d) => d.data?.hello === 2);
  check("direct-jwt-to-pk", d2?.from === "alice" && d2?.fromMetadata?.name === "Alice", d2);

  // 5. Documented errors.
  const reserved = await rejection(alice.subscribe("_metered/secret"));
  check("error-channel-reserved", reserved?.name === "channel_reserved", reserved?.name);
  const unauthorized = await rejection(bob.subscribe("forbidden/x"));
  check("error-channel-not-authorized", unauthorized?.name === "channel_not_authorized", unauthorized?.name);
  const oversize = await rejection(alice.publish(CHANNEL, { blob: "x".repeat(70000) }));
  check("error-oversize-payload", oversize instanceof OversizedPayloadError, oversize?.name);
  const unknownPeer = await rejection(alice.send("nobody-here", { x: 1 }));
  check("error-peer-not-found", unknownPeer?.name === "peer_not_found", unknownPeer?.name);
  const stillUp = await rejection(alice.publish(CHANNEL, { text: "after-errors" }));
  check("connection-survives-errors", stillUp === null && alice.state === "connected", alice.state);

  // 6. Presence left.
  const leftMark = inbox.alice.presence.mark();
  await bob.unsubscribe(CHANNEL);
  const left = await inbox.alice.presence.wait((p) => p.left.some((e) => e.peerId === bobId), leftMark);
  check("presence-left", left !== null, left);
  await bob.subscribe(CHANNEL, { includeSenderMetadata: true });

  // 7. Server restart: reconnect and resubscribe.
  const marks = {
    aliceConnected: inbox.alice.connected.mark(),
    bobConnected: inbox.bob.connected.mark(),
    alicePresence: inbox.alice.presence.mark(),
    bobMessage: inbox.bob.message.mark(),
  };
  await request("restart");
  const goingAway = await inbox.bob["going-away"].wait(() => true);
  check("going-away", goingAway?.retryAfterMs > 0, goingAway);
  const dropped = await inbox.bob.disconnected.wait(() => true);
  check("disconnect-1001", dropped?.code === 1001 && dropped?.willReconnect === true, dropped);
  const aliceBack = await inbox.alice.connected.wait((c) => c.isReconnect, marks.aliceConnected);
  const bobBack = await inbox.bob.connected.wait((c) => c.isReconnect, marks.bobConnected);
  check("reconnect", aliceBack?.peerId === "alice" && typeof bobBack?.peerId === "string", { alice: aliceBack, bob: bobBack });
  const newBob = bobBack?.peerId;
  const seen = await inbox.alice.presence.wait((p) => p.joined.some((e) => e.peerId === newBob), marks.alicePresence);
  check("resubscribe-presence", seen !== null && newBob !== bobId, { newBob, seen });
  let delivered = null;
  for (let i = 0; i < 10 && delivered === null; i++) {
    await alice.publish(CHANNEL, { text: "after-restart", i });
    delivered = await Promise.race([
      inbox.bob.message.wait((m) => m.data?.text === "after-restart", marks.bobMessage),
      new Promise((r) => setTimeout(() => r(null), 500)),
    ]);
  }
  check("resubscribe-delivery", delivered?.from === "alice", delivered);

  // 8. The app is suspended mid-session: account_suspended, then close 4012,
  // which the SDK treats as terminal (no reconnect).
  const beforeSuspend = { alice: inbox.alice.connected.mark(), bob: inbox.bob.connected.mark() };
  const dropMarks = { alice: inbox.alice.disconnected.mark(), bob: inbox.bob.disconnected.mark() };
  await request("suspend");
  for (const name of ["alice", "bob"]) {
    const err = await inbox[name]["server-error"].wait((e) => e.code === "account_suspended");
    const closed = await inbox[name].disconnected.wait((d) => d.code === 4012, dropMarks[name]);
    check(`suspended-${name}`, err !== null && closed?.willReconnect === false, { err, closed });
  }
  await new Promise((r) => setTimeout(r, 1500));
  check(
    "suspended-no-reconnect",
    alice.state === "closed" && bob.state === "closed" &&
      inbox.alice.connected.mark() === beforeSuspend.alice && inbox.bob.connected.mark() === beforeSuspend.bob,
    { alice: alice.state, bob: bob.state },
  );
}

run(main, 90000);
