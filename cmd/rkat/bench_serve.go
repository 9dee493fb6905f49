package main

import (
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/rkat-dev/rkat/serve/bench"
)

// newBenchServeCmd returns `rkat bench serve`: start-up to ready, idle RSS
// and RPC-over-WebSocket turns/s of rkat serve.
func newBenchServeCmd() *cobra.Command {
	var (
		o      bench.Options
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Measure rkat serve: start to /readyz, idle RSS, turns/s over the /rpc WebSocket",
		Long: `Start rkat serve (this executable, default config, offline scripted
provider) --starts times and measure the time from process start to /readyz
answering 200 (median and p90); on the last start read the RSS after
--settle idle, then time --turns turns through the Go SDK over /rpc.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bin, err := os.Executable()
			if err != nil {
				return err
			}
			o.Bin = bin
			res, err := bench.Run(cmd.Context(), o)
			if err != nil {
				return err
			}
			return writeBenchResult(cmd.OutOrStdout(), asJSON, res)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Starts, "starts", 20, "cold starts to time")
	f.IntVar(&o.Turns, "turns", 2000, "turns to time over /rpc")
	f.IntVar(&o.TurnsPerSession, "turns-per-session", 25, "turns per session before moving to a new one")
	f.DurationVar(&o.Settle, "settle", 2*time.Second, "idle time before the RSS is read")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}
