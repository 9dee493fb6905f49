// Interop page: a browser on the published @metered-ca/realtime SDK
// (MeteredPeer) talks with a realtime rkat agent peer
// (docs/agent-peer-protocol.md, "Voice"): it adds the fake microphone to
// its connection with the agent, plays the agent's audio track, and checks
// that audio comes back (inbound RTP bytes grow, with energy) and that the
// transcripts of both sides arrive as chat messages.
import { MeteredPeer } from "/sdk/index.mjs";
import { q, results, withTimeout, check, run } from "/checks.js";

async function main() {
  const peer = new MeteredPeer({ apiKey: q.get("key"), url: q.get("url") });
  const agentReady = new Promise((resolve) => peer.on("peer-joined", ({ peer: remote }) => {
    if (remote.metadata?.kind === "agent") resolve(remote);
  }));
  const inbox = [];
  const waiters = new Set();
  peer.on("data", (ev) => {
    if (ev.kind !== "direct" || typeof ev.data !== "object") return;
    inbox.push(ev.data);
    for (const w of waiters) w();
  });
  const message = (pred, what) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { waiters.delete(w); reject(new Error(`no ${what} within 20 s: ${JSON.stringify(inbox)}`)); }, 20000);
    const w = () => {
      const hit = inbox.find(pred);
      if (hit) { clearTimeout(timer); waiters.delete(w); resolve(hit); }
    };
    waiters.add(w);
    w();
  });

  await peer.join(q.get("channel"));
  const agent = await withTimeout(agentReady, 15000, "agent in presence");
  results.agentMetadata = agent.metadata;
  const agentTrack = new Promise((resolve) => agent.on("track", (ev) => resolve(ev)));
  const agentStreamRemoved = new Promise((resolve) => agent.on("stream-removed", resolve));

  const media = await navigator.mediaDevices.getUserMedia({ audio: true });
  const mic = media.getAudioTracks()[0];
  peer.addTrack(mic, media, { role: "browser-mic" });

  await check("agentTrack", async () => {
    const ev = await withTimeout(agentTrack, 20000, "the agent's audio track");
    const audio = new Audio();
    audio.srcObject = new MediaStream([ev.track]);
    audio.play().catch(() => {});
  });
  await check("transcripts", async () => {
    const user = await message((m) => m.type === "chat" && m.voice && m.role === "user", "user transcript");
    const reply = await message((m) => m.type === "chat" && m.voice && m.role === "assistant", "assistant transcript");
    results.userTranscript = user.text;
    results.assistantTranscript = reply.text;
    if (reply.turn !== user.turn || reply.in_reply_to !== peer.peerId || reply.text !== `Scripted reply: ${user.text}`) {
      throw new Error(`user ${JSON.stringify(user)}, assistant ${JSON.stringify(reply)}`);
    }
  });
  await check("audioBack", async () => {
    // The agent's track idles with silence; the scripted provider echoes
    // the utterance, which shows as audio energy.
    const deadline = Date.now() + 20000;
    let first = 0, bytes = 0, energy = 0;
    while (Date.now() < deadline) {
      const stats = await agent.pc.getStats();
      bytes = 0; energy = 0;
      stats.forEach((s) => {
        if (s.type === "inbound-rtp" && s.kind === "audio") { bytes += s.bytesReceived || 0; energy += s.totalAudioEnergy || 0; }
      });
      if (first === 0 && bytes > 0) first = bytes;
      if (first > 0 && bytes > first + 1000 && energy > 0) { results.audioBytes = bytes; results.audioEnergy = energy; return; }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`inbound audio: first ${first} bytes, now ${bytes}, energy ${energy}`);
  });
  await check("voiceEnds", async () => {
    // Removing the microphone ends the voice: the agent's track goes too.
    peer.removeTrack(mic);
    await withTimeout(agentStreamRemoved, 20000, "the agent's stream removed");
  });
  if (inbox.some((m) => m.type === "chat.error")) results.chatErrors = inbox.filter((m) => m.type === "chat.error");
  await peer.close();
}

run(main);
