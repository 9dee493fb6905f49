// Package clip shortens text for messages and displays.
package clip

import "unicode/utf8"

// String returns s cut to at most n bytes on a rune boundary, with "…"
// appended when it was cut.
func String(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return Bytes(s, n) + "…"
}

// Bytes returns s cut to at most n bytes on a rune boundary.
func Bytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
