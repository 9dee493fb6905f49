// Package realtime is the realtime messaging server: WebSocket pub/sub with
// presence and directed messages, publishable-key and JWT auth, limits and
// close codes, a small REST API and Prometheus metrics. It speaks the
// protocol of spec/realtime-protocol.md (types in package wire) so that the
// published @metered-ca/realtime and metered-realtime SDKs work unmodified.
//
// Structure: Server owns the HTTP surface (the /v1 WebSocket endpoint, REST,
// /metrics) and every connection; the hub holds per-app channels, presence
// and the peer directory; each connection has one read goroutine and a
// bounded outbound queue, written with non-blocking writes by a few writer
// workers (GOMAXPROCS-1) sharing one ready list, or by an on-demand drain
// goroutine of its own when its socket would block. A broadcast is encoded
// once and the same bytes are queued to every subscriber.
//
// Clusters: the hub hands what it does to its own connections (online,
// offline, join, leave, publish, direct, kick) to a broker (broker.go): a
// no-op for a single node, or natsBroker, which publishes the events on one
// NATS subject and applies the other nodes' events to its hub. A remote
// publication is encoded once per node for its local subscribers. Each app
// keeps a remote roster (peers of other nodes and their channels), so
// snapshots, REST presence, directed sends, caps and kicks see every node.
// natsBroker owns one goroutine that applies received events from a bounded
// channel (natsInbox; beyond it NATS drops and logs a slow consumer), sends
// heartbeats, reaps nodes silent for NodeTTL and exchanges rosters with a
// node seen for the first time (or restarted, by its boot id).
//
// History (history.go, docs/realtime-protocol.md): channels matching a
// [[channels]] table keep a ring of their last publications per app, bounded
// by size and TTL. A publish assigns the next offset and queues the one
// encoded frame to every subscriber under the channel history's lock; a
// subscribe with since replays under the app's lock, which excludes
// publishes. The sweeper drops expired histories of channels without
// subscribers. In a cluster the histories follow one JetStream stream
// (history_jetstream.go).
package realtime
