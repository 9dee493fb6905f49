package signalling

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/realtime/wire"
)

func TestResubscribeAfterReconnect(t *testing.T) {
	fs, c := newAckingPair(t)
	conn := Events[Connected](c, 8)
	ctx := context.Background()
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	for _, ch := range []string{"a", "b", "gone"} {
		if err := c.Subscribe(ctx, ch, SubscribeOptions{IncludeSenderMetadata: ch == "b"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Unsubscribe(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	first := fs.Conns()[0]
	first.Close(wire.CloseGoingAway, "restart")
	waitFor(t, conn, func(e Connected) bool { return e.IsReconnect })
	second := fs.Conns()[1]
	got := map[string]bool{}
	for len(got) < 2 {
		f := second.Next(t)
		if f["type"] != wire.TypeSubscribe {
			continue
		}
		ch, _ := f["channel"].(string)
		inc, _ := f["includeSenderMetadata"].(bool)
		got[ch] = inc
	}
	if want := map[string]bool{"a": false, "b": true}; len(got) != 2 || got["a"] != want["a"] || got["b"] != want["b"] {
		t.Fatalf("replayed %v, want %v", got, want)
	}
}

func TestInactivityWatchdog(t *testing.T) {
	pinged := make(chan struct{}, 1)
	fs := newFakeServer(t, func(ctx context.Context, fc *fakeConn) {
		fc.Welcome(ctx, "me")
		fc.Serve(ctx, func(f map[string]any) bool {
			if f["type"] == wire.TypePing && fc.Index == 0 {
				select {
				case pinged <- struct{}{}:
				default:
				}
				return true // swallow: no pong, so the watchdog fires
			}
			return false
		})
	})
	c := newTestClient(t, Config{URL: fs.URL(), InactivityTimeout: 300 * time.Millisecond})
	disc := Events[Disconnected](c, 8)
	conn := Events[Connected](c, 8)
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-pinged:
	case <-time.After(5 * time.Second):
		t.Fatal("no ping")
	}
	d := waitFor(t, disc, func(Disconnected) bool { return true })
	if d.Code != wire.CloseClientInactivity || !d.WillReconnect {
		t.Fatalf("Disconnected %+v, want 4000 with reconnect", d)
	}
	waitFor(t, conn, func(e Connected) bool { return e.IsReconnect })
}

func TestInboundFrames(t *testing.T) {
	frames := []string{
		`{"type":"message","channel":"room","from":"a","data":{"x":1},"fromMetadata":{"n":"A"}}`,
		`{"type":"message","channel":"room","from":"a"}`, // no data: dropped
		`{"type":"direct","from":"b","data":null,"fromMetadata":[1]}`,
		`{"type":"presence","channel":"room","joined":[{"peerId":"c","metadata":{"k":1}},{"metadata":{}}],"left":[{"peerId":"d"}]}`,
		`{"type":"error","code":"over_message_quota","message":"slow down"}`,
		`{"type":"error","code":"unknown_type"}`, // swallowed
		`{"type":"going_away","retryAfterMs":-5}`,
		`not json`,
		`{"type":"brand_new"}`,
		`{"type":"pong"}`,
	}
	fs := newFakeServer(t, func(ctx context.Context, fc *fakeConn) {
		fc.Welcome(ctx, "me")
		for _, f := range frames {
			fc.SendJSON(ctx, json.RawMessage(f))
		}
		fc.Serve(ctx, nil)
	})
	c := newTestClient(t, Config{URL: fs.URL()})
	var mu sync.Mutex
	var got []any
	done := make(chan struct{})
	record := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ev)
		if _, ok := ev.(GoingAway); ok {
			close(done)
		}
	}
	On(c, func(e Message) { record(e) })
	On(c, func(e Direct) { record(e) })
	On(c, func(e Presence) { record(e) })
	On(c, func(e ServerError) { record(e) })
	On(c, func(e GoingAway) { record(e) })
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("timeout")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 5 {
		t.Fatalf("got %d events %+v, want 5", len(got), got)
	}
	m := got[0].(Message)
	if m.Channel != "room" || m.SenderPeerID != "a" || string(m.Data) != `{"x":1}` || string(m.SenderMetadata) != `{"n":"A"}` {
		t.Errorf("message %+v", m)
	}
	d := got[1].(Direct)
	if d.SenderPeerID != "b" || string(d.Data) != "null" || d.SenderMetadata != nil {
		t.Errorf("direct %+v", d)
	}
	p := got[2].(Presence)
	if len(p.Joined) != 1 || p.Joined[0].PeerID != "c" || string(p.Joined[0].Metadata) != `{"k":1}` || len(p.Left) != 1 || p.Left[0].PeerID != "d" {
		t.Errorf("presence %+v", p)
	}
	if se := got[3].(ServerError); se.Code != "over_message_quota" || se.Message != "slow down" {
		t.Errorf("server error %+v", se)
	}
	if ga := got[4].(GoingAway); ga.RetryAfter != time.Second {
		t.Errorf("going away %+v", ga)
	}
}

func TestCloseIsTerminalAndStopsReconnect(t *testing.T) {
	fs, c := newAckingPair(t)
	disc := Events[Disconnected](c, 8)
	states := Events[StateChange](c, 16)
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	d := <-disc.C()
	if d.Code != 1000 || d.WillReconnect {
		t.Fatalf("Disconnected %+v", d)
	}
	var seq []State
	for ev := range states.C() {
		seq = append(seq, ev.To)
		if ev.To == StateClosed {
			break
		}
	}
	want := []State{StateConnecting, StateConnected, StateClosed}
	if len(seq) != len(want) {
		t.Fatalf("states %v, want %v", seq, want)
	}
	for i := range want {
		if seq[i] != want[i] {
			t.Fatalf("states %v, want %v", seq, want)
		}
	}
	if err := c.Connect(context.Background()); err != ErrClosed {
		t.Fatalf("Connect after Close = %v", err)
	}
	if len(fs.Conns()) != 1 {
		t.Fatalf("%d connections after Close", len(fs.Conns()))
	}
}

func TestParseIceServers(t *testing.T) {
	tests := []struct {
		meta string
		n    int
	}{
		{`{"iceServers":[{"urls":"stun:a"},{"urls":["turn:b","turns:c"],"username":"u","credential":"p"}]}`, 2},
		{`{"iceServers":[{"urls":"stun:a"},{"urls":"http://x"}]}`, 0},
		{`{"iceServers":[{"urls":[]}]}`, 0},
		{`{"iceServers":"nope"}`, 0},
		{`{}`, 0},
		{``, 0},
	}
	for _, tt := range tests {
		if got := parseIceServers(json.RawMessage(tt.meta)); len(got) != tt.n {
			t.Errorf("parseIceServers(%s) = %+v, want %d entries", tt.meta, got, tt.n)
		}
	}
}

func TestBackoffDelay(t *testing.T) {
	o := DefaultReconnectOptions()
	tests := []struct {
		attempt int
		floor   time.Duration
		u       float64
		want    time.Duration
	}{
		{1, 0, 0.5, 500 * time.Millisecond},
		{2, 0, 0.5, time.Second},
		{7, 0, 0.5, 30 * time.Second}, // 32 s capped
		{100, 0, 0.5, 30 * time.Second},
		{1, 0, 0, 400 * time.Millisecond}, // -20 %
		{1, 0, 1, 600 * time.Millisecond}, // +20 % (u→1)
		{1, OverConcurrentFloor, 0, 24 * time.Second},
		{1, OverConcurrentFloor, 1, 36 * time.Second},
	}
	for _, tt := range tests {
		if got := o.Delay(tt.attempt, tt.floor, tt.u); got != tt.want {
			t.Errorf("Delay(%d, %s, %v) = %s, want %s", tt.attempt, tt.floor, tt.u, got, tt.want)
		}
	}
	bad := ReconnectOptions{Multiplier: -1, JitterRatio: 7}.normalized()
	if bad != DefaultReconnectOptions() {
		t.Errorf("normalized %+v", bad)
	}
}

func FuzzHandleFrame(f *testing.F) {
	for _, s := range []string{
		`{"type":"presence","channel":"c","joined":[{"peerId":"x"}],"left":[]}`,
		`{"type":"message","channel":"c","from":"a","data":1}`,
		`{"type":"error","requestId":"r","code":"x"}`,
		`{"type":"welcome","peerId":"p","expiresAt":1.5}`,
		`[]`, `null`, `{"type":7}`,
	} {
		f.Add([]byte(s))
	}
	c, err := New(Config{URL: "ws://127.0.0.1:1", Key: "k", EventQueue: 1})
	if err != nil {
		f.Fatal(err)
	}
	defer c.Close()
	f.Fuzz(func(t *testing.T, b []byte) {
		c.handleFrame(b)
	})
}
