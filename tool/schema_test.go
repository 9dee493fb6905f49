package tool_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/tool"
)

func TestCompileSchemaRefusesOtherDocuments(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s.json")
	if err := os.WriteFile(file, []byte(`{"type":"string"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, schema string
		external     bool // refused as a reference to another document
		ok           bool
	}{
		{"local ref", `{"$defs":{"a":{"type":"string"}},"properties":{"x":{"$ref":"#/$defs/a"}}}`, false, true},
		{"anchor ref", `{"$defs":{"a":{"$anchor":"A","type":"string"}},"properties":{"x":{"$ref":"#A"}}}`, false, true},
		{"standard meta-schema", `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}`, false, true},
		{"own $id", `{"$id":"https://example.com/s","$defs":{"a":{"type":"string"}},"$ref":"#/$defs/a"}`, false, true},
		{"existing file", `{"$ref":"file://` + file + `"}`, true, false},
		{"stdin", `{"$ref":"file:///dev/stdin"}`, true, false},
		{"relative", `{"$ref":"s.json"}`, true, false},
		{"relative to own $id", `{"$id":"file:///etc/","$ref":"passwd"}`, true, false},
		{"http", `{"$ref":"http://127.0.0.1:1/s.json"}`, true, false},
		{"custom meta-schema", `{"$schema":"file:///etc/passwd"}`, true, false},
		{"not JSON", `{`, false, false},
		{"bad keyword", `{"type":12}`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := tool.CompileSchema(json.RawMessage(tt.schema))
			if (err == nil) != tt.ok || errors.Is(err, tool.ErrExternalRef) != tt.external {
				t.Fatalf("err = %v", err)
			}
			if err != nil && strings.Contains(err.Error(), "no such file") {
				t.Fatalf("error names the file system: %v", err)
			}
		})
	}
}

// FuzzCompileSchema compiles arbitrary schemas: compilation never panics,
// never loads a document (a schema without reference keywords is never
// refused as external), and a compiled schema validates values safely.
func FuzzCompileSchema(f *testing.F) {
	for _, s := range []string{
		`{"type":"object","properties":{"a":{"type":"string","minLength":2}},"required":["a"]}`,
		`{"$defs":{"a":{"type":"integer"}},"items":{"$ref":"#/$defs/a"}}`,
		`{"$ref":"file:///etc/passwd"}`,
		`{"$schema":"http://json-schema.org/draft-07/schema#","anyOf":[{"pattern":"^a+$"},{"enum":[1,"x",null]}]}`,
		`{"$id":"urn:x","$dynamicAnchor":"n","oneOf":[{"$dynamicRef":"#n"}]}`,
		`true`, `false`, `[]`, `{"format":"email","contentEncoding":"base64"}`,
	} {
		f.Add([]byte(s))
	}
	values := []any{nil, "x", 1.5, map[string]any{"a": "bb"}, []any{1, "x"}}
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, _, err := tool.CompileSchema(raw)
		if errors.Is(err, tool.ErrExternalRef) && !strings.Contains(string(raw), "$") {
			t.Fatalf("refused as external without any reference keyword: %v", err)
		}
		if err != nil {
			return
		}
		for _, v := range values {
			_ = s.Validate(v)
		}
	})
}
