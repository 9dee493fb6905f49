// Interop script: a person using the published @metered-ca/realtime SDK
// (Node, SignallingClient) joins the comms channel of rkat-rpc sessions
// (docs/comms-protocol.md): sees them in presence with their metadata,
// sends a directed peer_message to one of them, and receives the message
// that session's model sends back with its send_message tool.
//
// Environment: RKAT_URL, RKAT_HTTP, RKAT_SECRET (secret key, to mint the
// person's token), COMMS_CHANNEL.
import { SignallingClient } from "@metered-ca/realtime";
import { env, check, factory, Inbox, run } from "./harness.mjs";

const URL_BASE = env("RKAT_URL");
const HTTP_BASE = env("RKAT_HTTP");
const SECRET = env("RKAT_SECRET");
const CHANNEL = env("COMMS_CHANNEL");

const mint = async () => {
  const r = await fetch(`${HTTP_BASE}/v1/tokens`, {
    method: "POST",
    headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "application/json" },
    body: JSON.stringify({ sub: "human", channels: [CHANNEL], permissions: ["subscribe", "publish", "presence", "send"],
      peerMetadata: { name: "human" }, ttlSeconds: 600 }),
  });
  if (!r.ok) throw new Error(`mint failed: ${r.status}`);
  return (await r.json()).token;
};

run(async () => {
  const c = new SignallingClient({ url: URL_BASE, webSocketFactory: factory, tokenProvider: mint });
  const presence = new Inbox(c, "presence", 15000);
  const direct = new Inbox(c, "direct", 15000);
  await c.connect();
  await c.subscribe(CHANNEL);

  // Presence: the snapshot (and joins) name both sessions with their metadata.
  const members = new Map();
  const both = await presence.wait((ev) => {
    for (const p of ev.joined ?? []) members.set(p.metadata?.name, p);
    return members.has("alice") && members.has("bob");
  });
  const bob = members.get("bob");
  check("presence-members", both !== null && bob?.metadata?.kind === "comms" && typeof bob?.metadata?.session_id === "string"
    && bob?.metadata?.description === "bob the builder" && bob?.metadata?.labels?.team === "blue", [...members.values()]);

  // A directed message reaches bob's session as input; its model answers
  // with send_message to "human".
  await c.send(bob.peerId, { kind: "peer_message", body: "please greet the human" });
  const reply = await direct.wait((m) => m.from === bob.peerId);
  check("member-message", reply?.data?.kind === "peer_message" && reply?.data?.body === "hello human, bob here"
    && typeof reply?.data?.id === "string", reply);

  // A malformed envelope is dropped without harm: the member still answers.
  await c.send(bob.peerId, { kind: "peer_message" });
  await c.send(bob.peerId, { kind: "peer_message", body: "please greet the human" });
  const again = await direct.wait((m) => m.from === bob.peerId, direct.mark());
  check("member-after-bad-envelope", again?.data?.body === "hello human, bob here", again);
  await c.close();
}, 90000);
