// Package rpc is a small JSON-RPC 2.0 implementation shaped by the rkat wire
// contract (spec/agent-rpc.md): newline-delimited JSON over stdio, or any
// message-oriented Transport such as a WebSocket.
//
// A Conn is symmetric. Both ends may send requests and notifications and both
// serve the requests they receive, each in its own goroutine, so a request
// (an interrupt) is answered while another (a turn) is still running.
// Responses echo the request id byte for byte, so its JSON type is kept.
// One writer goroutine owns the transport: lines never interleave, frames are
// written in the order they were queued, and the bounded queue pushes back on
// producers when the peer reads slowly.
//
// The method table of the agent runtime lives in rpc/server; this package
// knows nothing of sessions.
package rpc
