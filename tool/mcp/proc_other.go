//go:build !unix

package mcp

import "os/exec"

func newGroup(*exec.Cmd) {}

// killGroup kills the server's process; other platforms have no process
// groups to reach its children through.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
