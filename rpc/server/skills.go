package server

import (
	"context"
	"encoding/json"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/skill"
)

// skillsList serves skills/list: every skill of every source, shadowed ones
// included (is_active false, shadowed_by naming the winning source).
func (s *Server) skillsList(_ context.Context, _ *connState, params json.RawMessage) (any, error) {
	if _, err := decode[struct{}](params); err != nil {
		return nil, err
	}
	out := wire.SkillsListResult{Skills: []wire.SkillEntry{}}
	for _, sk := range s.cfg.Skills.Load().Skills() {
		out.Skills = append(out.Skills, wire.SkillEntry{Key: sk.Key, Name: sk.Name, Description: sk.Description,
			Scope: sk.Source.Scope, Source: sk.Source, IsActive: sk.Active, ShadowedBy: sk.ShadowedBy})
	}
	return out, nil
}

// resolvedSkills are the skills a request names, rendered for the system
// prompt: preload (preload_skills) and refs (skill_refs) separately.
type resolvedSkills struct {
	preload, refs string
	keys          []skill.Key
}

// notices returns the skills_resolved event of the resolution, nil when
// no skill was named.
func (r resolvedSkills) notices() []event.Event {
	if len(r.keys) == 0 {
		return nil
	}
	ev := event.SkillsResolved{InjectionBytes: len(r.preload) + len(r.refs)}
	for _, k := range r.keys {
		ev.Skills = append(ev.Skills, event.SkillKey{SourceUUID: k.SourceUUID, SkillName: k.SkillName})
	}
	return []event.Event{ev}
}

// resolveSkills renders the skills named by preload_skills (bare SkillKeys)
// and skill_refs (SkillRefs of kind "structured").
func (s *Server) resolveSkills(preload, refs json.RawMessage) (resolvedSkills, error) {
	var out resolvedSkills
	var pre []skill.Key
	if asks(preload) {
		if err := decodeStrict(preload, &pre); err != nil {
			return out, invalidParams("preload_skills must be an array of {source_uuid, skill_name}: %v", err)
		}
	}
	var ref []skill.Key
	if asks(refs) {
		var rs []wire.SkillRef
		if err := decodeStrict(refs, &rs); err != nil {
			return out, invalidParams("skill_refs must be an array of {kind:\"structured\", source_uuid, skill_name}: %v", err)
		}
		for _, r := range rs {
			if r.Kind != wire.SkillRefKindStructured {
				return out, invalidParams("skill_refs: kind must be %q, got %q", wire.SkillRefKindStructured, r.Kind)
			}
			ref = append(ref, r.Key)
		}
	}
	if len(pre)+len(ref) == 0 {
		return out, nil
	}
	if s.cfg.Skills == nil {
		return out, &unavailable{capability: "skills", msg: "skills are not available in this server"}
	}
	cat := s.cfg.Skills.Load()
	var err error
	if out.preload, err = cat.Render(pre); err != nil {
		return out, err
	}
	if out.refs, err = cat.Render(ref); err != nil {
		return out, err
	}
	out.keys = append(pre, ref...)
	return out, nil
}
