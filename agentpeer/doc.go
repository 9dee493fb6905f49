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
// coalesced into the next one. Voice will attach where a remote peer's
// audio track arrives (onTrack): today a text-only agent answers it with
// chat.error.
package agentpeer
