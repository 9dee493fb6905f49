package procstat

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestRSSOfSelf(t *testing.T) {
	for name, read := range map[string]func(int) (int64, error){"RSSKB": RSSKB, "PeakRSSKB": PeakRSSKB} {
		kb, err := read(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		if kb <= 0 {
			t.Fatalf("%s of this test process = %d KiB", name, kb)
		}
		if _, err := read(-1); err == nil {
			t.Fatalf("%s(-1) succeeded", name)
		}
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
