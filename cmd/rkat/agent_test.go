package main

import (
	"bufio"
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/realtime"
)

func TestAgentJoinRejectsFlags(t *testing.T) {
	c := newCLI(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no credential", []string{"--url", "ws://127.0.0.1:1/v1", "--channel", "c"}, "at least one of the flags in the group [key token] is required"},
		{"two credentials", []string{"--url", "ws://127.0.0.1:1/v1", "--channel", "c", "--key", "pk", "--token", "t"}, "[key token] were all set"},
		{"realtime model, scripted provider", []string{"--url", "ws://127.0.0.1:1/v1", "--channel", "c", "--key", "pk", "--model", "gpt-realtime-2", "--provider", "scripted"}, "connect failed"},
		{"no channel", []string{"--url", "ws://127.0.0.1:1/v1", "--key", "pk"}, `"channel" not set`},
		{"http url", []string{"--url", "http://127.0.0.1:1", "--channel", "c", "--key", "pk", "--provider", "scripted"}, "must be ws://HOST:PORT"},
		{"unknown model", []string{"--url", "ws://127.0.0.1:1/v1", "--channel", "c", "--key", "pk", "--model", "no-such-model"}, "no-such-model"},
		{"no server", []string{"--url", "ws://127.0.0.1:1/v1", "--channel", "c", "--key", "pk", "--provider", "scripted"}, "connect failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := c.run(append([]string{"agent", "join"}, tt.args...)...)
			if code != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, errOut, tt.want)
			}
		})
	}
}

// TestAgentJoinPublishableKeyWarns: a publishable key joins, with a warning
// that the agent has no metadata, and Ctrl-C ends the command with 0.
func TestAgentJoinPublishableKeyWarns(t *testing.T) {
	srv, err := realtime.New(realtime.Config{Keys: []realtime.KeyConfig{{
		Key: "pk_agent", Channels: []string{"**"}, Permissions: []string{"subscribe", "publish", "presence", "send"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	c := newCLI(t)
	cmd := c.cmd("agent", "join", "--url", strings.Replace(hs.URL, "http://", "ws://", 1)+"/v1", "--key", "pk_agent",
		"--channel", "room/1", "--provider", "scripted")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasSuffix(line, " joined room/1\n") {
		t.Errorf("banner %q: %v", line, err)
	}
	_ = cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Errorf("after interrupt: %v (stderr %s)", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "publishable key carries no presence metadata") {
		t.Errorf("no warning on stderr: %q", errOut.String())
	}
}
