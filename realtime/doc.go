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
// once and the same bytes are queued to every subscriber. All routing goes
// through the hub's publish, send and presence methods, the seam where a
// multi-node broker (NATS) would attach later.
package realtime
