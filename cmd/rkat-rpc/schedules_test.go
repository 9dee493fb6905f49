package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSchedulesPythonSDK drives schedules through the unmodified Python SDK
// (interop/python/schedules_sdk.py) with Debian's python3.
func TestSchedulesPythonSDK(t *testing.T) {
	const py = debianPython
	requirePython(t, "", "websockets", "meerkat")
	sdk, err := filepath.Abs(sdkDir)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, filepath.Join("..", "..", "interop", "python", "schedules_sdk.py"), t.TempDir())
	cmd.Env = append(sdkEnv(os.Environ()), "RKAT_TEST_CLIENT=1", "MEERKAT_BIN_PATH="+binary, "PYTHONPATH="+sdk)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python SDK schedules: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

type occurrence struct {
	OccurrenceID string `json:"occurrence_id"`
	Phase        string `json:"phase"`
	AttemptCount int    `json:"attempt_count"`
	ClaimedBy    string `json:"claimed_by"`
	ScheduleID   string `json:"schedule_id"`
	Outcome      *struct {
		Kind string
	} `json:"runtime_outcome"`
	DispatchedAt string `json:"dispatched_at_utc"`
	CompletedAt  string `json:"completed_at_utc"`
}

func (p *peer) occurrences(id string) []occurrence {
	p.t.Helper()
	var res struct{ Occurrences []occurrence }
	p.call("schedule/occurrences", map[string]any{"schedule_id": id}, &res)
	return res.Occurrences
}

// waitOccurrences polls until every occurrence of id satisfies done.
func (p *peer) waitOccurrences(id string, timeout time.Duration, done func([]occurrence) bool) []occurrence {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		occs := p.occurrences(id)
		if done(occs) {
			return occs
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("occurrences of %s after %s: %+v", id, timeout, occs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// newSession creates a session (its first turn runs at once).
func (p *peer) newSession() string {
	p.t.Helper()
	var res struct {
		SessionID string `json:"session_id"`
	}
	p.call("session/create", map[string]any{"prompt": "hello"}, &res)
	return res.SessionID
}

// scheduledPrompts counts the user rows of a session holding prompt.
func (p *peer) scheduledPrompts(sid, prompt string) int {
	p.t.Helper()
	var res struct {
		Messages []struct {
			Role    string
			Content any
		}
	}
	p.call("session/history", map[string]any{"session_id": sid, "offset": 0, "limit": 1000}, &res)
	n := 0
	for _, m := range res.Messages {
		if m.Role == "user" && m.Content == prompt {
			n++
		}
	}
	return n
}

func utc(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// TestScheduleSurvivesKill9: rkat-rpc is killed (SIGKILL) while a turn
// of a scheduled occurrence is running. The next process on the realm takes
// the occurrence over once its lease expires and, per the misfire policy,
// runs it again (its first turn never committed) or records it missed; it
// never runs twice and is never lost.
func TestScheduleSurvivesKill9(t *testing.T) {
	tests := []struct {
		name, misfire string
		phase         string
		prompts       int
	}{
		{"retried within the catch-up window", `{"type":"catch_up_within","window_seconds":120}`, "completed", 1},
		{"missed beyond the catch-up window", `{"type":"catch_up_within","window_seconds":1}`, "misfired", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			state := t.TempDir()
			args := []string{"--realm", "crash", "--state-root", state, "--schedule-lease", "3s"}
			first := start(t, args...)
			sid := first.newSession()
			var rec struct {
				ScheduleID string `json:"schedule_id"`
			}
			first.call("schedule/create", map[string]any{
				"trigger":        map[string]any{"type": "once", "due_at_utc": utc(time.Now())},
				"target":         map[string]any{"target_kind": "session", "type": "exact_session", "session_id": sid, "action": map[string]any{"type": "prompt", "prompt": "slow turn"}},
				"misfire_policy": jsonRaw(tt.misfire),
			}, &rec)
			first.waitOccurrences(rec.ScheduleID, 10*time.Second, func(o []occurrence) bool { return len(o) == 1 && o[0].Phase == "dispatching" })
			time.Sleep(500 * time.Millisecond) // the slow turn is streaming
			if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = first.cmd.Wait()

			second := start(t, args...)
			// The killed turn committed nothing (its lease has not expired yet).
			if n := second.scheduledPrompts(sid, "slow turn"); n != 0 {
				t.Fatalf("the killed turn left %d prompts in the history", n)
			}
			occs := second.waitOccurrences(rec.ScheduleID, 30*time.Second, func(o []occurrence) bool {
				return len(o) == 1 && (o[0].Phase == "completed" || o[0].Phase == "misfired" || o[0].Phase == "delivery_failed")
			})
			// Attempt 2 is the second process's; on a starved machine its own
			// lease may lapse mid-turn and a third claim finds the turn it
			// committed (recovered_completed). Either way the history below
			// holds the prompt exactly as often as the policy says.
			if occs[0].Phase != tt.phase || occs[0].AttemptCount < 2 {
				t.Errorf("occurrence after restart = %+v, want %s after at least 2 attempts", occs[0], tt.phase)
			}
			if tt.phase == "completed" && occs[0].Outcome == nil {
				t.Errorf("completed occurrence without an outcome: %+v", occs[0])
			}
			if n := second.scheduledPrompts(sid, "slow turn"); n != tt.prompts {
				t.Errorf("history holds the scheduled prompt %d times, want %d", n, tt.prompts)
			}
		})
	}
}

func jsonRaw(s string) json.RawMessage { return json.RawMessage(s) }

// TestTwoProcessesOneRealm: two rkat-rpc processes share a realm; twenty
// schedules fire every second, five times each, in real time (more due at
// once than one process's 16 delivery slots, so both claim): each of the
// 100 occurrences runs exactly once.
func TestTwoProcessesOneRealm(t *testing.T) {
	state := t.TempDir()
	args := []string{"--realm", "shared", "--state-root", state}
	a, b := start(t, args...), start(t, args...)
	var none struct{ Schedules []any }
	b.call("schedule/list", map[string]any{}, &none) // opens the realm: b's executor runs
	const schedules, each = 20, 5
	begin := time.Now().Add(2 * time.Second).Truncate(time.Second)
	var ids, sids []string
	for i := range schedules {
		sid := a.newSession()
		var rec struct {
			ScheduleID string `json:"schedule_id"`
		}
		a.call("schedule/create", map[string]any{
			"trigger": map[string]any{"type": "interval", "start_at_utc": utc(begin), "every_seconds": 1,
				"end_at_utc": utc(begin.Add((each - 1) * time.Second))},
			"target":         map[string]any{"target_kind": "session", "type": "exact_session", "session_id": sid, "action": map[string]any{"type": "prompt", "prompt": fmt.Sprintf("tick %d", i)}},
			"overlap_policy": "allow_concurrent",
		}, &rec)
		ids, sids = append(ids, rec.ScheduleID), append(sids, sid)
	}
	owners := map[string]int{}
	total := 0
	for i, id := range ids {
		occs := a.waitOccurrences(id, 60*time.Second, func(o []occurrence) bool {
			for _, x := range o {
				if x.Phase != "completed" {
					return false
				}
			}
			return len(o) == each
		})
		for _, o := range occs {
			owners[strings.SplitN(o.ClaimedBy, ":", 3)[1]]++
			if o.AttemptCount != 1 {
				t.Errorf("occurrence %s took %d attempts", o.OccurrenceID, o.AttemptCount)
			}
		}
		n := b.scheduledPrompts(sids[i], fmt.Sprintf("tick %d", i))
		if n != each {
			t.Errorf("schedule %d ran %d turns, want %d", i, n, each)
		}
		total += n
	}
	t.Logf("%d occurrences ran once each; claims by process id: %v", total, owners)
	if len(owners) != 2 {
		t.Logf("note: one process claimed everything (%v)", owners)
	}
}

// TestScheduleRPCSurface: the methods are advertised, errors carry the
// contract's codes, and an agent created with enable_schedule schedules its
// own follow-up through the model-facing tools.
func TestScheduleRPCSurface(t *testing.T) {
	p := start(t, "--isolated", "--state-root", t.TempDir())
	var init struct{ Methods []string }
	p.call("initialize", map[string]any{}, &init)
	for _, m := range []string{"create", "get", "list", "update", "pause", "resume", "delete", "occurrences", "tools", "call"} {
		if !slices.Contains(init.Methods, "schedule/"+m) {
			t.Errorf("initialize.methods lacks schedule/%s", m)
		}
	}
	var caps struct {
		Capabilities []struct {
			ID     string
			Status json.RawMessage
		}
	}
	p.call("capabilities/get", map[string]any{}, &caps)
	for _, c := range caps.Capabilities {
		if c.ID == "schedule" && string(c.Status) != `"Available"` {
			t.Errorf("schedule capability = %s", c.Status)
		}
	}

	var host struct {
		Features struct{ Schedules bool }
	}
	p.call("runtime/capabilities", map[string]any{}, &host)
	if !host.Features.Schedules {
		t.Error("runtime/capabilities features.schedules is false")
	}

	var created struct {
		SessionID string `json:"session_id"`
		Text      string
	}
	p.call("session/create", map[string]any{"prompt": "schedule my follow-up", "enable_schedule": true}, &created)
	if created.Text != "scheduled" {
		t.Fatalf("agent run = %+v", created)
	}
	var list struct {
		Schedules []struct {
			ScheduleID string `json:"schedule_id"`
			Name       string
			Revision   int
			Target     struct {
				Type      string
				SessionID string `json:"session_id"`
			}
		}
	}
	p.call("schedule/list", map[string]any{}, &list)
	if len(list.Schedules) != 1 || list.Schedules[0].Name != "follow-up" || list.Schedules[0].Target.Type != "resumable_session" ||
		list.Schedules[0].Target.SessionID != created.SessionID {
		t.Fatalf("schedules after the agent's tool call = %+v", list.Schedules)
	}
	id := list.Schedules[0].ScheduleID

	target := map[string]any{"target_kind": "session", "type": "exact_session", "session_id": created.SessionID,
		"action": map[string]any{"type": "prompt", "prompt": "x"}}
	errs := []struct {
		method   string
		params   map[string]any
		code     int
		semantic string
		mention  string
	}{
		{"schedule/get", map[string]any{"schedule_id": "0196f3a2-5c1e-7d00-8a10-2b9c4e6f0a11"}, -32023, "SCHEDULE_NOT_FOUND", "not found"},
		{"schedule/pause", map[string]any{"schedule_id": "0196f3a2-5c1e-7d00-8a10-2b9c4e6f0a11"}, -32023, "SCHEDULE_NOT_FOUND", "not found"},
		{"schedule/get", map[string]any{"schedule_id": "nope"}, -32602, "INVALID_PARAMS", "schedule_id"},
		{"schedule/create", map[string]any{"trigger": map[string]any{"type": "interval", "start_at_utc": "2030-01-01T00:00:00Z"}, "target": target}, -32602, "INVALID_PARAMS", "trigger.every_seconds"},
		{"schedule/create", map[string]any{"trigger": map[string]any{"type": "cron", "expression": "0 9 * * *", "timezone": "Nowhere/City"}, "target": target}, -32602, "INVALID_PARAMS", "trigger.timezone"},
		{"schedule/create", map[string]any{"trigger": map[string]any{"type": "once", "due_at_utc": "2030-01-01T00:00:00Z"}, "target": target, "colour": "red"}, -32602, "INVALID_PARAMS", "colour"},
		{"schedule/update", map[string]any{"schedule_id": id, "expected_revision": 9, "name": "x"}, -32602, "INVALID_PARAMS", "expected 9, found 1"},
		{"schedule/call", map[string]any{"name": "meerkat_schedule_explode"}, -32602, "INVALID_PARAMS", "unknown schedule tool"},
		{"schedule/list", map[string]any{"limit": 0}, -32602, "INVALID_PARAMS", "limit"},
	}
	for _, e := range errs {
		_, resp := p.await(p.request(e.method, e.params), nil)
		code, semantic := errorOf(t, resp)
		if code != e.code || semantic != e.semantic || !strings.Contains(string(resp["error"]), e.mention) {
			t.Errorf("%s %v = %s, want %d %s mentioning %q", e.method, e.params, resp["error"], e.code, e.semantic, e.mention)
		}
	}
}

// TestNamedRealmRunsSchedulesWithoutACall: a process on a named realm runs
// the realm's schedules from its start, before any call touches the realm.
func TestNamedRealmRunsSchedulesWithoutACall(t *testing.T) {
	args := []string{"--realm", "worker", "--state-root", t.TempDir()}
	a := start(t, args...)
	sid := a.newSession()
	var rec struct {
		ScheduleID string `json:"schedule_id"`
	}
	a.call("schedule/create", map[string]any{
		"trigger": map[string]any{"type": "once", "due_at_utc": utc(time.Now().Add(3 * time.Second))},
		"target":  map[string]any{"target_kind": "session", "type": "exact_session", "session_id": sid, "action": map[string]any{"type": "prompt", "prompt": "wake up"}},
	}, &rec)
	a.in.Close() // the creator exits before the occurrence is due
	for range a.lines {
	}
	_ = a.cmd.Wait()

	b := start(t, args...)
	time.Sleep(6 * time.Second) // no call reaches b meanwhile
	occs := b.occurrences(rec.ScheduleID)
	if len(occs) != 1 || occs[0].Phase != "completed" || !strings.Contains(occs[0].ClaimedBy, fmt.Sprintf(":%d:", b.cmd.Process.Pid)) {
		t.Fatalf("occurrence = %+v, want completed by process %d before any call", occs, b.cmd.Process.Pid)
	}
}
