// Package bench measures `rkat serve` as a client sees it: process start to
// /readyz answering 200, the idle RSS of the default configuration (with its
// lobby agent joined), and JSON-RPC turns per second over the /rpc
// WebSocket with the offline scripted provider.
package bench

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/rkat-dev/rkat/internal/procstat"
	"github.com/rkat-dev/rkat/sdk"
)

// Options configure Run.
type Options struct {
	// Bin is the rkat binary.
	Bin string
	// Starts is the number of cold starts timed (at least 1).
	Starts int
	// Turns is the number of turns timed over /rpc (0 skips).
	Turns int
	// TurnsPerSession: each run moves to a new session after this many
	// turns, so the figure measures the surface, not ever longer histories.
	TurnsPerSession int
	// Settle is how long the server idles before its RSS is read.
	Settle time.Duration
}

// Result holds the measured figures.
type Result struct {
	StartMedianMS float64 `json:"start_to_ready_median_ms"`
	StartP90MS    float64 `json:"start_to_ready_p90_ms"`
	Starts        int     `json:"starts"`
	IdleRSSMiB    float64 `json:"idle_rss_mib"`
	TurnsPerSec   float64 `json:"rpc_websocket_turns_per_sec"`
	Turns         int     `json:"turns"`
}

// String formats the result for a terminal.
func (r Result) String() string {
	return fmt.Sprintf("start to /readyz 200: median %.1f ms, p90 %.1f ms (%d starts)\nidle RSS (default config, lobby agent joined): %.1f MiB\nturns/s over /rpc WebSocket (scripted, 1 client): %.0f (%d turns)\n",
		r.StartMedianMS, r.StartP90MS, r.Starts, r.IdleRSSMiB, r.TurnsPerSec, r.Turns)
}

// server is one started `rkat serve`.
type server struct {
	cmd      *exec.Cmd
	addr     string
	key      string
	stateDir string
}

// start runs rkat serve with the default config on a free port and waits
// for the lines that name its address and key.
func start(o Options) (*server, error) {
	dir, err := os.MkdirTemp("", "rkat-bench-serve-")
	if err != nil {
		return nil, err
	}
	s := &server{stateDir: dir}
	s.cmd = exec.Command(o.Bin, "serve", "--addr", "127.0.0.1:0", "--state-root", dir)
	s.cmd.Env = append(os.Environ(), "RKAT_TEST_CLIENT=1")
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	sc := bufio.NewScanner(out)
	for (s.addr == "" || s.key == "") && sc.Scan() {
		line := sc.Text()
		if a, ok := strings.CutPrefix(line, "listening on "); ok {
			s.addr, _, _ = strings.Cut(a, " ")
		}
		if k, ok := strings.CutPrefix(line, "development key: "); ok {
			s.key = k
		}
	}
	if s.addr == "" || s.key == "" {
		s.stop()
		return nil, fmt.Errorf("bench: rkat serve printed no address and key")
	}
	return s, nil
}

// ready polls /readyz until it answers 200.
func (s *server) ready(ctx context.Context) error {
	for ctx.Err() == nil {
		resp, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(time.Millisecond)
	}
	return ctx.Err()
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	_ = s.cmd.Wait()
	os.RemoveAll(s.stateDir)
}

// Run performs the measurements in order.
func Run(ctx context.Context, o Options) (Result, error) {
	o.Starts = max(o.Starts, 1)
	if o.TurnsPerSession <= 0 {
		o.TurnsPerSession = 25
	}
	var r Result
	var times []float64
	for i := range o.Starts {
		t0 := time.Now()
		s, err := start(o)
		if err != nil {
			return r, err
		}
		if err := s.ready(ctx); err != nil {
			s.stop()
			return r, err
		}
		times = append(times, float64(time.Since(t0).Microseconds())/1000)
		if i < o.Starts-1 {
			s.stop()
			continue
		}
		err = measureLast(ctx, o, s, &r)
		s.stop()
		if err != nil {
			return r, err
		}
	}
	slices.Sort(times)
	r.Starts = len(times)
	r.StartMedianMS = times[len(times)/2]
	r.StartP90MS = times[len(times)*9/10]
	return r, nil
}

// measureLast reads the idle RSS of s, then times turns over /rpc.
func measureLast(ctx context.Context, o Options, s *server, r *Result) error {
	time.Sleep(o.Settle)
	kb, err := procstat.RSSKB(s.cmd.Process.Pid)
	if err != nil {
		return err
	}
	r.IdleRSSMiB = float64(kb) / 1024
	if o.Turns == 0 {
		return nil
	}
	c, err := sdk.Connect(ctx, sdk.Options{URL: "ws://" + s.addr + "/rpc", Key: s.key})
	if err != nil {
		return err
	}
	defer c.Close()
	var sess *sdk.Session
	t0 := time.Now()
	for i := range o.Turns {
		if i%o.TurnsPerSession == 0 {
			d, err := c.CreateDeferredSession(ctx, "bench", nil)
			if err != nil {
				return err
			}
			sess = &d.Session
		}
		if _, err := sess.Turn(ctx, "hello", nil); err != nil {
			return err
		}
	}
	r.Turns = o.Turns
	r.TurnsPerSec = float64(o.Turns) / time.Since(t0).Seconds()
	return nil
}
