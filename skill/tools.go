package skill

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// Tools returns the model-facing tools over l: browse_skills, load_skill,
// skill_list_resources and skill_read_resource. Each call reads the sources
// afresh.
func (l *Library) Tools() []tool.Tool {
	keyProps := `"source_uuid":{"type":"string","description":"the skill's source_uuid, as browse_skills lists it"},` +
		`"skill_name":{"type":"string","description":"the skill's name"}`
	return []tool.Tool{
		tool.Func{
			Definition: llm.ToolDef{Name: "browse_skills",
				Description: "List available skills (key, name, description), optionally filtered by a search query or a source_uuid.",
				InputSchema: json.RawMessage(`{"type":"object","properties":{"query":{"type":"string"},"source_uuid":{"type":"string"}}}`)},
			Fn: l.browse,
		},
		tool.Func{
			Definition: llm.ToolDef{Name: "load_skill",
				Description: "Load a skill's full instructions by (source_uuid, skill_name).",
				InputSchema: json.RawMessage(`{"type":"object","properties":{` + keyProps + `},"required":["source_uuid","skill_name"]}`)},
			Fn: l.load,
		},
		tool.Func{
			Definition: llm.ToolDef{Name: "skill_list_resources",
				Description: "List the resource files of a skill identified by (source_uuid, skill_name).",
				InputSchema: json.RawMessage(`{"type":"object","properties":{` + keyProps + `},"required":["source_uuid","skill_name"]}`)},
			Fn: l.listResources,
		},
		tool.Func{
			Definition: llm.ToolDef{Name: "skill_read_resource",
				Description: "Read the resource at path (as skill_list_resources lists it) of a skill identified by (source_uuid, skill_name).",
				InputSchema: json.RawMessage(`{"type":"object","properties":{` + keyProps +
					`,"path":{"type":"string"}},"required":["source_uuid","skill_name","path"]}`)},
			Fn: l.readResource,
		},
	}
}

type toolArgs struct {
	Key
	Query string `json:"query"`
	Path  string `json:"path"`
}

func decodeArgs(raw json.RawMessage) (toolArgs, error) {
	var a toolArgs
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, fmt.Errorf("invalid arguments: %w", err)
	}
	return a, nil
}

func (l *Library) browse(_ context.Context, raw json.RawMessage) (tool.Result, error) {
	a, err := decodeArgs(raw)
	if err != nil {
		return tool.Result{}, err
	}
	q := strings.ToLower(a.Query)
	type entry struct {
		Key
		Name        string `json:"name"`
		Description string `json:"description"`
		Scope       Scope  `json:"scope"`
	}
	out := []entry{}
	for _, s := range l.Load().Skills() {
		if !s.Active || (a.SourceUUID != "" && s.Key.SourceUUID != a.SourceUUID) ||
			(q != "" && !strings.Contains(strings.ToLower(s.Name+" "+s.Description), q)) {
			continue
		}
		out = append(out, entry{Key: s.Key, Name: s.Name, Description: s.Description, Scope: s.Source.Scope})
	}
	return tool.JSONResult(map[string]any{"skills": out})
}

func (l *Library) load(_ context.Context, raw json.RawMessage) (tool.Result, error) {
	a, err := decodeArgs(raw)
	if err != nil {
		return tool.Result{}, err
	}
	s, err := l.Load().Get(a.Key)
	if err != nil {
		return tool.Result{}, err
	}
	return tool.JSONResult(map[string]any{"source_uuid": s.Key.SourceUUID, "skill_name": s.Name, "name": s.Name,
		"body": s.Body, "byte_size": len(s.Body)})
}

func (l *Library) listResources(_ context.Context, raw json.RawMessage) (tool.Result, error) {
	a, err := decodeArgs(raw)
	if err != nil {
		return tool.Result{}, err
	}
	list, err := l.Load().Resources(a.Key)
	if err != nil {
		return tool.Result{}, err
	}
	if list == nil {
		list = []string{}
	}
	return tool.JSONResult(map[string]any{"source_uuid": a.SourceUUID, "skill_name": a.SkillName, "resources": list})
}

func (l *Library) readResource(_ context.Context, raw json.RawMessage) (tool.Result, error) {
	a, err := decodeArgs(raw)
	if err != nil {
		return tool.Result{}, err
	}
	data, err := l.Load().ReadResource(a.Key, a.Path)
	if err != nil {
		return tool.Result{}, err
	}
	if !utf8.Valid(data) {
		return tool.Result{}, fmt.Errorf("resource %q is not UTF-8 text", a.Path)
	}
	return tool.JSONResult(map[string]any{"source_uuid": a.SourceUUID, "skill_name": a.SkillName, "path": a.Path, "content": string(data)})
}
