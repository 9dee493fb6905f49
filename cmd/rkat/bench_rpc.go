package main

import (
	"os"
	"os/exec"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/rkat-dev/rkat/rpc/bench"
)

// newBenchRPCCmd returns `rkat bench rpc`: start-up, RSS, turns/s and
// text_delta/s of rkat-rpc through its stdio, with the scripted provider.
func newBenchRPCCmd() *cobra.Command {
	var (
		o      bench.Options
		bin    string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "rpc",
		Short: "Measure rkat-rpc: start to initialize, idle RSS, turns/s and text_delta notifications/s",
		Long: `Spawn rkat-rpc (offline, scripted provider) and measure through its stdio:
the time from process start to the initialize answer (median and p90 over
--starts runs), the RSS after initialize, turns per second on one session and
on --concurrency sessions, and text_delta notifications per second of one run
streaming --deltas deltas.

The server is --bin, else rkat-rpc next to this executable or on PATH, else
"rkat rpc".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Command = serverCommand(bin)
			res, err := bench.Run(cmd.Context(), o)
			if err != nil {
				return err
			}
			return writeBenchResult(cmd.OutOrStdout(), asJSON, res)
		},
	}
	f := cmd.Flags()
	f.StringVar(&bin, "bin", "", "rkat-rpc binary to measure (a binary named rkat is run as \"rkat rpc\")")
	f.IntVar(&o.Starts, "starts", 50, "cold starts to time")
	f.IntVar(&o.Turns, "turns", 5000, "turns to time per concurrency level")
	f.IntVar(&o.Concurrency, "concurrency", 8, "workers driving sessions in parallel")
	f.IntVar(&o.TurnsPerSession, "turns-per-session", 25, "turns per session before a worker moves to a new one")
	f.IntVar(&o.Deltas, "deltas", 100000, "text_delta events of the streaming run (at most 100000)")
	f.StringVar(&o.Backend, "backend", "memory", "realm backend of the turn runs: memory or sqlite")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

// serverCommand picks the server to measure.
func serverCommand(bin string) []string {
	if bin != "" && filepath.Base(bin) == "rkat" {
		return []string{bin, "rpc"}
	}
	if bin != "" {
		return []string{bin}
	}
	exe, err := os.Executable()
	if err == nil {
		if sib := filepath.Join(filepath.Dir(exe), "rkat-rpc"); fileExists(sib) {
			return []string{sib}
		}
	}
	if p, err := exec.LookPath("rkat-rpc"); err == nil {
		return []string{p}
	}
	return []string{exe, "rpc"}
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
