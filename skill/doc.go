// Package skill holds skills: reusable instructions (a folder with a
// SKILL.md whose YAML frontmatter names and describes it, plus resource
// files) that a session can preload, reference on a turn, or let the model
// load through tools.
//
// A Library knows three sources in precedence order: project
// (<context root>/.rkat/skills), user (<user root>/.rkat/skills) and builtin
// (embedded in the binary). Library.Load reads them into an immutable
// Catalog on every call; there is no cache, no goroutine and no watcher, so
// an edited SKILL.md is seen by the next list, turn or tool call. A skill
// name in a higher source shadows the same name below it: the shadowed entry
// stays listed (is_active false, shadowed_by naming the winner) and stays
// addressable by its own Key. A malformed SKILL.md never fails a load: it is
// skipped and reported in Catalog.Problems by its location. Reads are
// bounded (MaxSkillBytes per SKILL.md, MaxResourceBytes per resource,
// MaxInjectionBytes per rendered injection).
package skill
