package server

import (
	"bytes"
	"encoding/json"

	"github.com/rkat-dev/rkat/rpc/wire"
)

// refuseUnsupported returns an invalid-params error naming the first
// session/create field of p that asks for a capability this build does not
// deliver yet: a true flag is refused with -32602, never accepted and
// ignored; false and null ask for nothing and pass. When a capability lands,
// delete its entry here and honour the field where the request is handled.
func refuseUnsupported(p *wire.CreateParams) error {
	for _, u := range []struct {
		flag              *bool
		field, capability string
	}{
		{p.EnableMemory, "enable_memory", "memory_store"},
		{p.EnableWorkgraph, "enable_workgraph", "work_graph"},
		{p.EnableMob, "enable_mob", "mob"},
		{p.EnableWebSearch, "enable_web_search", "web_search"},
	} {
		if on(u.flag) {
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
