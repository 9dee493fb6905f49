// Package mcp connects agent sessions to MCP (Model Context Protocol)
// servers through the official Go SDK: stdio servers (a child process per
// server and session, in its own process group) and streamable HTTP or SSE
// servers. Servers come from mcp.toml files (LoadConfig: the project's
// .rkat/mcp.toml wins over ~/.rkat/mcp.toml on a name clash) and from live
// changes (Sessions.Add, Remove, Reload: the RPC methods mcp/add, mcp/remove,
// mcp/reload).
//
// Sessions owns one manager per session and is the session service's
// ToolSource: at each turn boundary, on the turn's goroutine, the manager
// applies the changes staged since the last turn (at most 64 wait), starts
// the servers that are new or reloaded (in parallel goroutines that end
// before the boundary returns, each within its connect timeout), pings the
// live ones, and hands the turn one tool per server tool, named
// "<server>__<tool>" (see toolName for the scheme and why), as a tool set
// it keeps while no server's tool list changes (so each schema is compiled
// once, not at every turn). Changes and
// failures come back as tool_config_changed events; a server that cannot
// start (or writes something other than JSON-RPC on stdout) is reported once
// and left out, and the turn goes on without it. A server that dies keeps
// its tools listed; the next call to one of them starts it again.
//
// Each live connection owns one watcher goroutine (it waits for the SDK
// session to end) plus the SDK's own reader; closing a server closes its
// session, kills what is left of its process group and waits for the
// watcher. Calls are bounded by Config.CallTimeout and their results by
// Config.MaxResultBytes (text is cut with a marker, images that do not fit
// are named instead). At most Config.MaxLiveSessions sessions keep their
// servers running; the least recently used are stopped and start again at
// their next turn. Sessions.Forget stops one session's servers,
// Sessions.Close all of them. AddToFile and RemoveFromFile edit one
// [[servers]] table of an mcp.toml in place (persisted changes).
package mcp
