package realtime

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// Journal bounds: publishes awaiting the stream's ack (per node; beyond it a
// publisher waits), how long one may wait, how long a node may take to read
// the stream at start, and the stream's size in messages and bytes (the
// oldest go first, as they do past the longest history_ttl).
const (
	journalMaxPending  = 4096
	journalAckTimeout  = 5 * time.Second
	journalStartupWait = 60 * time.Second
	journalMaxMessages = 1_000_000
	journalMaxBytes    = 256 << 20
)

// journal keeps the publications of a cluster's channels with history in
// one JetStream stream, which gives them a single order across nodes: a
// node publishes to the stream instead of fanning out, and every node reads
// the whole stream in order (an ordered consumer), records each publication
// in the channel's in-memory history under its stream sequence, the offset,
// and fans it out to its local subscribers. The stream's creation time is
// the epoch: a stream lost and created anew starts a new one.
//
// A node reads the stream from its first message before it serves, so its
// histories hold what the stream holds. The stream has no limit per
// channel, only overall ones (the longest history_ttl, journalMaxMessages,
// journalMaxBytes), so that it removes publications oldest first across
// channels and a node that falls behind finds the publications it has not
// read yet unless it is that far behind; the histories apply each table's
// own size and TTL. Should the stream drop publications before a node read
// them, the node notices the hole in the sequence (historyGap).
type journal struct {
	hub    *hub
	log    *slog.Logger
	nc     *nats.Conn // the journal's own connection
	js     jetstream.JetStream
	config jetstream.StreamConfig
	prefix string // a channel's subject is prefix.<app>.<channel>, base64url
	node   string
	every  time.Duration // how often watch checks the stream
	epoch  atomic.Value  // string: the stream's creation time

	// applied is the last stream sequence this node has applied; it is
	// stored under the app lock of the publication it applies, so a
	// subscriber holding that lock sees every earlier one applied.
	// streamLast is the stream's last sequence as of the last message read.
	applied    atomic.Uint64
	streamLast atomic.Uint64
	// applyMu serialises apply with stopConsumer: gen names the consumer
	// whose messages apply takes, so none of a stopped one's land late.
	applyMu sync.Mutex
	gen     uint64
	// Until warm is set the node is reading what the stream held at start,
	// and a history it creates is complete from startFloor on.
	warm       atomic.Bool
	startFloor atomic.Uint64
	// inflight counts the publishes accepted and not yet answered, maxAcked
	// the last position acked to a publisher: a graceful close waits for
	// both to be settled and applied.
	inflight atomic.Int64
	maxAcked atomic.Uint64

	cc   jetstream.ConsumeContext // replaced by start
	acks chan pendingAck
	// stop ends acker and watch; ctx, cancelled with it, ends watch's
	// requests to the stream.
	stop   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // acker and watch
	once   sync.Once
}

// journalEntry is one publication as stored in the stream.
type journalEntry struct {
	App     string          `json:"a"`
	Channel string          `json:"c"`
	From    string          `json:"f"`
	Node    string          `json:"n"`
	Meta    json.RawMessage `json:"m,omitempty"`
	Data    json.RawMessage `json:"d"`
}

// pendingAck is a connection's publish waiting for the stream's ack.
type pendingAck struct {
	fut       jetstream.PubAckFuture
	c         *conn
	requestID string
}

// newJournal creates (or joins) the history stream on a connection of its
// own, installs itself as h's journal, reads the stream to its end and goes
// on applying what follows, watching for the stream to be lost. On error h
// has no journal.
func newJournal(ctx context.Context, h *hub, connect func() (*nats.Conn, error), cfg ClusterConfig, log *slog.Logger) (*journal, error) {
	storage := jetstream.MemoryStorage
	if cfg.HistoryStorage == "file" {
		storage = jetstream.FileStorage
	}
	j := &journal{
		hub: h, log: log, prefix: cfg.Subject + ".history", node: cfg.NodeName, every: time.Duration(cfg.HeartbeatInterval),
		acks: make(chan pendingAck, journalMaxPending), stop: make(chan struct{}),
	}
	j.ctx, j.cancel = context.WithCancel(context.Background())
	j.config = jetstream.StreamConfig{
		Name: streamName(cfg.Subject), Subjects: []string{j.prefix + ".>"}, Storage: storage, Replicas: cfg.HistoryReplicas,
		MaxAge: h.srv.history.maxTTL(), MaxMsgs: journalMaxMessages, MaxBytes: journalMaxBytes, Discard: jetstream.DiscardOld,
	}
	ctx, cancel := context.WithTimeout(ctx, journalStartupWait)
	defer cancel()
	h.journal = j
	nc, err := connect()
	if err == nil {
		j.nc = nc
		j.js, err = jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(journalMaxPending), jetstream.WithPublishAsyncTimeout(journalAckTimeout))
	}
	if err == nil {
		err = j.start(ctx, false)
	}
	if err != nil {
		h.journal = nil
		j.cancel()
		if j.nc != nil {
			j.nc.Close()
		}
		return nil, err
	}
	j.wg.Go(j.acker)
	j.wg.Go(j.watch)
	return j, nil
}

// start creates or joins the stream (retrying while a JetStream cluster
// elects its leaders), takes its epoch, and applies it to its end with a
// new consumer. reset (the stream was lost) first forgets the histories of
// the old epoch.
func (j *journal) start(ctx context.Context, reset bool) error {
	var st jetstream.Stream
	var err, lastErr error
	check, cancelCheck := context.WithTimeout(ctx, 2*time.Second) // a forming cluster may not answer
	if cur, err := j.js.Stream(check, j.config.Name); err == nil {
		j.warnMismatch(cur.CachedInfo().Config)
	}
	cancelCheck()
	for {
		attempt, cancel := context.WithTimeout(ctx, 2*time.Second)
		st, err = j.js.CreateOrUpdateStream(attempt, j.config)
		cancel()
		if errors.Is(err, jetstream.ErrJetStreamNotEnabled) || errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount) || errors.Is(err, nats.ErrNoResponders) {
			return errNoJetStream
		}
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return fmt.Errorf("history stream %s: %w", j.config.Name, errors.Join(ctx.Err(), lastErr))
		}
		lastErr = err
		j.log.Debug("cluster: history stream not ready", "err", err)
		time.Sleep(100 * time.Millisecond)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return fmt.Errorf("history stream %s: %w", j.config.Name, err)
	}
	j.warm.Store(false)
	j.epoch.Store(epochOf(info))
	j.startFloor.Store(max(info.State.FirstSeq, 1) - 1)
	j.applied.Store(j.startFloor.Load())
	j.streamLast.Store(info.State.LastSeq)
	j.maxAcked.Store(0)
	if reset { // after the epoch is stored: what a subscribe made meanwhile goes too
		j.forgetHistories()
	}
	j.applyMu.Lock()
	j.gen++
	gen := j.gen
	j.applyMu.Unlock()
	cons, err := j.js.OrderedConsumer(ctx, j.config.Name, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy})
	if err == nil {
		j.cc, err = cons.Consume(func(m jetstream.Msg) { j.apply(m, gen) })
	}
	if err == nil {
		if err = j.catchUp(ctx, st, info.State.LastSeq); err != nil {
			j.stopConsumer()
		}
	}
	if err != nil {
		return fmt.Errorf("history stream %s: %w", j.config.Name, err)
	}
	return nil
}

// warnMismatch logs when the stream was made with history settings other
// than this node's: each node creates or updates it with its own, so nodes
// that differ keep changing it.
func (j *journal) warnMismatch(cur jetstream.StreamConfig) {
	if cur.MaxAge != j.config.MaxAge || cur.Storage != j.config.Storage || cur.Replicas != j.config.Replicas {
		j.log.Warn("cluster: the history stream was set up with other settings than this node's; give every node the same [[channels]] and history settings",
			"stream", j.config.Name, "max_age", cur.MaxAge, "node_max_age", j.config.MaxAge,
			"storage", cur.Storage.String(), "node_storage", j.config.Storage.String(), "replicas", cur.Replicas, "node_replicas", j.config.Replicas)
	}
}

// epochOf is the epoch of a stream: its creation time.
func epochOf(info *jetstream.StreamInfo) string {
	return fmt.Sprintf("%x", info.Created.UnixNano())
}

// stopConsumer stops the consumer and waits for an apply it may be running.
func (j *journal) stopConsumer() {
	j.cc.Stop()
	<-j.cc.Closed()
	j.applyMu.Lock()
	j.gen++
	j.applyMu.Unlock()
}

// watch checks the stream every heartbeat interval. A stream that is gone
// (every NATS server restarted with memory storage) or was created anew
// ends the epoch: the node forgets its histories and starts over on the
// (re-created) stream, so that no client is told it recovered what the
// lost stream held.
func (j *journal) watch() {
	t := time.NewTicker(j.every)
	defer t.Stop()
	for {
		select {
		case <-j.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(j.ctx, journalAckTimeout)
		st, err := j.js.Stream(ctx, j.config.Name)
		switch {
		case errors.Is(err, jetstream.ErrStreamNotFound) || err == nil && epochOf(st.CachedInfo()) != j.epoch.Load():
			j.log.Warn("cluster: history stream lost; channel histories start a new epoch", "stream", j.config.Name)
			j.stopConsumer()
			j.epoch.Store("") // no recovery until the new epoch is known
			restart, cancelRestart := context.WithTimeout(j.ctx, journalStartupWait)
			if err := j.start(restart, true); err != nil {
				j.log.Error("cluster: history stream not restored; retrying", "err", err)
			}
			cancelRestart()
		case err != nil:
			j.log.Debug("cluster: history stream not checked", "err", err)
		}
		cancel()
	}
}

// forgetHistories drops every history of the node (their epoch is over)
// and sends their subscribers away, as historyGap does: what the lost
// stream held and this node had not read is gone.
func (j *journal) forgetHistories() {
	j.sendAway(func(a *app) { a.histories = nil })
}

// sendAway sends the subscribers of every channel with a history away
// (sendAwayLocked), then calls after with the app's locks (a.mu, a.histMu)
// held, for each app.
func (j *journal) sendAway(after func(a *app)) {
	for _, a := range j.hub.allApps() {
		a.mu.Lock()
		a.histMu.Lock()
		for name := range a.histories {
			sendAwayLocked(a, name)
		}
		after(a)
		a.histMu.Unlock()
		a.mu.Unlock()
	}
}

// sendAwayLocked sends the subscribers of a channel going_away and closes
// them (1001), so that they reconnect and a recovery tells them what they
// missed. a.mu is held.
func sendAwayLocked(a *app, name string) {
	ch := a.channels[name]
	if ch == nil {
		return
	}
	for _, s := range ch.members {
		s.c.enqueueJSON(wire.GoingAway{Type: wire.TypeGoingAway})
		s.c.closeAfterFlush(wire.CloseGoingAway, "history lost: reconnect to recover")
	}
}

// streamName turns the cluster's subject into a stream name.
func streamName(subject string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, subject)) + "_HISTORY"
}

// catchUp waits until the node has applied the stream up to last (or the
// stream no longer holds it), then ends the warm-up.
func (j *journal) catchUp(ctx context.Context, st jetstream.Stream, last uint64) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for i := 0; j.applied.Load() < last; i++ {
		select {
		case <-ctx.Done():
			return fmt.Errorf("history stream: read %d of %d messages before the deadline: %w", j.applied.Load(), last, ctx.Err())
		case <-t.C:
		}
		if i%100 == 99 {
			if info, err := st.Info(ctx); err == nil && info.State.FirstSeq > last {
				break
			}
		}
	}
	j.warm.Store(true)
	return nil
}

// floorForNew is the floor of a history created now (see history.floor).
func (j *journal) floorForNew() uint64 {
	if !j.warm.Load() {
		return j.startFloor.Load()
	}
	return j.applied.Load()
}

// historySubject is the stream subject of a channel of an app.
func historySubject(prefix, app, channel string) string {
	return prefix + "." + base64.RawURLEncoding.EncodeToString([]byte(app)) + "." + base64.RawURLEncoding.EncodeToString([]byte(channel))
}

// publish stores a publication in the stream. A connection is acked (or
// told the error) once the stream answers; a REST publish (from nil) waits
// for it.
//
// It counts itself in flight before it looks at draining, and Shutdown sets
// draining before close looks at the count: so a publish that Shutdown's
// close does not wait for sees draining and is refused.
func (j *journal) publish(a *app, from *conn, msg wire.Message, meta json.RawMessage, requestID string) error {
	j.inflight.Add(1)
	if j.hub.srv.draining.Load() {
		j.inflight.Add(-1)
		j.hub.srv.metrics.drops.WithLabelValues("shutdown").Inc()
		return errShuttingDown
	}
	data, err := json.Marshal(journalEntry{App: a.id, Channel: msg.Channel, From: msg.From, Node: j.node, Meta: meta, Data: msg.Data})
	if err != nil {
		j.inflight.Add(-1)
		return err
	}
	m := &nats.Msg{Subject: historySubject(j.prefix, a.id, msg.Channel), Data: data}
	if from == nil {
		defer j.inflight.Add(-1)
		ctx, cancel := context.WithTimeout(context.Background(), journalAckTimeout)
		defer cancel()
		ack, err := j.js.PublishMsg(ctx, m)
		if err != nil {
			return fmt.Errorf("history stream: %w", err)
		}
		j.noteAcked(ack.Sequence)
		return nil
	}
	fut, err := j.js.PublishMsgAsync(m)
	if err != nil {
		j.inflight.Add(-1)
		from.sendError(&wire.FrameError{Code: wire.ErrInternalError, Message: "history stream unavailable: " + err.Error(), RequestID: requestID})
		return err
	}
	select {
	case j.acks <- pendingAck{fut: fut, c: from, requestID: requestID}:
	case <-j.stop:
		j.inflight.Add(-1)
	}
	return nil
}

// noteAcked records that the stream stored seq for a publisher of this node.
func (j *journal) noteAcked(seq uint64) {
	for {
		cur := j.maxAcked.Load()
		if seq <= cur || j.maxAcked.CompareAndSwap(cur, seq) {
			return
		}
	}
}

// acker answers the connections' publishes in order as the stream acks
// them.
func (j *journal) acker() {
	for {
		var p pendingAck
		select {
		case <-j.stop:
			return
		case p = <-j.acks:
		}
		select {
		case <-j.stop:
			return
		case ack := <-p.fut.Ok():
			j.noteAcked(ack.Sequence)
			p.c.ack(p.requestID)
		case err := <-p.fut.Err():
			p.c.sendError(&wire.FrameError{Code: wire.ErrInternalError, Message: "message not stored: " + err.Error(), RequestID: p.requestID})
		}
		j.inflight.Add(-1)
	}
}

// apply applies one message of the stream (the callback of consumer gen,
// called in stream order).
func (j *journal) apply(m jetstream.Msg, gen uint64) {
	j.applyMu.Lock()
	defer j.applyMu.Unlock()
	if gen != j.gen {
		return // from a consumer stopped since
	}
	md, err := m.Metadata()
	if err != nil {
		j.log.Warn("cluster: history message without metadata", "err", err)
		return
	}
	seq := md.Sequence.Stream
	j.streamLast.Store(max(j.streamLast.Load(), seq+md.NumPending))
	if prev := j.applied.Load(); seq > prev+1 {
		j.historyGap(prev, seq)
	}
	var e journalEntry
	if err := json.Unmarshal(m.Data(), &e); err != nil || e.App == "" || e.Channel == "" {
		j.log.Warn("cluster: bad history message skipped", "seq", seq, "err", err)
		j.applied.Store(seq)
		return
	}
	// The backlog read at start was counted by the nodes that took it.
	j.hub.applyJournal(e, seq, md.Timestamp, e.Node != j.node && j.warm.Load())
}

// historyGap handles publications the stream removed before this node read
// them (positions prev+1 to seq-1: it fell further behind than the stream
// keeps, or they expired while it read the stream at start): no history
// vouches for them any more, and the subscribers of channels with history,
// who may have missed some, are sent away to recover.
func (j *journal) historyGap(prev, seq uint64) {
	if j.warm.Load() {
		j.log.Error("cluster: the history stream dropped publications before this node read them", "from", prev+1, "to", seq-1)
	} else {
		j.startFloor.Store(max(j.startFloor.Load(), seq-1))
	}
	j.applied.Store(seq - 1) // histories created from now on start past the hole
	j.sendAway(func(a *app) {
		for _, hs := range a.histories {
			hs.mu.Lock()
			hs.floor = max(hs.floor, seq-1)
			hs.mu.Unlock()
		}
	})
}

// applyJournal records a publication read from the stream under offset seq
// and fans it out (never to its publisher); count says another node
// accepted it just now, so it counts against the app's quota here too.
func (h *hub) applyJournal(e journalEntry, seq uint64, at time.Time, count bool) {
	a := h.app(e.App)
	if count && e.From != serverPeerID {
		a.quota.count(time.Now(), true)
	}
	msg := wire.Message{Type: wire.TypeMessage, Channel: e.Channel, From: e.From, Data: e.Data}
	a.mu.RLock()
	defer a.mu.RUnlock()
	defer h.journal.applied.Store(seq)
	from := a.peers[e.From]
	hs := h.historyFor(a, e.Channel, true)
	if hs == nil { // this node's [[channels]] differ from the publisher's
		if frame, err := encodeFrame(msg); err == nil {
			fanOutLocked(a, from, frame, msg, e.Meta)
		}
		return
	}
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if seq <= hs.last {
		return // already applied (the consumer was recreated)
	}
	if err := recordLocked(a, hs, from, msg, e.Meta, seq, at); err != nil {
		h.srv.log.Warn("cluster: history message not delivered", "seq", seq, "err", err)
	}
}

// close stops the journal. graceful (the server is draining) first waits,
// at most journalAckTimeout, for the publishes in flight to be answered and
// for what this node acked to be applied, so that it reaches the local
// subscribers before they are closed.
func (j *journal) close(graceful bool) {
	j.once.Do(func() {
		if graceful {
			deadline := time.Now().Add(journalAckTimeout)
			for (j.inflight.Load() > 0 || j.applied.Load() < j.maxAcked.Load()) && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
		}
		close(j.stop)
		j.cancel()
		j.wg.Wait()
		j.stopConsumer()
		j.nc.Close()
	})
}

// errNoJetStream explains a NATS server without JetStream.
var errNoJetStream = errors.New("channel history in a cluster needs JetStream on the NATS server (nats-server -js), or [cluster] embedded = true")
