package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/rkat-dev/rkat/realtime/peer"
	"github.com/rkat-dev/rkat/realtime/signalling"
)

// newRealtimeEchoCmd returns `rkat realtime echo`: a Go peer that echoes
// data, directed messages and audio, for checking a deployment from a
// browser.
func newRealtimeEchoCmd() *cobra.Command {
	var url, key, channel string
	var level *slog.Level
	cmd := &cobra.Command{
		Use:   "echo --url ws://HOST:PORT --key KEY --channel CHANNEL",
		Short: "Join a channel as a WebRTC peer that echoes data, directed messages and audio",
		Long: `Join CHANNEL on the realtime server at URL (an origin; /v1 is appended) as a
WebRTC peer and echo, until interrupted:
  - every data-channel message back on the same channel (text stays text),
  - every directed application message back to its sender,
  - every received audio track back to its sender as a new audio track.
The key needs the subscribe, presence and send permissions.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: *level}))
			cfg := peer.Config{Signalling: signalling.Config{URL: url, Key: key}, Logger: log}
			return peer.Echo(cmd.Context(), cfg, channel, func(id string) {
				fmt.Fprintf(cmd.OutOrStdout(), "echo peer %s joined %s\n", id, channel)
			})
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "server origin, e.g. ws://127.0.0.1:8787")
	cmd.Flags().StringVar(&key, "key", "", "publishable key")
	cmd.Flags().StringVar(&channel, "channel", "", "channel to join")
	level = logLevelFlag(cmd, slog.LevelWarn)
	for _, f := range []string{"url", "key", "channel"} {
		_ = cmd.MarkFlagRequired(f)
	}
	return cmd
}
