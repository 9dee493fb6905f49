package builtin_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/procstat"
	"github.com/rkat-dev/rkat/tool/builtin"
)

func TestShell(t *testing.T) {
	t.Setenv("ANTHROPIC_API_KEY", "sk-ant-secret")
	t.Setenv("RKAT_OPENAI_API_KEY", "sk-openai-secret")
	t.Setenv("VISIBLE_VAR", "visible")
	b := newBox(t, builtin.ShellConfig{
		InheritEnv: []string{"PATH", "VISIBLE_VAR", "ANTHROPIC_API_KEY", "RKAT_OPENAI_API_KEY"}, MaxOutputBytes: 1000,
	})
	b.write("sub/file.txt", "in sub\n")
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(b.dir, "escape")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		args  map[string]any
		isErr bool
		check func(t *testing.T, text string, res map[string]any)
	}{
		{name: "output and exit code", args: map[string]any{"command": "echo out; echo err >&2; exit 3"},
			check: func(t *testing.T, _ string, r map[string]any) {
				if r["stdout"] != "out\n" || r["stderr"] != "err\n" || r["exit_code"] != 3.0 || r["timed_out"] != false {
					t.Errorf("result %v", r)
				}
				if _, ok := r["duration_secs"].(float64); !ok {
					t.Errorf("no duration_secs: %v", r)
				}
			}},
		{name: "runs in the project root", args: map[string]any{"command": "pwd"},
			check: func(t *testing.T, _ string, r map[string]any) {
				if strings.TrimSpace(r["stdout"].(string)) != b.dir {
					t.Errorf("pwd = %q, want %q", r["stdout"], b.dir)
				}
			}},
		{name: "working_dir inside", args: map[string]any{"command": "cat file.txt", "working_dir": "sub"},
			check: func(t *testing.T, _ string, r map[string]any) {
				if r["stdout"] != "in sub\n" {
					t.Errorf("stdout %q", r["stdout"])
				}
			}},
		{name: "working_dir escape by ..", args: map[string]any{"command": "pwd", "working_dir": "../"}, isErr: true,
			check: errorHas("outside the project root")},
		{name: "working_dir escape by absolute path", args: map[string]any{"command": "pwd", "working_dir": "/tmp"}, isErr: true,
			check: errorHas("outside the project root")},
		{name: "working_dir escape by symlink", args: map[string]any{"command": "pwd", "working_dir": "escape"}, isErr: true,
			check: errorHas("outside the project root")},
		{name: "environment: allow-list and shell_env, never API keys", args: map[string]any{"command": "env"},
			check: func(t *testing.T, _ string, r map[string]any) {
				env := r["stdout"].(string)
				if strings.Contains(env, "secret") || strings.Contains(env, "API_KEY") {
					t.Errorf("API key reached the command:\n%s", env)
				}
				if !strings.Contains(env, "VISIBLE_VAR=visible") || !strings.Contains(env, "FROM_SESSION=yes") || !strings.Contains(env, "PATH=") {
					t.Errorf("env misses allowed or session variables:\n%s", env)
				}
			}},
		{name: "huge output keeps head and tail", args: map[string]any{"command": "echo BEGIN; seq 1 200000; echo END"},
			check: func(t *testing.T, _ string, r map[string]any) {
				out := r["stdout"].(string)
				if len(out) > 1100 || !strings.HasPrefix(out, "BEGIN\n1\n") || !strings.HasSuffix(out, "200000\nEND\n") || !strings.Contains(out, "bytes elided") {
					t.Errorf("capped output (%d bytes):\n%s", len(out), out)
				}
			}},
		{name: "timeout bound", args: map[string]any{"command": "true", "timeout_secs": 100000}, isErr: true,
			check: errorHas("timeout_secs must be between 1 and 600")},
		{name: "schema mismatch names the field", args: map[string]any{"command": "true", "timeout_secs": "soon"}, isErr: true,
			check: errorHas("/timeout_secs")},
		{name: "missing command", args: map[string]any{}, isErr: true,
			check: errorHas("missing property 'command'")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text, isErr := b.call("shell", tc.args)
			if isErr != tc.isErr {
				t.Fatalf("isErr = %v, want %v: %s", isErr, tc.isErr, text)
			}
			var res map[string]any
			if !isErr {
				if err := json.Unmarshal([]byte(text), &res); err != nil {
					t.Fatalf("result %q: %v", text, err)
				}
			}
			tc.check(t, text, res)
		})
	}
}

// errorHas checks that an error result holds want.
func errorHas(want string) func(t *testing.T, text string, _ map[string]any) {
	return func(t *testing.T, text string, _ map[string]any) {
		if !strings.Contains(text, want) {
			t.Errorf("error %q lacks %q", text, want)
		}
	}
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for procstat.Running(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("process %d still runs", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func readPid(t *testing.T, b *box, name string) int {
	t.Helper()
	pid, ok := pidOf(b, name)
	if !ok {
		t.Fatalf("no pid in %s", name)
	}
	return pid
}

// pidOf reads a pid file a command writes; ok is false until it holds one.
func pidOf(b *box, name string) (int, bool) {
	data, _ := b.read(name)
	pid, err := strconv.Atoi(strings.TrimSpace(data))
	return pid, err == nil
}

// awaitPid waits up to 5 s for a command to write its pid file.
func awaitPid(b *box, name string) {
	deadline := time.Now().Add(5 * time.Second)
	for _, ok := pidOf(b, name); !ok && time.Now().Before(deadline); _, ok = pidOf(b, name) {
		time.Sleep(10 * time.Millisecond)
	}
}

func TestShellTimeoutKillsProcessGroup(t *testing.T) {
	b := newBox(t, builtin.ShellConfig{})
	start := time.Now()
	text, isErr := b.call("shell", map[string]any{
		"command": "sleep 300 & echo $! > grandchild.pid; echo started; wait", "timeout_secs": 1})
	var res map[string]any
	if err := json.Unmarshal([]byte(text), &res); err != nil || !isErr {
		t.Fatalf("timed-out call: is_error %v, %s", isErr, text)
	}
	if res["timed_out"] != true || res["exit_code"] != nil || res["stdout"] != "started\n" {
		t.Fatalf("result %v", res)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("took %s", d)
	}
	waitGone(t, readPid(t, b, "grandchild.pid"))
}

func TestShellLeftoverDescendantsAreKilled(t *testing.T) {
	b := newBox(t, builtin.ShellConfig{})
	res := b.callJSON("shell", map[string]any{"command": "sleep 300 > /dev/null 2>&1 & echo $! > bg.pid"})
	if res["exit_code"] != 0.0 {
		t.Fatalf("result %v", res)
	}
	waitGone(t, readPid(t, b, "bg.pid"))
}

func TestShellJobs(t *testing.T) {
	b := newBox(t, builtin.ShellConfig{MaxJobs: 2})
	start := b.callJSON("shell", map[string]any{"command": "sleep 0.3; echo job done; exit 4", "background": true})
	id, _ := start["job_id"].(string)
	if !strings.HasPrefix(id, "job_") || start["status"] != "running" {
		t.Fatalf("start %v", start)
	}
	var st map[string]any
	deadline := time.Now().Add(10 * time.Second)
	for {
		v := b.callJSON("shell_job_status", map[string]any{"job_id": id})
		st = v["status"].(map[string]any)
		if st["status"] != "running" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("job still running: %v", v)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if st["status"] != "completed" || st["exit_code"] != 4.0 || st["stdout"] != "job done\n" {
		t.Fatalf("final status %v", st)
	}
	text, _ := b.call("shell_jobs", map[string]any{})
	var list []map[string]any
	if err := json.Unmarshal([]byte(text), &list); err != nil || len(list) != 1 || list[0]["id"] != id || list[0]["status"] != "completed" {
		t.Fatalf("shell_jobs = %s (%v)", text, err)
	}

	// Cancel kills the job's whole group; the job limit holds.
	long := b.callJSON("shell", map[string]any{"command": "sleep 300 & echo $! > job.pid; wait", "background": true})
	b.callJSON("shell", map[string]any{"command": "sleep 300", "background": true})
	if text, isErr := b.call("shell", map[string]any{"command": "true", "background": true}); !isErr || !strings.Contains(text, "limit") {
		t.Fatalf("third job: %v %s", isErr, text)
	}
	awaitPid(b, "job.pid")
	pid := readPid(t, b, "job.pid")
	c := b.callJSON("shell_job_cancel", map[string]any{"job_id": long["job_id"]})
	if c["status"] != "cancelled" {
		t.Fatalf("cancel %v", c)
	}
	waitGone(t, pid)
	if text, isErr := b.call("shell_job_status", map[string]any{"job_id": "job_nope"}); !isErr || !strings.Contains(text, "no job") {
		t.Fatalf("unknown job: %s", text)
	}
	// Ending the session ends its jobs.
	b.tb.EndSession("s1")
	if text, _ := b.call("shell_jobs", map[string]any{}); text != "[]" {
		t.Fatalf("jobs after EndSession: %s", text)
	}
}

func TestShellInterruptKillsProcessGroup(t *testing.T) {
	b := newBox(t, builtin.ShellConfig{})
	ctx, cancel := context.WithCancel(b.ctx)
	b.ctx = ctx
	go func() {
		awaitPid(b, "gc.pid")
		cancel()
	}()
	text, isErr := b.call("shell", map[string]any{"command": "sleep 300 & echo $! > gc.pid; wait"})
	if !isErr || !strings.Contains(text, "context canceled") {
		t.Fatalf("interrupted call: %v %s", isErr, text)
	}
	waitGone(t, readPid(t, b, "gc.pid"))
}
