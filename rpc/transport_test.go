package rpc

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// TestStreamReadMessage covers lines shorter and longer than the 64 KiB
// read buffer, around the inbound limit.
func TestStreamReadMessage(t *testing.T) {
	const limit = 200 << 10
	long := strings.Repeat("a", 150<<10)
	atLimit := strings.Repeat("b", limit)
	tests := []struct {
		name, in string
		want     []string
		err      error
	}{
		{"short lines", "x\n\n  \ny\r\nz", []string{"x", "y", "z"}, io.EOF},
		{"line over the buffer", "s\n" + long + "\nt\n", []string{"s", long, "t"}, io.EOF},
		{"CR counts against the limit", atLimit + "\r\n", nil, ErrFrameTooLarge},
		{"line at the limit, LF", atLimit + "\n" + long, []string{atLimit, long}, io.EOF},
		{"line over the limit", "s\n" + atLimit + "bb\nt\n", []string{"s"}, ErrFrameTooLarge},
		{"short line over a small limit", strings.Repeat("c", limit+2) + "\n", nil, ErrFrameTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewStream(strings.NewReader(tt.in), io.Discard, limit)
			var got []string
			for {
				msg, err := s.ReadMessage()
				if err != nil {
					if !errors.Is(err, tt.err) {
						t.Fatalf("err %v, want %v", err, tt.err)
					}
					break
				}
				got = append(got, string(msg))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d lines, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("line %d: %d bytes, want %d", i, len(got[i]), len(tt.want[i]))
				}
			}
		})
	}
}
