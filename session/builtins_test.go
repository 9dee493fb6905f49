package session_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/procstat"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store/memory"
	"github.com/rkat-dev/rkat/tool/builtin"
)

// TestBuiltinFlags checks that a session's enabled families are kept with
// it, that the calling session reaches the tools (shell_env, jobs) and
// that archiving a session ends its background jobs.
func TestBuiltinFlags(t *testing.T) {
	script, err := scripted.Parse([]byte(`{"rules":[
	  {"match":"start a job","responses":[{"tool_calls":[{"name":"shell","args":{
	     "command":"echo $MARK > mark.txt; sleep 300 & echo $! > job.pid; wait","background":true}}]},{"text":"started"}]},
	  {"match":"what time","responses":[{"tool_calls":[{"name":"datetime","args":{}}]},{"text":"told"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	st := memory.New()
	box, err := builtin.New(builtin.Config{ProjectRoot: dir, Tasks: st})
	if err != nil {
		t.Fatal(err)
	}
	defer box.Close()
	svc, err := session.New(context.Background(), session.Config{Store: st, Builtins: box,
		Resolver: resolver{scripted.New(scripted.Config{Script: script})}, Realm: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	ctx := context.Background()
	on, off := true, false

	res, err := svc.Create(ctx, session.CreateRequest{Prompt: text("start a job"), EnableShell: &on, EnableBuiltins: &off,
		ShellEnv: map[string]string{"MARK": "from-session"}})
	if err != nil || res.Run.ToolCalls != 1 {
		t.Fatalf("create: %+v %v", res.Run, err)
	}
	// The later turn keeps the session's families: shell yes, datetime no.
	run, err := svc.Turn(ctx, session.TurnRequest{SessionID: res.SessionID, Prompt: text("what time")})
	if err != nil {
		t.Fatal(err)
	}
	h, err := svc.History(ctx, res.SessionID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	last := h.Rows[len(h.Rows)-2].Content[0]
	if run.Text != "told" || !last.IsError || !strings.Contains(last.Text, `unknown tool "datetime"`) || !strings.Contains(last.Text, "shell_jobs") {
		t.Fatalf("second turn's tool result: %+v", last)
	}

	var pid int
	deadline := time.Now().Add(5 * time.Second)
	for {
		data, _ := os.ReadFile(filepath.Join(dir, "job.pid"))
		if pid, err = strconv.Atoi(strings.TrimSpace(string(data))); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if mark, _ := os.ReadFile(filepath.Join(dir, "mark.txt")); string(mark) != "from-session\n" || pid == 0 {
		t.Fatalf("job: mark %q, pid %d", mark, pid)
	}
	if err := svc.Archive(ctx, res.SessionID); err != nil {
		t.Fatal(err)
	}
	for deadline = time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if !procstat.Running(pid) {
			break
		}
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("job process %d outlived its archived session", pid)
		}
	}

	// Without a Toolbox the families cannot be enabled.
	plain := newFixture(t, nil)
	if _, err := plain.svc.Create(ctx, session.CreateRequest{Prompt: text("hi"), EnableShell: &on}); !errors.Is(err, session.ErrInvalid) {
		t.Fatalf("enable_shell without builtins: %v", err)
	}
}
