package main

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/rkat-dev/rkat/realtime"
)

// newRealtimeCmd returns `rkat realtime`: the command itself runs the
// messaging server; tools that talk to a server are its subcommands.
func newRealtimeCmd() *cobra.Command {
	var (
		addr     string
		config   string
		shutdown time.Duration
		level    *slog.Level
	)
	cmd := &cobra.Command{
		Use:   "realtime",
		Short: "Run the realtime messaging server (WebSocket pub/sub, presence, directs)",
		Long: `Run the realtime messaging server.

The WebSocket endpoint is /v1 (?key=pk_... or ?token=JWT); the REST API
(/v1/tokens, /v1/channels/{channel}, /v1/peers/{peerId}) takes a secret key as
"Authorization: Bearer sk_..."; Prometheus metrics are at /metrics.
Interrupt (Ctrl-C) shuts down gracefully: going_away to every client, then
close 1001. SIGHUP reloads --config: keys, signing keys, secret keys and apps
change in place; connections of a newly suspended app are closed with 4012,
those whose key was removed (or signing secret rotated) with 4001. A file
that does not load, or changes [limits], is reported and changes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var cfg realtime.Config
			if config != "" {
				var err error
				if cfg, err = realtime.LoadConfig(config); err != nil {
					return err
				}
			}
			log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: *level}))
			cfg.Logger = log
			srv, err := realtime.New(cfg)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				_ = srv.Shutdown(cmd.Context())
				return fmt.Errorf("listen %s: %w", addr, err)
			}
			log.Info("realtime server listening", "addr", ln.Addr().String())
			stop := reloadOnHangup(srv, config, log)
			defer stop()
			// The bench command reads this line to find the port.
			fmt.Fprintf(cmd.OutOrStdout(), "listening on %s\n", ln.Addr())
			return srv.Serve(cmd.Context(), ln, shutdown)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8787", "listen address")
	cmd.Flags().StringVar(&config, "config", "", "TOML config file (keys, signing_keys, secret_keys, apps, limits)")
	level = logLevelFlag(cmd, slog.LevelInfo)
	cmd.Flags().DurationVar(&shutdown, "shutdown-timeout", 10*time.Second, "how long graceful shutdown may take")
	cmd.AddCommand(newRealtimeEchoCmd())
	return cmd
}

// reloadOnHangup reloads the config file into srv on every SIGHUP until the
// returned stop is called. Without a config file there is nothing to reload,
// which it logs (the signal no longer ends the server either way).
func reloadOnHangup(srv *realtime.Server, path string, log *slog.Logger) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		for {
			select {
			case <-done:
				return
			case <-hup:
				if path == "" {
					log.Warn("SIGHUP ignored: no --config to reload")
					continue
				}
				cfg, err := realtime.LoadConfig(path)
				if err == nil {
					err = srv.Reload(cfg)
				}
				if err != nil {
					log.Error("config not reloaded", "path", path, "err", err)
				}
			}
		}
	}()
	return func() {
		signal.Stop(hup)
		close(done)
		<-exited
	}
}
