// Package bench measures rkat-rpc as a client sees it, through its stdio:
// process start to initialize answered, idle RSS, turns per second and
// text_delta notifications per second, all with the offline scripted
// provider.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/internal/procstat"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
)

// Options configure Run.
type Options struct {
	// Command is the server command line, e.g. ["/path/rkat-rpc"] or
	// ["/path/rkat", "rpc"].
	Command []string
	// Starts is the number of cold starts timed (0 skips).
	Starts int
	// Turns is the number of turns timed per concurrency level (0 skips).
	Turns int
	// Concurrency is the number of sessions driven in parallel.
	Concurrency int
	// TurnsPerSession bounds a session's length: each worker moves to a new
	// (deferred, so runless) session after this many turns, so the figure
	// measures the surface rather than ever longer histories. 0 means 25.
	TurnsPerSession int
	// Deltas is the number of text_delta events of the flood run (0 skips).
	Deltas int
	// Backend is the realm backend of the turn runs: memory or sqlite.
	Backend string
}

// Result holds the measured figures.
type Result struct {
	StartMedianMS   float64 `json:"start_to_initialize_median_ms"`
	StartP90MS      float64 `json:"start_to_initialize_p90_ms"`
	IdleRSSMiB      float64 `json:"idle_rss_mib"`
	TurnsPerSecSeq  float64 `json:"turns_per_sec_sequential"`
	TurnsPerSecPar  float64 `json:"turns_per_sec_concurrent"`
	Concurrency     int     `json:"concurrency"`
	Backend         string  `json:"backend"`
	DeltasPerSec    float64 `json:"text_deltas_per_sec"`
	DeltasCounted   int     `json:"text_deltas_counted"`
	StartsMeasured  int     `json:"starts"`
	TurnsMeasured   int     `json:"turns"`
	TurnsPerSession int     `json:"turns_per_session"`
	DeltaRunSeconds float64 `json:"delta_run_seconds"`
}

// String formats the result for a terminal.
func (r Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "start to initialize answered: median %.2f ms, p90 %.2f ms (%d starts)\n", r.StartMedianMS, r.StartP90MS, r.StartsMeasured)
	fmt.Fprintf(&b, "idle RSS after initialize:    %.1f MiB\n", r.IdleRSSMiB)
	fmt.Fprintf(&b, "turns/s (%s, 1 worker):  %.0f (%d turns, new session every %d)\n", r.Backend, r.TurnsPerSecSeq, r.TurnsMeasured, r.TurnsPerSession)
	fmt.Fprintf(&b, "turns/s (%s, %d workers): %.0f\n", r.Backend, r.Concurrency, r.TurnsPerSecPar)
	fmt.Fprintf(&b, "text_delta notifications/s:   %.0f (%d in %.2f s)\n", r.DeltasPerSec, r.DeltasCounted, r.DeltaRunSeconds)
	return b.String()
}

// Run performs the measurements in order.
func Run(ctx context.Context, o Options) (Result, error) {
	if len(o.Command) == 0 {
		return Result{}, fmt.Errorf("bench: no server command")
	}
	if o.Backend == "" {
		o.Backend = "memory"
	}
	o.Concurrency = max(o.Concurrency, 1)
	if o.TurnsPerSession <= 0 {
		o.TurnsPerSession = 25
	}
	dir, err := os.MkdirTemp("", "rkat-rpc-bench-")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(dir)
	script, err := json.Marshal(map[string]any{"rules": []any{map[string]any{"match": "flood",
		"responses": []any{map[string]any{"text": strings.Repeat("x", max(o.Deltas, 1)), "chunks": max(o.Deltas, 1)}}}}})
	if err != nil {
		return Result{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, "script.json"), script, 0o600); err != nil {
		return Result{}, err
	}
	res := Result{Concurrency: o.Concurrency, Backend: o.Backend, TurnsPerSession: o.TurnsPerSession}
	steps := []func(context.Context, Options, string, *Result) error{measureStarts, measureTurns, measureDeltas}
	for _, step := range steps {
		if err := step(ctx, o, dir, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// proc is one server process and the stream over its stdio.
type proc struct {
	cmd *exec.Cmd
	s   *rpc.Stream
}

func spawn(o Options, dir string, args ...string) (*proc, error) {
	argv := append(append(slices.Clone(o.Command[1:]), "--state-root", dir), args...)
	cmd := exec.Command(o.Command[0], argv...)
	cmd.Env = append(os.Environ(), "RKAT_TEST_CLIENT=1", "RKAT_TEST_SCRIPT="+filepath.Join(dir, "script.json"))
	cmd.Stderr = os.Stderr
	s, err := rpc.StartProcess(cmd, 0)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return &proc{cmd: cmd, s: s}, nil
}

// send writes one line to the server.
func (p *proc) send(line string) error {
	if err := p.s.WriteMessage([]byte(line)); err != nil {
		return err
	}
	return p.s.Flush()
}

// stop closes stdin and waits for the exit the contract promises.
func (p *proc) stop() error {
	_ = p.s.CloseWrite()
	err := p.cmd.Wait()
	_ = p.s.Close()
	return err
}

const initLine = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`

func measureStarts(ctx context.Context, o Options, dir string, r *Result) error {
	if o.Starts <= 0 {
		return nil
	}
	times := make([]float64, 0, o.Starts)
	for i := 0; i < o.Starts && ctx.Err() == nil; i++ {
		t0 := time.Now()
		p, err := spawn(o, dir, "--realm-backend", "memory")
		if err != nil {
			return err
		}
		if err := p.send(initLine); err != nil {
			return err
		}
		line, err := p.s.ReadMessage()
		elapsed := time.Since(t0)
		if err != nil || !bytes.Contains(line, []byte(`"contract_version"`)) {
			return fmt.Errorf("bench: initialize answer %q: %v", line, err)
		}
		times = append(times, float64(elapsed.Microseconds())/1000)
		if i == 0 {
			time.Sleep(200 * time.Millisecond) // let the runtime settle before sampling
			if r.IdleRSSMiB, err = rssMiB(p.cmd.Process.Pid); err != nil {
				return err
			}
		}
		if err := p.stop(); err != nil {
			return fmt.Errorf("bench: server exit: %w", err)
		}
	}
	slices.Sort(times)
	r.StartsMeasured = len(times)
	r.StartMedianMS = times[len(times)/2]
	r.StartP90MS = times[len(times)*9/10]
	return nil
}

func rssMiB(pid int) (float64, error) {
	kb, err := procstat.RSSKB(pid)
	return float64(kb) / 1024, err
}

// client is an rpc.Conn over a server process.
func client(ctx context.Context, p *proc) (*rpc.Conn, func()) {
	c := rpc.New(rpc.Config{Transport: p.s})
	done := make(chan struct{})
	go func() { _ = c.Serve(ctx); close(done) }()
	return c, func() { _ = p.s.CloseWrite(); <-done; _ = p.cmd.Wait() }
}

func measureTurns(ctx context.Context, o Options, dir string, r *Result) error {
	if o.Turns <= 0 {
		return nil
	}
	p, err := spawn(o, dir, "--realm-backend", o.Backend)
	if err != nil {
		return err
	}
	c, stop := client(ctx, p)
	defer stop()
	if _, err := c.Call(ctx, wire.MethodSessionCreate, map[string]any{"prompt": "warm up"}); err != nil {
		return fmt.Errorf("bench: warm-up: %w", err)
	}
	if r.TurnsPerSecSeq, err = turns(ctx, c, 1, o.Turns, o.TurnsPerSession); err != nil {
		return err
	}
	if r.TurnsPerSecPar, err = turns(ctx, c, o.Concurrency, o.Turns, o.TurnsPerSession); err != nil {
		return err
	}
	r.TurnsMeasured = o.Turns
	return nil
}

// turns runs n turns over workers goroutines, each on its own sessions of
// perSession turns, and returns turns per second.
func turns(ctx context.Context, c *rpc.Conn, workers, n, perSession int) (float64, error) {
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	t0 := time.Now()
	for i := range workers {
		count := n / workers
		if i < n%workers {
			count++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := worker(ctx, c, count, perSession); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return float64(n) / time.Since(t0).Seconds(), nil
}

func worker(ctx context.Context, c *rpc.Conn, count, perSession int) error {
	var sid string
	for i := range count {
		if i%perSession == 0 {
			raw, err := c.Call(ctx, wire.MethodSessionCreate, map[string]any{"prompt": "bench", "initial_turn": wire.InitialTurnDeferred})
			if err != nil {
				return fmt.Errorf("bench: create: %w", err)
			}
			var res wire.DeferredResult
			if err := json.Unmarshal(raw, &res); err != nil {
				return err
			}
			sid = res.SessionID
		}
		if _, err := c.Call(ctx, wire.MethodTurnStart, map[string]any{"session_id": sid, "prompt": "hello"}); err != nil {
			return fmt.Errorf("bench: turn: %w", err)
		}
	}
	return nil
}

func measureDeltas(ctx context.Context, o Options, dir string, r *Result) error {
	if o.Deltas <= 0 {
		return nil
	}
	p, err := spawn(o, dir, "--realm-backend", "memory")
	if err != nil {
		return err
	}
	defer p.stop()
	if err := p.send(initLine); err != nil {
		return err
	}
	if _, err := p.s.ReadMessage(); err != nil {
		return err
	}
	t0 := time.Now()
	if err := p.send(`{"jsonrpc":"2.0","id":2,"method":"session/create","params":{"prompt":"flood"}}`); err != nil {
		return err
	}
	for {
		line, err := p.s.ReadMessage()
		if err != nil {
			return fmt.Errorf("bench: reading deltas: %w", err)
		}
		if bytes.Contains(line, []byte(`"type":"text_delta"`)) {
			r.DeltasCounted++
			continue
		}
		if bytes.HasPrefix(line, []byte(`{"jsonrpc":"2.0","id":2,`)) {
			break
		}
	}
	r.DeltaRunSeconds = time.Since(t0).Seconds()
	r.DeltasPerSec = float64(r.DeltasCounted) / r.DeltaRunSeconds
	return nil
}
