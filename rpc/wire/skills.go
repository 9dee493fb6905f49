package wire

import "github.com/rkat-dev/rkat/skill"

// SkillRef is one entry of skill_refs: a SkillKey tagged with its kind
// (always "structured").
type SkillRef struct {
	Kind string `json:"kind"`
	skill.Key
}

// SkillRefKindStructured is the only kind of SkillRef.
const SkillRefKindStructured = "structured"

// SkillsListResult is the result of skills/list.
type SkillsListResult struct {
	Skills []SkillEntry `json:"skills"`
}

// SkillEntry is one skill of skills/list.
type SkillEntry struct {
	Key         skill.Key     `json:"key"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Scope       skill.Scope   `json:"scope"`
	Source      *skill.Source `json:"source"`
	IsActive    bool          `json:"is_active"`
	ShadowedBy  *skill.Source `json:"shadowed_by,omitempty"`
}
