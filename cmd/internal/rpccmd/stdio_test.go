//go:build linux

package rpccmd

import (
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestServeStdioLeavesChildrenSIGPIPE: while serving, SIGPIPE is caught,
// not ignored, so processes the server starts keep the default SIGPIPE
// (an ignored signal would be inherited across exec).
func TestServeStdioLeavesChildrenSIGPIPE(t *testing.T) {
	_, restore := serveStdio(strings.NewReader(""))
	defer restore()
	out, err := exec.Command("/bin/sh", "-c", "grep '^SigIgn:' /proc/self/status").Output()
	if err != nil {
		t.Fatal(err)
	}
	mask, err := strconv.ParseUint(strings.TrimSpace(strings.TrimPrefix(string(out), "SigIgn:")), 16, 64)
	if err != nil {
		t.Fatalf("SigIgn line %q: %v", out, err)
	}
	if mask&(1<<(uint(syscall.SIGPIPE)-1)) != 0 {
		t.Fatalf("a child of the server ignores SIGPIPE (SigIgn %s)", out)
	}
}
