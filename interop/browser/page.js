// Interop page: joins a channel with the published @metered-ca/realtime SDK,
// finds the one Go peer there and checks, in both directions: data-channel
// text and binary, directed messages, and audio (inbound RTP bytes grow).
// The Go peer is expected to echo data-channel and directed messages and to
// send audio back (its own source, or an echo of ours).
import { MeteredPeer } from "/sdk/index.mjs";
import { q, results, withTimeout, check, run } from "/checks.js";

async function main() {
  const media = await navigator.mediaDevices.getUserMedia({ audio: true });
  const mic = media.getAudioTracks()[0];
  const peer = new MeteredPeer({ apiKey: q.get("key"), url: q.get("url") });
  peer.addTrack(mic, media, { role: "browser-mic" });

  const remoteReady = new Promise((resolve) => peer.on("peer-joined", ({ peer: remote }) => resolve(remote)));
  const directs = [];
  let directWaiter = null;
  peer.on("data", (ev) => {
    if (ev.kind !== "direct") return;
    directs.push(ev);
    if (directWaiter) directWaiter();
  });
  await peer.join(q.get("channel"));
  results.peerId = peer.peerId;
  const remote = await withTimeout(remoteReady, 15000, "peer-joined");
  results.remoteId = remote.id;
  const remoteTracks = [];
  remote.on("track", ({ track }) => remoteTracks.push(track));

  const dc = remote.pc.createDataChannel("browser-chat");
  dc.binaryType = "arraybuffer";
  const inbox = [];
  let inboxWaiter = null;
  dc.onmessage = (m) => { inbox.push(m.data); if (inboxWaiter) inboxWaiter(); };
  await withTimeout(new Promise((res) => { dc.onopen = res; }), 20000, "data channel open");
  const nextMessage = () => withTimeout(new Promise((res) => {
    if (inbox.length) return res(inbox.shift());
    inboxWaiter = () => { inboxWaiter = null; res(inbox.shift()); };
  }), 10000, "data channel echo");

  await check("dcText", async () => {
    dc.send("hello from the browser");
    const m = await nextMessage();
    if (typeof m !== "string" || m !== "hello from the browser") throw new Error(`got ${typeof m} ${m}`);
  });
  await check("dcBinary", async () => {
    dc.send(new Uint8Array([0, 1, 2, 250]));
    const m = await nextMessage();
    if (!(m instanceof ArrayBuffer)) throw new Error(`got ${typeof m}`);
    const b = new Uint8Array(m);
    if (b.length !== 4 || b[3] !== 250) throw new Error(`got bytes ${Array.from(b)}`);
  });
  await check("direct", async () => {
    await peer.sendTo(remote.id, { hello: "go", n: 7 });
    await withTimeout(new Promise((res) => {
      if (directs.length) return res();
      directWaiter = res;
    }), 10000, "direct reply");
    const d = directs.shift();
    if (d.senderPeerId !== remote.id || JSON.stringify(d.data).indexOf('"hello":"go"') < 0) {
      throw new Error(`got ${JSON.stringify(d)}`);
    }
  });
  await check("audioIn", async () => {
    // Inbound RTP bytes of an audio track from the Go peer must grow.
    const bytes = async () => {
      const stats = await remote.pc.getStats();
      let total = 0;
      stats.forEach((s) => { if (s.type === "inbound-rtp" && s.kind === "audio") total += s.bytesReceived || 0; });
      return total;
    };
    const deadline = Date.now() + 20000;
    let first = 0;
    while (Date.now() < deadline) {
      const b = await bytes();
      if (first === 0 && b > 0) first = b;
      if (first > 0 && b > first + 1000 && remoteTracks.length > 0) { results.audioBytes = b; return; }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`inbound audio bytes did not grow (first ${first}, tracks ${remoteTracks.length})`);
  });
  await check("audioOut", async () => {
    // Keep sending until about 2.5 s of G.711 audio went out, so the Go
    // side has enough to analyse.
    const deadline = Date.now() + 20000;
    let sent = 0;
    while (Date.now() < deadline) {
      const stats = await remote.pc.getStats();
      sent = 0;
      stats.forEach((s) => { if (s.type === "outbound-rtp" && s.kind === "audio") sent += s.bytesSent || 0; });
      if (sent >= 20000) { results.audioSentBytes = sent; return; }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`outbound audio stalled at ${sent} bytes`);
  });
  await peer.close();
}

run(main);
