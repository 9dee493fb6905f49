package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
)

// TestOversizedEventsAreBoundedOrReported: an event over the notification
// limit has its long strings cut; one that cannot be cut enough becomes a
// stream_truncated naming it. Nothing vanishes, no frame exceeds the limit.
func TestOversizedEventsAreBoundedOrReported(t *testing.T) {
	const limit = 16 << 10
	srv, err := New(Config{Open: func(context.Context) (*session.Service, store.Store, error) {
		return nil, nil, errors.New("not used")
	}})
	if err != nil {
		t.Fatal(err)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	conn := rpc.New(rpc.Config{Transport: rpc.NewStream(inR, outW, 0), MaxNotification: limit})
	done := make(chan error, 1)
	go func() { done <- conn.Serve(context.Background()) }()
	lines := bufio.NewScanner(outR)
	lines.Buffer(nil, 1<<20)

	blocks := make([]llm.Block, 4000)
	for i := range blocks {
		blocks[i] = llm.Text("short")
	}
	tests := []struct {
		name, typ string
		ev        event.Event
		check     func(payload string) bool
	}{
		{"fits", event.TypeTextDelta, event.TextDelta{Delta: "hi"}, func(p string) bool { return strings.Contains(p, `"delta":"hi"`) }},
		{"long text is cut", event.TypeTextComplete, event.TextComplete{Content: strings.Repeat("x", 100_000)},
			func(p string) bool { return strings.Contains(p, "...[truncated ") }},
		{"many short strings", event.TypeStreamTruncated, event.RunStarted{SessionID: "s", Input: event.RunInput{Kind: "content", Content: blocks}},
			func(p string) bool {
				return strings.Contains(p, `"kind":"oversized_remote_event","durable_seq":7,"encoded_bytes":`) && strings.Contains(p, `"max_bytes":`)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.writeEvent(conn, session.Envelope{EventID: "e", SessionID: "s", Seq: 7, TimestampMS: 1, Event: tt.ev})
			if !lines.Scan() {
				t.Fatalf("no frame: %v", lines.Err())
			}
			frame := lines.Bytes()
			var n struct {
				Params struct {
					Event struct {
						Seq     uint64
						Payload json.RawMessage
					}
				}
			}
			if err := json.Unmarshal(frame, &n); err != nil || len(frame) > limit {
				t.Fatalf("frame of %d bytes (limit %d): %v", len(frame), limit, err)
			}
			got, err := event.Unmarshal(n.Params.Event.Payload)
			if err != nil || got.Type() != tt.typ || n.Params.Event.Seq != 7 || !tt.check(string(n.Params.Event.Payload)) {
				t.Fatalf("seq %d payload %.300s (err %v)", n.Params.Event.Seq, n.Params.Event.Payload, err)
			}
		})
	}
	inW.Close()
	go func() {
		for lines.Scan() {
		}
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
