package main

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/rkat-dev/rkat/serve"
)

// newServeCmd returns `rkat serve`: the realtime server, JSON-RPC over
// WebSocket, metrics and the browser console in one process.
func newServeCmd() *cobra.Command {
	var (
		addr, config, stateRoot, storeURL string
		level                             *slog.Level
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the realtime server, JSON-RPC over WebSocket and the browser console in one process",
		Long: `Run one HTTP server hosting the realtime messaging server (/v1), the agent
runtime's JSON-RPC 2.0 over WebSocket (/rpc), /metrics, /healthz, /readyz and
the browser console at /.

Without --config it generates a development secret key and prints the
console's URL (the key travels in the URL's #fragment, never to the server
as a query). --config reads the sections of ` + "`rkat realtime --config`" + ` plus
[serve] (realm, shutdown_grace). A non-loopback --addr needs configured keys.
SIGTERM or Ctrl-C shuts down gracefully: running turns get the grace period
to finish, then are interrupted; clients get going_away and close 1001.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			file, err := loadServeFile(config)
			if err != nil {
				return err
			}
			if err := file.CheckAddr(addr); err != nil {
				return err
			}
			resolver, err := newResolver(os.Getenv)
			if err != nil {
				return err
			}
			home, wd := configDirs()
			log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: *level}))
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGTERM, os.Interrupt)
			defer stop()
			srv, err := serve.New(ctx, serve.Config{File: file, StateRoot: stateRoot, Store: storeURL, Resolver: resolver, Logger: log, ProjectDir: wd, UserDir: home})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				srv.Close()
				return fmt.Errorf("listen %s: %w", addr, err)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "listening on %s (realm %s, state %s)\n", ln.Addr(), srv.Realm().Name, srv.Realm().Dir)
			url := "http://" + ln.Addr().String() + "/"
			if file.Generated {
				fmt.Fprintf(out, "development key: %s\n", file.ConsoleKey())
				url += "#key=" + file.ConsoleKey()
			}
			fmt.Fprintf(out, "console: %s\n", url)
			return srv.Serve(ctx, ln)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8787", "listen address")
	cmd.Flags().StringVar(&config, "config", "", "TOML config file: the rkat realtime sections plus [serve]")
	cmd.Flags().StringVar(&stateRoot, "state-root", "", "state directory (default $RKAT_STATE_ROOT or ~/.rkat)")
	cmd.Flags().StringVar(&storeURL, "store", "", "shared store URL (postgres://...; default $RKAT_STORE_URL, else [store] url of --config)")
	level = logLevelFlag(cmd, slog.LevelWarn)
	return cmd
}

func loadServeFile(path string) (serve.File, error) {
	if path == "" {
		return serve.Default(), nil
	}
	return serve.LoadFile(path)
}
