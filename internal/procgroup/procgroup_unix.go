//go:build unix

package procgroup

import (
	"os/exec"
	"syscall"
)

// Set makes cmd, when it starts, the leader of a new process group.
func Set(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// Kill sends SIGKILL to the process group of cmd, a command prepared with
// Set. It does nothing before cmd has started.
func Kill(cmd *exec.Cmd) error {
	if cmd.Process == nil || cmd.Process.Pid <= 0 {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
