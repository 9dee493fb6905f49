package wire

// Runtime host methods (runtime/host_info, runtime/capabilities,
// runtime/health): what this process serves and whether it is healthy.
const (
	MethodHostInfo         = "runtime/host_info"
	MethodHostCapabilities = "runtime/capabilities"
	MethodHostHealth       = "runtime/health"
)

// Health statuses of runtime/health and its checks.
const (
	HealthOK        = "ok"
	HealthDegraded  = "degraded"
	HealthUnhealthy = "unhealthy"
)

// HostFeatures says which runtime features this host serves.
type HostFeatures struct {
	RuntimeBackedSessions bool `json:"runtime_backed_sessions"`
	Mobs                  bool `json:"mobs"`
	MCPLive               bool `json:"mcp_live"`
	Comms                 bool `json:"comms"`
	Blobs                 bool `json:"blobs"`
	SessionEvents         bool `json:"session_events"`
	SessionStreams        bool `json:"session_streams"`
	Schedules             bool `json:"schedules"`
	Skills                bool `json:"skills"`
	EventReplay           bool `json:"event_replay"`
	Artifacts             bool `json:"artifacts"`
	Approvals             bool `json:"approvals"`
	ExternalMembers       bool `json:"external_members"`
	SecureRemoteRPC       bool `json:"secure_remote_rpc"`
	MultiHostMobs         bool `json:"multi_host_mobs"`
	DurableJobs           bool `json:"durable_jobs"`
}

// HostCapabilities answers runtime/capabilities.
type HostCapabilities struct {
	ContractVersion Version      `json:"contract_version"`
	Features        HostFeatures `json:"features"`
}

// HostHealth answers runtime/health.
type HostHealth struct {
	ContractVersion Version           `json:"contract_version"`
	Status          string            `json:"status"`
	Checks          map[string]string `json:"checks,omitempty"`
}

// HostRealm is the realm part of runtime/host_info.
type HostRealm struct {
	RealmID    string `json:"realm_id,omitempty"`
	InstanceID string `json:"instance_id,omitempty"`
	Backend    string `json:"backend,omitempty"`
	StateRoot  string `json:"state_root,omitempty"`
}

// HostEndpoints is the endpoints part of runtime/host_info.
type HostEndpoints struct {
	RPCMethods []string `json:"rpc_methods,omitempty"`
}

// HostInfo answers runtime/host_info. The host id is scoped to the process.
type HostInfo struct {
	ContractVersion Version          `json:"contract_version"`
	HostID          string           `json:"host_id"`
	HostIDScope     string           `json:"host_id_scope"`
	ProcessName     string           `json:"process_name"`
	ProcessVersion  string           `json:"process_version"`
	Capabilities    HostCapabilities `json:"capabilities"`
	Health          HostHealth       `json:"health"`
	Realm           HostRealm        `json:"realm"`
	Endpoints       HostEndpoints    `json:"endpoints"`
}
