package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/internal/mcptest"
)

// rkat run starts the servers of ~/.rkat/mcp.toml: the model calls the
// echo tool of server-everything, and a server that cannot start is reported
// on stderr while the run goes on.
func TestRunUsesMCPServers(t *testing.T) {
	everything := mcptest.Bin(t, mcptest.Everything)
	c := newCLI(t)
	home := filepath.Dir(c.root)
	if err := os.MkdirAll(filepath.Join(home, ".rkat"), 0o700); err != nil {
		t.Fatal(err)
	}
	config := `
[[servers]]
name = "everything"
command = "` + everything + `"
args = ["stdio"]

[[servers]]
name = "broken"
command = "` + filepath.Join(home, "no-such-server") + `"
`
	script := filepath.Join(home, "mcp-script.json")
	for path, content := range map[string]string{
		filepath.Join(home, ".rkat", "mcp.toml"): config,
		script: `{"rules": [{"match": "", "responses": [
			{"tool_calls": [{"name": "everything__echo", "args": {"message": "via the cli"}}]}, {"text": "echoed"}]}]}`,
	} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c.env = append(c.env, "RKAT_TEST_SCRIPT="+script)
	out, errOut, code := c.run("run", "--provider", "scripted", "use mcp")
	if code != 0 || strings.TrimSpace(out) != "echoed" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if !strings.Contains(errOut, "[mcp add broken failed, continuing without it:") ||
		!strings.Contains(errOut, "[tool everything__echo") {
		t.Fatalf("stderr %q", errOut)
	}
	id := regexp.MustCompile(`\[session ([0-9a-f-]+) `).FindStringSubmatch(errOut)
	if id == nil {
		t.Fatalf("no session id in %q", errOut)
	}
	h := c.history(id[1])
	echoed := false
	for _, m := range h.Messages {
		echoed = echoed || (m.Role == "tool_results" && len(m.Content) == 1 && m.Content[0].Text == "Echo: via the cli")
	}
	if !echoed {
		t.Fatalf("history has no echo result: %+v", h)
	}
}
