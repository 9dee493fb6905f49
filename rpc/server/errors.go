package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agentpeer"
	"github.com/rkat-dev/rkat/comms"
	"github.com/rkat-dev/rkat/hook"
	"github.com/rkat-dev/rkat/live"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/mob"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/schedule"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/skill"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/blob"
	"github.com/rkat-dev/rkat/tool/mcp"
)

// paramError is a request rejected at the edge, before any service call.
type paramError struct{ msg string }

func (e *paramError) Error() string { return e.msg }

func invalidParams(format string, args ...any) error {
	return &paramError{msg: fmt.Sprintf(format, args...)}
}

// unavailable reports a feature this build does not serve.
type unavailable struct{ capability, msg string }

func (e *unavailable) Error() string { return e.msg }

// wireError maps a Go error to its wire error: the single place where the
// runtime's errors become JSON-RPC codes.
func wireError(err error) *rpc.Error {
	var (
		re   *rpc.Error
		pe   *paramError
		ue   *unavailable
		le   *llm.Error
		ume  *llm.UnknownModelError
		upe  *llm.UnknownProviderError
		cerr *store.ConflictError
		we   *mob.WatermarkError
		hd   *hook.DeniedError
	)
	msg := err.Error()
	var rej *live.RejectError
	switch {
	case errors.As(err, &re):
		return re
	case errors.As(err, &rej):
		return liveError(msg, rej.ErrorCode())
	case errors.Is(err, live.ErrNotRealtime):
		return liveError(msg, map[string]any{"code": "config_rejected",
			"reason": map[string]any{"kind": "non_realtime_resolution", "detail": msg}})
	case errors.Is(err, live.ErrNotFound), errors.Is(err, live.ErrClosed), errors.Is(err, live.ErrExists), errors.Is(err, live.ErrLimit),
		errors.Is(err, live.ErrBadToken):
		return wire.NewError(rpc.CodeInvalidParams, msg, nil)
	case errors.As(err, &pe):
		return wire.NewError(rpc.CodeInvalidParams, pe.msg, nil)
	case errors.As(err, &ue):
		return wire.NewError(rpc.CodeCapabilityUnavailable, ue.msg,
			map[string]string{"capability": ue.capability})
	case errors.As(err, &cerr):
		return wire.NewError(rpc.CodeInvalidParams, cerr.Error(),
			map[string]uint64{"expected": cerr.Expected, "current": cerr.Current})
	case errors.As(err, &we):
		return wire.NewError(rpc.CodeWatermark, msg, map[string]uint64{"watermark": we.Watermark, "requested": we.Requested})
	case errors.Is(err, mob.ErrInvalid), errors.Is(err, mob.ErrNotFound), errors.Is(err, mob.ErrState),
		errors.Is(err, mob.ErrProfileNotFound), errors.Is(err, mob.ErrMemberExists):
		return wire.NewError(rpc.CodeInvalidParams, msg, nil)
	case errors.Is(err, comms.ErrPeerNotFound), errors.Is(err, comms.ErrEnvelope), errors.Is(err, comms.ErrConfig):
		return wire.NewError(rpc.CodeInvalidParams, msg, nil)
	case errors.Is(err, schedule.ErrNotFound):
		return wire.NewError(rpc.CodeScheduleNotFound, msg, nil)
	case errors.Is(err, schedule.ErrInvalid), errors.Is(err, blob.ErrNotFound), errors.Is(err, blob.ErrInvalid),
		errors.Is(err, blob.ErrFull):
		return wire.NewError(rpc.CodeInvalidParams, msg, nil)
	case errors.As(err, &hd):
		details := map[string]any{"hook_id": hd.HookID, "point": hd.Point, "reason_code": hd.ReasonCode, "message": hd.Message}
		if hd.Payload != nil {
			details["payload"] = hd.Payload
		}
		return wire.NewError(rpc.CodeHookDenied, msg, details)
	case errors.Is(err, hook.ErrConfig):
		return wire.NewError(rpc.CodeInvalidParams, msg, nil)
	case errors.Is(err, skill.ErrNotFound):
		return wire.NewError(rpc.CodeSkillNotFound, msg, nil)
	case errors.Is(err, skill.ErrTooLarge):
		return wire.NewError(rpc.CodeSkillResolution, msg, nil)
	case errors.Is(err, skill.ErrInvalidKey):
		return wire.NewError(rpc.CodeInvalidParams, msg, nil)
	case errors.Is(err, session.ErrNotFound), errors.Is(err, session.ErrArchived), errors.Is(err, store.ErrNotFound):
		return wire.NewError(rpc.CodeSessionNotFound, msg, nil)
	case errors.Is(err, mcp.ErrConfig), errors.Is(err, mcp.ErrUnknownServer), errors.Is(err, mcp.ErrServerExists):
		return wire.NewError(rpc.CodeInvalidParams, msg, nil)
	case errors.Is(err, session.ErrBusy), errors.Is(err, session.ErrPendingFull), errors.Is(err, mcp.ErrTooManyStaged):
		return wire.NewError(rpc.CodeSessionBusy, msg, nil)
	case errors.Is(err, session.ErrInterrupted), errors.Is(err, context.Canceled):
		return wire.NewError(rpc.CodeRequestCancelled, msg, nil)
	case errors.Is(err, agent.ErrBudgetExhausted):
		return wire.NewError(rpc.CodeBudgetExhausted, msg, nil)
	case errors.As(err, &ume), errors.As(err, &upe), errors.Is(err, session.ErrInvalid),
		errors.Is(err, store.ErrInvalid), errors.Is(err, wire.ErrContent), errors.Is(err, agentpeer.ErrConfig):
		return wire.NewError(rpc.CodeInvalidParams, msg, nil)
	case errors.As(err, &le):
		return wire.NewError(rpc.CodeProviderError, msg,
			map[string]any{"provider": le.Provider, "kind": le.Kind, "status": le.Status})
	default:
		return wire.NewError(rpc.CodeInternalError, msg, nil)
	}
}

// liveError is the contract's live input error: -32602 with
// data.error_code, plus the semantic code every error carries.
func liveError(msg string, code map[string]any) *rpc.Error {
	e := wire.NewError(rpc.CodeInvalidParams, msg, code)
	var data map[string]any
	if json.Unmarshal(e.Data, &data) == nil {
		data["error_code"] = code
		e.Data, _ = json.Marshal(data)
	}
	return e
}
