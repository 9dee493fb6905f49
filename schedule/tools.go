package schedule

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// ToolDescriptor is one schedule tool as schedule/tools lists it.
type ToolDescriptor struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	InputSchema json.RawMessage `json:"inputSchema"`
}

const (
	idSchema = `{"type":"object","properties":{"schedule_id":{"type":"string","description":"The schedule's id."}},` +
		`"required":["schedule_id"],"additionalProperties":false}`
	policySchema = `"misfire_policy":{"type":"object","description":"{\"type\":\"skip\"} (default) or {\"type\":\"catch_up_within\",\"window_seconds\":N}"},` +
		`"overlap_policy":{"type":"string","enum":["allow_concurrent","skip_if_running"]},` +
		`"missing_target_policy":{"type":"string","enum":["skip","mark_misfired"]},` +
		`"planning_horizon_days":{"type":"integer","minimum":1},"planning_horizon_occurrences":{"type":"integer","minimum":1},` +
		`"name":{"type":"string"},"description":{"type":"string"},"labels":{"type":"object","additionalProperties":{"type":"string"}}`
	triggerSchema = `"trigger":{"type":"object","description":"{\"type\":\"once\",\"due_at_utc\":RFC3339} | ` +
		`{\"type\":\"interval\",\"start_at_utc\":RFC3339,\"every_seconds\":N,\"end_at_utc\"?} | ` +
		`{\"type\":\"calendar\",\"timezone\":IANA,\"minute\"|\"hour\"|\"day_of_month\"|\"month\"|\"day_of_week\":{\"kind\":\"any\"}|{\"kind\":\"values\",\"values\":[..]}} | ` +
		`{\"type\":\"cron\",\"expression\":\"m h dom mon dow\",\"timezone\":IANA}"}`
	targetSchema = `"target":{"type":"object","description":"{\"target_kind\":\"session\",\"type\":\"exact_session\"|\"resumable_session\",\"session_id\":ID,` +
		`\"action\":{\"type\":\"prompt\",\"prompt\":TEXT} | {\"type\":\"event\",\"event_type\":NAME,\"payload\":ANY}}, ` +
		`or type \"materialize_on_demand_session\" with \"create\":{\"model\"?,\"system_prompt\"?}: a session created at the first firing and reused ` +
		`(\"session_per_occurrence\":true for a new one each time); ` +
		`agents may use type \"current_session\" for their own session."}`
)

var toolDescriptors = []ToolDescriptor{
	{"meerkat_schedule_create", "Create a schedule (trigger, target and policies) that runs a prompt or delivers an event on time: " +
		"reminders, recurring work, follow-ups.",
		json.RawMessage(`{"type":"object","properties":{` + triggerSchema + `,` + targetSchema + `,` + policySchema +
			`},"required":["trigger","target"],"additionalProperties":false}`)},
	{"meerkat_schedule_get", "Fetch one schedule by schedule_id: phase, trigger, target, policies, revision.", json.RawMessage(idSchema)},
	{"meerkat_schedule_list", "List the schedules of this realm that are not deleted.",
		json.RawMessage(`{"type":"object","properties":{},"additionalProperties":false}`)},
	{"meerkat_schedule_update", "Change a schedule; omitted fields keep their values. The revision grows by one and future occurrences are replanned.",
		json.RawMessage(`{"type":"object","properties":{"schedule_id":{"type":"string"},"expected_revision":{"type":"integer"},` +
			triggerSchema + `,` + targetSchema + `,` + policySchema + `},"required":["schedule_id"],"additionalProperties":false}`)},
	{"meerkat_schedule_pause", "Pause a schedule: no new occurrences fire until it is resumed.", json.RawMessage(idSchema)},
	{"meerkat_schedule_resume", "Resume a paused schedule.", json.RawMessage(idSchema)},
	{"meerkat_schedule_delete", "Delete a schedule for good; its occurrence history stays readable.", json.RawMessage(idSchema)},
	{"meerkat_schedule_occurrences", "List a schedule's occurrences (planned and past) with their phases: pending, claimed, dispatching, " +
		"awaiting_completion, completed, skipped, misfired, superseded, delivery_failed.", json.RawMessage(idSchema)},
}

// ToolDescriptors lists the schedule tools (schedule/tools).
func ToolDescriptors() []ToolDescriptor { return toolDescriptors }

// idArgs are the arguments of the tools keyed by schedule id.
type idArgs struct {
	ScheduleID string `json:"schedule_id"`
}

// present returns raw, or nil for absent and JSON null.
func present(raw json.RawMessage) json.RawMessage {
	if t := bytes.TrimSpace(raw); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil
	}
	return raw
}

// Call runs a schedule tool by name (schedule/call and the model-facing
// tools). currentSession, when set, resolves a "current_session" target to
// a resumable_session target on that session.
func (s *Service) Call(ctx context.Context, name string, args json.RawMessage, currentSession string) (any, error) {
	if present(args) == nil {
		args = json.RawMessage(`{}`)
	}
	switch name {
	case "meerkat_schedule_create", "meerkat_schedule_update":
		var u UpdateRequest
		if err := strictDecode(args, "arguments", &u); err != nil {
			return nil, err
		}
		target, err := resolveCurrent(present(u.Target), currentSession)
		if err != nil {
			return nil, err
		}
		u.Target = target
		if name == "meerkat_schedule_update" {
			return s.Update(ctx, u)
		}
		if u.ScheduleID != "" || u.ExpectedRevision != nil {
			return nil, invalid("arguments", "schedule_id and expected_revision belong to meerkat_schedule_update")
		}
		return s.Create(ctx, u.CreateRequest)
	case "meerkat_schedule_list":
		if err := strictDecode(args, "arguments", &struct{}{}); err != nil {
			return nil, err
		}
		list, err := s.List(ctx, ListRequest{})
		return map[string][]Record{"schedules": list}, err
	}
	var a idArgs
	if err := strictDecode(args, "arguments", &a); err != nil {
		return nil, err
	}
	switch name {
	case "meerkat_schedule_get":
		return s.Get(ctx, a.ScheduleID)
	case "meerkat_schedule_pause":
		return s.Pause(ctx, a.ScheduleID)
	case "meerkat_schedule_resume":
		return s.Resume(ctx, a.ScheduleID)
	case "meerkat_schedule_delete":
		return s.Delete(ctx, a.ScheduleID)
	case "meerkat_schedule_occurrences":
		occs, err := s.Occurrences(ctx, a.ScheduleID, true)
		return map[string][]Occurrence{"occurrences": occs}, err
	}
	return nil, invalid("name", "unknown schedule tool %q", name)
}

// resolveCurrent rewrites a "current_session" target for the calling agent.
func resolveCurrent(target json.RawMessage, current string) (json.RawMessage, error) {
	if target == nil {
		return nil, nil
	}
	var probe struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(target, &probe) != nil || probe.Type != "current_session" {
		return target, nil
	}
	if current == "" {
		return nil, invalid("target.type", "current_session is only available to an agent inside a session")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(target, &m); err != nil {
		return nil, invalid("target", "%v", err)
	}
	m["type"], _ = json.Marshal(TargetResumableSession)
	m["session_id"], _ = json.Marshal(current)
	return json.Marshal(m)
}

// Tools returns the model-facing schedule tools for an agent whose session
// id currentSession returns (it may return "" until the session exists).
func (s *Service) Tools(currentSession func() string) []tool.Tool {
	out := make([]tool.Tool, 0, len(toolDescriptors))
	for _, d := range toolDescriptors {
		out = append(out, agentTool{svc: s, desc: d, current: currentSession})
	}
	return out
}

type agentTool struct {
	svc     *Service
	desc    ToolDescriptor
	current func() string
}

func (t agentTool) Def() llm.ToolDef {
	return llm.ToolDef{Name: t.desc.Name, Description: t.desc.Description, InputSchema: t.desc.InputSchema}
}

// Call runs the tool; failures become error results the model can read.
func (t agentTool) Call(ctx context.Context, args json.RawMessage) (tool.Result, error) {
	res, err := t.svc.Call(ctx, t.desc.Name, args, t.current())
	if err != nil {
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrInvalid) {
			return tool.ErrorResult(err.Error()), nil
		}
		return tool.Result{}, fmt.Errorf("%s: %w", t.desc.Name, err)
	}
	out, err := tool.JSONResult(res)
	if err != nil {
		return tool.Result{}, fmt.Errorf("%s: encode result: %w", t.desc.Name, err)
	}
	return out, nil
}
