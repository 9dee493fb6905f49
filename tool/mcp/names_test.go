package mcp

import (
	"regexp"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

var providerName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)

func TestToolName(t *testing.T) {
	long := strings.Repeat("x", 80)
	cases := []struct {
		server, tool, want string
		hashed             bool
	}{
		{"everything", "echo", "everything__echo", false},
		{"fs", "read-text_file", "fs__read-text_file", false},
		{"my server", "do.it", "my_server__do_it", true},
		{"9lives", "x", "_9lives__x", true},
		{"s", long, "s__" + long, true},
		{"ünï", "tool", "_n___tool", true}, // each non-ASCII rune becomes '_', then the hash
	}
	for _, tc := range cases {
		got := toolName(tc.server, tc.tool)
		if !providerName.MatchString(got) {
			t.Errorf("toolName(%q, %q) = %q: not a valid provider name", tc.server, tc.tool, got)
		}
		if tc.hashed {
			if len(got) > MaxToolNameLen || !strings.HasPrefix(got, tc.want[:min(len(tc.want), MaxToolNameLen-9)]) ||
				got == tc.want || got != toolName(tc.server, tc.tool) {
				t.Errorf("toolName(%q, %q) = %q, want a stable hashed form of %q", tc.server, tc.tool, got, tc.want)
			}
		} else if got != tc.want {
			t.Errorf("toolName(%q, %q) = %q, want %q", tc.server, tc.tool, got, tc.want)
		}
	}
	if toolName("a b", "c") == toolName("a_b", "c") {
		t.Error("a sanitised name meets the clean one")
	}
}

func TestCatalogResolvesCollisions(t *testing.T) {
	mk := func(name string, tools ...string) *server {
		s := &server{cfg: ServerConfig{Name: name}, started: true}
		for _, tn := range tools {
			s.tools = append(s.tools, &sdk.Tool{Name: tn, InputSchema: map[string]any{"type": "object"}})
		}
		return s
	}
	// "a__b" + "c" and "a" + "b__c" both clean to "a__b__c".
	listed, failures := listings([]*server{mk("a__b", "c"), mk("a", "b__c", "d")})
	tools := catalog(listed)
	if len(failures) != 0 || len(tools) != 3 {
		t.Fatalf("tools %d, failures %v", len(tools), failures)
	}
	seen := map[string]bool{}
	for _, tl := range tools {
		n := tl.Def().Name
		if seen[n] || !providerName.MatchString(n) {
			t.Fatalf("name %q repeated or invalid", n)
		}
		seen[n] = true
	}
	if !seen["a__d"] || seen["a__b__c"] {
		t.Fatalf("names = %v", seen)
	}
}
