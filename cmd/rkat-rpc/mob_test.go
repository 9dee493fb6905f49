package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMobPythonSDK drives the mob surface through the published Python SDK
// (issue 16 acceptance 1 and 4): phase "run" in one process, a kill -9 of
// another rkat-rpc holding the realm mid-run, and phase "after-crash" in a
// fresh process that lists the mob and its members and stops it.
func TestMobPythonSDK(t *testing.T) {
	const py = debianPython
	requirePython(t, "", "websockets", "meerkat")
	state := t.TempDir()
	env := append(os.Environ(), "RKAT_TEST_CLIENT=1", "RKAT_STATE_ROOT="+state,
		"RKAT_TEST_SCRIPT="+filepath.Join(filepath.Dir(binary), "script.json"))
	phase := func(name string) {
		t.Helper()
		cmd := exec.Command(py, filepath.Join("testdata", "mob_sdk_check.py"), sdkDir, binary, "mobs", name)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "ok "+name) {
			t.Fatalf("phase %s: %v\n%s", name, err, out)
		}
	}
	phase("run")

	// A process that holds the realm, with a member's turn running, dies by
	// SIGKILL.
	p := startWith(t, []string{"RKAT_STATE_ROOT=" + state}, "--realm", "mobs")
	var mob map[string]string
	p.call("mob/create", map[string]any{"definition": map[string]any{"id": "doomed", "profiles": map[string]any{"w": map[string]any{"model": "scripted"}}}}, &mob)
	p.call("mob/spawn", map[string]any{"mob_id": "doomed", "profile": "w", "agent_identity": "w-1", "initial_message": "slow turn please"}, nil)
	time.Sleep(300 * time.Millisecond)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()

	phase("after-crash")
	q := startWith(t, []string{"RKAT_STATE_ROOT=" + state}, "--realm", "mobs")
	var members struct {
		Members []map[string]any `json:"members"`
	}
	q.call("mob/members", map[string]any{"mob_id": "doomed"}, &members)
	if len(members.Members) != 1 || members.Members[0]["agent_identity"] != "w-1" {
		t.Fatalf("members after kill -9: %v", members.Members)
	}
	var st map[string]string
	q.call("mob/lifecycle", map[string]any{"mob_id": "doomed", "action": "stop"}, &st)
	if st["status"] != "Stopped" {
		t.Fatalf("stop after kill -9: %v", st)
	}
}
