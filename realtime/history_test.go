package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// historyConfig keeps history on room/h/** (200, 10m), room/small/** (5),
// room/ttl/** (50 ms) and none on the rest of room/**.
func historyConfig() Config {
	cfg := testConfig()
	cfg.Limits.RatePerSecond, cfg.Limits.RateBurst = 1e6, 1e6
	cfg.Channels = []ChannelConfig{
		{Pattern: "room/h/**", HistorySize: 200, HistoryTTL: Duration(10 * time.Minute)},
		{Pattern: "room/small/**", HistorySize: 5, HistoryTTL: Duration(10 * time.Minute)},
		{Pattern: "room/ttl/**", HistorySize: 50, HistoryTTL: Duration(50 * time.Millisecond)},
		{Pattern: "room/**"},
	}
	return cfg
}

// subscribeSince subscribes with since (nil: none) and returns the ack,
// consuming the presence snapshot.
func (c *client) subscribeSince(channel string, since *wire.Since) wire.ServerFrame {
	c.t.Helper()
	rid := "sub-" + channel
	c.send(wire.Subscribe{Type: wire.TypeSubscribe, Channel: channel, RequestID: rid, Since: since})
	ack, b := c.next()
	if ack.Type != wire.TypeAck || ack.RequestID != rid {
		c.t.Fatalf("got %s, want ack %s", b, rid)
	}
	c.expect(wire.TypePresence)
	return ack
}

// publishN publishes n messages {"n":from+i} and waits for their acks.
func (c *client) publishN(channel string, from, n int) {
	c.t.Helper()
	for i := range n {
		rid := fmt.Sprint("p", from+i)
		c.send(wire.Publish{Type: wire.TypePublish, Channel: channel, Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, from+i)), RequestID: rid})
		c.expectAck(rid)
	}
}

// expectOffsets reads message frames (skipping presence) and checks that
// they carry epoch and the offsets first..last in order.
func (c *client) expectOffsets(epoch string, first, last uint64) {
	c.t.Helper()
	for want := first; want <= last; {
		f, b := c.next()
		if f.Type == wire.TypePresence {
			continue
		}
		if f.Type != wire.TypeMessage || f.Offset != want || f.Epoch != epoch {
			c.t.Fatalf("got %s, want message at offset %d epoch %s", b, want, epoch)
		}
		want++
	}
}

func TestHistoryRecoveryUnderConcurrentPublishes(t *testing.T) {
	_, base, _ := startServer(t, historyConfig())
	const ch = "room/h/1"
	a, _ := dialKey(t, base, testKey)
	ack := a.subscribeSince(ch, nil)
	epoch := ack.Epoch
	if epoch == "" || ack.Offset != 0 || ack.Recovered != nil {
		t.Fatalf("first ack %+v: want an epoch, offset 0, no recovered", ack)
	}
	pub, _ := dialKey(t, base, testKey)
	pub.publishN(ch, 1, 3)
	a.expectOffsets(epoch, 1, 3)
	_ = a.ws.Close(websocket.StatusNormalClosure, "")

	pub.publishN(ch, 4, 100) // missed by a
	// b recovers while another publisher keeps publishing: the replay and
	// the live messages must join with no gap and no duplicate.
	pub2, _ := dialKey(t, base, testKey)
	const live = 100
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		for i := range live {
			b, _ := json.Marshal(wire.Publish{Type: wire.TypePublish, Channel: ch, Data: json.RawMessage(fmt.Sprint(i))})
			if err := pub2.ws.Write(ctx, websocket.MessageText, b); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	b, _ := dialKey(t, base, testKey)
	ack = b.subscribeSince(ch, &wire.Since{Offset: 3, Epoch: epoch})
	if ack.Recovered == nil || !*ack.Recovered || ack.Reason != "" || ack.Epoch != epoch || ack.Offset < 103 {
		t.Fatalf("recovery ack %+v", ack)
	}
	b.expectOffsets(epoch, 4, 103+live)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestHistoryNotRecovered(t *testing.T) {
	srv, base, _ := startServer(t, historyConfig())
	pub, _ := dialKey(t, base, testKey)
	pub.publishN("room/small/1", 1, 10)
	pub.publishN("room/ttl/1", 1, 2)
	other, _ := dialKey(t, base, "pk_other_app")
	other.publishN("room/h/gone", 1, 2)
	epochOf := func(key, ch string) (string, *client) {
		c, _ := dialKey(t, base, key)
		return c.subscribeSince(ch, nil).Epoch, c
	}
	smallEpoch, _ := epochOf(testKey, "room/small/1")
	ttlEpoch, _ := epochOf(testKey, "room/ttl/1")
	goneEpoch, gone := epochOf("pk_other_app", "room/h/gone")
	// room/h/gone of app "other", once its subscriber has left and its
	// history expired, is dropped: its next history has another epoch.
	_ = gone.ws.Close(websocket.StatusNormalClosure, "")
	for deadline := time.Now().Add(waitTimeout); len(srv.hub.members("other", "room/h/gone")) > 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("subscriber of room/h/gone never left")
		}
	}
	srv.hub.app("other").expireHistories(time.Now().Add(time.Hour), false)
	time.Sleep(100 * time.Millisecond) // room/ttl/1 expires

	tests := []struct {
		name      string
		key       string
		channel   string
		since     wire.Since
		recovered bool
		reason    string
		replay    uint64 // offsets replayed from since.Offset+1
	}{
		{"history disabled", testKey, "room/plain", wire.Since{Offset: 1, Epoch: "e"}, false, wire.ReasonHistoryDisabled, 0},
		{"other epoch", testKey, "room/small/1", wire.Since{Offset: 8, Epoch: "not-" + smallEpoch}, false, wire.ReasonEpochChanged, 0},
		{"offset ahead", testKey, "room/small/1", wire.Since{Offset: 11, Epoch: smallEpoch}, false, wire.ReasonEpochChanged, 0},
		{"evicted", testKey, "room/small/1", wire.Since{Offset: 4, Epoch: smallEpoch}, false, wire.ReasonTooFarBehind, 0},
		{"oldest kept", testKey, "room/small/1", wire.Since{Offset: 5, Epoch: smallEpoch}, true, "", 5},
		{"up to date", testKey, "room/small/1", wire.Since{Offset: 10, Epoch: smallEpoch}, true, "", 0},
		{"expired", testKey, "room/ttl/1", wire.Since{Offset: 0, Epoch: ttlEpoch}, false, wire.ReasonTooFarBehind, 0},
		{"expired but seen", testKey, "room/ttl/1", wire.Since{Offset: 2, Epoch: ttlEpoch}, true, "", 0},
		{"dropped", "pk_other_app", "room/h/gone", wire.Since{Offset: 2, Epoch: goneEpoch}, false, wire.ReasonEpochChanged, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, welcome := dialKey(t, base, tt.key)
			ack := c.subscribeSince(tt.channel, &tt.since)
			if ack.Recovered == nil || *ack.Recovered != tt.recovered || ack.Reason != tt.reason {
				t.Fatalf("ack %+v, want recovered %v reason %q", ack, tt.recovered, tt.reason)
			}
			if tt.replay > 0 {
				c.expectOffsets(ack.Epoch, tt.since.Offset+1, tt.since.Offset+tt.replay)
			}
			c.alive() // nothing else was queued before the pong
			// Gone before the next case subscribes, which would otherwise
			// be told it left.
			_ = c.ws.Close(websocket.StatusNormalClosure, "")
			app := DefaultApp
			if tt.key == "pk_other_app" {
				app = "other"
			}
			for deadline := time.Now().Add(waitTimeout); slices.ContainsFunc(srv.hub.members(app, tt.channel), func(e wire.PresenceEntry) bool {
				return e.PeerID == welcome.PeerID
			}); time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("the client never left")
				}
			}
		})
	}
}

func TestHistoryFramesOnlyWhereConfigured(t *testing.T) {
	_, base, _ := startServer(t, historyConfig())
	a, _ := dialKey(t, base, testKey)
	a.subscribe("room/plain", true)
	if ack := a.subscribeSince("room/h/x", nil); ack.Epoch == "" {
		t.Fatalf("ack on a history channel lacks its epoch: %+v", ack)
	}
	pub, _ := dialKey(t, base, testKey)
	pub.publishN("room/plain", 1, 1)
	if _, raw := a.next(); strings.Contains(string(raw), "offset") || strings.Contains(string(raw), "epoch") {
		t.Fatalf("message on a channel without history carries history fields: %s", raw)
	}
	pub.publishN("room/h/x", 1, 1)
	if f, raw := a.next(); f.Offset != 1 || f.Epoch == "" {
		t.Fatalf("message on a history channel: %s", raw)
	}
}

func TestRESTHistory(t *testing.T) {
	_, _, httpBase := startServer(t, historyConfig())
	url := httpBase + "/v1/channels/room/h/r/history"
	status, body := rest(t, "GET", url, testSecret, nil)
	if status != 200 || body["epoch"] != "" || body["offset"] != 0.0 || len(body["publications"].([]any)) != 0 {
		t.Fatalf("empty history: %d %v", status, body)
	}
	for i := range 5 {
		if status, body := rest(t, "POST", httpBase+"/v1/channels/room/h/r", testSecret, map[string]any{"data": i}); status != 200 {
			t.Fatalf("publish: %d %v", status, body)
		}
	}
	tests := []struct {
		name    string
		query   string
		status  int
		code    string
		offsets []float64
	}{
		{"all", "", 200, "", []float64{1, 2, 3, 4, 5}},
		{"since and limit", "?since=2&limit=2", 200, "", []float64{3, 4}},
		{"since last", "?since=5", 200, "", []float64{}},
		{"since beyond", "?since=18446744073709551615", 200, "", []float64{}},
		{"bad since", "?since=-1", 400, "invalid_request", nil},
		{"bad limit", "?limit=0", 400, "invalid_request", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rest(t, "GET", url+tt.query, testSecret, nil)
			if status != tt.status || errCode(body) != tt.code {
				t.Fatalf("%d %v, want %d %q", status, body, tt.status, tt.code)
			}
			if tt.code != "" {
				return
			}
			pubs := body["publications"].([]any)
			if len(pubs) != len(tt.offsets) || body["offset"] != 5.0 || body["complete"] != true || body["epoch"] == "" {
				t.Fatalf("page %v, want offsets %v", body, tt.offsets)
			}
			for i, p := range pubs {
				p := p.(map[string]any)
				if p["offset"] != tt.offsets[i] || p["from"] != serverPeerID || p["data"] != tt.offsets[i]-1 {
					t.Fatalf("publication %d: %v", i, p)
				}
			}
		})
	}
	if status, body := rest(t, "GET", httpBase+"/v1/channels/room/plain/history", testSecret, nil); status != 404 || errCode(body) != wire.ReasonHistoryDisabled {
		t.Fatalf("history of a channel without: %d %v", status, body)
	}
	if status, _ := rest(t, "GET", url, "", nil); status != 401 {
		t.Fatalf("history without a secret key: %d", status)
	}
}

func TestHistoryConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rt.toml")
	toml := "[[channels]]\npattern = \"room/**\"\nhistory_size = 200\nhistory_ttl = \"10m\"\n[[channels]]\npattern = \"**\"\n"
	if err := os.WriteFile(path, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []ChannelConfig{{Pattern: "room/**", HistorySize: 200, HistoryTTL: Duration(10 * time.Minute)}, {Pattern: "**"}}
	if !slices.Equal(loaded.Channels, want) {
		t.Fatalf("loaded %+v, want %+v", loaded.Channels, want)
	}
	tests := []struct {
		name string
		ch   ChannelConfig
		cl   ClusterConfig
	}{
		{"bad pattern", ChannelConfig{Pattern: "", HistorySize: 1, HistoryTTL: Duration(time.Second)}, ClusterConfig{}},
		{"negative size", ChannelConfig{Pattern: "a", HistorySize: -1}, ClusterConfig{}},
		{"size beyond queue", ChannelConfig{Pattern: "a", HistorySize: 2000, HistoryTTL: Duration(time.Second)}, ClusterConfig{}},
		{"no ttl", ChannelConfig{Pattern: "a", HistorySize: 10}, ClusterConfig{}},
		{"history storage", ChannelConfig{Pattern: "a", HistorySize: 10, HistoryTTL: Duration(time.Second)}, ClusterConfig{NATSURL: "nats://127.0.0.1:1", HistoryStorage: "disk"}},
		{"history replicas", ChannelConfig{Pattern: "a", HistorySize: 10, HistoryTTL: Duration(time.Second)}, ClusterConfig{NATSURL: "nats://127.0.0.1:1", HistoryReplicas: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Channels, cfg.Cluster = []ChannelConfig{tt.ch}, tt.cl
			if _, err := New(cfg); !errors.Is(err, ErrConfig) {
				t.Fatalf("New = %v, want ErrConfig", err)
			}
		})
	}
	srv, _, _ := startServer(t, historyConfig())
	if err := srv.Reload(historyConfig()); err != nil {
		t.Fatalf("unchanged reload: %v", err)
	}
	changed := historyConfig()
	changed.Channels[0].HistorySize = 100
	if err := srv.Reload(changed); !errors.Is(err, ErrChannelsChanged) {
		t.Fatalf("changed reload = %v, want ErrChannelsChanged", err)
	}
	bad := historyConfig()
	bad.Channels[0].HistoryTTL = 0
	if err := srv.Reload(bad); !errors.Is(err, ErrConfig) {
		t.Fatalf("invalid reload = %v, want ErrConfig", err)
	}
}

func TestIdleHistoriesBounded(t *testing.T) {
	srv, err := New(historyConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Shutdown(context.Background()) }()
	a := srv.hub.app(DefaultApp)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.channels["room/h/subscribed"] = &channel{index: map[*conn]int{}} // as if subscribed
	subscribed := srv.hub.historyFor(a, "room/h/subscribed", true)
	for i := range maxIdleHistories + 10 {
		srv.hub.historyFor(a, fmt.Sprint("room/h/", i), true)
	}
	if n := len(a.histories); n != maxIdleHistories {
		t.Fatalf("%d histories, want %d", n, maxIdleHistories)
	}
	if a.histories["room/h/subscribed"] != subscribed {
		t.Fatal("the history of a subscribed channel was dropped")
	}
	delete(a.channels, "room/h/subscribed")
}
