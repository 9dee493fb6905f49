package realtime

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/realtime/wire"
)

func TestTextFrameHeader(t *testing.T) {
	tests := []struct {
		n      int
		header []byte
	}{
		{0, []byte{0x81, 0}},
		{125, []byte{0x81, 125}},
		{126, []byte{0x81, 126, 0, 126}},
		{65535, []byte{0x81, 126, 0xff, 0xff}},
		{65536, []byte{0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0}},
	}
	for _, tt := range tests {
		f := textFrame(make([]byte, tt.n))
		if len(f) != len(tt.header)+tt.n || string(f[:len(tt.header)]) != string(tt.header) {
			t.Errorf("len %d: header % x", tt.n, f[:min(len(f), 10)])
		}
	}
}

// Every frame size class travels intact to a real WebSocket client.
func TestFrameSizesEndToEnd(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.MaxMessageSize = 100000
	_, base, _ := startServer(t, cfg)
	sub, _ := dialKey(t, base, testKey)
	sub.subscribe("room/f", true)
	pub, _ := dialKey(t, base, testKey)
	for _, n := range []int{0, 100, 126, 65000, 70000} {
		data := json.RawMessage(`"` + strings.Repeat("z", n) + `"`)
		pub.send(wire.Publish{Type: wire.TypePublish, Channel: "room/f", Data: data, RequestID: "p"})
		pub.expectAck("p")
		if m := sub.expect(wire.TypeMessage); string(m.Data) != string(data) {
			t.Fatalf("size %d: got %d bytes", n, len(m.Data))
		}
	}
}

func TestAdvance(t *testing.T) {
	frames := func() [][]byte { return [][]byte{[]byte("abc"), []byte("de"), []byte("f")} }
	tests := []struct {
		n    int
		want []string
	}{
		{0, []string{"abc", "de", "f"}},
		{1, []string{"bc", "de", "f"}},
		{3, []string{"de", "f"}},
		{4, []string{"e", "f"}},
		{5, []string{"f"}},
		{6, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range advance(frames(), tt.n) {
			got = append(got, string(f))
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("advance(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// The server's own pings set a write deadline on the socket; frames written
// after it has passed still go out. (The non-blocking path once checked that
// deadline and closed every connection one write timeout after its first
// ping.)
func TestWritesOutliveTheWriteDeadline(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.WriteTimeout = Duration(50 * time.Millisecond)
	cfg.Limits.PingInterval = Duration(100 * time.Millisecond)
	_, base, _ := startServer(t, cfg)
	c, _ := dialKey(t, base, testKey)
	for end := time.Now().Add(600 * time.Millisecond); time.Now().Before(end); {
		c.alive() // the pong is written by a writer worker
		time.Sleep(30 * time.Millisecond)
	}
}
