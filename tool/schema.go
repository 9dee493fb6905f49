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

// ErrExternalRef reports a schema that references a document outside
// itself: a file, a device, a URL. Only references into the schema itself
// ("#...", or an $id it declares) are allowed.
var ErrExternalRef = errors.New("only references inside the schema are allowed; other documents are never loaded")

// schemaLocation names a caller's schema for the compiler. Relative
// references resolve against it to other URLs of a reserved host (.invalid),
// which the loader refuses; against a file path they would name files, and
// against a URN they would silently resolve to the schema itself.
const schemaLocation = "https://schema.rkat.invalid/caller.json"

// CompileSchema compiles a caller's JSON Schema and returns it with the
// decoded document. It is the one place where schemas are compiled (tool
// input schemas, output schemas of runs and session/create):
// the compiler's loader refuses every document, so a schema can never make
// the process open a file or a connection; a reference that needs one fails
// with ErrExternalRef (the standard meta-schemas are built in).
func CompileSchema(raw json.RawMessage) (*jsonschema.Schema, any, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, fmt.Errorf("schema is not valid JSON: %w", err)
	}
	c := jsonschema.NewCompiler()
	refused := &refusingLoader{}
	c.UseLoader(refused)
	if err := c.AddResource(schemaLocation, doc); err != nil {
		return nil, nil, fmt.Errorf("schema: %w", err)
	}
	s, err := c.Compile(schemaLocation)
	switch {
	case refused.url != "":
		return nil, nil, fmt.Errorf("schema refers to %q: %w", refused.url, ErrExternalRef)
	case err != nil:
		return nil, nil, fmt.Errorf("schema is not a valid JSON Schema: %w", err)
	}
	return s, doc, nil
}

// refusingLoader refuses to load any document, remembering the first URL
// asked for.
type refusingLoader struct{ url string }

func (l *refusingLoader) Load(url string) (any, error) {
	if l.url == "" {
		l.url = url
	}
	return nil, ErrExternalRef
}

// validator is the lazily compiled input schema of one tool.
type validator struct {
	once   sync.Once
	schema *jsonschema.Schema // nil when the schema is empty or does not compile
}

// validate checks args against the tool's schema, compiling it on first
// use. A schema that does not compile (or refers to another document)
// validates nothing: the tool itself then sees the arguments.
func (v *validator) validate(def llm.ToolDef, args json.RawMessage) error {
	v.once.Do(func() {
		if s := bytes.TrimSpace(def.InputSchema); len(s) > 0 && s[0] == '{' {
			v.schema, _, _ = CompileSchema(s)
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
