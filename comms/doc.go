// Package comms is peer messaging between agent sessions over the realtime
// hub. Each comms-enabled session is a Peer: one realtime/signalling client
// subscribed to one channel ("comms" by default, "mob/<id>" for a mob), its
// peer id given by the server and its identity carried as presence
// metadata ({"kind":"comms","name","session_id","description","labels"})
// in a JWT minted with the hub's secret key. Peers learn each other from
// presence and talk with directed send frames whose data is an Envelope
// (envelope.go; documented in docs/comms-protocol.md), so any client of the
// hub, a browser running @metered-ca/realtime included, can watch a
// channel's presence and send a directed message that arrives as input.
//
// Structure: a Network holds the hub's address and secret key; with no
// address configured it starts an embedded realtime server on loopback at
// its first Join and stops it in Close, so the same code path always runs.
// A Peer owns its signalling client (whose emitter goroutine parses inbound
// frames and only enqueues), a bounded inbox (Config.InboxSize; an
// envelope that finds it full is dropped and counted) drained by one
// delivery goroutine that calls the Peer's Handler in order, and one timer
// per pending request: a request whose answer does not arrive within
// Config.RequestTimeout, or whose target leaves presence, is answered
// locally with a terminal peer_response of status "failed". Close stops
// the client, the timers and the delivery goroutine before returning.
// Tools (tools.go) expose a Peer to the model as peers, send_message,
// send_request and send_response. Member.Allow (a mob's wiring) limits
// which other comms peers a Peer sees, sends to and accepts from.
package comms
