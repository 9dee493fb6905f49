package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/procstat"
)

// Regression tests of issue 11 (hardening) against the built binary.

// TestOutputSchemaNeverLoadsDocuments: a caller's output_schema may only
// reference itself. A $ref to a file, a device, a FIFO or the network is
// refused with -32602 before anything is opened, the error names no file
// content, and the connection keeps serving (file:///dev/stdin used to eat
// the protocol input).
func TestOutputSchemaNeverLoadsDocuments(t *testing.T) {
	dir := t.TempDir()
	jsonFile := filepath.Join(dir, "schema.json")
	if err := os.WriteFile(jsonFile, []byte(`{"type":"string"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	textFile := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(textFile, []byte("Zsecret"), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, "--state-root", t.TempDir(), "--realm-backend", "memory")
	refused := []struct{ name, ref string }{
		{"json file", "file://" + jsonFile},
		{"text file", "file://" + textFile},
		{"missing file", "file://" + filepath.Join(dir, "missing.json")},
		{"stdin", "file:///dev/stdin"},
		{"fifo", "file://" + fifo},
		{"relative path", "testdata/python_wire_check.py"},
		{"http", "http://127.0.0.1:1/schema.json"},
		{"via a local ref", "#/$defs/x"}, // $defs.x points at the JSON file
	}
	messages := map[string]string{}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			p.t = t
			schema := map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"$ref": tt.ref}}}
			if strings.HasPrefix(tt.ref, "#") {
				schema["$defs"] = map[string]any{"x": map[string]any{"$ref": "file://" + jsonFile}}
			}
			_, resp := p.await(p.request("session/create", map[string]any{"prompt": "hi", "output_schema": schema}), nil)
			code, msg := errorMessage(t, resp)
			if code != -32602 {
				t.Fatalf("code %d, want -32602: %s", code, msg)
			}
			messages[tt.name] = strings.ReplaceAll(msg, tt.ref, "REF")
			var init struct {
				ContractVersion string `json:"contract_version"`
			}
			p.call("initialize", map[string]any{}, &init) // stdin was not consumed
		})
	}
	// No oracle: a missing, a text and a JSON file are refused alike, and
	// nothing of their content shows.
	if m := messages["missing file"]; m != messages["json file"] || m != messages["text file"] ||
		strings.Contains(m, "no such file") || strings.Contains(m, "'Z'") {
		t.Fatalf("messages differ or leak: %q", messages)
	}
	t.Run("local refs still work", func(t *testing.T) {
		p.t = t
		schema := map[string]any{"type": "object",
			"properties": map[string]any{"a": map[string]any{"$ref": "#/$defs/name"}},
			"$defs":      map[string]any{"name": map[string]any{"type": "string"}}}
		var res struct {
			StructuredOutput json.RawMessage `json:"structured_output"`
		}
		p.call("session/create", map[string]any{"prompt": "hi", "output_schema": schema}, &res)
		if len(res.StructuredOutput) == 0 {
			t.Fatal("no structured output")
		}
	})
}

// errorMessage returns the code and message of an error answer.
func errorMessage(t *testing.T, resp msg) (int, string) {
	t.Helper()
	var e struct {
		Code    int
		Message string
	}
	if resp["error"] == nil || json.Unmarshal(resp["error"], &e) != nil {
		t.Fatalf("want an error, got %v", resp)
	}
	return e.Code, e.Message
}

// TestRealmOpenIsRetried: a realm that cannot be opened on first use (here
// its directory cannot be created) fails that call and every call until the
// cause is fixed; then the same process opens it.
func TestRealmOpenIsRetried(t *testing.T) {
	root := t.TempDir()
	blocker := filepath.Join(root, "realms")
	if err := os.WriteFile(blocker, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, "--state-root", root, "--realm", "retry")
	for range 2 {
		if code, _ := p.callErr("session/list", map[string]any{}); code == 0 {
			t.Fatal("no error while the realm cannot be opened")
		}
	}
	if err := os.Remove(blocker); err != nil {
		t.Fatal(err)
	}
	var list struct{ Sessions []json.RawMessage }
	p.call("session/list", map[string]any{}, &list)
	var created runResult
	p.call("session/create", map[string]any{"prompt": "after the fix"}, &created)
	created.check(t)
}

// TestConfigSetTooLargeIsRefused: a config whose answer could not be sent is
// refused with -32602 and not saved; config/get keeps working.
func TestConfigSetTooLargeIsRefused(t *testing.T) {
	p := start(t, "--state-root", t.TempDir(), "--realm", "cfg")
	var before struct{ Generation uint64 }
	p.call("config/set", map[string]any{"config": map[string]any{"small": true}}, &before)
	big := strings.Repeat("x", 2<<20)
	if code, _ := p.callErr("config/set", map[string]any{"config": map[string]any{"big": big}}); code != -32602 {
		t.Fatalf("config/set: code %d, want -32602", code)
	}
	if code, _ := p.callErr("config/patch", map[string]any{"patch": map[string]any{"big": big}}); code != -32602 {
		t.Fatalf("config/patch: code %d, want -32602", code)
	}
	var after struct {
		Config     map[string]any
		Generation uint64
	}
	p.call("config/get", map[string]any{}, &after)
	if after.Generation != before.Generation || after.Config["small"] != true || after.Config["big"] != nil {
		t.Fatalf("config changed: %+v (generation before %d)", after, before.Generation)
	}
}

// TestSessionListLabelFilterCap: on SQLite, more label filters than the cap
// are refused with -32602 (they used to fail with -32603 "expression tree is
// too large"); filters up to the cap work.
func TestSessionListLabelFilterCap(t *testing.T) {
	p := start(t, "--state-root", t.TempDir(), "--realm", "labels")
	labels := map[string]string{}
	for i := range 64 {
		labels[fmt.Sprintf("k%d", i)] = fmt.Sprintf("v%d", i)
	}
	var created runResult
	p.call("session/create", map[string]any{"prompt": "hi", "labels": labels}, &created)
	var list struct {
		Sessions []struct {
			SessionID string `json:"session_id"`
		}
	}
	p.call("session/list", map[string]any{"labels": labels}, &list)
	if len(list.Sessions) != 1 || list.Sessions[0].SessionID != created.SessionID {
		t.Fatalf("64 filters: %+v", list)
	}
	many := map[string]string{}
	for i := range 1000 {
		many[fmt.Sprintf("k%d", i)] = "v"
	}
	if code, _ := p.callErr("session/list", map[string]any{"labels": many}); code != -32602 {
		t.Fatalf("1000 filters: code %d, want -32602", code)
	}
}

// TestLargePromptEventsAreBounded: a 10 MB prompt still yields every event
// of the run, from seq 1; content over the notification cap is shortened with
// a marker while history keeps the full prompt.
func TestLargePromptEventsAreBounded(t *testing.T) {
	p := start(t, "--state-root", t.TempDir(), "--realm-backend", "memory")
	prompt := strings.Repeat("p", 10<<20)
	notes, resp := p.await(p.request("session/create", map[string]any{"prompt": prompt}), nil)
	if resp["error"] != nil {
		t.Fatalf("error %s", resp["error"])
	}
	var res runResult
	if err := json.Unmarshal(resp["result"], &res); err != nil {
		t.Fatal(err)
	}
	var last uint64
	types := checkEvents(t, notes, res.SessionID, &last)
	if len(types) == 0 || types[0] != "run_started" || types[len(types)-1] != "run_completed" {
		t.Fatalf("events %v", types)
	}
	var first envelope
	if err := json.Unmarshal(notes[0]["params"], &first); err != nil {
		t.Fatal(err)
	}
	if *first.Event.Seq != 1 {
		t.Fatalf("run_started at seq %d", *first.Event.Seq)
	}
	var started struct{ Prompt string }
	if err := json.Unmarshal(first.Event.Payload, &started); err != nil {
		t.Fatal(err)
	}
	if len(started.Prompt) >= len(prompt) || !strings.HasPrefix(started.Prompt, "ppp") || !strings.Contains(started.Prompt, "truncated") {
		t.Fatalf("run_started prompt of %d bytes, ends %q", len(started.Prompt), started.Prompt[max(0, len(started.Prompt)-80):])
	}
	var hist struct {
		Messages []struct {
			Role    string
			Content json.RawMessage
		}
	}
	p.call("session/history", map[string]any{"session_id": res.SessionID}, &hist)
	var content string
	if len(hist.Messages) == 0 || json.Unmarshal(hist.Messages[0].Content, &content) != nil || content != prompt {
		t.Fatalf("history does not hold the full prompt (%d rows)", len(hist.Messages))
	}
}

// TestImageBlocksAreValidated: image blocks need valid base64 of a PNG,
// JPEG, GIF or WebP image that matches the declared media type.
func TestImageBlocksAreValidated(t *testing.T) {
	p := start(t, "--state-root", t.TempDir(), "--realm-backend", "memory")
	const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
	img := func(mediaType, data string) []map[string]any {
		return []map[string]any{{"type": "text", "text": "look"}, {"type": "image", "media_type": mediaType, "source": "inline", "data": data}}
	}
	refused := []struct{ name, mediaType, data string }{
		{"not base64", "image/png", "not base64!"},
		{"bad padding", "image/png", "iVBORw0KGgo"},
		{"unknown media type", "image/bmp", png},
		{"not an image type", "text/plain", png},
		{"type mismatch", "image/jpeg", png},
		{"not image bytes", "image/png", "aGVsbG8gd29ybGQ="},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			p.t = t
			if code, _ := p.callErr("session/create", map[string]any{"prompt": img(tt.mediaType, tt.data)}); code != -32602 {
				t.Fatalf("code %d, want -32602", code)
			}
		})
	}
	t.Run("valid png", func(t *testing.T) {
		p.t = t
		var res runResult
		p.call("session/create", map[string]any{"prompt": img("image/png", png)}, &res)
		res.check(t)
	})
}

// TestClientClosingStdoutMidTurn: a client that closes its end of our stdout
// during a turn must not kill the server with SIGPIPE; the server stops,
// exits 0, and what was committed stays in the realm.
func TestClientClosingStdoutMidTurn(t *testing.T) {
	root := t.TempDir()
	args := []string{"--state-root", root, "--realm", "pipe"}
	p := start(t, args...)
	var first runResult
	p.call("session/create", map[string]any{"prompt": "committed turn"}, &first)
	p.in.Close()
	for range p.lines {
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "RKAT_TEST_CLIENT=1", "RKAT_TEST_SCRIPT="+filepath.Join(filepath.Dir(binary), "script.json"))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = outW
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	outW.Close()
	defer stdin.Close()
	fmt.Fprintf(stdin, `{"jsonrpc":"2.0","id":1,"method":"turn/start","params":{"session_id":%q,"prompt":"slow turn"}}`+"\n", first.SessionID)
	rd := bufio.NewReader(outR)
	for range 3 { // run_started, turn_started, the first delta
		if _, err := rd.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
	}
	outR.Close() // the client stops reading mid-turn; stdin stays open
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v (state %v)", err, cmd.ProcessState)
		}
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		t.Fatal("server still running 20 s after its stdout was closed")
	}

	q := start(t, args...)
	var hist struct {
		Messages []struct{ Role string }
	}
	q.call("session/history", map[string]any{"session_id": first.SessionID}, &hist)
	if len(hist.Messages) < 2 || hist.Messages[0].Role != "user" {
		t.Fatalf("committed turn lost: %+v", hist.Messages)
	}
}

// TestHugeLineRejectedWithBoundedMemory: a 100 MB line is refused once it
// passes the 64 MiB frame limit, and the server's peak RSS stays near the
// limit instead of several times it. The peak is VmHWM, polled until the
// process exits (getrusage's max RSS would count the test process it was
// forked from).
func TestHugeLineRejectedWithBoundedMemory(t *testing.T) {
	p := start(t, "--realm-backend", "memory", "--state-root", t.TempDir())
	peak := make(chan int64, 1)
	go func() {
		var kb int64
		for {
			v, err := procstat.PeakRSSKB(p.cmd.Process.Pid)
			if err != nil {
				peak <- kb
				return
			}
			kb = max(kb, v)
			time.Sleep(time.Millisecond)
		}
	}()
	go func() {
		chunk := []byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"pad":"` + strings.Repeat("x", 1<<20))
		for i := 0; i < 100; i++ {
			if _, err := p.in.Write(chunk); err != nil {
				return // the server is gone
			}
			chunk = chunk[len(chunk)-1<<20:]
		}
		_, _ = io.WriteString(p.in, "\"}}\n")
	}()
	if _, ok := <-p.lines; ok {
		t.Fatal("server answered an oversized frame")
	}
	if err := p.cmd.Wait(); err == nil {
		t.Fatal("server exited 0 after an oversized frame")
	}
	peakMB := <-peak >> 10
	t.Logf("peak RSS %d MB", peakMB)
	if peakMB < 32 || peakMB > 120 { // under 32: the polls missed the reading
		t.Fatalf("peak RSS %d MB reading a line over the 64 MiB limit (want the limit plus little)", peakMB)
	}
}
