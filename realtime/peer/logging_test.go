package peer

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestLoggerFactory(t *testing.T) {
	var buf bytes.Buffer
	l := NewLoggerFactory(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: pionTrace}))).NewLogger("ice")
	tests := []struct {
		name string
		log  func()
		want string
	}{
		{"trace", func() { l.Tracef("t %d", 1) }, `level=DEBUG-8 msg="t 1" pion=ice`},
		{"debug", func() { l.Debug("d") }, `level=DEBUG-4 msg=d pion=ice`},
		{"info", func() { l.Infof("i %d", 2) }, `level=DEBUG msg="i 2" pion=ice`},
		{"warn", func() { l.Warn("w") }, `level=INFO msg=w pion=ice`},
		{"error", func() { l.Errorf("e %d", 4) }, `level=WARN msg="e 4" pion=ice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf.Reset()
			tt.log()
			if got := buf.String(); !strings.Contains(got, tt.want) {
				t.Errorf("logged %q, want %q", got, tt.want)
			}
		})
	}

	// A logger at the usual warn level shows pion's errors only.
	buf.Reset()
	quiet := NewLoggerFactory(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))).NewLogger("pc")
	quiet.Warnf("Failed to accept RTP %s", "stream is already closed")
	if buf.Len() != 0 {
		t.Errorf("pion warning shown at warn level: %q", buf.String())
	}
	// nil discards without panicking.
	NewLoggerFactory(nil).NewLogger("dtls").Errorf("dropped %s", "x")
}
