// Command rkat is the single binary of the project: the agent runtime CLI,
// the JSON-RPC server and the realtime messaging server.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
)

// exitError carries a process exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "rkat",
		Short:         "Agent runtime and realtime messaging in one binary",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		// Subcommands register here, one line each.
		newRunCmd(),
		newSessionsCmd(),
		newSchedulesCmd(),
		newRealtimeCmd(),
		newBenchCmd(),
		newModelsCmd(),
		newRPCCmd(),
		newMCPCmd(),
		newServeCmd(),
		newAgentCmd(),
	)
	return root
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:]))
}

// run executes the CLI and maps errors to exit codes.
func run(ctx context.Context, args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "rkat:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(os.Stderr, "rkat:", err)
	return 1
}
