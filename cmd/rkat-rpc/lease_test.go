package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/pgtest"
	"github.com/rkat-dev/rkat/rpc"
)

// pg is the private Postgres cluster of this test binary, started by the
// first test that needs it.
var pg pgtest.Cluster

// leaseScript has short turns to hammer with and one slow turn to kill.
const leaseScript = `{"rules": [
  {"match": "quick", "responses": [{"text": "quick answer", "chunks": 4, "delay_ms": 25}]},
  {"match": "slow turn", "responses": [{"text": "done slowly", "chunks": 40, "delay_ms": 100}]}
]}`

// leaseTTL is the --lease-ttl of the processes below: how long a killed
// owner's session stays busy.
const leaseTTL = time.Second

// TestTurnsAcrossProcesses (issue 19, acceptance 2): two rkat-rpc processes
// on one realm, SQLite file or Postgres database, hammer one session. One
// turn runs at a time, the other gets SESSION_BUSY, history is never
// interleaved, and when the lease owner is SIGKILLed mid-turn the other's
// turn succeeds once the lease expired.
func TestTurnsAcrossProcesses(t *testing.T) {
	script := filepath.Join(t.TempDir(), "lease-script.json")
	if err := os.WriteFile(script, []byte(leaseScript), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		store func(t *testing.T) []string
	}{
		{"sqlite", func(t *testing.T) []string { return []string{"--state-root", t.TempDir()} }},
		{"postgres", func(t *testing.T) []string { return []string{"--state-root", t.TempDir(), "--store", pg.URL(t)} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(tc.store(t), "--realm", "shared", "--lease-ttl", leaseTTL.String())
			env := []string{"RKAT_TEST_SCRIPT=" + script}
			a, b := startWith(t, env, args...), startWith(t, env, args...)
			var created runResult
			a.call("session/create", map[string]any{"prompt": "quick hello"}, &created)
			id := created.SessionID

			ok, busy := 1, 0 // the create ran one turn
			for round := 0; round < 10; round++ {
				ra := a.request("turn/start", map[string]any{"session_id": id, "prompt": fmt.Sprintf("quick a%d", round)})
				rb := b.request("turn/start", map[string]any{"session_id": id, "prompt": fmt.Sprintf("quick b%d", round)})
				for _, res := range []msg{a.awaitMany(ra)[ra], b.awaitMany(rb)[rb]} {
					switch {
					case res["error"] == nil:
						ok++
					default:
						if code, _ := errorOf(t, res); code != rpc.CodeSessionBusy {
							t.Fatalf("round %d: turn/start error %s, want success or SESSION_BUSY", round, res["error"])
						}
						busy++
					}
				}
			}
			if busy == 0 {
				t.Error("no turn/start ever got SESSION_BUSY: the processes never contended")
			}
			checkHistory(t, b, id, ok)

			// SIGKILL the owner of a running turn.
			a.request("turn/start", map[string]any{"session_id": id, "prompt": "slow turn"})
			waitForEvent(t, a, "text_delta")
			if code, _ := b.callErr("turn/start", map[string]any{"session_id": id, "prompt": "quick while a runs"}); code != rpc.CodeSessionBusy {
				t.Fatalf("turn/start while the other process runs one: code %d, want SESSION_BUSY", code)
			}
			if err := a.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed := time.Now()
			for {
				r := b.request("turn/start", map[string]any{"session_id": id, "prompt": "quick after the kill"})
				res := b.awaitMany(r)[r]
				if res["error"] == nil {
					break
				}
				if code, _ := errorOf(t, res); code != rpc.CodeSessionBusy {
					t.Fatalf("turn/start after the kill: %s", res["error"])
				}
				if time.Since(killed) > leaseTTL+5*time.Second {
					t.Fatalf("still SESSION_BUSY %v after the owner was killed (lease ttl %v)", time.Since(killed), leaseTTL)
				}
				time.Sleep(50 * time.Millisecond)
			}
			t.Logf("%s: %d turns ran, %d got SESSION_BUSY; next turn ran %v after SIGKILL (lease ttl %v)",
				tc.name, ok, busy, time.Since(killed).Round(time.Millisecond), leaseTTL)
			checkHistory(t, b, id, ok+1) // the killed turn committed nothing
		})
	}
}

// checkHistory asserts that the session's history is turns whole turns,
// each a user prompt then its answer, of one run id, in order.
func checkHistory(t *testing.T, p *peer, id string, turns int) {
	t.Helper()
	var h struct {
		MessageCount int `json:"message_count"`
		Messages     []struct {
			Role    string          `json:"role"`
			RunID   string          `json:"run_id"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	p.call("session/history", map[string]any{"session_id": id}, &h)
	if h.MessageCount != 2*turns || len(h.Messages) != 2*turns {
		t.Fatalf("history has %d rows (%d returned), want %d for %d turns", h.MessageCount, len(h.Messages), 2*turns, turns)
	}
	seen := map[string]bool{}
	for i := 0; i < len(h.Messages); i += 2 {
		user, answer := h.Messages[i], h.Messages[i+1]
		if user.Role != "user" || answer.Role != "block_assistant" || user.RunID == "" || user.RunID != answer.RunID || seen[user.RunID] {
			t.Fatalf("rows %d-%d are not one whole turn: %+v / %+v", i, i+1, user, answer)
		}
		if !strings.Contains(string(user.Content), "quick") {
			t.Fatalf("row %d: unexpected prompt %s", i, user.Content)
		}
		seen[user.RunID] = true
	}
}
