package main

import (
	"log/slog"
	"testing"

	"github.com/spf13/cobra"
)

func TestLogLevelFlag(t *testing.T) {
	cmd := &cobra.Command{}
	level := logLevelFlag(cmd, slog.LevelInfo)
	if *level != slog.LevelInfo {
		t.Fatalf("default %v", *level)
	}
	if err := cmd.Flags().Parse([]string{"--log-level", "debug"}); err != nil || *level != slog.LevelDebug {
		t.Fatalf("debug: %v %v", *level, err)
	}
	if err := cmd.Flags().Parse([]string{"--log-level", "loud"}); err == nil {
		t.Fatal("an unknown level was accepted")
	}
}
