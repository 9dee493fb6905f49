package realtime

import (
	"encoding/json"
	"strings"
	"testing"

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
