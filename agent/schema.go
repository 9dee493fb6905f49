package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

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
// decoded document. It is the one place where caller schemas are compiled:
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
