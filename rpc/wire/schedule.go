package wire

import "encoding/json"

// Schedule method names (spec/agent-rpc.md 2.5).
const (
	MethodScheduleCreate      = "schedule/create"
	MethodScheduleGet         = "schedule/get"
	MethodScheduleList        = "schedule/list"
	MethodScheduleUpdate      = "schedule/update"
	MethodSchedulePause       = "schedule/pause"
	MethodScheduleResume      = "schedule/resume"
	MethodScheduleDelete      = "schedule/delete"
	MethodScheduleOccurrences = "schedule/occurrences"
	MethodScheduleTools       = "schedule/tools"
	MethodScheduleCall        = "schedule/call"
)

// ScheduleIDParams is the params of schedule/get, pause, resume and delete.
type ScheduleIDParams struct {
	ScheduleID string `json:"schedule_id"`
}

// ScheduleOccurrencesParams is the params of schedule/occurrences.
type ScheduleOccurrencesParams struct {
	ScheduleID      string `json:"schedule_id"`
	IncludeTerminal *bool  `json:"include_terminal,omitempty"`
}

// ScheduleCallParams is the params of schedule/call.
type ScheduleCallParams struct {
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments,omitempty"`
}
