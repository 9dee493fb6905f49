// Interop script: the published @metered-ca/realtime SDK against three rkat
// realtime nodes joined by NATS, behind one round-robin TCP load balancer.
// The clients connect one after the other, so alice lands on node 1, bob on
// node 2 and carol on node 3.
//
// Environment: RKAT_LB (the balancer's ws:// origin), RKAT_HTTPS (the
// nodes' http:// origins, comma-separated, three), RKAT_KEY, RKAT_SECRET.
// Output: the check lines of harness.mjs. Event: "kill" asks the driver to
// crash node 3 (no goodbye to the cluster, no close handshake to its
// clients, its port refusing); it answers on stdin once done.
import { SignallingClient } from "@metered-ca/realtime";
import { env, check, factory, Inbox, request, run } from "./harness.mjs";

const LB = env("RKAT_LB");
const HTTPS = env("RKAT_HTTPS").split(",");
const KEY = env("RKAT_KEY");
const SECRET = env("RKAT_SECRET");
const CHANNEL = "room/cluster";
const COUNT = 20;

const mintAlice = async () => {
  const r = await fetch(`${HTTPS[0]}/v1/tokens`, {
    method: "POST",
    headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "application/json" },
    body: JSON.stringify({ sub: "alice", channels: ["room/**"], permissions: ["subscribe", "publish", "presence", "send"], ttlSeconds: 600 }),
  });
  if (!r.ok) throw new Error(`mint failed: ${r.status}`);
  return (await r.json()).token;
};

// peersOn polls a node's REST presence until it lists every id of want.
const peersOn = async (http, want) => {
  for (let i = 0; i < 250; i++) {
    const r = await fetch(`${http}/v1/channels/${CHANNEL}`, { headers: { Authorization: `Bearer ${SECRET}` } });
    const ids = (await r.json()).peers.map((p) => p.peerId);
    if (want.every((id) => ids.includes(id))) return true;
    await new Promise((res) => setTimeout(res, 20));
  }
  return false;
};

async function main() {
  const mk = (opts) => new SignallingClient({ url: LB, webSocketFactory: factory, reconnect: { maxAttempts: 3 }, ...opts });
  const clients = { alice: mk({ tokenProvider: mintAlice }), bob: mk({ apiKey: KEY }), carol: mk({ apiKey: KEY }) };
  const inbox = {};
  const id = {};
  const events = ["connected", "disconnected", "going-away", "presence", "message", "direct"];
  for (const [name, c] of Object.entries(clients)) {
    inbox[name] = Object.fromEntries(events.map((ev) => [ev, new Inbox(c, ev)]));
    await c.connect();
    id[name] = (await inbox[name].connected.wait(() => true))?.peerId;
  }
  check("connect-three-nodes", id.alice === "alice" && id.bob && id.carol, id);

  // One roster: each snapshot lists the peers subscribed on the other nodes.
  await clients.alice.subscribe(CHANNEL);
  await peersOn(HTTPS[1], [id.alice]);
  await clients.bob.subscribe(CHANNEL);
  const bobSnap = await inbox.bob.presence.wait((p) => p.channel === CHANNEL);
  check("snapshot-node2", bobSnap?.joined.map((e) => e.peerId).join() === id.alice, bobSnap);
  await peersOn(HTTPS[2], [id.alice, id.bob]);
  await clients.carol.subscribe(CHANNEL);
  const carolSnap = await inbox.carol.presence.wait((p) => p.channel === CHANNEL);
  const carolSees = (carolSnap?.joined ?? []).map((e) => e.peerId).sort();
  check("snapshot-node3", carolSees.join() === [id.alice, id.bob].sort().join(), carolSnap);
  const aliceSawCarol = await inbox.alice.presence.wait((p) => p.joined.some((e) => e.peerId === id.carol));
  check("joined-across-nodes", aliceSawCarol !== null, aliceSawCarol);

  // Publications from node 1 reach nodes 2 and 3 in order.
  for (let i = 0; i < COUNT; i++) await clients.alice.publish(CHANNEL, { seq: i });
  for (const name of ["bob", "carol"]) {
    await inbox[name].message.wait((m) => m.data?.seq === COUNT - 1);
    const seqs = inbox[name].message.items.filter((m) => m.from === "alice").map((m) => m.data.seq);
    check(`publish-order-${name}`, seqs.join() === [...Array(COUNT).keys()].join(), seqs);
  }

  // Directed messages cross nodes, in order per sender.
  for (let i = 0; i < COUNT; i++) await clients.bob.send(id.carol, { n: i });
  await inbox.carol.direct.wait((d) => d.data?.n === COUNT - 1);
  const ns = inbox.carol.direct.items.filter((d) => d.from === id.bob).map((d) => d.data.n);
  check("direct-order-node2-to-node3", ns.join() === [...Array(COUNT).keys()].join(), ns);
  await clients.carol.send("alice", { hi: "from node 3" });
  const d = await inbox.alice.direct.wait((x) => x.data?.hi === "from node 3");
  check("direct-node3-to-node1", d?.from === id.carol, d);

  // Node 3 crashes: carol is reported left on the survivors by heartbeat
  // expiry (the bound is the node TTL plus a heartbeat).
  const marks = Object.fromEntries(Object.entries(inbox).map(([name, box]) => [name, Object.fromEntries(events.map((ev) => [ev, box[ev].mark()]))]));
  const start = Date.now();
  await request("kill");
  for (const name of ["alice", "bob"]) {
    const left = await inbox[name].presence.wait((p) => p.left.some((e) => e.peerId === id.carol), marks[name].presence);
    check(`dead-node-left-${name}`, left !== null, { ms: Date.now() - start });
  }

  // carol's socket dropped without a close frame (1006) or a going_away,
  // and the SDK reconnects through the balancer to a surviving node.
  const drop = await inbox.carol.disconnected.wait(() => true, marks.carol.disconnected);
  const goingAway = inbox.carol["going-away"].items.slice(marks.carol["going-away"]);
  check("crash-drop-carol", drop?.code === 1006 && drop.willReconnect && goingAway.length === 0, { drop, goingAway });
  const back = await inbox.carol.connected.wait((c) => c.isReconnect, marks.carol.connected);
  check("reconnect-carol", back !== null && back.peerId && back.peerId !== id.carol, { back, ms: Date.now() - start });
  const carol2 = back?.peerId;

  // The SDK resubscribes her: the new node answers with a snapshot holding
  // alice and bob, and the others see her join again.
  const resnap = await inbox.carol.presence.wait(
    (p) => p.channel === CHANNEL && [id.alice, id.bob].every((x) => p.joined.some((e) => e.peerId === x)),
    marks.carol.presence,
  );
  check("resubscribe-carol", resnap !== null, resnap);
  for (const name of ["alice", "bob"]) {
    const joined = await inbox[name].presence.wait((p) => p.joined.some((e) => e.peerId === carol2), marks[name].presence);
    check(`rejoined-${name}`, joined !== null, joined);
  }

  // She carries on: her publication reaches alice and bob, alice's reaches her.
  await clients.carol.publish(CHANNEL, { back: "carol" });
  for (const name of ["alice", "bob"]) {
    const m = await inbox[name].message.wait((x) => x.data?.back === "carol", marks[name].message);
    check(`after-reconnect-carol-to-${name}`, m?.from === carol2, m);
  }
  await clients.alice.publish(CHANNEL, { back: "alice" });
  const m = await inbox.carol.message.wait((x) => x.data?.back === "alice", marks.carol.message);
  check("after-reconnect-alice-to-carol", m?.from === id.alice, m);
  for (const c of Object.values(clients)) await c.close();
}

run(main, 60000);
