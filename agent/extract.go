package agent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/internal/clip"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// maxReasonLen bounds the validation message passed back to the model.
const maxReasonLen = 1000

// OutputSchema is a compiled JSON Schema for a run's structured output.
// Compile it once with CompileOutputSchema and reuse it across runs; it is
// safe for concurrent use.
type OutputSchema struct {
	raw     json.RawMessage // as given
	compact string          // as sent to the model
	schema  *jsonschema.Schema
	doc     any   // decoded, for the schema warnings
	err     error // why raw did not compile (InvalidOutputSchema)
}

// CompileOutputSchema compiles raw (tool.CompileSchema: references to other
// documents are refused, never loaded).
func CompileOutputSchema(raw json.RawMessage) (*OutputSchema, error) {
	s, doc, err := tool.CompileSchema(raw)
	if err != nil {
		return nil, err
	}
	var compact bytes.Buffer
	_ = json.Compact(&compact, raw) // valid: CompileSchema decoded it
	return &OutputSchema{raw: raw, compact: compact.String(), schema: s, doc: doc}, nil
}

// InvalidOutputSchema stands for raw, a schema that CompileOutputSchema
// refused with err, such as one stored before schemas were compiled up
// front: a run given it fails right after it starts, with
// CauseStructuredOutput.
func InvalidOutputSchema(raw json.RawMessage, err error) *OutputSchema {
	return &OutputSchema{raw: raw, err: err}
}

// Raw returns the schema as it was given to CompileOutputSchema or
// InvalidOutputSchema. It is shared and must not be modified.
func (o *OutputSchema) Raw() json.RawMessage { return o.raw }

// extraction is the structured-output step of a run.
type extraction struct {
	*OutputSchema
	attempts int
	warnings []event.SchemaWarning
}

func newExtraction(o *OutputSchema, provider string, retries int) *extraction {
	switch {
	case retries == 0:
		retries = DefaultStructuredOutputRetries
	case retries < 0:
		retries = 0
	}
	return &extraction{OutputSchema: o, attempts: 1 + retries, warnings: schemaWarnings(o.doc, provider)}
}

// extract asks the model for JSON matching the schema, up to x.attempts
// times, and records the validated output in the result.
func (r *runner) extract(x *extraction) error {
	r.res.SchemaWarnings = x.warnings
	var last, reason string
	var refused []llm.Block // results for tool calls of the previous attempt
	for attempt := 1; attempt <= x.attempts; attempt++ {
		r.msgs = append(r.msgs, llm.Message{Role: llm.RoleUser, Content: append(refused,
			llm.Text(extractionInstructions(reason)),
			llm.Text(x.compact),
		)})
		refused = nil
		out, err := r.call()
		if err != nil {
			return err
		}
		last = out.text
		if len(out.calls) > 0 {
			refused = r.refuseTools(out.calls)
			reason = "the reply called tools; tools are not available in this step"
			continue
		}
		value, err := x.validate(out.text)
		if err == nil {
			r.res.StructuredOutput = value
			r.emit(event.ExtractionSucceeded{SessionID: r.cfg.SessionID, StructuredOutput: value, SchemaWarnings: x.warnings})
			return nil
		}
		reason = clip.String(err.Error(), maxReasonLen)
	}
	if refused != nil {
		r.msgs = append(r.msgs, llm.Message{Role: llm.RoleUser, Content: refused})
	}
	r.res.ExtractionError = &ExtractionError{LastOutput: last, Attempts: x.attempts, Reason: reason}
	r.emit(event.ExtractionFailed{SessionID: r.cfg.SessionID, LastOutput: last, Attempts: x.attempts, Reason: reason})
	return &RunError{Cause: CauseStructuredOutput,
		Err: fmt.Errorf("%w after %d attempts: %s", ErrStructuredOutput, x.attempts, reason)}
}

// extractionInstructions is the text of an extraction request; reason is
// why the previous attempt failed, empty on the first.
func extractionInstructions(reason string) string {
	if reason == "" {
		return llm.ExtractionPrompt + " Reply with only a JSON value that matches the JSON Schema below: no prose, no code fences.\n"
	}
	return llm.ExtractionPrompt + " Your previous reply was rejected: " + reason +
		". Reply again with only a JSON value that matches the JSON Schema below.\n"
}

// refuseTools answers tool calls made during extraction without running
// them, returning the tool_result blocks.
func (r *runner) refuseTools(calls []pendingCall) []llm.Block {
	results := make([]llm.Block, len(calls), len(calls)+2)
	for i := range calls {
		r.deliver(&calls[i], results, i, tool.ErrorResult("Error: tools are not available while producing structured output."))
	}
	return results
}

// validate parses the model's reply (code fences allowed) and checks it
// against the schema, returning the compact JSON.
func (x *extraction) validate(text string) (json.RawMessage, error) {
	text = stripFences(text)
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("the reply is not valid JSON: %w", err)
	}
	if err := x.schema.Validate(v); err != nil {
		return nil, fmt.Errorf("the reply does not match the schema: %w", err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(text)); err != nil {
		return nil, fmt.Errorf("the reply is not valid JSON: %w", err)
	}
	return buf.Bytes(), nil
}

// stripFences removes a Markdown code fence around text.
func stripFences(text string) string {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "```") {
		return t
	}
	t = strings.TrimPrefix(t, "```")
	if nl := strings.IndexByte(t, '\n'); nl >= 0 {
		t = t[nl+1:] // drop the info string, e.g. "json"
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(t), "```"))
}

// maxWarningDepth bounds the schema walk for warnings.
const maxWarningDepth = 16

// schemaWarnings reports features of the schema that some providers'
// strict structured-output modes reject: a root that is not an object,
// objects that allow additional properties, optional properties.
func schemaWarnings(doc any, provider string) []event.SchemaWarning {
	var out []event.SchemaWarning
	add := func(path, msg string) {
		out = append(out, event.SchemaWarning{Provider: provider, Path: path, Message: msg})
	}
	root, ok := doc.(map[string]any)
	if !ok {
		return nil
	}
	if t, _ := root["type"].(string); t != "object" {
		add("", "the root is not an object schema; some providers require an object at the root")
	}
	var walk func(s map[string]any, path string, depth int)
	walk = func(s map[string]any, path string, depth int) {
		if depth > maxWarningDepth {
			return
		}
		if props, ok := s["properties"].(map[string]any); ok {
			if ap, _ := s["additionalProperties"].(bool); ap || s["additionalProperties"] == nil {
				add(path, "additionalProperties is not false; strict modes require it")
			}
			required := map[string]bool{}
			if req, ok := s["required"].([]any); ok {
				for _, n := range req {
					if name, ok := n.(string); ok {
						required[name] = true
					}
				}
			}
			for _, name := range slices.Sorted(maps.Keys(props)) {
				p := path + "/properties/" + strings.ReplaceAll(strings.ReplaceAll(name, "~", "~0"), "/", "~1")
				if !required[name] {
					add(p, "property "+strconv.Quote(name)+" is optional; strict modes require every property to be required")
				}
				if sub, ok := props[name].(map[string]any); ok {
					walk(sub, p, depth+1)
				}
			}
		}
		if items, ok := s["items"].(map[string]any); ok {
			walk(items, path+"/items", depth+1)
		}
	}
	walk(root, "", 0)
	return out
}
