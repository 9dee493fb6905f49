// Package host opens one realm's agent runtime from options, the one place
// rkat-rpc and rkat serve assemble it: the realm's store, the session
// service (tool registry with the skill tools, hooks.toml, MCP servers of
// mcp.toml, optionally the builtin tools), the schedule executor, the comms
// network that comms peers and mobs join, and the blob store.
//
// New builds what needs no realm (MCP sessions, skills, hooks, the comms
// Network, which connects nothing until a peer joins) and opens nothing;
// Open opens the realm on first use, once, and a failed Open is retried by
// the next call. Goroutines: the schedule executor (started by Open,
// stopped by Close), the MCP server processes and their readers (owned by
// the MCP sessions), the embedded realtime hub when Config.Comms names no
// hub (started at the first Join, stopped by Close), and the session
// service's turns. Close stops them in this order: schedules, session
// service (interrupting turns), builtin toolbox, store, MCP servers, comms
// network. Peers and mob members are closed by their owners (the RPC
// server's connections, the session service) before Close.
package host
