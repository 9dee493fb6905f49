package server

import (
	"bytes"
	"context"
	"encoding/json"

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

// skillText renders the skills named by preload_skills (bare SkillKeys) and
// skill_refs (SkillRefs of kind "structured") for the system prompt; ""
// when none are named.
func (s *Server) skillText(preload, refs json.RawMessage) (string, error) {
	var keys []skill.Key
	if asks(preload) {
		if err := decodeStrict(preload, &keys); err != nil {
			return "", invalidParams("preload_skills must be an array of {source_uuid, skill_name}: %v", err)
		}
	}
	if asks(refs) {
		var rs []wire.SkillRef
		if err := decodeStrict(refs, &rs); err != nil {
			return "", invalidParams("skill_refs must be an array of {kind:\"structured\", source_uuid, skill_name}: %v", err)
		}
		for _, r := range rs {
			if r.Kind != wire.SkillRefKindStructured {
				return "", invalidParams("skill_refs: kind must be %q, got %q", wire.SkillRefKindStructured, r.Kind)
			}
			keys = append(keys, r.Key)
		}
	}
	if len(keys) == 0 {
		return "", nil
	}
	if s.cfg.Skills == nil {
		return "", &unavailable{capability: "skills", msg: "skills are not available in this server"}
	}
	return s.cfg.Skills.Load().Render(keys)
}

// decodeStrict decodes raw into v, refusing unknown keys.
func decodeStrict(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
