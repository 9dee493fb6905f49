// Interop page: a browser on the published @metered-ca/realtime SDK
// (MeteredPeer) chats with the rkat agent peer in its channel by text
// (docs/agent-peer-protocol.md): a published prompt, a direct prompt, and a
// microphone track, which a text-only agent answers with chat.error.
import { MeteredPeer } from "/sdk/index.mjs";
import { q, results, withTimeout, check, run } from "/checks.js";

async function main() {
  const peer = new MeteredPeer({ apiKey: q.get("key"), url: q.get("url") });
  const agentReady = new Promise((resolve) => peer.on("peer-joined", ({ peer: remote }) => {
    if (remote.metadata?.kind === "agent") resolve(remote);
  }));
  // Everything the agent sends, in order, with its kind.
  const inbox = [];
  const waiters = new Set();
  peer.on("data", (ev) => {
    inbox.push({ kind: ev.kind, from: ev.senderPeerId, ...ev.data });
    for (const w of waiters) w();
  });
  // end waits for the end of a turn answering us (chat or chat.error).
  const end = (pred) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { waiters.delete(w); reject(new Error("no answer within 15 s")); }, 15000);
    const w = () => {
      const hit = inbox.find((m) => (m.type === "chat" || m.type === "chat.error") && m.in_reply_to === peer.peerId && pred(m));
      if (hit) { clearTimeout(timer); waiters.delete(w); resolve(hit); }
    };
    waiters.add(w);
    w();
  });
  // answer checks a complete turn: deltas of the same kind adding up to the text.
  const answer = async (kind, text) => {
    const e = await end((m) => m.kind === kind || m.type === "chat.error");
    if (e.type !== "chat") throw new Error(`turn ended with ${JSON.stringify(e)}`);
    const deltas = inbox.filter((m) => m.type === "chat.delta" && m.turn === e.turn);
    const joined = deltas.map((d) => d.delta).join("");
    if (e.text !== text || joined !== text || deltas.some((d) => d.kind !== kind)) {
      throw new Error(`got ${JSON.stringify(e)} from deltas ${JSON.stringify(joined)}`);
    }
  };

  await peer.join(q.get("channel"));
  const agent = await withTimeout(agentReady, 15000, "agent in presence");
  results.agentId = agent.id;
  results.agentMetadata = agent.metadata;

  await check("channelChat", async () => {
    await peer.send("hello from the browser");
    await answer("broadcast", `Scripted reply: ${peer.peerId}: hello from the browser`);
  });
  await check("directChat", async () => {
    await peer.sendTo(agent.id, { type: "chat", text: "just between us" });
    await answer("direct", "Scripted reply: just between us");
  });
  await check("audioRefused", async () => {
    const media = await navigator.mediaDevices.getUserMedia({ audio: true });
    peer.addTrack(media.getAudioTracks()[0], media, { role: "browser-mic" });
    const e = await end((m) => m.type === "chat.error");
    if (e.kind !== "direct" || !e.error.includes("text only")) throw new Error(`got ${JSON.stringify(e)}`);
  });
  await peer.close();
}

run(main);
