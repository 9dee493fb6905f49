// Interop script: people using the published @metered-ca/realtime SDK
// (Node 20, SignallingClient: Node has no RTCPeerConnection for MeteredPeer)
// chat with an agent started by `rkat agent join --provider scripted`
// (docs/agent-peer-protocol.md).
//
// Environment: RKAT_URL, RKAT_HTTP, RKAT_KEY (publishable key), RKAT_SECRET
// (secret key, to mint the people's tokens), AGENT_ID (the agent's peer id),
// AGENT_CHANNEL.
//
// Output: the check lines of harness.mjs. Events: "restart-agent" asks the
// driver to restart the agent process, "restart-server" to restart the
// realtime server; the driver answers each with a line on stdin once done.
import { SignallingClient } from "@metered-ca/realtime";
import { env, check, factory, Inbox, request, run } from "./harness.mjs";

const URL_BASE = env("RKAT_URL");
const HTTP_BASE = env("RKAT_HTTP");
const KEY = env("RKAT_KEY");
const SECRET = env("RKAT_SECRET");
const AGENT = env("AGENT_ID");
const CHANNEL = env("AGENT_CHANNEL");
const STEP_MS = 10000;

const mint = (sub, name) => async () => {
  const r = await fetch(`${HTTP_BASE}/v1/tokens`, {
    method: "POST",
    headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      sub,
      channels: [CHANNEL],
      permissions: ["subscribe", "publish", "presence", "send"],
      peerMetadata: { name },
      ttlSeconds: 600,
    }),
  });
  if (!r.ok) throw new Error(`mint failed: ${r.status}`);
  return (await r.json()).token;
};

// A person: a client, its inboxes, and a log of everything the agent sent it
// (both kinds) in arrival order across all people, for ordering checks.
let seq = 0;
const person = (opts) => {
  const c = new SignallingClient({ url: URL_BASE, webSocketFactory: factory, reconnect: { maxAttempts: 40 }, ...opts });
  const p = { c, in: {} };
  for (const ev of ["connected", "presence", "message", "direct"]) p.in[ev] = new Inbox(c, ev, STEP_MS);
  p.log = { items: [], mark() { return this.items.length; } };
  const stamp = (kind) => (m) => {
    if (m.from === AGENT && typeof m.data === "object" && m.data !== null && !String(m.data.type).startsWith("rtc-")) {
      p.log.items.push({ kind, seq: ++seq, ...m.data });
    }
  };
  c.on("message", stamp("broadcast"));
  c.on("direct", stamp("direct"));
  p.id = () => p.in.connected.items.at(-1)?.peerId; // SignallingClient has no peerId getter
  return p;
};

// turnEnd waits for the end (chat or chat.error) of a turn answering p,
// received after mark, and returns it with the turn's deltas and tool
// messages as p saw them.
const turnEnd = async (p, mark, pred = () => true) => {
  const end = await waitLog(p, (m) => (m.type === "chat" || m.type === "chat.error") && m.in_reply_to === p.id() && pred(m), mark);
  if (!end) return null;
  const same = p.log.items.filter((m) => m.turn === end.turn);
  return {
    end,
    deltas: same.filter((m) => m.type === "chat.delta"),
    tools: same.filter((m) => m.type === "chat.tool"),
  };
};

// waitLog waits for a matching agent message received after mark (the log
// is filled by the SDK's event handlers; polling keeps this short).
const waitLog = (p, pred, mark = 0) =>
  new Promise((resolve) => {
    const deadline = Date.now() + STEP_MS;
    const poll = () => {
      const hit = p.log.items.slice(mark).find(pred);
      if (hit) return resolve(hit);
      if (Date.now() > deadline) return resolve(null);
      setTimeout(poll, 10);
    };
    poll();
  });

// answered checks a complete answer: deltas before the end, of the answer's
// kind, adding up to its text.
const answered = (name, a, want) => {
  const joined = a?.deltas.map((d) => d.delta).join("");
  const ok =
    a?.end.type === "chat" && a.deltas.length > 0 && joined === a.end.text && a.end.text === want.text &&
    a.deltas.every((d) => d.kind === a.end.kind && d.seq < a.end.seq) && a.end.kind === want.kind;
  check(name, ok, { end: a?.end, deltas: a?.deltas.length, joined, want });
  return ok;
};

const quietFor = (p, pred, mark, ms) =>
  new Promise((resolve) => setTimeout(() => resolve(!p.log.items.slice(mark).some(pred)), ms));

const agentIn = (ev) => ev.joined.find((e) => e.peerId === AGENT);

async function main() {
  const alice = person({ tokenProvider: mint("alice", "Alice") });
  const carol = person({ tokenProvider: mint("carol", "Carol") });
  const bob = person({ apiKey: KEY });
  for (const p of [alice, carol, bob]) {
    await p.c.connect();
    await p.c.subscribe(CHANNEL);
  }

  // 1. Presence shows the agent with its metadata.
  const seen = await alice.in.presence.wait((ev) => ev.channel === CHANNEL && agentIn(ev));
  const meta = seen && agentIn(seen).metadata;
  check("presence-agent", meta?.kind === "agent" && meta?.name === "helper" && meta?.model === "scripted" && meta?.team === "blue", meta);

  // 2. A published prompt: deltas, then the full answer, on the channel, seen by all.
  let m = alice.log.mark();
  await alice.c.publish(CHANNEL, "hello");
  const hello = await turnEnd(alice, m);
  answered("channel-answer", hello, { text: "Scripted reply: Alice: hello", kind: "broadcast" });
  const bobSaw = await waitLog(bob, (x) => x.type === "chat" && x.turn === hello?.end.turn);
  check("channel-answer-seen-by-others", bobSaw?.text === hello?.end.text, bobSaw);

  // 3. A direct prompt gets a direct answer, to the sender alone.
  m = bob.log.mark();
  const aliceMark = alice.log.mark();
  await bob.c.send(AGENT, { type: "chat", text: "just for me" });
  const direct = await turnEnd(bob, m);
  answered("direct-answer", direct, { text: "Scripted reply: just for me", kind: "direct" });
  check("direct-private", await quietFor(alice, (x) => x.turn === direct?.end.turn, aliceMark, 300), null);

  // 4. Two people at once: each their own conversation, side by side.
  const marks = [alice.log.mark(), carol.log.mark()];
  await Promise.all([alice.c.send(AGENT, "slow turn from alice"), carol.c.send(AGENT, "slow turn from carol")]);
  const [ta, tc] = await Promise.all([turnEnd(alice, marks[0]), turnEnd(carol, marks[1])]);
  answered("two-at-once-alice", ta, { text: "done slowly", kind: "direct" });
  answered("two-at-once-carol", tc, { text: "done slowly", kind: "direct" });
  check(
    "two-at-once-overlap",
    ta && tc && ta.end.turn !== tc.end.turn && ta.deltas[0].seq < tc.end.seq && tc.deltas[0].seq < ta.end.seq,
    { alice: ta?.deltas.map((d) => d.seq).concat(ta?.end.seq), carol: tc?.deltas.map((d) => d.seq).concat(tc?.end.seq) },
  );

  // 5. A prompt during a turn queues and runs after it.
  m = bob.log.mark();
  await bob.c.send(AGENT, "slow turn from bob");
  await bob.c.send(AGENT, "after the slow one");
  const first = await turnEnd(bob, m, (x) => x.text === "done slowly");
  const second = await turnEnd(bob, m, (x) => x.text === "Scripted reply: after the slow one");
  answered("queued-first", first, { text: "done slowly", kind: "direct" });
  answered("queued-second", second, { text: "Scripted reply: after the slow one", kind: "direct" });
  check("queued-order", first && second && first.end.seq < second.deltas[0]?.seq, { first: first?.end.seq, second: second?.deltas[0]?.seq });

  // 6. Tool activity is announced.
  m = carol.log.mark();
  await carol.c.send(AGENT, "what time is it");
  const timed = await turnEnd(carol, m);
  const statuses = timed?.tools.map((x) => `${x.name}:${x.status}`).join(",");
  check("tool-activity", timed?.end.text === "it is now" && statuses === "current_time:started,current_time:done", { statuses, end: timed?.end });

  // 7. Bad input: a chat.error when addressed to the agent, nothing otherwise.
  const bad = [
    ["bad-direct-number", () => bob.c.send(AGENT, 42), "not a prompt", "direct"],
    ["bad-direct-object", () => bob.c.send(AGENT, { hello: "agent" }), "not a prompt", "direct"],
    ["bad-direct-text-type", () => bob.c.send(AGENT, { type: "chat", text: 5 }), "must be a string", "direct"],
    ["bad-direct-huge", () => bob.c.send(AGENT, "x".repeat(20000)), "at most", "direct"],
    ["bad-channel-text-type", () => bob.c.publish(CHANNEL, { type: "chat", text: ["x"] }), "must be a string", "broadcast"],
  ];
  for (const [name, act, want, kind] of bad) {
    m = bob.log.mark();
    await act();
    const e = await turnEnd(bob, m);
    check(name, e?.end.type === "chat.error" && e.end.error.includes(want) && e.end.kind === kind && e.end.turn, e?.end);
  }
  m = bob.log.mark();
  await bob.c.publish(CHANNEL, 42);
  await bob.c.publish(CHANNEL, { cursor: [1, 2] });
  await bob.c.publish(CHANNEL, { type: "chat", turn: "t-1", text: "an answer, not a prompt", in_reply_to: "x" });
  check("channel-noise-ignored", await quietFor(bob, (x) => x.in_reply_to === bob.id(), m, 500), null);

  // 8. The agent process restarts: it comes back and continues.
  let pm = alice.in.presence.mark();
  await request("restart-agent");
  const back = await alice.in.presence.wait((ev) => agentIn(ev), pm);
  check("agent-restart-presence", agentIn(back ?? { joined: [] })?.metadata?.kind === "agent", back);
  m = alice.log.mark();
  await alice.c.publish(CHANNEL, "again");
  answered("agent-restart-channel", await turnEnd(alice, m), { text: "Scripted reply: Alice: again", kind: "broadcast" });
  m = alice.log.mark();
  await alice.c.send(AGENT, "direct again");
  answered("agent-restart-direct", await turnEnd(alice, m), { text: "Scripted reply: direct again", kind: "direct" });

  // 9. The server restarts: everyone reconnects, the agent announces itself again.
  pm = alice.in.presence.mark();
  await request("restart-server");
  const again = await alice.in.presence.wait((ev) => agentIn(ev), pm);
  check("server-restart-presence", agentIn(again ?? { joined: [] })?.metadata?.kind === "agent", again);
  let after = null;
  for (let i = 0; i < 5 && !after; i++) { // the agent may resubscribe a moment after alice
    m = alice.log.mark();
    await alice.c.publish(CHANNEL, "after the server restart");
    after = await turnEnd(alice, m);
  }
  answered("server-restart-answer", after, { text: "Scripted reply: Alice: after the server restart", kind: "broadcast" });

  for (const p of [alice, carol, bob]) p.c.close();
}

run(main, 120000);
