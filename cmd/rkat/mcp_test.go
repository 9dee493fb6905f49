package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/internal/mcptest"
	"github.com/rkat-dev/rkat/llm/llmtest"
	"github.com/rkat-dev/rkat/tool/mcp"
)

// rkat run starts the servers of ~/.rkat/mcp.toml: the model calls the
// echo tool of server-everything, and a server that cannot start is reported
// on stderr while the run goes on.
func TestRunUsesMCPServers(t *testing.T) {
	c, home := newMCPCLI(t, `
[[servers]]
name = "broken"
command = "/nonexistent/mcp-server"
`)
	script := filepath.Join(home, "mcp-script.json")
	writeTestFile(t, script, `{"rules": [{"match": "", "responses": [
		{"tool_calls": [{"name": "everything__echo", "args": {"message": "via the cli"}}]}, {"text": "echoed"}]}]}`)
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

// The image an MCP tool returns reaches Anthropic inside the tool_result.
func TestRunSendsMCPImagesToAnthropic(t *testing.T) {
	c, _ := newMCPCLI(t, "")
	srv := llmtest.NewServer(t, "anthropic/mcp_image_call", "anthropic/text")
	c.env = append(c.env, "ANTHROPIC_API_KEY=sk-ant-fake-key-123", "RKAT_ANTHROPIC_BASE_URL="+srv.URL())
	if out, errOut, code := c.run("run", "--provider", "anthropic", "show me the logo"); code != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests to the fake", len(reqs))
	}
	var body struct {
		Messages []struct {
			Content []struct {
				Type      string          `json:"type"`
				ToolUseID string          `json:"tool_use_id"`
				Content   json.RawMessage `json:"content"`
			} `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(reqs[1].Body, &body); err != nil {
		t.Fatal(err)
	}
	last := body.Messages[len(body.Messages)-1].Content
	if len(last) != 1 || last[0].Type != "tool_result" || last[0].ToolUseID != "toolu_01MCPimage000000000000001" {
		t.Fatalf("last message = %s", reqs[1].Body)
	}
	var parts []struct {
		Type   string
		Text   string
		Source struct{ Type, MediaType, Data string } `json:"source"`
	}
	if err := json.Unmarshal(last[0].Content, &parts); err != nil {
		t.Fatalf("tool_result content %s: %v", last[0].Content, err)
	}
	images := 0
	for _, p := range parts {
		if p.Type == "image" && p.Source.Type == "base64" && strings.HasPrefix(p.Source.Data, "iVBORw0KGgo") {
			images++
		}
	}
	if images != 1 || parts[0].Type != "text" || !strings.Contains(parts[0].Text, "Here's the image you requested") {
		t.Fatalf("tool_result content = %s", last[0].Content)
	}
}

// newMCPCLI returns a CLI whose ~/.rkat/mcp.toml declares server-everything
// (stdio) as "everything", followed by extra, and the home directory.
func newMCPCLI(t *testing.T, extra string) (*cli, string) {
	t.Helper()
	everything := mcptest.Bin(t, mcptest.Everything)
	c := newCLI(t)
	home := filepath.Dir(c.root)
	writeTestFile(t, filepath.Join(home, ".rkat", "mcp.toml"),
		"[[servers]]\nname = \"everything\"\ncommand = \""+everything+"\"\nargs = [\"stdio\"]\n"+extra)
	return c, home
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// rkat mcp add, list and remove edit the project's and the user's mcp.toml.
func TestMCPCommand(t *testing.T) {
	home, project := t.TempDir(), t.TempDir()
	rkat := func(args ...string) (string, int) {
		cmd := exec.Command(rkatBin, append([]string{"mcp"}, args...)...)
		cmd.Env, cmd.Dir = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}, project
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return string(out), cmd.ProcessState.ExitCode()
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"add", "fs", "-e", "LOG=debug", "--", "npx", "-y", "@modelcontextprotocol/server-filesystem", "/tmp"}, 0, "added fs"},
		{[]string{"add", "remote", "--scope", "user", "--url", "https://h/mcp", "-H", "Authorization: Bearer ${TOKEN}"}, 0, "added remote"},
		{[]string{"add", "fs", "--", "other"}, 1, "already exists"},
		{[]string{"add", "nothing"}, 1, "needs a command or a url"},
		{[]string{"add", "x", "--scope", "team", "--", "y"}, 1, "want project or user"},
		{[]string{"list"}, 0, "fs      project  npx -y @modelcontextprotocol/server-filesystem /tmp\nremote  user     https://h/mcp"},
		{[]string{"remove", "fs"}, 0, "removed fs"},
		{[]string{"remove", "fs"}, 1, "no such server"},
		{[]string{"list"}, 0, "NAME    SCOPE  SERVER\nremote  user   https://h/mcp\n"},
	} {
		out, code := rkat(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Fatalf("rkat mcp %v: exit %d, output %q; want exit %d with %q", tc.args, code, out, tc.code, tc.want)
		}
	}
	servers, err := mcp.LoadConfig(project, home, func(k string) (string, bool) { return "t0k", k == "TOKEN" })
	if err != nil || len(servers) != 1 || servers[0].Headers["Authorization"] != "Bearer t0k" {
		t.Fatalf("config = %+v, %v", servers, err)
	}
}
