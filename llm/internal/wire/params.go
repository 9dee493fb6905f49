package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Check validates one provider parameter value.
type Check func(raw json.RawMessage) error

// MergeParams appends provider_params to the JSON object body as top-level
// keys, in sorted order. Keys the adapter owns (reserved) are refused, each
// value must be valid JSON, and keys with a Check are validated. Errors are
// *llm.Error of kind invalid_request.
func MergeParams(provider string, body []byte, params map[string]json.RawMessage, reserved []string, checks map[string]Check) ([]byte, error) {
	if len(params) == 0 {
		return body, nil
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	body = bytes.TrimRight(body, " \n")
	if len(body) < 2 || body[len(body)-1] != '}' {
		return nil, Invalid(provider, "request body is not a JSON object")
	}
	out := append([]byte(nil), body[:len(body)-1]...)
	for _, k := range keys {
		v := params[k]
		for _, r := range reserved {
			if k == r {
				return nil, Invalid(provider, "provider_params: %q is set by rkat and cannot be overridden", k)
			}
		}
		if !json.Valid(v) {
			return nil, Invalid(provider, "provider_params: %q is not valid JSON", k)
		}
		if c := checks[k]; c != nil {
			if err := c(v); err != nil {
				return nil, Invalid(provider, "provider_params: %s: %v", k, err)
			}
		}
		if out[len(out)-1] != '{' {
			out = append(out, ',')
		}
		name, _ := json.Marshal(k)
		out = append(out, name...)
		out = append(out, ':')
		out = append(out, v...)
	}
	return append(out, '}'), nil
}

// Number accepts a JSON number within [lo, hi].
func Number(lo, hi float64) Check {
	return func(raw json.RawMessage) error {
		var f float64
		if err := json.Unmarshal(raw, &f); err != nil {
			return fmt.Errorf("want a number, got %s", raw)
		}
		if f < lo || f > hi {
			return fmt.Errorf("%v is outside [%v, %v]", f, lo, hi)
		}
		return nil
	}
}

// Integer accepts a JSON integer of at least lo.
func Integer(lo int64) Check {
	return func(raw json.RawMessage) error {
		var n int64
		if err := json.Unmarshal(raw, &n); err != nil {
			return fmt.Errorf("want an integer, got %s", raw)
		}
		if n < lo {
			return fmt.Errorf("%d is below %d", n, lo)
		}
		return nil
	}
}

// OneOf accepts a JSON string among allowed.
func OneOf(allowed ...string) Check {
	return func(raw json.RawMessage) error {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return fmt.Errorf("want a string, got %s", raw)
		}
		for _, a := range allowed {
			if s == a {
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %v", s, allowed)
	}
}

// Strings accepts a JSON array of strings.
func Strings(raw json.RawMessage) error {
	var ss []string
	if err := json.Unmarshal(raw, &ss); err != nil {
		return fmt.Errorf("want an array of strings, got %s", raw)
	}
	return nil
}

// Bool accepts a JSON boolean.
func Bool(raw json.RawMessage) error {
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		return fmt.Errorf("want a boolean, got %s", raw)
	}
	return nil
}

// Object accepts a JSON object whose listed fields pass their checks;
// other fields pass through unchecked.
func Object(fields map[string]Check) Check {
	return func(raw json.RawMessage) error {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
			return fmt.Errorf("want an object, got %s", raw)
		}
		for name, c := range fields {
			if v, ok := obj[name]; ok {
				if err := c(v); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
		}
		return nil
	}
}
