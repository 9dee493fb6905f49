// Package interoptest runs the Node interop scripts of interop/js from Go
// tests and reads their check lines (the protocol of interop/js/harness.mjs).
package interoptest

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Missing ends t because a component it needs is missing: a failure under
// CI=true, where .ci/run installs every component, a skip elsewhere.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// RequireNode returns the node binary, failing under CI=true and skipping
// otherwise when node or the SDK installed in dir (interop/js) is missing.
func RequireNode(t *testing.T, dir string) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "@metered-ca", "realtime", "package.json"))
	}
	if err != nil {
		Missing(t, "node interop prerequisites missing (run npm ci in interop/js): %v", err)
	}
	return node
}

// RunCheckScript runs cmd, an interop script that prints one JSON object
// per line: {"check":NAME,"ok":BOOL,"detail":...} per assertion,
// {"event":NAME} when it needs the driver (answered by onEvent, which may be
// nil), and {"done":true,"failures":N} last. Every failed check fails the
// test, and so do a check of want that never came, reported failures and a
// non-zero exit.
func RunCheckScript(t *testing.T, cmd *exec.Cmd, want []string, onEvent func(event string)) {
	t.Helper()
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	checks := map[string]bool{}
	failures := -1
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var line struct {
			Check    string          `json:"check"`
			OK       bool            `json:"ok"`
			Detail   json.RawMessage `json:"detail"`
			Event    string          `json:"event"`
			Done     bool            `json:"done"`
			Failures int             `json:"failures"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Errorf("unparsable script output %q", sc.Text())
			continue
		}
		switch {
		case line.Check != "":
			t.Logf("%s ok=%v %s", line.Check, line.OK, line.Detail)
			checks[line.Check] = line.OK
			if !line.OK {
				t.Errorf("check %s failed: %s", line.Check, line.Detail)
			}
		case line.Event != "" && onEvent != nil:
			onEvent(line.Event)
		case line.Event != "":
			t.Errorf("unexpected script event %q", line.Event)
		case line.Done:
			failures = line.Failures
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("%s: %v", cmd.Path, err)
	}
	if failures != 0 {
		t.Errorf("script reported %d failures (-1: no done line)", failures)
	}
	for _, name := range want {
		if _, seen := checks[name]; !seen {
			t.Errorf("check %s never reported", name)
		}
	}
}
