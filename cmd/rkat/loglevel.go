package main

import (
	"log/slog"

	"github.com/spf13/cobra"
)

// levelValue is a --log-level flag value: debug, info, warn or error.
type levelValue struct{ slog.Level }

func (l *levelValue) Set(s string) error { return l.UnmarshalText([]byte(s)) }
func (l *levelValue) Type() string       { return "level" }

// logLevelFlag adds --log-level to cmd with default def and returns where
// the parsed level is kept.
func logLevelFlag(cmd *cobra.Command, def slog.Level) *slog.Level {
	v := &levelValue{def}
	cmd.Flags().Var(v, "log-level", "log level: debug, info, warn, error")
	return &v.Level
}
