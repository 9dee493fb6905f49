// Package wire holds the realtime messaging protocol shared by the server
// (package realtime) and Go clients: frame types with their JSON shapes, error
// code strings, WebSocket close codes, protocol limits, reserved channel
// prefixes and channel-pattern matching.
//
// The JSON tags follow spec/realtime-protocol.md exactly, so the published
// @metered-ca/realtime and metered-realtime SDKs interoperate with code built
// on these types. The package has no server internals and no dependencies
// beyond the standard library.
package wire
