package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/rkat-dev/rkat/realtime/bench"
)

// newBenchCmd returns `rkat bench`, the parent of the load generators; each
// area adds its own subcommand.
func newBenchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Run benchmarks and load generators (loopback only)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newBenchRealtimeCmd())
	cmd.AddCommand(newBenchRPCCmd())
	cmd.AddCommand(newBenchServeCmd())
	return cmd
}

// writeBenchResult prints a benchmark result as indented JSON or as its
// human-readable String form; every bench subcommand reports through it.
func writeBenchResult(w io.Writer, asJSON bool, res fmt.Stringer) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	_, err := io.WriteString(w, res.String())
	return err
}

// benchServerConfig is the config of the server `rkat bench realtime`
// starts: one publishable key without presence and limits opened up for
// thousands of loopback connections.
const benchServerConfig = `
[[keys]]
key = "pk_bench"
channels = ["bench/**"]
permissions = ["subscribe", "publish"]

[limits]
max_connections = 1000000
connects_per_ip = 1000000
rate_per_second = 1000000
rate_burst = 1000000
queue_frames = 8192
queue_bytes = 67108864
`

func newBenchRealtimeCmd() *cobra.Command {
	o := bench.Options{Key: "pk_bench", Channel: "bench/fanout"}
	var (
		serverURL   string
		serverProcs int
		nodes       int
		history     bool
		asJSON      bool
	)
	cmd := &cobra.Command{
		Use:   "realtime",
		Short: "Open N WebSocket clients, fan out publishes, report deliveries/s, p50/p99 latency and server RSS per connection",
		Long: `Open N WebSocket clients on loopback against a realtime server and measure:
server RSS per idle connection; then 1 publisher -> S subscribers fan-out at
a fixed publish rate: deliveries per second, publish-to-deliver latency
(p50/p99/max, to the kernel's arrival time on the subscriber's socket) and
publish-to-read latency (to when the load generator read it), CPU time per
delivery and time spent waiting for a CPU, for the server and the generator.

Without --url the command starts "rkat realtime" as a child process on a free
127.0.0.1 port (so RSS is the server's alone) and stops it afterwards; with
--nodes N it starts N nodes joined by embedded NATS servers on loopback and
spreads the subscribers over them (publisher on the first). --history gives
the fan-out channel a history (200 messages, 10 minutes), which in a cluster
puts its publications through the nodes' JetStream stream.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			o.URL = serverURL
			extra := ""
			if history {
				extra = benchHistoryConfig
			}
			switch {
			case o.URL == "" && nodes > 1:
				urls, stop, err := startBenchCluster(ctx, serverProcs, nodes, extra)
				if err != nil {
					return err
				}
				defer stop()
				o.URL, o.More = urls[0], urls[1:]
			case o.URL == "":
				url, pid, stop, err := startBenchServer(ctx, serverProcs, extra)
				if err != nil {
					return err
				}
				defer stop()
				o.URL, o.ServerPID = url, pid
			case !strings.HasPrefix(o.URL, "ws://127.0.0.1:"):
				return errors.New("--url must be a ws://127.0.0.1:PORT loopback origin")
			}
			res, err := bench.Run(ctx, o)
			if err != nil {
				return err
			}
			return writeBenchResult(cmd.OutOrStdout(), asJSON, res)
		},
	}
	f := cmd.Flags()
	f.StringVar(&serverURL, "url", "", "existing server origin (ws://127.0.0.1:PORT, needs key "+o.Key+"); default: start one")
	f.IntVar(&o.Conns, "conns", 10000, "idle connections to open")
	f.IntVar(&o.Subscribers, "subscribers", 5000, "connections that subscribe to the fan-out channel (0 skips fan-out)")
	f.IntVar(&o.Rate, "rate", 80, "publishes per second")
	f.DurationVar(&o.Duration, "duration", 5*time.Second, "how long to publish")
	f.IntVar(&o.Payload, "payload", 64, "payload padding per message, bytes")
	f.IntVar(&o.DialConcurrency, "dial-concurrency", 64, "parallel dials")
	f.DurationVar(&o.Settle, "settle", 2*time.Second, "pause before sampling server RSS")
	f.IntVar(&nodes, "nodes", 1, "nodes of a started cluster (embedded NATS on loopback; RSS and server CPU are not sampled)")
	f.BoolVar(&history, "history", false, "keep a history on the fan-out channel (started servers only)")
	f.IntVar(&serverProcs, "server-procs", 0, "GOMAXPROCS of the started server (0: Go's default, all cores)")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

// startBenchServer runs `rkat realtime` as a child process on a free
// loopback port (with GOMAXPROCS=procs when procs > 0) and returns its
// origin, pid and a stop function.
func startBenchServer(ctx context.Context, procs int, extraConfig string) (string, int, func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return "", 0, nil, fmt.Errorf("find rkat binary: %w", err)
	}
	dir, err := os.MkdirTemp("", "rkat-bench-")
	if err != nil {
		return "", 0, nil, fmt.Errorf("temp dir: %w", err)
	}
	cfgPath := filepath.Join(dir, "realtime.toml")
	if err := os.WriteFile(cfgPath, []byte(benchServerConfig+extraConfig), 0o600); err != nil {
		os.RemoveAll(dir)
		return "", 0, nil, fmt.Errorf("write config: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe, "realtime", "--addr", "127.0.0.1:0", "--config", cfgPath, "--log-level", "error")
	cmd.Stderr = os.Stderr
	if procs > 0 {
		cmd.Env = append(os.Environ(), fmt.Sprintf("GOMAXPROCS=%d", procs))
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		os.RemoveAll(dir)
		return "", 0, nil, fmt.Errorf("server stdout: %w", err)
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return "", 0, nil, fmt.Errorf("start server: %w", err)
	}
	stop := func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() {
			_ = cmd.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		os.RemoveAll(dir)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		stop()
		return "", 0, nil, fmt.Errorf("server did not report its address (got %q): %v", line, err)
	}
	return "ws://" + addr, cmd.Process.Pid, stop, nil
}

// benchHistoryConfig gives the fan-out channel a history.
const benchHistoryConfig = `
[[channels]]
pattern = "bench/**"
history_size = 200
history_ttl = "10m"
`

// startBenchCluster runs n `rkat realtime` nodes with extraConfig, each
// with an embedded NATS server routed to every other node's, started
// together (with history, a JetStream cluster forms only once its servers
// have met), and waits for the routes to form.
func startBenchCluster(ctx context.Context, procs, n int, extraConfig string) ([]string, func(), error) {
	routes := make([]string, n)
	for i := range routes {
		probe, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, fmt.Errorf("route port: %w", err)
		}
		routes[i] = probe.Addr().String()
		probe.Close()
	}
	urls, stops, errs := make([]string, n), make([]func(), n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		var others []string
		for j, r := range routes {
			if j != i {
				others = append(others, fmt.Sprintf("%q", "nats-route://"+r))
			}
		}
		cluster := fmt.Sprintf("\n[cluster]\nembedded = true\nnode_name = \"bench%d\"\nlisten = %q\nroutes = [%s]\n", i+1, routes[i], strings.Join(others, ", "))
		wg.Go(func() { urls[i], _, stops[i], errs[i] = startBenchServer(ctx, procs, extraConfig+cluster) })
	}
	wg.Wait()
	stopAll := func() {
		for _, stop := range stops {
			if stop != nil {
				stop()
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		stopAll()
		return nil, nil, err
	}
	time.Sleep(3 * time.Second) // routes and subscription interest propagate
	return urls, stopAll, nil
}
