//go:build linux

package procgroup_test

import (
	"bufio"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/internal/procgroup"
	"github.com/rkat-dev/rkat/internal/procstat"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Kill ends the command and the background job it started.
func TestKillEndsTheGroup(t *testing.T) {
	cmd := exec.Command("/bin/sh", "-c", "sleep 300 & echo $!; wait")
	if err := procgroup.Kill(cmd); err != nil {
		t.Fatalf("Kill before Start = %v, want nil", err)
	}
	procgroup.Set(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	child, convErr := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || convErr != nil {
		_ = procgroup.Kill(cmd)
		_ = cmd.Wait()
		t.Fatalf("reading the child's pid: %q %v %v", line, err, convErr)
	}
	if err := procgroup.Kill(cmd); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("the killed shell exited cleanly")
	}
	// The kill is immediate; the orphaned child is reaped by init.
	deadline := time.Now().Add(5 * time.Second)
	for procstat.Running(child) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(child, syscall.SIGKILL)
			t.Fatalf("child %d survived the group kill", child)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
