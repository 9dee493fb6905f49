package wire

// Live MCP methods.
const (
	MethodMCPAdd    = "mcp/add"
	MethodMCPRemove = "mcp/remove"
	MethodMCPReload = "mcp/reload"
)

// MCPServerConfig is the server_config of mcp/add: a stdio server (Command,
// Args, Env) or an HTTP server (URL, Headers, Transport "streamable-http" or
// "sse").
type MCPServerConfig struct {
	Name               string            `json:"name"`
	Command            string            `json:"command,omitempty"`
	Args               []string          `json:"args,omitempty"`
	Env                map[string]string `json:"env,omitempty"`
	URL                string            `json:"url,omitempty"`
	Headers            map[string]string `json:"headers,omitempty"`
	Transport          string            `json:"transport,omitempty"`
	ConnectTimeoutSecs int               `json:"connect_timeout_secs,omitempty"`
}

// MCPAddParams are mcp/add's params.
type MCPAddParams struct {
	SessionID    string          `json:"session_id"`
	ServerConfig MCPServerConfig `json:"server_config"`
	Persisted    bool            `json:"persisted,omitempty"`
}

// MCPRemoveParams are mcp/remove's params.
type MCPRemoveParams struct {
	SessionID  string `json:"session_id"`
	ServerName string `json:"server_name"`
	Persisted  bool   `json:"persisted,omitempty"`
}

// MCPReloadParams are mcp/reload's params; no ServerName reloads them all.
type MCPReloadParams struct {
	SessionID  string  `json:"session_id"`
	ServerName *string `json:"server_name,omitempty"`
	Persisted  bool    `json:"persisted,omitempty"`
}

// MCPStaged is the status of an accepted live MCP operation (the contract
// also names "applied" and "rejected"; rkat stages every change and answers
// a refused one with an error).
const MCPStaged = "staged"

// MCPResult answers mcp/add, mcp/remove and mcp/reload. A staged change
// applies at the session's next turn boundary, reported there by a
// tool_config_changed event carrying applied_at_turn. It has no other keys:
// the Python SDK builds its response dataclass from all of them.
type MCPResult struct {
	SessionID     string  `json:"session_id"`
	Operation     string  `json:"operation"`
	ServerName    *string `json:"server_name,omitempty"`
	Status        string  `json:"status"`
	Persisted     bool    `json:"persisted"`
	AppliedAtTurn *int    `json:"applied_at_turn,omitempty"`
}
