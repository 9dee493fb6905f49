// Package web holds the browser console of `rkat serve` as embedded static
// files (plain HTML, CSS and JavaScript; no build step, no CDN), served at
// /. The console has no API of its own: it logs in with a secret key and
// does everything through the public surface of the process — JSON-RPC 2.0
// over the /rpc WebSocket for sessions and turns, the realtime REST API
// (/v1/channels, /v1/tokens) and the /v1 WebSocket protocol for channels,
// presence and chat, /metrics for its chart and /agents for agent status.
package web
