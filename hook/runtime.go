package hook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/rkat-dev/rkat/internal/procgroup"
)

// MaxAnswerBytes bounds a hook's answer (stdout or response body).
const MaxAnswerBytes = 64 << 10

// Handler is an in-process hook: it gets the invocation and returns a
// decision (nil observes only).
type Handler func(ctx context.Context, inv Invocation) (*Decision, error)

// runtime runs one hook with the invocation's JSON and returns its answer.
type runtime interface {
	run(ctx context.Context, inv Invocation, body []byte) ([]byte, error)
}

type commandRuntime struct{ cfg RuntimeConfig }

// run starts the command in its own process group with the invocation on
// stdin and returns its stdout. When ctx ends the whole group is killed.
func (c commandRuntime) run(ctx context.Context, _ Invocation, body []byte) ([]byte, error) {
	cmd := exec.CommandContext(ctx, c.cfg.Command, c.cfg.Args...)
	cmd.Stdin = bytes.NewReader(body)
	var out limitedBuffer
	var stderr limitedBuffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	cmd.Env = os.Environ()
	for k, v := range c.cfg.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	// The hook's children die with it: cancellation kills the whole group.
	procgroup.Set(cmd)
	cmd.Cancel = func() error { return procgroup.Kill(cmd) }
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg != "" {
			return nil, fmt.Errorf("command %s: %w: %s", c.cfg.Command, err, msg)
		}
		return nil, fmt.Errorf("command %s: %w", c.cfg.Command, err)
	}
	if out.over {
		return nil, fmt.Errorf("command %s wrote more than %d bytes", c.cfg.Command, MaxAnswerBytes)
	}
	return out.Bytes(), nil
}

// limitedBuffer keeps the first MaxAnswerBytes written and notes overflow.
type limitedBuffer struct {
	bytes.Buffer
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := MaxAnswerBytes - b.Len(); len(p) > room {
		b.over = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

type httpRuntime struct {
	cfg    RuntimeConfig
	client *http.Client
}

// run POSTs the invocation and returns the response body of a 2xx answer.
func (h httpRuntime) run(ctx context.Context, _ Invocation, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range h.cfg.Headers {
		req.Header.Set(k, v)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswerBytes+1))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("POST %s: %s", h.cfg.URL, resp.Status)
	}
	if len(data) > MaxAnswerBytes {
		return nil, fmt.Errorf("POST %s: answer larger than %d bytes", h.cfg.URL, MaxAnswerBytes)
	}
	return data, nil
}

// funcRuntime adapts a Handler; its decision travels as JSON like the
// others' so that all runtimes share one decoding.
type funcRuntime struct{ h Handler }

func (f funcRuntime) run(ctx context.Context, inv Invocation, _ []byte) ([]byte, error) {
	d, err := f.h(ctx, inv)
	if err != nil || d == nil {
		return nil, err
	}
	return marshal(d)
}
