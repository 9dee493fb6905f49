package server

import (
	"context"
	"encoding/json"

	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/schedule"
	"github.com/rkat-dev/rkat/tool"
)

// scheduleMethods adds the schedule/* methods; only called when
// Config.Schedules is set.
func (s *Server) scheduleMethods() {
	for name, m := range map[string]method{
		wire.MethodScheduleCreate:      s.scheduleCreate,
		wire.MethodScheduleGet:         s.scheduleByID((*schedule.Service).Get),
		wire.MethodSchedulePause:       s.scheduleByID((*schedule.Service).Pause),
		wire.MethodScheduleResume:      s.scheduleByID((*schedule.Service).Resume),
		wire.MethodScheduleDelete:      s.scheduleByID((*schedule.Service).Delete),
		wire.MethodScheduleList:        s.scheduleList,
		wire.MethodScheduleUpdate:      s.scheduleUpdate,
		wire.MethodScheduleOccurrences: s.scheduleOccurrences,
		wire.MethodScheduleTools:       s.scheduleTools,
		wire.MethodScheduleCall:        s.scheduleCall,
	} {
		s.methods[name] = m
	}
}

// scheduler opens the realm and returns its schedule service.
func (s *Server) scheduler() (*schedule.Service, error) {
	if _, _, err := s.service(); err != nil {
		return nil, err
	}
	return s.cfg.Schedules(), nil
}

func (s *Server) scheduleCreate(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[schedule.CreateRequest](params)
	if err != nil {
		return nil, err
	}
	sc, err := s.scheduler()
	if err != nil {
		return nil, err
	}
	return sc.Create(ctx, p)
}

func (s *Server) scheduleUpdate(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[schedule.UpdateRequest](params)
	if err != nil {
		return nil, err
	}
	sc, err := s.scheduler()
	if err != nil {
		return nil, err
	}
	return sc.Update(ctx, p)
}

func (s *Server) scheduleByID(op func(*schedule.Service, context.Context, string) (schedule.Record, error)) method {
	return func(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
		p, err := decode[wire.ScheduleIDParams](params)
		if err != nil {
			return nil, err
		}
		sc, err := s.scheduler()
		if err != nil {
			return nil, err
		}
		return op(sc, ctx, p.ScheduleID)
	}
}

func (s *Server) scheduleList(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, offset, limit, err := listParams(params)
	if err != nil {
		return nil, err
	}
	sc, err := s.scheduler()
	if err != nil {
		return nil, err
	}
	list, err := sc.List(ctx, schedule.ListRequest{Labels: p.Labels, Offset: offset, Limit: limit})
	if err != nil {
		return nil, err
	}
	return map[string][]schedule.Record{"schedules": list}, nil
}

func (s *Server) scheduleOccurrences(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.ScheduleOccurrencesParams](params)
	if err != nil {
		return nil, err
	}
	sc, err := s.scheduler()
	if err != nil {
		return nil, err
	}
	occs, err := sc.Occurrences(ctx, p.ScheduleID, p.IncludeTerminal == nil || *p.IncludeTerminal)
	if err != nil {
		return nil, err
	}
	return map[string][]schedule.Occurrence{"occurrences": occs}, nil
}

func (s *Server) scheduleTools(_ context.Context, _ *connState, params json.RawMessage) (any, error) {
	if _, err := decode[struct{}](params); err != nil {
		return nil, err
	}
	return map[string][]schedule.ToolDescriptor{"tools": schedule.ToolDescriptors()}, nil
}

func (s *Server) scheduleCall(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.ScheduleCallParams](params)
	if err != nil {
		return nil, err
	}
	if p.Name == "" {
		return nil, invalidParams("name is required")
	}
	sc, err := s.scheduler()
	if err != nil {
		return nil, err
	}
	return sc.Call(ctx, p.Name, p.Arguments, "")
}

// checkEnableSchedule refuses enable_schedule on a server without schedules.
func (s *Server) checkEnableSchedule(enable *bool) error {
	if enable != nil && *enable && s.cfg.Schedules == nil {
		return invalidParams("enable_schedule is not supported by this server (the schedule capability is not available)")
	}
	return nil
}

// sessionScheduleTools returns the model-facing schedule tools for a turn
// on session sid, its first (createStaged) or a later one, when the session
// was created with enable_schedule; nil otherwise.
func (s *Server) sessionScheduleTools(sid string) []tool.Tool {
	s.mu.Lock()
	enabled := s.scheduleSessions[sid]
	s.mu.Unlock()
	if !enabled || s.cfg.Schedules == nil {
		return nil
	}
	sc, err := s.scheduler()
	if err != nil {
		return nil
	}
	return sc.Tools(func() string { return sid })
}
