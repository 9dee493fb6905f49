package realtime

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	natsserver "github.com/nats-io/nats-server/v2/server"

	"github.com/rkat-dev/rkat/internal/interoptest"
	"github.com/rkat-dev/rkat/realtime/wire"
)

// Fast heartbeats for tests: a dead node's peers are reported left at most
// testNodeTTL+testHeartbeat after its last event.
const (
	testHeartbeat = 100 * time.Millisecond
	testNodeTTL   = 400 * time.Millisecond
)

// testNode is one node of a test cluster.
type testNode struct {
	srv       *Server
	ws, http_ string
	ln        *crashListener
}

// crash stops the node as the death of its process would: its broker goes
// silent without a goodbye, so the other nodes report its peers left when
// its heartbeats have been missing for the node TTL; then its port refuses
// connections and every connection it had, WebSocket or HTTP, drops
// without a close handshake. The Server's goroutines end with the test.
func (n testNode) crash() {
	n.srv.hub.broker.close(false) // first: the drops below must not reach the others as offline events
	n.ln.crash()
}

// crashListener is a node's listener that can crash: it tracks the
// connections it accepted (while open) so that crash can close them all.
// Once crashed, Accept waits for Close, so that Serve carries on unaware
// until the test ends and then shuts down as usual.
type crashListener struct {
	net.Listener
	closed    chan struct{}
	closeOnce sync.Once

	mu      sync.Mutex
	conns   map[*trackedConn]struct{}
	crashed bool
}

func listenCrashable(t testing.TB) *crashListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return &crashListener{Listener: ln, closed: make(chan struct{}), conns: map[*trackedConn]struct{}{}}
}

func (l *crashListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		l.mu.Lock()
		crashed := l.crashed
		if err == nil && !crashed {
			tc := &trackedConn{TCPConn: c.(*net.TCPConn), l: l}
			l.conns[tc] = struct{}{}
			l.mu.Unlock()
			return tc, nil
		}
		l.mu.Unlock()
		if !crashed {
			return nil, err
		}
		if c != nil {
			_ = c.Close() // accepted just before the crash
			continue
		}
		<-l.closed
		return nil, net.ErrClosed
	}
}

func (l *crashListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// crash closes the port and every tracked connection.
func (l *crashListener) crash() {
	l.mu.Lock()
	l.crashed = true
	conns := make([]*trackedConn, 0, len(l.conns))
	for c := range l.conns {
		conns = append(conns, c)
	}
	l.mu.Unlock()
	_ = l.Listener.Close()
	for _, c := range conns {
		_ = c.Close()
	}
}

// trackedConn is an accepted connection that leaves its listener's set
// when closed. It embeds *net.TCPConn so that the server still finds the
// socket descriptor for its non-blocking writes.
type trackedConn struct {
	*net.TCPConn
	l *crashListener
}

func (c *trackedConn) Close() error {
	c.l.mu.Lock()
	delete(c.l.conns, c)
	c.l.mu.Unlock()
	return c.TCPConn.Close()
}

// startNATS runs a NATS server with JetStream on a loopback port until the
// test ends.
func startNATS(t testing.TB) string { return startNATSWith(t, true) }

// startNATSWith runs a NATS server, with JetStream or not, on a loopback
// port until the test ends.
func startNATSWith(t testing.TB, jetStream bool) string {
	t.Helper()
	opts := &natsserver.Options{Host: "127.0.0.1", Port: -1, NoSigs: true, NoLog: true}
	if jetStream {
		opts.JetStream, opts.StoreDir = true, t.TempDir()
	}
	ns, err := natsserver.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats did not start")
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	return ns.ClientURL()
}

// startCluster runs n nodes of cfg on one NATS server.
func startCluster(t testing.TB, cfg Config, n int) []testNode {
	t.Helper()
	url := startNATS(t)
	nodes := make([]testNode, n)
	for i := range nodes {
		nodes[i] = clusterNode(t, cfg, url, fmt.Sprintf("node%d", i+1))
	}
	return nodes
}

// clusterNode starts one node of cfg on the NATS server at url.
func clusterNode(t testing.TB, cfg Config, url, name string) testNode {
	t.Helper()
	cfg.Cluster = ClusterConfig{NATSURL: url, NodeName: name, HeartbeatInterval: Duration(testHeartbeat), NodeTTL: Duration(testNodeTTL)}
	ln := listenCrashable(t)
	srv, ws, h := startServerOn(t, cfg, ln)
	return testNode{srv, ws, h, ln}
}

// waitPeers polls a node's REST presence of channel until it lists want
// (sorted peer ids) and returns how long that took.
func waitPeers(t testing.TB, n testNode, channel string, want ...string) time.Duration {
	t.Helper()
	slices.Sort(want)
	start := time.Now()
	var got []string
	for time.Since(start) < waitTimeout {
		_, body := rest(t, http.MethodGet, n.http_+"/v1/channels/"+channel, testSecret, nil)
		got = got[:0]
		peers, _ := body["peers"].([]any)
		for _, p := range peers {
			got = append(got, p.(map[string]any)["peerId"].(string))
		}
		slices.Sort(got)
		if slices.Equal(got, want) {
			return time.Since(start)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s: peers of %s = %v, want %v", n.http_, channel, got, want)
	return 0
}

// dialPeer connects peer sub with a token and subscribes it to channel with
// presence, returning the snapshot's peer ids.
func dialPeer(t testing.TB, n testNode, sub, channel string) (*client, string) {
	t.Helper()
	c, _ := dialToken(t, n.ws, token(t, testKid, "secret-one", claims(sub)))
	return c, peerIDs(c.subscribe(channel, true).Joined)
}

// expectPresence reads a presence frame of channel and returns joined and
// left peer ids.
func (c *client) expectPresence(channel string) (joined, left string) {
	c.t.Helper()
	f := c.expect(wire.TypePresence)
	if f.Channel != channel {
		c.t.Fatalf("presence of %q, want %q", f.Channel, channel)
	}
	return peerIDs(f.Joined), peerIDs(f.Left)
}

func sortedIDs(s string) string {
	ids := strings.Split(s, ",")
	slices.Sort(ids)
	return strings.Join(ids, ",")
}

func TestClusterPresenceMessagesAndDirects(t *testing.T) {
	nodes := startCluster(t, testConfig(), 3)
	const room = "room/x"

	alice, snap := dialPeer(t, nodes[0], "alice", room)
	if snap != "" {
		t.Fatalf("first snapshot %q, want empty", snap)
	}
	waitPeers(t, nodes[1], room, "alice")
	bob, snap := dialPeer(t, nodes[1], "bob", room)
	if snap != "alice" {
		t.Fatalf("bob's snapshot %q, want alice (on another node)", snap)
	}
	if j, _ := alice.expectPresence(room); j != "bob" {
		t.Fatalf("alice saw joined %q, want bob", j)
	}
	waitPeers(t, nodes[2], room, "alice", "bob")
	carol, snap := dialPeer(t, nodes[2], "carol", room)
	if sortedIDs(snap) != "alice,bob" {
		t.Fatalf("carol's snapshot %q, want alice and bob", snap)
	}
	for _, c := range []*client{alice, bob} {
		if j, _ := c.expectPresence(room); j != "carol" {
			t.Fatalf("joined %q, want carol", j)
		}
	}
	for _, n := range nodes {
		waitPeers(t, n, room, "alice", "bob", "carol")
	}

	// Publications reach every node in order per publisher.
	const count = 50
	for i := range count {
		alice.send(wire.Publish{Type: wire.TypePublish, Channel: room, Data: json.RawMessage(fmt.Sprint(i))})
	}
	carol.send(wire.Publish{Type: wire.TypePublish, Channel: room, Data: json.RawMessage(`"from carol"`)})
	want := map[*client]map[string]int{bob: {"alice": count, "carol": 1}, carol: {"alice": count}, alice: {"carol": 1}}
	for c, from := range want {
		got := map[string][]string{}
		for range from["alice"] + from["carol"] {
			f := c.expect(wire.TypeMessage)
			got[f.From] = append(got[f.From], string(f.Data))
		}
		for i, d := range got["alice"] {
			if d != fmt.Sprint(i) {
				t.Fatalf("alice's message %d arrived as %s: order lost", i, d)
			}
		}
		if len(got["alice"]) != from["alice"] || from["carol"] == 1 && (len(got["carol"]) != 1 || got["carol"][0] != `"from carol"`) {
			t.Fatalf("got %v, want %v messages per sender", got, from)
		}
	}

	// A REST publish on one node reaches subscribers on the others.
	if st, _ := rest(t, http.MethodPost, nodes[1].http_+"/v1/channels/"+room, testSecret, map[string]any{"data": "srv"}); st/100 != 2 {
		t.Fatalf("REST publish: %d", st)
	}
	for _, c := range []*client{alice, bob, carol} {
		if f := c.expect(wire.TypeMessage); f.From != serverPeerID || string(f.Data) != `"srv"` {
			t.Fatalf("got %+v, want the server's message", f)
		}
	}

	// Directed sends cross nodes, in order; an unknown peer is refused.
	for i := range 5 {
		bob.send(wire.Send{Type: wire.TypeSend, To: "alice", Data: json.RawMessage(fmt.Sprint(i)), RequestID: fmt.Sprint("d", i)})
		bob.expectAck(fmt.Sprint("d", i))
	}
	for i := range 5 {
		if f := alice.expect(wire.TypeDirect); f.From != "bob" || string(f.Data) != fmt.Sprint(i) {
			t.Fatalf("direct %d: %+v", i, f)
		}
	}
	bob.send(wire.Send{Type: wire.TypeSend, To: "nobody", Data: json.RawMessage(`1`), RequestID: "dx"})
	bob.expectError(wire.ErrPeerNotFound, "dx")

	// Leaving is seen everywhere.
	carol.send(wire.Unsubscribe{Type: wire.TypeUnsubscribe, Channel: room, RequestID: "u"})
	carol.expectAck("u")
	for _, c := range []*client{alice, bob} {
		if _, l := c.expectPresence(room); l != "carol" {
			t.Fatalf("left %q, want carol", l)
		}
	}
}

func TestClusterDisconnects(t *testing.T) {
	nodes := startCluster(t, testConfig(), 3)
	const room = "room/k"
	alice, _ := dialPeer(t, nodes[0], "alice", room)
	waitPeers(t, nodes[1], room, "alice") // so bob's snapshot holds her, not a later join
	bob, _ := dialPeer(t, nodes[1], "bob", room)
	alice.expectPresence(room)
	waitPeers(t, nodes[2], room, "alice", "bob")

	// REST kick on node 3 closes bob on node 2.
	if st, _ := rest(t, http.MethodDelete, nodes[2].http_+"/v1/peers/bob", testSecret, nil); st/100 != 2 {
		t.Fatalf("kick: %d", st)
	}
	bob.expectClose(wire.CloseAdminDisconnect)
	if _, l := alice.expectPresence(room); l != "bob" {
		t.Fatalf("left %q, want bob", l)
	}
	// Once bob's offline reached node 3, it knows him no more.
	for deadline := time.Now().Add(waitTimeout); ; time.Sleep(10 * time.Millisecond) {
		st, _ := rest(t, http.MethodDelete, nodes[2].http_+"/v1/peers/bob", testSecret, nil)
		if st == http.StatusNotFound {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("kick of a gone peer: %d, want 404", st)
		}
	}

	// alice connecting again on node 3 replaces her connection on node 1.
	alice2, snap := dialPeer(t, nodes[2], "alice", room)
	alice.expectClose(wire.CloseAdminDisconnect)
	if snap != "" {
		t.Fatalf("snapshot %q, want empty (alice is herself)", snap)
	}
	for _, n := range nodes {
		waitPeers(t, n, room, "alice")
	}
	alice2.alive()
}

func TestClusterDeadNode(t *testing.T) {
	nodes := startCluster(t, testConfig(), 3)
	const room = "room/d"
	alice, _ := dialPeer(t, nodes[0], "alice", room)
	waitPeers(t, nodes[1], room, "alice") // so bob's snapshot holds her, not a later join
	bob, _ := dialPeer(t, nodes[1], "bob", room)
	alice.expectPresence(room)
	waitPeers(t, nodes[2], room, "alice", "bob")
	carol, _ := dialPeer(t, nodes[2], "carol", room)
	alice.expectPresence(room)
	bob.expectPresence(room)

	// Node 3 dies without a word: its peers are reported left within the
	// bound, by heartbeat expiry.
	nodes[2].crash()
	start := time.Now()
	for _, c := range []*client{alice, bob} {
		if _, l := c.expectPresence(room); l != "carol" {
			t.Fatalf("left %q, want carol", l)
		}
	}
	if took, bound := time.Since(start), testNodeTTL+testHeartbeat; took > bound+time.Second {
		t.Fatalf("carol reported left after %s, bound %s", took, bound)
	}
	waitPeers(t, nodes[0], room, "alice", "bob")
	_ = carol.ws.CloseNow()

	// carol reconnects to a surviving node and carries on.
	carol, snap := dialPeer(t, nodes[0], "carol", room)
	if sortedIDs(snap) != "alice,bob" {
		t.Fatalf("carol's snapshot on node 1: %q", snap)
	}
	if j, _ := bob.expectPresence(room); j != "carol" {
		t.Fatalf("bob saw joined %q, want carol", j)
	}
	if j, _ := alice.expectPresence(room); j != "carol" {
		t.Fatalf("alice saw joined %q, want carol", j)
	}
	bob.send(wire.Publish{Type: wire.TypePublish, Channel: room, Data: json.RawMessage(`"back"`)})
	if f := carol.expect(wire.TypeMessage); f.From != "bob" || string(f.Data) != `"back"` {
		t.Fatalf("carol got %+v", f)
	}
	alice.expect(wire.TypeMessage)

	// A graceful shutdown reports its peers left at once (bob reads
	// meanwhile: Shutdown waits for his close reply).
	shut := make(chan error, 1)
	go func() { shut <- nodes[1].srv.Shutdown(t.Context()) }()
	bob.expectClose(websocket.StatusGoingAway)
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	if _, l := alice.expectPresence(room); l != "bob" {
		t.Fatalf("left %q, want bob", l)
	}
}

// TestClusterInteropJSSDK drives the published @metered-ca/realtime in Node
// against three nodes behind a load balancer, one client landing on each:
// one roster, publications and directs in order across nodes. Then node 3
// crashes: its peer is reported left on the others, and its client
// reconnects through the balancer to a surviving node, is resubscribed by
// the SDK and carries on.
func TestClusterInteropJSSDK(t *testing.T) {
	node := interoptest.RequireNode(t, interopDir)
	nodes := startCluster(t, testConfig(), 3)
	var addrs, https []string
	for _, n := range nodes {
		addrs, https = append(addrs, n.ln.Addr().String()), append(https, n.http_)
	}
	lb := startBalancer(t, addrs...) // the clients connect in order: node i serves the i-th
	cmd := exec.CommandContext(t.Context(), node, "realtime-cluster.mjs")
	cmd.Dir = interopDir
	cmd.Env = append(os.Environ(), "RKAT_LB="+lb.URL(), "RKAT_HTTPS="+strings.Join(https, ","),
		"RKAT_KEY="+testKey, "RKAT_SECRET="+testSecret)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	interoptest.RunCheckScript(t, cmd, []string{
		"connect-three-nodes", "snapshot-node2", "snapshot-node3", "joined-across-nodes", "publish-order-bob",
		"publish-order-carol", "direct-order-node2-to-node3", "direct-node3-to-node1", "dead-node-left-alice", "dead-node-left-bob",
		"crash-drop-carol", "reconnect-carol", "resubscribe-carol", "rejoined-alice", "rejoined-bob",
		"after-reconnect-carol-to-alice", "after-reconnect-carol-to-bob", "after-reconnect-alice-to-carol",
	}, func(event string) {
		if event != "kill" {
			t.Errorf("unknown script event %q", event)
			return
		}
		nodes[2].crash()
		if _, err := fmt.Fprintln(stdin, "kill done"); err != nil {
			t.Errorf("tell script: %v", err)
		}
	})
}

// TestClusterEmbeddedRoutes runs two nodes from TOML, each with its own
// embedded NATS server, the second routed to the first.
func TestClusterEmbeddedRoutes(t *testing.T) {
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	route := probe.Addr().String()
	probe.Close()
	dir := t.TempDir()
	var nodes []testNode
	for i, cluster := range []string{
		fmt.Sprintf("embedded = true\nnode_name = \"a\"\nlisten = %q\nheartbeat_interval = \"100ms\"\nnode_ttl = \"400ms\"\n", route),
		fmt.Sprintf("embedded = true\nnode_name = \"b\"\nroutes = [\"nats-route://%s\"]\nheartbeat_interval = \"100ms\"\nnode_ttl = \"400ms\"\n", route),
	} {
		path := filepath.Join(dir, fmt.Sprintf("node%d.toml", i))
		toml := "[[keys]]\nkey = \"pk\"\nchannels = [\"**\"]\npermissions = [\"subscribe\", \"publish\", \"presence\", \"send\"]\n" +
			"[[secret_keys]]\nkey = \"" + testSecret + "\"\n[cluster]\n" + cluster
		if err := os.WriteFile(path, []byte(toml), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(path)
		if err != nil {
			t.Fatal(err)
		}
		srv, ws, h := startServer(t, cfg)
		nodes = append(nodes, testNode{srv: srv, ws: ws, http_: h})
	}
	a, wa := dialKey(t, nodes[0].ws, "pk")
	a.subscribe("room", true)
	waitPeers(t, nodes[1], "room", wa.PeerID)
	b, wb := dialKey(t, nodes[1].ws, "pk")
	if snap := b.subscribe("room", true); peerIDs(snap.Joined) != wa.PeerID {
		t.Fatalf("snapshot %q, want %s", peerIDs(snap.Joined), wa.PeerID)
	}
	b.send(wire.Publish{Type: wire.TypePublish, Channel: "room", Data: json.RawMessage(`"hello"`)})
	if j, _ := a.expectPresence("room"); j != wb.PeerID {
		t.Fatalf("joined %q, want %s", j, wb.PeerID)
	}
	if f := a.expect(wire.TypeMessage); f.From != wb.PeerID || string(f.Data) != `"hello"` {
		t.Fatalf("got %+v", f)
	}
}

// BenchmarkClusterPresenceConvergence measures how long a subscribe on one
// node takes to reach watchers on the two others as a joined presence frame
// (three nodes on one loopback NATS server).
func BenchmarkClusterPresenceConvergence(b *testing.B) {
	cfg := testConfig()
	cfg.Limits.RatePerSecond, cfg.Limits.RateBurst = 1e6, 1e6 // the joiner sends 2 frames per op
	nodes := startCluster(b, cfg, 3)
	const room = "room/bench"
	tok := func(sub string) string { return token(b, testKid, "secret-one", claims(sub)) }
	joiner, _ := dialToken(b, nodes[0].ws, tok("joiner"))
	w2, _ := dialToken(b, nodes[1].ws, tok("w2"))
	w2.subscribe(room, true)
	waitPeers(b, nodes[2], room, "w2")
	w3, _ := dialToken(b, nodes[2].ws, tok("w3"))
	w3.subscribe(room, true)
	waitPeers(b, nodes[0], room, "w2", "w3")
	watchers := []*client{w2, w3}
	// await reads each watcher's frames until one reports joiner joined
	// (or left); others (w3 joining, seen by w2) are skipped.
	await := func(join bool) {
		for _, w := range watchers {
			for {
				j, l := w.expectPresence(room)
				if join && j == "joiner" || !join && l == "joiner" {
					break
				}
			}
		}
	}
	b.ResetTimer()
	for range b.N {
		joiner.send(wire.Subscribe{Type: wire.TypeSubscribe, Channel: room})
		await(true)
		b.StopTimer()
		joiner.expectPresence(room) // the snapshot
		joiner.send(wire.Unsubscribe{Type: wire.TypeUnsubscribe, Channel: room})
		await(false)
		b.StartTimer()
	}
}

// TestClusterCapsAndQuotas: an app's connection cap and message quota count
// the connections and messages of every node.
func TestClusterCapsAndQuotas(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.MaxConnections, cfg.Limits.MessageQuota = 2, 3
	nodes := startCluster(t, cfg, 3)
	const room = "room/q"
	alice, _ := dialPeer(t, nodes[0], "alice", room)
	waitPeers(t, nodes[1], room, "alice") // so bob's snapshot holds her, not a later join
	bob, _ := dialPeer(t, nodes[1], "bob", room)
	alice.expectPresence(room)
	waitPeers(t, nodes[2], room, "alice", "bob")
	dialRaw(t, nodes[2].ws, "key="+testKey).expectClose(wire.CloseOverConcurrent)

	// Two of the three messages are spent on node 1; once bob has them,
	// node 2 has counted them too.
	for i := range 2 {
		alice.send(wire.Publish{Type: wire.TypePublish, Channel: room, Data: json.RawMessage(fmt.Sprint(i))})
		bob.expect(wire.TypeMessage)
	}
	bob.send(wire.Publish{Type: wire.TypePublish, Channel: room, Data: json.RawMessage(`"last"`), RequestID: "p1"})
	bob.expectAck("p1")
	bob.send(wire.Publish{Type: wire.TypePublish, Channel: room, Data: json.RawMessage(`"over"`), RequestID: "p2"})
	bob.expectError(wire.ErrOverMessageQuota, "p2")
}
