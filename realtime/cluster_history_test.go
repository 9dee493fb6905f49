package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rkat-dev/rkat/internal/servetest"
	"github.com/rkat-dev/rkat/realtime/wire"
)

// readMessages reads n message frames (skipping presence) and returns their
// offsets and data, checking the epoch and that offsets increase.
func (c *client) readMessages(n int, epoch string) (offsets []uint64, data []string) {
	c.t.Helper()
	for len(offsets) < n {
		f, b := c.next()
		if f.Type == wire.TypePresence {
			continue
		}
		if f.Type != wire.TypeMessage || f.Epoch != epoch || len(offsets) > 0 && f.Offset <= offsets[len(offsets)-1] {
			c.t.Fatalf("got %s after offsets %v, want a message of epoch %s with a greater offset", b, offsets, epoch)
		}
		offsets, data = append(offsets, f.Offset), append(data, string(f.Data))
	}
	return offsets, data
}

// wantData checks data is {"n":first}..{"n":first+len-1} in order.
func wantData(t *testing.T, data []string, first int) {
	t.Helper()
	for i, d := range data {
		if want := fmt.Sprintf(`{"n":%d}`, first+i); d != want {
			t.Fatalf("message %d is %s, want %s (all: %v)", i, d, want, data)
		}
	}
}

// historyOffsets reads a node's REST history of a channel.
func historyOffsets(t *testing.T, n testNode, channel string) (epoch string, offsets []uint64) {
	t.Helper()
	status, body := rest(t, http.MethodGet, n.http_+"/v1/channels/"+channel+"/history", testSecret, nil)
	if status != http.StatusOK {
		t.Fatalf("history on %s: %d %v", n.http_, status, body)
	}
	for _, p := range body["publications"].([]any) {
		offsets = append(offsets, uint64(p.(map[string]any)["offset"].(float64)))
	}
	return body["epoch"].(string), offsets
}

// TestClusterHistoryRecovery: a subscriber of node 1 is away for 2 s while
// a publisher on node 2 sends 100 messages; it comes back on node 3 and
// recovers all 100 in order, with no duplicate, before the next live one.
// Every node's REST history lists the same offsets.
func TestClusterHistoryRecovery(t *testing.T) {
	nodes := startCluster(t, historyConfig(), 3)
	const ch = "room/h/cluster"
	a, _ := dialKey(t, nodes[0].ws, testKey)
	ack := a.subscribeSince(ch, nil)
	epoch := ack.Epoch
	if epoch == "" || ack.Recovered != nil {
		t.Fatalf("first ack %+v: want an epoch and no recovered", ack)
	}
	pub, _ := dialKey(t, nodes[1].ws, testKey)
	pub.publishN(ch, 1, 3)
	offsets, data := a.readMessages(3, epoch)
	wantData(t, data, 1)
	_ = a.ws.Close(websocket.StatusNormalClosure, "")

	start := time.Now()
	for i := range 100 {
		pub.publishN(ch, 4+i, 1)
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("100 messages published in %v while the subscriber was away", time.Since(start).Round(time.Millisecond))

	waitCaughtUp(t, nodes[2])
	b, _ := dialKey(t, nodes[2].ws, testKey)
	ack = b.subscribeSince(ch, &wire.Since{Offset: offsets[2], Epoch: epoch})
	if ack.Recovered == nil || !*ack.Recovered || ack.Epoch != epoch {
		t.Fatalf("recovery ack on another node %+v", ack)
	}
	recovered, data := b.readMessages(100, epoch)
	wantData(t, data, 4)
	if recovered[0] <= offsets[2] || ack.Offset != recovered[99] {
		t.Fatalf("recovered offsets %d..%d after %d, ack offset %d", recovered[0], recovered[99], offsets[2], ack.Offset)
	}
	pub.publishN(ch, 104, 1)
	_, data = b.readMessages(1, epoch)
	wantData(t, data, 104)

	// Every node has read (or soon reads) the same stream.
	all := append(offsets, recovered...)
	for _, n := range nodes {
		e, got := historyOffsets(t, n, ch)
		for deadline := time.Now().Add(waitTimeout); len(got) < 104 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			e, got = historyOffsets(t, n, ch)
		}
		if e != epoch || len(got) != 104 || fmt.Sprint(got[:103]) != fmt.Sprint(all) {
			t.Fatalf("history of %s: epoch %s offsets %v, want %s and %v then one more", n.http_, e, got, epoch, all)
		}
	}
}

// TestClusterHistoryNotRecovered: a wrong epoch, a position the channel's
// history no longer covers, and a channel without history are each
// answered recovered false with the reason, on any node.
func TestClusterHistoryNotRecovered(t *testing.T) {
	nodes := startCluster(t, historyConfig(), 2)
	a, _ := dialKey(t, nodes[0].ws, testKey)
	ack := a.subscribeSince("room/small/1", nil)
	epoch, pos := ack.Epoch, ack.Offset
	_ = a.ws.Close(websocket.StatusNormalClosure, "")
	pub, _ := dialKey(t, nodes[0].ws, testKey)
	pub.publishN("room/small/1", 1, 10) // the history keeps 5
	waitCaughtUp(t, nodes[1])

	b, _ := dialKey(t, nodes[1].ws, testKey)
	for _, tt := range []struct {
		channel string
		since   wire.Since
		reason  string
	}{
		{"room/small/1", wire.Since{Offset: pos, Epoch: epoch}, wire.ReasonTooFarBehind},
		{"room/h/2", wire.Since{Offset: 1, Epoch: "bogus"}, wire.ReasonEpochChanged},
		{"room/plain", wire.Since{Offset: 1, Epoch: epoch}, wire.ReasonHistoryDisabled},
	} {
		ack := b.subscribeSince(tt.channel, &tt.since)
		if ack.Recovered == nil || *ack.Recovered || ack.Reason != tt.reason {
			t.Errorf("%s since %+v: ack %+v, want recovered false %s", tt.channel, tt.since, ack, tt.reason)
		}
	}
	// Five messages later the position is covered again.
	_, offsets := historyOffsets(t, nodes[1], "room/small/1")
	c, _ := dialKey(t, nodes[1].ws, testKey)
	ack = c.subscribeSince("room/small/1", &wire.Since{Offset: offsets[0], Epoch: epoch})
	if ack.Recovered == nil || !*ack.Recovered {
		t.Fatalf("ack %+v, want recovered", ack)
	}
	_, data := c.readMessages(4, epoch)
	wantData(t, data, 7)
}

// TestClusterHistoryLateNode: a node started after publications reads them
// from the stream before it serves, so a subscriber recovers on it, and it
// keeps each table's own size.
func TestClusterHistoryLateNode(t *testing.T) {
	url := startNATS(t)
	first := clusterNode(t, historyConfig(), url, "node1")
	a, _ := dialKey(t, first.ws, testKey)
	ack := a.subscribeSince("room/h/late", nil)
	a.publishN("room/small/late", 1, 10)
	a.publishN("room/h/late", 1, 3)
	a.publishN("room/h/other", 1, 2)

	late := clusterNode(t, historyConfig(), url, "node2")
	b, _ := dialKey(t, late.ws, testKey)
	got := b.subscribeSince("room/h/late", &wire.Since{Offset: ack.Offset, Epoch: ack.Epoch})
	if got.Recovered == nil || !*got.Recovered || got.Epoch != ack.Epoch {
		t.Fatalf("ack on the late node %+v", got)
	}
	_, data := b.readMessages(3, ack.Epoch)
	wantData(t, data, 1)
	if _, offsets := historyOffsets(t, late, "room/small/late"); len(offsets) != 5 {
		t.Fatalf("late node keeps %v of room/small/late, want the last 5", offsets)
	}
}

// TestClusterHistoryNeedsJetStream: a NATS server without JetStream is a
// configuration error when [[channels]] keep history.
func TestClusterHistoryNeedsJetStream(t *testing.T) {
	cfg := historyConfig()
	cfg.Cluster = ClusterConfig{NATSURL: startNATSWith(t, false), NodeName: "n"}
	_, err := New(cfg)
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "JetStream") {
		t.Fatalf("New = %v, want a config error naming JetStream", err)
	}
}

// TestClusterHistoryEmbedded: two nodes each with an embedded NATS server
// (with JetStream), routed together and started together (a JetStream
// cluster forms once its servers meet), share one history.
func TestClusterHistoryEmbedded(t *testing.T) {
	routes := []string{freePort(t), freePort(t)}
	var cfgs [2]Config
	for i := range cfgs {
		cfgs[i] = historyConfig()
		cfgs[i].Cluster = ClusterConfig{Embedded: true, NodeName: fmt.Sprint("e", i), Listen: routes[i], Routes: []string{"nats-route://" + routes[1-i]},
			HeartbeatInterval: Duration(testHeartbeat), NodeTTL: Duration(testNodeTTL)}
	}
	var srvs [2]*Server
	var errs [2]error
	var wg sync.WaitGroup
	for i := range cfgs {
		wg.Go(func() { srvs[i], errs[i] = New(cfgs[i]) })
	}
	wg.Wait()
	for _, srv := range srvs {
		if srv != nil {
			t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
		}
	}
	if err := errors.Join(errs[:]...); err != nil {
		t.Fatal(err)
	}
	var wss [2]string
	for i, srv := range srvs {
		wss[i], _ = serveServer(t, srv, listenLoopback(t))
	}
	ws1, ws2 := wss[0], wss[1]
	a, _ := dialKey(t, ws1, testKey)
	ack := a.subscribeSince("room/h/e", nil)
	a.publishN("room/h/e", 1, 1) // not delivered to a itself
	b, _ := dialKey(t, ws2, testKey)
	got := b.subscribeSince("room/h/e", &wire.Since{Offset: ack.Offset, Epoch: ack.Epoch})
	if got.Recovered == nil || !*got.Recovered || got.Epoch != ack.Epoch {
		t.Fatalf("ack on the second embedded node %+v (first %+v)", got, ack)
	}
	_, data := b.readMessages(1, ack.Epoch)
	wantData(t, data, 1)
	b.send(wire.Publish{Type: wire.TypePublish, Channel: "room/h/e", Data: json.RawMessage(`{"n":2}`)})
	_, data = a.readMessages(1, ack.Epoch)
	wantData(t, data, 2)
}

// waitCaughtUp waits until n has applied everything the history stream
// holds now.
func waitCaughtUp(t testing.TB, n testNode) {
	t.Helper()
	j := n.srv.hub.journal
	st, err := j.js.Stream(t.Context(), j.config.Name)
	if err != nil {
		t.Fatal(err)
	}
	last := st.CachedInfo().State.LastSeq
	for deadline := time.Now().Add(waitTimeout); j.applied.Load() < last; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("node applied %d of %d", j.applied.Load(), last)
		}
	}
}

// testJetStream connects to the NATS server at url until the test ends.
func testJetStream(t testing.TB, url string) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// freePort returns a loopback host:port that was free a moment ago.
func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestClusterHistoryStreamLost: when the stream goes (as when every NATS
// server restarts with memory storage), the nodes send the subscribers of
// channels with history away and re-create the stream under a new epoch: a
// recovery from the old epoch is refused with epoch_changed, and
// publications carry on in the new one on every node.
func TestClusterHistoryStreamLost(t *testing.T) {
	url := startNATS(t)
	nodes := []testNode{clusterNode(t, historyConfig(), url, "node1"), clusterNode(t, historyConfig(), url, "node2")}
	const ch = "room/h/lost"
	a, _ := dialKey(t, nodes[0].ws, testKey)
	old := a.subscribeSince(ch, nil)
	pub, _ := dialKey(t, nodes[1].ws, testKey)
	pub.publishN(ch, 1, 2)
	a.readMessages(2, old.Epoch)

	js := testJetStream(t, url)
	if err := js.DeleteStream(t.Context(), streamName("rkat.realtime")); err != nil {
		t.Fatal(err)
	}
	a.expect(wire.TypeGoingAway)
	a.expectClose(websocket.StatusGoingAway)
	// Until a node has re-created the stream, publishes are refused.
	var epoch string
	for start := time.Now(); epoch == "" || epoch == old.Epoch; time.Sleep(20 * time.Millisecond) {
		if time.Since(start) > waitTimeout {
			t.Fatalf("the nodes did not start a new epoch (still %q)", epoch)
		}
		e1, _ := historyOffsets(t, nodes[0], ch)
		e2, _ := historyOffsets(t, nodes[1], ch)
		if e1 == e2 {
			epoch = e1
		}
	}
	b, _ := dialKey(t, nodes[0].ws, testKey)
	ack := b.subscribeSince(ch, &wire.Since{Offset: old.Offset + 2, Epoch: old.Epoch})
	if ack.Recovered == nil || *ack.Recovered || ack.Reason != wire.ReasonEpochChanged || ack.Epoch != epoch {
		t.Fatalf("recovery from the lost epoch: %+v, want epoch_changed and epoch %s", ack, epoch)
	}
	pub.publishN(ch, 3, 1)
	if _, data := b.readMessages(1, epoch); data[0] != `{"n":3}` {
		t.Fatalf("after the new epoch b got %s", data[0])
	}
}

// TestClusterHistoryGap: when the stream loses publications a node has not
// read yet (here one is deleted while the node is held up), the node does
// not deliver around the hole as if nothing happened: its subscribers of
// channels with history get going_away and a 1001 close, and a recovery
// from before the hole is answered too_far_behind, also on a channel
// whose last publication came before the hole (the hole may have held one
// of its).
func TestClusterHistoryGap(t *testing.T) {
	url := startNATS(t)
	nodes := []testNode{clusterNode(t, historyConfig(), url, "node1"), clusterNode(t, historyConfig(), url, "node2")}
	const quiet, busy = "room/h/quiet", "room/h/busy"
	sub, _ := dialKey(t, nodes[1].ws, testKey)
	ack := sub.subscribeSince(quiet, nil)
	sub.subscribeSince(busy, nil)
	pub, _ := dialKey(t, nodes[0].ws, testKey)
	pub.publishN(quiet, 0, 1)
	last, _ := sub.readMessages(1, ack.Epoch)

	// Hold node 2's consumer (it applies under the app's lock) while 1,200
	// are stored on the other channel, more than it fetches ahead, and
	// delete one it cannot have fetched.
	st, err := testJetStream(t, url).Stream(t.Context(), streamName("rkat.realtime"))
	if err != nil {
		t.Fatal(err)
	}
	hole := last[0] + 1100
	a := nodes[1].srv.hub.app(DefaultApp)
	a.mu.Lock()
	pub.publishN(busy, 1, 1200)
	err = st.DeleteMsg(t.Context(), hole)
	a.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}

	for {
		f, b := sub.next()
		if f.Type == wire.TypeGoingAway {
			break
		}
		if f.Type != wire.TypeMessage || f.Offset >= hole {
			t.Fatalf("got %s, want messages before the hole, then going_away", b)
		}
	}
	sub.expectClose(websocket.StatusGoingAway)
	again, _ := dialKey(t, nodes[1].ws, testKey)
	for _, ch := range []string{quiet, busy} {
		got := again.subscribeSince(ch, &wire.Since{Offset: last[0], Epoch: ack.Epoch})
		if got.Recovered == nil || *got.Recovered || got.Reason != wire.ReasonTooFarBehind {
			t.Fatalf("recovery of %s across the hole: %+v, want too_far_behind", ch, got)
		}
	}
}

// TestClusterHistoryPurgedStream: a node started on a stream that holds
// nothing but has moved on (purged, or everything expired) starts at the
// stream's position: the next publication is no hole, and a subscriber
// acked before it gets it.
func TestClusterHistoryPurgedStream(t *testing.T) {
	url := startNATS(t)
	first := clusterNode(t, historyConfig(), url, "node1")
	pub, _ := dialKey(t, first.ws, testKey)
	pub.publishN("room/h/p", 1, 3)
	st, err := testJetStream(t, url).Stream(t.Context(), streamName("rkat.realtime"))
	if err == nil {
		err = st.Purge(t.Context())
	}
	if err != nil {
		t.Fatal(err)
	}
	late := clusterNode(t, historyConfig(), url, "node2")
	sub, _ := dialKey(t, late.ws, testKey)
	ack := sub.subscribeSince("room/h/p", nil)
	if ack.Offset != 3 {
		t.Fatalf("ack on the late node %+v, want the stream's position 3", ack)
	}
	pub.publishN("room/h/p", 4, 1)
	_, data := sub.readMessages(1, ack.Epoch)
	wantData(t, data, 4)
}

// TestClusterHistoryBacklogOutsideQuota: the publications a node reads
// from the stream at start were counted by the nodes that accepted them,
// not again against the current period of the node that starts.
func TestClusterHistoryBacklogOutsideQuota(t *testing.T) {
	cfg := historyConfig()
	cfg.Limits.MessageQuota, cfg.Limits.QuotaPeriod = 5, Duration(time.Hour)
	url := startNATS(t)
	first := clusterNode(t, cfg, url, "node1")
	pub, _ := dialKey(t, first.ws, testKey)
	pub.publishN("room/h/q", 1, 5)
	late := clusterNode(t, cfg, url, "node2")
	c, _ := dialKey(t, late.ws, testKey)
	c.publishN("room/h/q", 6, 1) // refused with over_message_quota if the backlog had counted
}

// TestClusterHistorySettingsMismatch: a node whose history settings differ
// from those the stream was made with says so in its log.
func TestClusterHistorySettingsMismatch(t *testing.T) {
	url := startNATS(t)
	clusterNode(t, historyConfig(), url, "node1")
	logged := func(cfg Config, name string) string {
		var log servetest.Buffer
		cfg.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelWarn}))
		clusterNode(t, cfg, url, name)
		return log.String()
	}
	if got := logged(historyConfig(), "node2"); strings.Contains(got, "other settings") {
		t.Fatalf("a node with the same settings warned: %q", got)
	}
	cfg := historyConfig()
	cfg.Channels[0].HistoryTTL = Duration(time.Hour) // the longest TTL is the stream's MaxAge
	if got := logged(cfg, "node3"); !strings.Contains(got, "other settings than this node's") || !strings.Contains(got, "node_max_age=1h0m0s") {
		t.Fatalf("log of the differing node: %q", got)
	}
}
