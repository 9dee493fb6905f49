// Package agentpeer puts an agent into a realtime channel as an ordinary
// peer: it joins one channel through realtime/peer (so browsers running
// @metered-ca/realtime see it in presence, with metadata
// {"kind":"agent","name":...,"model":...}) and answers text prompts with
// turns of sessions of the realm's session.Service. The text protocol is in
// docs/agent-peer-protocol.md.
//
// Structure: an Agent holds the configuration; each Run owns one peer.Peer
// and everything below it, and stops all of it before returning. Inbound
// data arrives on the peer's event goroutine, which only parses and
// enqueues: each conversation (one for the channel's broadcasts, one per
// person who writes directly) has a bounded prompt queue and, while it has
// work, one worker goroutine that runs the turns one at a time and streams
// the answer; the number of busy conversations is bounded too, and an
// overflow is answered with chat.error. Replies that are not part of a turn
// (bad input, refused audio) go through one bounded outbox goroutine.
// Conversations are sessions labelled with the agent, the channel and the
// conversation key, so a new Run (after a restart) finds and continues
// them. Every message the agent sends passes one token bucket kept under
// the server's per-connection rate; deltas that find it empty are
// coalesced into the next one.
//
// Voice (voice.go): when the catalog says the agent's model is realtime,
// a Run owns a live.Manager, and a remote peer's audio track starts a
// voice for that person: one speak goroutine that opens a live channel on
// the person's direct conversation, attaches a live.Bridge (the channel's
// audio out as a track added to the person's connection, the microphone
// read into the channel by one goroutine per track, counted in the Run's
// voice WaitGroup and ended by the track ending or the peer closing) and
// relays the transcripts as chat messages through the outbox. Bounds: 4
// queued tracks per person, the Manager's channel cap, the bridge's and
// the transcript subscription's buffers (a reader that falls behind ends
// the call). A voice ends when its tracks end or their stream is removed,
// the person leaves, their connection is reset, or the Run stops (which
// closes the peer first, so every track reader returns). A text-only
// agent answers audio with chat.error.
package agentpeer
