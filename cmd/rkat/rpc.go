package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/rkat-dev/rkat/cmd/internal/rpccmd"
)

// newRPCCmd returns `rkat rpc`, the JSON-RPC server over stdin/stdout (the
// same program as the rkat-rpc binary; its flags are parsed there).
func newRPCCmd() *cobra.Command {
	return &cobra.Command{
		Use:                "rpc [flags]",
		Short:              "Serve the agent runtime's JSON-RPC contract over stdin/stdout",
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if code := rpccmd.Main(cmd.Context(), args, os.Stdin, os.Stdout, os.Stderr); code != 0 {
				return &exitError{code: code}
			}
			return nil
		},
	}
}
