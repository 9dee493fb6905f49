package tool

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/rkat-dev/rkat/llm"
)

// ErrInvalidArgs is matched (errors.Is) by the error of arguments that do not
// match a tool's input schema.
var ErrInvalidArgs = errors.New("tool: arguments do not match the input schema")

// CompileSchema compiles a JSON Schema document with remote and file loading
// disabled: a $ref may only point inside the document (or at the standard
// metaschemas the library embeds).
func CompileSchema(raw json.RawMessage) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("schema is not valid JSON: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(jsonschema.SchemeURLLoader{})
	if err := c.AddResource("schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("schema.json")
}

// validator is the lazily compiled input schema of one tool.
type validator struct {
	once   sync.Once
	schema *jsonschema.Schema // nil when the schema is empty or does not compile
}

// validate checks args against the tool's schema, compiling it on first
// use. A schema that does not compile validates nothing: the tool itself
// then sees the arguments, as before schemas were checked.
func (v *validator) validate(def llm.ToolDef, args json.RawMessage) error {
	v.once.Do(func() {
		if s := bytes.TrimSpace(def.InputSchema); len(s) > 0 && s[0] == '{' {
			v.schema, _ = CompileSchema(s)
		}
	})
	if v.schema == nil {
		return nil
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(args))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidArgs, err)
	}
	err = v.schema.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("%w: %v", ErrInvalidArgs, err)
	}
	return fmt.Errorf("%w: %s", ErrInvalidArgs, describe(ve))
}

// describe lists the leaf failures of a validation error, each with the
// JSON pointer of the field it concerns ("/timeout_secs: got string, want
// integer"; a missing field is named by its parent: "(root): missing
// property 'command'").
func describe(ve *jsonschema.ValidationError) string {
	var parts []string
	for _, u := range ve.BasicOutput().Errors {
		if u.Error == nil || len(u.Error.String()) == 0 {
			continue
		}
		msg := u.Error.String()
		if strings.HasPrefix(msg, "validation failed") {
			continue
		}
		loc := u.InstanceLocation
		if loc == "" {
			loc = "(root)"
		}
		parts = append(parts, loc+": "+msg)
		if len(parts) == 5 {
			break
		}
	}
	if len(parts) == 0 {
		return ve.Error()
	}
	return strings.Join(parts, "; ")
}
