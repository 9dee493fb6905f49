package mcp

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// MaxToolNameLen is the longest tool name every supported provider accepts
// (Anthropic, OpenAI and Gemini all cap function names at 64 characters).
const MaxToolNameLen = 64

// toolName returns the name under which the model sees tool of server:
// "<server>__<tool>".
//
// The scheme is chosen so that names are stable (a function of the server and
// tool names alone, so a transcript's earlier calls keep pointing at the same
// tool across turns and restarts), readable (the model sees which server a
// tool comes from) and valid for every provider: names may only hold
// [A-Za-z0-9_-], must start with a letter or underscore (Gemini) and are at
// most 64 characters. The double underscore separates server from tool and
// keeps MCP tools apart from builtin and callback tools, which never contain
// one. When sanitising had to change a character, or the name is too long,
// the name is cut and suffixed with "_" plus 8 hex digits of SHA-256 over
// server and tool, so two different originals cannot meet on one cleaned
// name; collisions between clean names are resolved by the manager with the
// same suffix (withHash).
func toolName(server, tool string) string {
	s, okS := sanitize(server)
	t, okT := sanitize(tool)
	name := s + "__" + t
	if okS && okT && len(name) <= MaxToolNameLen && startsWell(name) {
		return name
	}
	return withHash(server, tool)
}

// withHash returns the hashed form of the name of tool of server.
func withHash(server, tool string) string {
	s, _ := sanitize(server)
	t, _ := sanitize(tool)
	name := s + "__" + t
	if !startsWell(name) {
		name = "_" + name
	}
	sum := sha256.Sum256([]byte(server + "\x00" + tool))
	suffix := "_" + hex.EncodeToString(sum[:4])
	if len(name) > MaxToolNameLen-len(suffix) {
		name = name[:MaxToolNameLen-len(suffix)]
	}
	return name + suffix
}

// sanitize replaces characters outside [A-Za-z0-9_-] with '_' and reports
// whether s was already clean.
func sanitize(s string) (string, bool) {
	clean := true
	out := strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			return r
		}
		clean = false
		return '_'
	}, s)
	return out, clean && s != ""
}

func startsWell(name string) bool {
	c := name[0]
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}
