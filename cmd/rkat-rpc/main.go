// Command rkat-rpc serves the agent runtime's JSON-RPC 2.0 contract over
// stdin/stdout; it is the binary the SDKs spawn (the same as `rkat rpc`).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/rkat-dev/rkat/cmd/internal/rpccmd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := rpccmd.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
