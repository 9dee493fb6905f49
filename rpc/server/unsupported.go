package server

import (
	"bytes"
	"encoding/json"
)

// unsupportedCreateFields are session/create fields that ask for a
// capability this build does not deliver yet. A request that asks for one
// (a true flag, a non-empty value) is refused with -32602 naming the field,
// never accepted and ignored; false, null and empty values ask for nothing
// and pass. When a capability lands, delete its entries here and honour the
// field where the request is handled.
var unsupportedCreateFields = []struct{ field, capability string }{
	{"enable_memory", "memory_store"},
	{"enable_workgraph", "work_graph"},
	{"enable_mob", "mob"},
	{"enable_web_search", "web_search"},
}

// refuseUnsupported returns an invalid-params error naming the first field
// of params that asks for an unsupported capability.
func refuseUnsupported(params json.RawMessage) error {
	var fields map[string]json.RawMessage
	if json.Unmarshal(params, &fields) != nil {
		return nil // decode reports the malformed request
	}
	for _, u := range unsupportedCreateFields {
		if asks(fields[u.field]) {
			return invalidParams("%s is not supported by this build (the %s capability is not available); leave it out or set it false",
				u.field, u.capability)
		}
	}
	return nil
}

// asks reports whether a field's raw value asks for something: anything but
// absent, null, false, "", {} and [].
func asks(raw json.RawMessage) bool {
	switch string(bytes.TrimSpace(raw)) {
	case "", "null", "false", `""`:
		return false
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return true
	}
	switch t := v.(type) {
	case map[string]any:
		return len(t) > 0
	case []any:
		return len(t) > 0
	}
	return true
}
