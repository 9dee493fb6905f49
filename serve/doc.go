// Package serve is `rkat serve`: one HTTP server that hosts the realtime
// messaging server (/v1 WebSocket and REST), the agent runtime's JSON-RPC
// 2.0 over WebSocket (/rpc, the method table of rkat-rpc), Prometheus
// metrics (/metrics), health and readiness (/healthz, /readyz) and the
// browser console (/, package web).
//
// A Server owns one realm's runtime (a host.Host: store, session service,
// schedules, MCP servers, and a comms network whose hub is this server's own
// /v1), shared by every RPC connection. Each /rpc connection runs in its HTTP handler's goroutine
// (rpc.Conn adds its reader, writer and one goroutine per request, all
// bounded by rpc.Config); the realtime server owns its own goroutines and
// queues. Credentials are the realtime server's: a secret key (every
// permission), or a publishable key or JWT whose permissions include "rpc".
// Serve runs until its context ends, then shuts down in order: refuse new
// connections, let running turns finish within the grace period, interrupt
// the rest, close RPC connections with 1001 and realtime clients with
// going_away, close the runtime (schedules, session service, store, MCP
// servers, comms network).
package serve
