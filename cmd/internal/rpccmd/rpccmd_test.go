package rpccmd

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/internal/servetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestMainServesUntilEOF(t *testing.T) {
	t.Setenv("RKAT_TEST_CLIENT", "1")
	inR, inW := io.Pipe()
	var out, errOut servetest.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(context.Background(), []string{"--realm-backend", "memory", "--state-root", t.TempDir(), "--instance", "i1"}, inR, &out, &errOut)
	}()
	lines := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}` + "\n" +
		`{"jsonrpc":"2.0","id":2,"method":"session/create","params":{"prompt":"hi"}}` + "\n"
	if _, err := io.WriteString(inW, lines); err != nil {
		t.Fatal(err)
	}
	inW.Close()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	got := out.String()
	if !strings.Contains(got, `"contract_version":"0.8.26"`) || !strings.Contains(got, `{"jsonrpc":"2.0","id":2,"result":{"session_id":`) {
		t.Fatalf("stdout %q", got)
	}
	if errOut.String() != "" {
		t.Fatalf("stderr not quiet: %q", errOut.String())
	}
}

func TestMainFlags(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--help"}, 0, "--realm-backend"},
		{[]string{"--live-ws", "0.0.0.0:0"}, 2, "loopback"},
		{[]string{"--live-ws", "nonsense"}, 2, "--live-ws"},
		{[]string{"--live-ws", "127.0.0.1:0", "--live-ws-scheme", "http"}, 2, "ws or wss"},
		{[]string{"--realm", "a", "--isolated"}, 2, "mutually exclusive"},
		{[]string{"--realm-backend", "jsonl"}, 2, "jsonl"},
		{[]string{"--realm-backend", "postgres"}, 2, "backend"},
		{[]string{"--realm", "../x"}, 2, "realm name"},
		{[]string{"--log-level", "loud"}, 2, "--log-level"},
		{[]string{"extra"}, 2, "unexpected arguments"},
		{[]string{"--bogus"}, 2, "unknown flag"},
	}
	for _, tt := range tests {
		var out, errOut servetest.Buffer
		code := Main(context.Background(), tt.args, strings.NewReader(""), &out, &errOut)
		if code != tt.code || !strings.Contains(errOut.String(), tt.msg) || out.String() != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", tt.args, code, out.String(), errOut.String())
		}
	}
}

// A stop (the signal context ending) with stdin still open ends Main with
// status 0 while a turn runs; nothing is written after the stop.
func TestMainStopsWithStdinOpen(t *testing.T) {
	t.Setenv("RKAT_TEST_CLIENT", "1")
	t.Setenv("RKAT_TEST_SCRIPT", writeScript(t, `{"rules":[{"match":"slow","responses":[{"text":"`+strings.Repeat("slowly ", 100)+`","chunks":100,"delay_ms":50}]}]}`))
	inR, inW := io.Pipe()
	defer inW.Close() // ends the read parked on stdin after the stop
	var out servetest.Buffer
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"--realm-backend", "memory", "--state-root", t.TempDir()}, inR, &out, io.Discard)
	}()
	if _, err := io.WriteString(inW, `{"jsonrpc":"2.0","id":1,"method":"session/create","params":{"prompt":"slow"}}`+"\n"); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(out.String(), `"text_delta"`) {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(out.String(), `"id":1`) {
		t.Fatalf("answered after the stop: %s", out.String())
	}
}

func writeScript(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "script.json")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
