package peer

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pion/logging"
)

// slog levels of pion's log levels, one step below their names: pion's
// warnings are mostly benign teardown races ("stream is already closed")
// and its info logs are per-state-change chatter, so a logger at the usual
// warn level shows pion's errors only.
const (
	pionTrace = slog.LevelDebug - 8
	pionDebug = slog.LevelDebug - 4
	pionInfo  = slog.LevelDebug
	pionWarn  = slog.LevelInfo
	pionError = slog.LevelWarn
)

// NewLoggerFactory returns a pion LoggerFactory (for
// webrtc.SettingEngine.LoggerFactory) that writes pion's logs to log, one
// level below their pion level (errors at warn, warnings at info, ...),
// with the pion scope as attribute "pion". A nil log discards them.
// Without a factory, pion writes its errors to stderr.
func NewLoggerFactory(log *slog.Logger) logging.LoggerFactory {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return slogFactory{log: log}
}

type slogFactory struct{ log *slog.Logger }

func (f slogFactory) NewLogger(scope string) logging.LeveledLogger {
	return slogLogger{log: f.log.With("pion", scope)}
}

// slogLogger adapts a *slog.Logger to pion's LeveledLogger; formatting is
// skipped for disabled levels.
type slogLogger struct{ log *slog.Logger }

func (l slogLogger) logf(level slog.Level, format string, args ...any) {
	ctx := context.Background()
	if l.log.Enabled(ctx, level) {
		l.log.Log(ctx, level, fmt.Sprintf(format, args...))
	}
}

func (l slogLogger) Trace(msg string)                  { l.logf(pionTrace, "%s", msg) }
func (l slogLogger) Tracef(format string, args ...any) { l.logf(pionTrace, format, args...) }
func (l slogLogger) Debug(msg string)                  { l.logf(pionDebug, "%s", msg) }
func (l slogLogger) Debugf(format string, args ...any) { l.logf(pionDebug, format, args...) }
func (l slogLogger) Info(msg string)                   { l.logf(pionInfo, "%s", msg) }
func (l slogLogger) Infof(format string, args ...any)  { l.logf(pionInfo, format, args...) }
func (l slogLogger) Warn(msg string)                   { l.logf(pionWarn, "%s", msg) }
func (l slogLogger) Warnf(format string, args ...any)  { l.logf(pionWarn, format, args...) }
func (l slogLogger) Error(msg string)                  { l.logf(pionError, "%s", msg) }
func (l slogLogger) Errorf(format string, args ...any) { l.logf(pionError, format, args...) }
