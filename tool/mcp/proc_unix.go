//go:build unix

package mcp

import (
	"os/exec"
	"syscall"
)

// newGroup makes cmd the leader of a new process group, so that closing the
// server also ends the processes it started (npx, shells, workers).
func newGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills what is left of cmd's process group.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil && cmd.Process.Pid > 0 {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
