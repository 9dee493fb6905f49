package wire

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// This file holds a small allocation-free reader of already validated JSON
// (see Valid), used by the adapters' fast paths for the most frequent
// event: a text delta. Anything the fast path does not recognise exactly
// falls back to encoding/json.

// skipWS returns the index of the first non-space byte at or after i.
func skipWS(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index just past the string starting at data[i].
func skipString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(data)
}

// skipValue returns the index just past the value starting at data[i].
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for ; i < len(data); i++ {
			switch data[i] {
			case '"':
				i = skipString(data, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(data)
	}
	for i < len(data) {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// Members calls fn with the raw key (without quotes, escapes left as they
// are) and raw value of each member of the JSON object raw, until fn
// returns false. It reports whether raw is an object. raw must be valid.
func Members(raw []byte, fn func(key, val []byte) bool) bool {
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return false
	}
	i = skipWS(raw, i+1)
	for i < len(raw) && raw[i] == '"' {
		end := skipString(raw, i)
		key := raw[i+1 : end-1]
		i = skipWS(raw, end)
		i = skipWS(raw, i+1) // past ':'
		vend := skipValue(raw, i)
		if !fn(key, raw[i:vend]) {
			return true
		}
		i = skipWS(raw, vend)
		if i < len(raw) && raw[i] == ',' {
			i = skipWS(raw, i+1)
		}
	}
	return true
}

// Elements calls fn with each raw element of the JSON array raw until fn
// returns false. It reports whether raw is an array. raw must be valid.
func Elements(raw []byte, fn func(val []byte) bool) bool {
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return false
	}
	i = skipWS(raw, i+1)
	for i < len(raw) && raw[i] != ']' {
		end := skipValue(raw, i)
		if !fn(raw[i:end]) {
			return true
		}
		i = skipWS(raw, end)
		if i < len(raw) && raw[i] == ',' {
			i = skipWS(raw, i+1)
		}
	}
	return true
}

// Str returns the JSON string raw unquoted.
func Str(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// Int returns the JSON integer raw (at most 18 digits).
func Int(raw []byte) (int64, bool) {
	neg := len(raw) > 0 && raw[0] == '-'
	if neg {
		raw = raw[1:]
	}
	if len(raw) == 0 || len(raw) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// IsNull reports whether raw is absent or the JSON null.
func IsNull(raw []byte) bool { return len(raw) == 0 || string(raw) == "null" }

// Ambiguous reports whether an object key read by Members might name one
// of fields for encoding/json without equalling it: a key with an escape,
// or one that differs from a field only in case (encoding/json matches
// field names case-insensitively). Fast paths give up on such keys so that
// they decode exactly as the encoding/json path would.
func Ambiguous(key []byte, fields ...string) bool {
	if bytes.IndexByte(key, '\\') >= 0 {
		return true
	}
	for _, f := range fields {
		if len(key) == len(f) && string(key) != f && bytes.EqualFold(key, []byte(f)) {
			return true
		}
	}
	return false
}
