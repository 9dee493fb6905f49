package scripted

import (
	"encoding/json"
	"strings"

	"github.com/rkat-dev/rkat/llm"
)

// maxExampleDepth bounds the recursion into nested schemas.
const maxExampleDepth = 32

// exampleFromSchema answers a structured-output request with a minimal JSON
// value for the schema in the request's last text block: required object
// properties only, the first enum value or const, the minimum of numbers,
// minItems array items, minLength strings. Schemas it cannot read yield {}.
func exampleFromSchema(m *llm.Message) string {
	var schema any
	last := m.Content[len(m.Content)-1]
	if err := json.Unmarshal([]byte(last.Text), &schema); err != nil {
		return "{}"
	}
	out, err := json.Marshal(example(schema, 0))
	if err != nil {
		return "{}"
	}
	return string(out)
}

func example(schema any, depth int) any {
	s, ok := schema.(map[string]any)
	if !ok || depth > maxExampleDepth {
		return map[string]any{}
	}
	if v, ok := s["const"]; ok {
		return v
	}
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	for _, key := range []string{"anyOf", "oneOf", "allOf"} {
		if alts, ok := s[key].([]any); ok && len(alts) > 0 {
			return example(alts[0], depth+1)
		}
	}
	switch schemaType(s) {
	case "string":
		n, _ := s["minLength"].(float64)
		return strings.Repeat("x", int(min(max(n, 0), 1024)))
	case "integer", "number":
		if v, ok := s["minimum"].(float64); ok {
			return v
		}
		if v, ok := s["exclusiveMinimum"].(float64); ok {
			return v + 1
		}
		if v, ok := s["maximum"].(float64); ok && v < 0 {
			return v
		}
		return 0
	case "boolean":
		return false
	case "null":
		return nil
	case "array":
		n, _ := s["minItems"].(float64)
		items := make([]any, int(min(max(n, 0), 64)))
		for i := range items {
			items[i] = example(s["items"], depth+1)
		}
		return items
	}
	obj := map[string]any{}
	props, _ := s["properties"].(map[string]any)
	req, _ := s["required"].([]any)
	for _, r := range req {
		if name, ok := r.(string); ok {
			obj[name] = example(props[name], depth+1)
		}
	}
	return obj
}

// schemaType returns the schema's first non-null type, "object" when the
// schema has properties but no type.
func schemaType(s map[string]any) string {
	switch t := s["type"].(type) {
	case string:
		return t
	case []any:
		for _, v := range t {
			if name, ok := v.(string); ok && name != "null" {
				return name
			}
		}
	}
	return "object"
}
