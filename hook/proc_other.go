//go:build !unix

package hook

import (
	"os/exec"
	"time"
)

// ownGroup leaves cmd as it is: without process groups, cancellation kills
// the command only.
func ownGroup(cmd *exec.Cmd) { cmd.WaitDelay = time.Second }
