package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// The chaos check's shape: how long nodes are killed for, how many
// publishers (each 1 message per publishInterval) and subscribers run.
const (
	chaosPublishers      = 3
	chaosSubscribers     = 6
	chaosPublishInterval = 50 * time.Millisecond
	chaosChannel         = "room/jepsen"
)

// chaosDuration is 60 s (10 s with -short), or RKAT_CHAOS_DURATION (a Go
// duration) when set.
func chaosDuration(t *testing.T) time.Duration {
	if v := os.Getenv("RKAT_CHAOS_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("RKAT_CHAOS_DURATION: %v", err)
		}
		return d
	}
	if testing.Short() {
		return 10 * time.Second
	}
	return 60 * time.Second
}

// TestClusterChaos is a Jepsen-style check, bounded and on loopback: for a
// minute, three nodes on one NATS server are killed (a crash, see
// testNode.crash) and restarted one at a time at random, and subscribers
// drop their connections at random, while publishers send numbered
// messages to a channel with history and reconnect wherever they can.
// Every client reconnects to a random live node. Afterwards the stream is
// the record of what was stored, and:
//   - every message acknowledged to a publisher is in it, in the
//     publisher's order, once;
//   - each subscriber's view is a sequence of unbroken runs, a new run
//     starting only where a resubscribe said recovered false: within a run
//     it received exactly the stored messages between the run's first
//     position and its last, in order, with no gap and no duplicate (runs
//     joined by a successful recovery are one run); the last run reaches
//     the end of the stream.
func TestClusterChaos(t *testing.T) {
	cfg := historyConfig()
	cfg.Limits.QueueFrames = 8192
	cfg.Channels = append([]ChannelConfig{{Pattern: chaosChannel, HistorySize: 8000, HistoryTTL: Duration(10 * time.Minute)}}, cfg.Channels...)
	url := startNATS(t)
	cl := &chaosCluster{cfg: cfg, url: url}
	for i := range 3 {
		cl.nodes = append(cl.nodes, clusterNode(t, cfg, url, fmt.Sprint("node", i)))
		cl.alive = append(cl.alive, true)
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var wg sync.WaitGroup
	pubs := make([]*chaosPublisher, chaosPublishers)
	for i := range pubs {
		pubs[i] = &chaosPublisher{id: i, acked: map[int]bool{}}
		wg.Go(func() { pubs[i].run(ctx, cl) })
	}
	var target atomic.Uint64 // the stream's last position once publishing ended; 0 until then
	quit, abandon := context.WithCancel(context.Background())
	defer abandon()
	subs := make([]*chaosSubscriber, chaosSubscribers)
	var subsWG sync.WaitGroup
	for i := range subs {
		subs[i] = &chaosSubscriber{}
		subsWG.Go(func() { subs[i].run(ctx, quit, cl, &target) })
	}

	// Kill a random node, restart it a moment later, repeat.
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	kills := 0
	for end := time.Now().Add(chaosDuration(t)); time.Now().Before(end); {
		time.Sleep(time.Duration(1000+rng.IntN(2000)) * time.Millisecond)
		i := rng.IntN(len(cl.nodes))
		cl.kill(i)
		kills++
		time.Sleep(time.Duration(300+rng.IntN(1200)) * time.Millisecond)
		cl.restart(t, i)
	}
	stop() // publishers stop; subscribers read on until they reach target
	wg.Wait()

	stored := readStream(t, url)
	if len(stored) == 0 {
		t.Fatal("nothing stored")
	}
	target.Store(stored[len(stored)-1].seq)
	done := make(chan struct{})
	go func() { subsWG.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		abandon()
		<-done
		t.Fatal("subscribers did not reach the end of the stream within 30 s")
	}

	// Acknowledged means stored, in the publisher's order, once.
	last := map[int]int{}
	index := map[[2]int]bool{}
	for _, m := range stored {
		if m.n <= last[m.p] {
			t.Fatalf("stream: publisher %d's message %d after %d", m.p, m.n, last[m.p])
		}
		last[m.p] = m.n
		index[[2]int{m.p, m.n}] = true
	}
	acked, sent := 0, 0
	for _, p := range pubs {
		sent += p.sent
		for n := range p.acked {
			acked++
			if !index[[2]int{p.id, n}] {
				t.Errorf("publisher %d's message %d was acked but is not in the stream", p.id, n)
			}
		}
	}
	// Each run of each subscriber is exactly the stream between its ends.
	runs, broken, recovered, replayed, reconnects := 0, 0, 0, 0, 0
	for si, s := range subs {
		reconnects += s.connects - 1
		recovered += s.recovered
		replayed += s.replayed
		for ri, r := range s.runs {
			runs++
			end := r.start
			if len(r.got) > 0 {
				end = r.got[len(r.got)-1].seq
			}
			if ri == len(s.runs)-1 && end != stored[len(stored)-1].seq {
				t.Errorf("subscriber %d ended at %d, the stream at %d", si, end, stored[len(stored)-1].seq)
			}
			if ri > 0 {
				broken++
			}
			var want []storedMsg
			for _, m := range stored {
				if m.seq > r.start && m.seq <= end {
					want = append(want, m)
				}
			}
			if fmt.Sprint(want) != fmt.Sprint(r.got) {
				t.Errorf("subscriber %d run %d (after %d): got %d messages, want %d; first difference at %d", si, ri, r.start, len(r.got), len(want), firstDiff(want, r.got))
			}
		}
	}
	t.Logf("%v: %d node kills; %d messages sent, %d acked, %d stored; %d subscribers: %d reconnects, %d recovered (%d messages replayed), %d not recovered (new runs)",
		chaosDuration(t), kills, sent, acked, len(stored), len(subs), reconnects, recovered, replayed, broken)
	// The stream (one NATS server, never restarted) and every history hold
	// more than was sent, so every recovery must succeed.
	if recovered == 0 || broken > 0 {
		t.Errorf("%d reconnects, %d recovered, %d not: every recovery should have succeeded", reconnects, recovered, broken)
	}
}

// firstDiff returns the first index where a and b differ.
func firstDiff(a, b []storedMsg) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// chaosCluster is the test's nodes, each slot alive or dead.
type chaosCluster struct {
	cfg Config
	url string

	mu    sync.Mutex
	nodes []testNode
	alive []bool
}

// kill crashes node i.
func (cl *chaosCluster) kill(i int) {
	cl.mu.Lock()
	n := cl.nodes[i]
	cl.alive[i] = false
	cl.mu.Unlock()
	n.crash()
}

// restart starts node i anew under its name.
func (cl *chaosCluster) restart(t *testing.T, i int) {
	n := clusterNode(t, cl.cfg, cl.url, fmt.Sprint("node", i))
	cl.mu.Lock()
	cl.nodes[i], cl.alive[i] = n, true
	cl.mu.Unlock()
}

// dial connects with the test key to a random live node, retrying until
// ctx ends.
func (cl *chaosCluster) dial(ctx context.Context) (*websocket.Conn, error) {
	for {
		cl.mu.Lock()
		var live []string
		for i, n := range cl.nodes {
			if cl.alive[i] {
				live = append(live, n.ws)
			}
		}
		cl.mu.Unlock()
		if len(live) > 0 {
			dctx, cancel := context.WithTimeout(ctx, time.Second)
			ws, _, err := websocket.Dial(dctx, live[rand.IntN(len(live))]+"/v1?key="+testKey, nil)
			cancel()
			if err == nil {
				ws.SetReadLimit(1 << 20)
				return ws, nil
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// chaosPublisher sends {"p":id,"n":1,2,...} with request id n.
type chaosPublisher struct {
	id   int
	sent int

	mu    sync.Mutex
	acked map[int]bool
}

func (p *chaosPublisher) run(ctx context.Context, cl *chaosCluster) {
	n := 0
	for ctx.Err() == nil {
		ws, err := cl.dial(ctx)
		if err != nil {
			return
		}
		readDone := make(chan struct{})
		go func() { // acks
			defer close(readDone)
			for {
				_, b, err := ws.Read(context.Background())
				if err != nil {
					return
				}
				var f wire.ServerFrame
				if json.Unmarshal(b, &f) == nil && f.Type == wire.TypeAck {
					var k int
					if _, err := fmt.Sscan(f.RequestID, &k); err == nil {
						p.mu.Lock()
						p.acked[k] = true
						p.mu.Unlock()
					}
				}
			}
		}()
		for ctx.Err() == nil {
			n++
			b, _ := json.Marshal(wire.Publish{Type: wire.TypePublish, Channel: chaosChannel, RequestID: fmt.Sprint(n),
				Data: json.RawMessage(fmt.Sprintf(`{"p":%d,"n":%d}`, p.id, n))})
			wctx, cancel := context.WithTimeout(context.Background(), time.Second)
			err := ws.Write(wctx, websocket.MessageText, b)
			cancel()
			if err != nil {
				break
			}
			p.sent++
			select {
			case <-time.After(chaosPublishInterval):
			case <-readDone:
			}
			if isClosed(readDone) {
				break
			}
		}
		if ctx.Err() != nil {
			time.Sleep(500 * time.Millisecond) // the last acks
		}
		_ = ws.CloseNow()
		<-readDone
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// storedMsg is one message of the channel: its position and numbering.
type storedMsg struct {
	seq  uint64
	p, n int
}

// chaosRun is a subscriber's unbroken run: positions after start.
type chaosRun struct {
	start uint64
	got   []storedMsg
}

// chaosSubscriber subscribes, recovers on every reconnect, and drops its own
// connection now and then.
type chaosSubscriber struct {
	runs      []chaosRun
	connects  int
	recovered int
	replayed  int // messages received at or before a recovery ack's position
}

// It runs until it has read up to target or quit ends; ctx ending says
// publishing is over.
func (s *chaosSubscriber) run(ctx, quit context.Context, cl *chaosCluster, target *atomic.Uint64) {
	var since *wire.Since
	var replayTo uint64
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	for quit.Err() == nil {
		if t := target.Load(); t != 0 && since != nil && since.Offset >= t {
			return
		}
		ws, err := cl.dial(quit)
		if err != nil {
			return
		}
		s.connects++
		b, _ := json.Marshal(wire.Subscribe{Type: wire.TypeSubscribe, Channel: chaosChannel, RequestID: "s", Since: since})
		if ws.Write(context.Background(), websocket.MessageText, b) != nil {
			_ = ws.CloseNow()
			continue
		}
		// Drop the connection ourselves after a while, unless the node dies first.
		dropAt := time.Now().Add(time.Duration(2000+rng.IntN(6000)) * time.Millisecond)
		for {
			deadline := dropAt
			if ctx.Err() != nil { // the end: reconnect (and check target) after a quiet 500 ms
				deadline = time.Now().Add(500 * time.Millisecond)
			}
			rctx, cancel := context.WithDeadline(quit, deadline)
			_, b, err := ws.Read(rctx) // an expired read closes the connection
			cancel()
			if err != nil {
				break
			}
			var f wire.ServerFrame
			if json.Unmarshal(b, &f) != nil {
				continue
			}
			switch f.Type {
			case wire.TypeAck:
				if f.RequestID != "s" {
					continue
				}
				if f.Recovered != nil && *f.Recovered {
					s.recovered++
					replayTo = f.Offset
				} else {
					s.runs = append(s.runs, chaosRun{start: f.Offset})
				}
				since = &wire.Since{Offset: f.Offset, Epoch: f.Epoch}
			case wire.TypeMessage:
				var d struct{ P, N int }
				_ = json.Unmarshal(f.Data, &d)
				r := &s.runs[len(s.runs)-1]
				r.got = append(r.got, storedMsg{seq: f.Offset, p: d.P, n: d.N})
				if f.Offset <= replayTo {
					s.replayed++
				}
				since.Offset = f.Offset
			}
			if t := target.Load(); t != 0 && since != nil && since.Offset >= t {
				break
			}
		}
		_ = ws.CloseNow()
		if ctx.Err() == nil { // stay away a while, so that there is something to recover
			time.Sleep(time.Duration(rng.IntN(1000)) * time.Millisecond)
		}
	}
}

// readStream returns the messages of chaosChannel as stored in the history
// stream.
func readStream(t *testing.T, url string) []storedMsg {
	t.Helper()
	js := testJetStream(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	subject := historySubject("rkat.realtime.history", DefaultApp, chaosChannel)
	cons, err := js.OrderedConsumer(ctx, streamName("rkat.realtime"), jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	if err != nil {
		t.Fatal(err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []storedMsg
	for remaining := info.NumPending; remaining > 0; {
		batch, err := cons.Fetch(int(min(remaining, 500)), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for m := range batch.Messages() {
			md, err := m.Metadata()
			if err != nil {
				t.Fatal(err)
			}
			var e journalEntry
			var d struct{ P, N int }
			if err := json.Unmarshal(m.Data(), &e); err != nil || json.Unmarshal(e.Data, &d) != nil {
				t.Fatalf("stored message %s: %v", m.Data(), err)
			}
			out = append(out, storedMsg{seq: md.Sequence.Stream, p: d.P, n: d.N})
			remaining--
		}
		if err := batch.Error(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
