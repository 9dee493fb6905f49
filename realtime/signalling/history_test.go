package signalling

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/realtime"
	"github.com/rkat-dev/rkat/realtime/wire"
)

// historyServer serves realtimetest.Config with history on room/h/** and a
// 300 ms history on room/short/**.
func historyServer(t *testing.T) *realtimetest.Server {
	cfg := realtimetest.Config()
	cfg.Channels = []realtime.ChannelConfig{
		{Pattern: "room/h/**", HistorySize: 200, HistoryTTL: realtime.Duration(10 * time.Minute)},
		{Pattern: "room/short/**", HistorySize: 200, HistoryTTL: realtime.Duration(300 * time.Millisecond)},
	}
	return realtimetest.Start(t, cfg)
}

// patientReconnect outlasts a 2 s outage.
var patientReconnect = ReconnectOptions{InitialDelay: 20 * time.Millisecond, Multiplier: 2, MaxDelay: 200 * time.Millisecond, MaxAttempts: 1000}

// publishRange publishes {"n":i} for i in [from, to] and waits for each ack.
func publishRange(t *testing.T, c *Client, channel string, from, to int) {
	t.Helper()
	for i := from; i <= to; i++ {
		if err := c.Publish(context.Background(), channel, map[string]int{"n": i}); err != nil {
			t.Fatal(err)
		}
	}
}

// expectRange reads Messages n = from..to in order, with consecutive offsets
// under one epoch; it returns that epoch.
func expectRange(t *testing.T, msgs *Stream[Message], from, to int) string {
	t.Helper()
	var epoch string
	var offset uint64
	for i := from; i <= to; i++ {
		m := waitFor(t, msgs, func(Message) bool { return true })
		var d struct{ N int }
		if err := json.Unmarshal(m.Data, &d); err != nil || d.N != i || m.Epoch == "" ||
			(i > from && (m.Epoch != epoch || m.Offset != offset+1)) {
			t.Fatalf("message %s (offset %d epoch %q), want n=%d after offset %d epoch %q", m.Data, m.Offset, m.Epoch, i, offset, epoch)
		}
		epoch, offset = m.Epoch, m.Offset
	}
	return epoch
}

// TestRecoveryAfterOutage: a client cut off for 2 s while 100 messages are
// published gets Recovered and all 100 in order, once each, before the
// next live message.
func TestRecoveryAfterOutage(t *testing.T) {
	srv := historyServer(t)
	proxy := realtimetest.StartProxy(t, srv)
	ctx := context.Background()
	rc := patientReconnect
	sub := newTestClient(t, Config{URL: proxy.URL(), Key: realtimetest.Key, Reconnect: &rc})
	pub := newTestClient(t, Config{URL: srv.URL(), Key: realtimetest.Key})
	msgs := Events[Message](sub, 256)
	recovered := Events[Recovered](sub, 4)
	notRecovered := Events[NotRecovered](sub, 4)
	conn := Events[Connected](sub, 4)
	disc := Events[Disconnected](sub, 4)
	for _, c := range []*Client{sub, pub} {
		if err := c.Connect(ctx); err != nil {
			t.Fatal(err)
		}
	}
	const ch = "room/h/outage"
	if err := sub.Subscribe(ctx, ch, SubscribeOptions{}); err != nil {
		t.Fatal(err)
	}
	publishRange(t, pub, ch, 1, 5)
	epoch := expectRange(t, msgs, 1, 5)

	proxy.Cut(true)
	waitFor(t, disc, func(Disconnected) bool { return true })
	publishRange(t, pub, ch, 6, 105)
	time.Sleep(2 * time.Second)
	proxy.Allow()
	waitFor(t, conn, func(e Connected) bool { return e.IsReconnect })
	if r := waitFor(t, recovered, func(Recovered) bool { return true }); r.Channel != ch || r.Epoch != epoch {
		t.Fatalf("Recovered %+v, want %s epoch %s", r, ch, epoch)
	}
	publishRange(t, pub, ch, 106, 106)
	if got := expectRange(t, msgs, 6, 106); got != epoch {
		t.Fatalf("epoch changed to %s", got)
	}
	select {
	case m := <-msgs.C():
		t.Fatalf("unexpected extra message %+v", m)
	case n := <-notRecovered.C():
		t.Fatalf("NotRecovered %+v", n)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestNotRecovered: after the history expired or the server restarted
// (in-memory history lost), the reconnecting client is told why and carries
// on from the current position.
func TestNotRecovered(t *testing.T) {
	tests := []struct {
		name    string
		channel string
		outage  func(srv *realtimetest.Server, proxy *realtimetest.Proxy, publish func())
		reason  string
	}{
		{"history expired", "room/short/1", func(_ *realtimetest.Server, proxy *realtimetest.Proxy, publish func()) {
			proxy.Cut(true)
			publish()
			time.Sleep(600 * time.Millisecond)
			proxy.Allow()
		}, wire.ReasonTooFarBehind},
		{"server restarted", "room/h/1", func(srv *realtimetest.Server, _ *realtimetest.Proxy, _ func()) {
			srv.Restart()
		}, wire.ReasonEpochChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := historyServer(t)
			proxy := realtimetest.StartProxy(t, srv)
			ctx := context.Background()
			rc := patientReconnect
			sub := newTestClient(t, Config{URL: proxy.URL(), Key: realtimetest.Key, Reconnect: &rc})
			msgs := Events[Message](sub, 64)
			notRecovered := Events[NotRecovered](sub, 4)
			if err := sub.Connect(ctx); err != nil {
				t.Fatal(err)
			}
			if err := sub.Subscribe(ctx, tt.channel, SubscribeOptions{}); err != nil {
				t.Fatal(err)
			}
			publishREST := func(n int) {
				t.Helper()
				if status := restPublish(t, srv, tt.channel, n); status != 200 {
					t.Fatalf("REST publish: %d", status)
				}
			}
			publishREST(1)
			first := waitFor(t, msgs, func(Message) bool { return true })
			tt.outage(srv, proxy, func() { publishREST(2) })
			n := waitFor(t, notRecovered, func(NotRecovered) bool { return true })
			if n.Channel != tt.channel || n.Reason != tt.reason {
				t.Fatalf("NotRecovered %+v, want reason %s", n, tt.reason)
			}
			publishREST(3)
			m := waitFor(t, msgs, func(Message) bool { return true })
			if string(m.Data) != "3" {
				t.Fatalf("after NotRecovered got %s, want 3", m.Data)
			}
			if tt.reason == wire.ReasonEpochChanged && m.Epoch == first.Epoch {
				t.Fatalf("epoch %s unchanged across a restart", m.Epoch)
			}
		})
	}
}

// restPublish publishes n to channel through the REST API as "server".
func restPublish(t *testing.T, srv *realtimetest.Server, channel string, n int) int {
	t.Helper()
	status, err := realtimetest.PublishAt(t.Context(), srv.HTTPURL(), channel, json.RawMessage(fmt.Sprint(n)))
	if err != nil {
		t.Fatal(err)
	}
	return status
}
