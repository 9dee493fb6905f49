// Package live holds live channels: a realtime conversation (audio and text
// both ways) on a session whose model is realtime-capable, with the session
// keeping the one canonical history (spec/agent-rpc.md, sections 2.6 and 6).
//
// Structure: a Manager owns every Channel of the process (at most one per
// session), their single-use connect tokens, and the /live/ws WebSocket
// handler. A Channel owns one llm.RealtimeConn at a time and two goroutines:
// run, which (re)opens the provider session and writes queued commands to
// it, and a reader per provider session, which turns provider events into
// Observations, runs the session's tools for the model's function calls
// (one goroutine per call, waited for on close) and commits every finished
// exchange to the session's history (session.Service.CommitLive) at the
// response boundary, so session/history after a live conversation reads
// like a text one (an exchange that ends while a text turn holds the
// session is reported as an error observation and not committed). States:
// idle, opening, ready, degraded (provider socket lost or rate limited),
// closing, closed, with a reason.
//
// Bounds: input goes through one queue of QueueLen commands and at most
// MaxPendingAudio bytes of audio (else input_backpressured, the channel
// stays open); each Subscription has a bounded buffer and is dropped (its
// channel closed) when it falls behind; sockets and channels are capped by
// the Manager. Audio in is resampled here from the client's rate (8–48 kHz,
// mono or stereo) to the provider's 24 kHz mono PCM16 by Resampler, a small
// linear interpolator written for this package (fuzzed), and audio out is
// 24 kHz mono PCM16.
//
// Bridging a media track (realtime/peer, agentpeer): call Channel.SendAudio
// with the track's decoded PCM16 (any supported rate) and read
// assistant_audio_chunk Observations from Channel.Subscribe (their Audio
// field holds 24 kHz PCM16; NewResampler(24000, 48000) lifts it to a 48 kHz
// track). That is the whole bridge API; Bridge packages it for a WebRTC
// connection someone else owns (agentpeer's peers), and AnswerWebRTC
// (live/webrtc/answer) answers a browser with a connection of its own and
// a Bridge, both built with realtime/peer's G.711 PCMReader and
// AudioSource, one bridge per connection, closed with its channel; on a G.711
// channel (OpenRequest.G711, provider permitting) it uses SendULaw and
// paces the μ-law replies itself, with no transcoding.
package live
