package procstat

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestRSSKBOfSelf(t *testing.T) {
	kb, err := RSSKB(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if kb <= 0 {
		t.Fatalf("RSS of this test process = %d KiB", kb)
	}
	if _, err := RSSKB(-1); err == nil {
		t.Fatal("RSSKB(-1) succeeded")
	}
}

func TestRunning(t *testing.T) {
	if !Running(os.Getpid()) {
		t.Fatal("this process is not running")
	}
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	for deadline := time.Now().Add(5 * time.Second); Running(pid); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("an exited, unreaped child still counts as running")
		}
	}
	cmd.Wait()
	if Running(pid) || Running(-1) {
		t.Fatal("a reaped or impossible pid counts as running")
	}
}
