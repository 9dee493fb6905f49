//go:build !unix

package procgroup

import "os/exec"

// Set leaves cmd as it is: there are no process groups here.
func Set(*exec.Cmd) {}

// Kill kills cmd's process (its children are not reached). It does nothing
// before cmd has started.
func Kill(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return cmd.Process.Kill()
}
