package realtime

import (
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// hub routes frames between the connections of each app: channel
// membership, presence, the peer directory and fan-out. What it does to its
// own connections it also hands to its broker, which carries it to the other
// nodes of a cluster; what other nodes did arrives through receive (see
// broker.go).
type hub struct {
	srv    *Server
	broker broker
	// journal orders and keeps the publications of channels with history
	// in a cluster (history_jetstream.go); nil on a single node.
	journal *journal
	mu      sync.Mutex
	apps    map[string]*app
}

// app is one tenant: its channels and online peers.
type app struct {
	id       string
	maxConns int
	quota    *quota

	mu       sync.RWMutex
	channels map[string]*channel
	peers    map[string]*conn
	conns    int
	// remote holds the peers connected to other nodes (see broker.go).
	remote remoteRoster

	// histories are the channels' histories (history.go), guarded by
	// histMu; taken after mu.
	histMu    sync.RWMutex
	histories map[string]*history
}

// channel is the members of one channel in join order.
type channel struct {
	members []*subscription
	index   map[*conn]int
}

func (ch *channel) add(s *subscription) {
	ch.index[s.c] = len(ch.members)
	ch.members = append(ch.members, s)
}

func (ch *channel) remove(c *conn) {
	i, ok := ch.index[c]
	if !ok {
		return
	}
	last := len(ch.members) - 1
	ch.members[i] = ch.members[last]
	ch.index[ch.members[i].c] = i
	ch.members[last] = nil
	ch.members = ch.members[:last]
	delete(ch.index, c)
}

func newHub(srv *Server) *hub {
	return &hub{srv: srv, broker: localBroker{}, apps: map[string]*app{}}
}

// app returns the app with id, creating it on first use.
func (h *hub) app(id string) *app {
	h.mu.Lock()
	defer h.mu.Unlock()
	a := h.apps[id]
	if a == nil {
		a = &app{
			id:       id,
			quota:    &quota{period: time.Duration(h.srv.limits.QuotaPeriod)},
			channels: map[string]*channel{},
			peers:    map[string]*conn{},
			remote:   newRemoteRoster(),
		}
		a.configure(h.srv.limits, h.srv.auth.Load().apps[id])
		h.apps[id] = a
	}
	return a
}

// configure applies the limits of an app's configuration. For a live app
// a.mu is held.
func (a *app) configure(lim Limits, ac AppConfig) {
	a.maxConns = lim.MaxConnections
	if ac.MaxConnections > 0 {
		a.maxConns = ac.MaxConnections
	}
	limit := lim.MessageQuota
	if ac.MessageQuota > 0 {
		limit = ac.MessageQuota
	}
	a.quota.setLimit(limit)
}

// reconfigure applies a new configuration to the live apps and closes every
// connection it revokes (see authenticator.revoked), after telling it why.
// The revoked are closing before any of them is detached, so they are not
// told of each other leaving. Connections registering meanwhile are checked
// against auth by register.
func (h *hub) reconfigure(auth *authenticator) {
	for _, a := range h.allApps() {
		a.mu.Lock()
		a.configure(h.srv.limits, auth.apps[a.id])
		var revoked []*conn
		for _, c := range a.peers {
			code, errCode, reason := auth.revoked(&c.id)
			if code == 0 {
				continue
			}
			c.sendError(&wire.FrameError{Code: errCode, Message: reason})
			c.closeAfterFlush(code, reason)
			revoked = append(revoked, c)
		}
		for _, c := range revoked {
			h.detachLocked(a, c)
		}
		a.mu.Unlock()
		if len(revoked) > 0 {
			h.srv.log.Info("connections revoked by reload", "app", a.id, "count", len(revoked))
		}
	}
}

// allApps returns every app.
func (h *hub) allApps() []*app {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*app, 0, len(h.apps))
	for _, a := range h.apps {
		out = append(out, a)
	}
	return out
}

// barrier waits until no hub operation that started before it is running.
func (h *hub) barrier() {
	for _, a := range h.allApps() {
		a.mu.Lock()
		a.mu.Unlock() //nolint:staticcheck // empty critical section is the barrier
	}
}

// register adds a connection to its app and queues its welcome, so that no
// other frame can precede it. A connection with the same peer id is detached
// and closed with 4020 (newest wins). It returns a close code and reason when
// the connection must be refused.
func (h *hub) register(c *conn, welcome []byte) (int, string) {
	a := h.app(c.id.app)
	a.mu.Lock()
	defer a.mu.Unlock()
	if h.srv.draining.Load() {
		return wire.CloseGoingAway, "server shutting down"
	}
	if code, _, reason := h.srv.auth.Load().revoked(&c.id); code != 0 {
		return code, reason // the configuration changed since c authenticated
	}
	old := a.peers[c.id.peerID]
	if old == nil && a.conns+len(a.remote.peers) >= a.maxConns {
		return wire.CloseOverConcurrent, "too many concurrent connections"
	}
	if old != nil {
		h.detachLocked(a, old)
		old.closeAfterFlush(wire.CloseAdminDisconnect, "replaced by newer connection")
	}
	c.app = a
	a.peers[c.id.peerID] = c
	a.conns++
	h.srv.metrics.connections.Inc()
	c.enqueue(welcome)
	h.broker.send(event{Kind: evOnline, App: a.id, Peer: c.id.peerID, Meta: c.id.peerMetadata, Presence: c.id.perms&permPresence != 0})
	return 0, ""
}

// detach removes c from its app: channels (announcing left) and the peer
// directory. It is idempotent.
func (h *hub) detach(c *conn) {
	a := c.app
	if a == nil {
		return
	}
	a.mu.Lock()
	h.detachLocked(a, c)
	a.mu.Unlock()
}

func (h *hub) detachLocked(a *app, c *conn) {
	if c.detached {
		return
	}
	c.detached = true
	if a.peers[c.id.peerID] == c {
		delete(a.peers, c.id.peerID)
	}
	a.conns--
	h.srv.metrics.connections.Dec()
	for name := range c.subs {
		h.leaveLocked(a, c, name)
	}
	c.subs = nil
	h.broker.send(event{Kind: evOffline, App: a.id, Peer: c.id.peerID})
}

// leaveLocked removes c from one channel and tells the remaining members.
func (h *hub) leaveLocked(a *app, c *conn, name string) {
	ch := a.channels[name]
	delete(c.subs, name)
	h.srv.metrics.subscriptions.Dec()
	if ch == nil {
		return
	}
	ch.remove(c)
	h.broker.send(event{Kind: evLeave, App: a.id, Channel: name, Peer: c.id.peerID})
	if len(ch.members) == 0 {
		delete(a.channels, name)
		return
	}
	if c.id.perms&permPresence != 0 && !h.srv.draining.Load() {
		announceLocked(ch, wire.Presence{Type: wire.TypePresence, Channel: name, Left: []wire.PresenceEntry{c.entry}})
	}
}

// announceLocked queues a presence frame to every member of ch that may see
// presence.
func announceLocked(ch *channel, p wire.Presence) {
	if ch == nil || len(ch.members) == 0 {
		return
	}
	frame, err := encodeFrame(p)
	if err != nil {
		return
	}
	for _, s := range ch.members {
		if s.c.id.perms&permPresence != 0 {
			s.c.enqueue(frame)
		}
	}
}

// subscribe joins c to a channel in the order spec §6 requires: joined to
// the other members, then the ack, then a full snapshot to c.
//
// With since (history extension) the ack says whether the publications
// after it were recovered; those follow the snapshot, before any new one.
// A re-subscribe ignores since: it has missed nothing.
func (h *hub) subscribe(c *conn, name string, withMeta bool, since *wire.Since, requestID string) *wire.FrameError {
	a := c.app
	a.mu.Lock()
	defer a.mu.Unlock()
	if c.detached {
		return nil
	}
	presence := c.id.perms&permPresence != 0
	if s := c.subs[name]; s != nil {
		s.withMeta = withMeta
		h.subscribeAckLocked(a, c, name, nil, requestID)
		if presence {
			h.snapshotLocked(a, c, name)
		}
		return nil
	}
	if len(c.subs) >= h.srv.limits.MaxSubscriptions {
		return &wire.FrameError{Code: wire.ErrChannelLimitExceeded, Message: "too many subscriptions on this connection"}
	}
	ch := a.channels[name]
	if ch == nil {
		ch = &channel{index: map[*conn]int{}}
		a.channels[name] = ch
	}
	if presence {
		announceLocked(ch, wire.Presence{Type: wire.TypePresence, Channel: name, Joined: []wire.PresenceEntry{c.entry}})
	}
	h.broker.send(event{Kind: evJoin, App: a.id, Channel: name, Peer: c.id.peerID})
	s := &subscription{c: c, withMeta: withMeta}
	ch.add(s)
	if c.subs == nil {
		c.subs = map[string]*subscription{}
	}
	c.subs[name] = s
	h.srv.metrics.subscriptions.Inc()
	replay, epoch := h.subscribeAckLocked(a, c, name, since, requestID)
	if presence {
		h.snapshotLocked(a, c, name)
	}
	replayLocked(c, name, epoch, replay, withMeta)
	return nil
}

// subscribeAckLocked acks a subscribe. On a channel with history the ack
// carries its epoch and last offset and, when since is set, whether the
// publications after since can be recovered: those it returns, for
// replayLocked, and the epoch. Holding a.mu excludes publishes, so nothing
// is queued between the replay and the ack's offset.
func (h *hub) subscribeAckLocked(a *app, c *conn, name string, since *wire.Since, requestID string) ([]publication, string) {
	hs := h.historyFor(a, name, true)
	if hs == nil {
		if since != nil {
			c.enqueueJSON(wire.Ack{Type: wire.TypeAck, RequestID: requestID, Recovered: new(bool), Reason: wire.ReasonHistoryDisabled})
		} else {
			c.ack(requestID)
		}
		return nil, ""
	}
	hs.mu.Lock()
	defer hs.mu.Unlock()
	pos := h.position(hs)
	ack := wire.Ack{Type: wire.TypeAck, RequestID: requestID, Epoch: hs.epoch, Offset: pos}
	var replay []publication
	if since != nil {
		var reason string
		switch {
		case since.Offset <= pos:
			replay, reason = hs.recoverLocked(*since, time.Now())
		case h.journal == nil || since.Epoch != hs.epoch || since.Offset > h.journal.streamLast.Load():
			reason = wire.ReasonEpochChanged // no such offset in this epoch, as far as this node knows
		default:
			// Another node has applied more of the stream than this one:
			// nothing to replay, and what this node has yet to apply up
			// to since the client has already seen.
			c.subs[name].after = since.Offset
			ack.Offset = since.Offset
		}
		recovered := reason == ""
		ack.Recovered, ack.Reason = &recovered, reason
	}
	c.enqueueJSON(ack)
	return replay, hs.epoch
}

// replayLocked queues recovered publications to c in order, skipping its
// own (a publisher never receives its messages).
func replayLocked(c *conn, name, epoch string, pubs []publication, withMeta bool) {
	for _, p := range pubs {
		if p.From == c.id.peerID {
			continue
		}
		msg := wire.Message{Type: wire.TypeMessage, Channel: name, From: p.From, Data: p.Data, Offset: p.Offset, Epoch: epoch}
		if withMeta {
			msg.FromMetadata = p.FromMetadata
		}
		c.enqueueJSON(msg)
	}
}

// snapshotLocked sends c every other visible member of a channel, on every
// node.
func (h *hub) snapshotLocked(a *app, c *conn, name string) {
	c.enqueueJSON(wire.Presence{Type: wire.TypePresence, Channel: name, Joined: membersLocked(a, name, c.id.peerID)})
}

// membersLocked lists the visible members of a channel on every node, except
// the peer skip.
func membersLocked(a *app, name, skip string) []wire.PresenceEntry {
	out := []wire.PresenceEntry{}
	if ch := a.channels[name]; ch != nil {
		for _, s := range ch.members {
			if s.c.id.peerID != skip && s.c.id.perms&permPresence != 0 {
				out = append(out, s.c.entry)
			}
		}
	}
	for id, p := range a.remote.channels[name] {
		if id != skip && p.presence && a.peers[id] == nil {
			out = append(out, p.entry)
		}
	}
	return out
}

// unsubscribe removes c from a channel (idempotent).
func (h *hub) unsubscribe(c *conn, name string) {
	a := c.app
	a.mu.Lock()
	defer a.mu.Unlock()
	if c.subs[name] != nil {
		h.leaveLocked(a, c, name)
	}
}

// errShuttingDown refuses a publish while the server shuts down.
var errShuttingDown = errors.New("realtime: server shutting down")

// publish fans data out to every subscriber of a channel except the sender
// (nil for server-side publishes, which come from serverPeerID), encoding
// each frame variant once. The sender's ack is queued after the fan-out, so
// an acked message is already in every subscriber's queue. In a cluster, a
// channel with history goes through the journal instead, which acks once
// the stream has stored the message. The error says why a message was not
// accepted (errShuttingDown, or the journal's); a connection has been told.
func (h *hub) publish(a *app, from *conn, name string, data json.RawMessage, requestID string) error {
	msg := wire.Message{Type: wire.TypeMessage, Channel: name, From: serverPeerID, Data: data}
	var meta json.RawMessage
	if from != nil {
		msg.From, meta = from.id.peerID, from.id.peerMetadata
	}
	if h.journal != nil && h.srv.history.keeps(name) {
		return h.journal.publish(a, from, msg, meta, requestID)
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	if h.srv.draining.Load() {
		h.srv.metrics.drops.WithLabelValues("shutdown").Inc()
		return errShuttingDown
	}
	if err := h.deliverLocked(a, from, msg, meta); err != nil {
		if from != nil {
			from.sendError(&wire.FrameError{Code: wire.ErrInternalError, Message: "encode message", RequestID: requestID})
		}
		return err
	}
	h.broker.send(event{Kind: evPublish, App: a.id, Channel: name, Peer: msg.From, Meta: meta, Data: data})
	if from != nil {
		from.ack(requestID)
	}
	return nil
}

// deliverLocked encodes a publication once and fans it out. On a channel
// with history it first takes the next offset, holding the history's lock
// until every subscriber has the frame queued.
func (h *hub) deliverLocked(a *app, from *conn, msg wire.Message, meta json.RawMessage) error {
	if hs := h.historyFor(a, msg.Channel, true); hs != nil {
		hs.mu.Lock()
		defer hs.mu.Unlock()
		return recordLocked(a, hs, from, msg, meta, hs.last+1, time.Now())
	}
	frame, err := encodeFrame(msg)
	if err != nil {
		return err
	}
	fanOutLocked(a, from, frame, msg, meta)
	return nil
}

// recordLocked records a publication in hs under offset and fans it out.
// a.mu (read) and hs.mu are held.
func recordLocked(a *app, hs *history, from *conn, msg wire.Message, meta json.RawMessage, offset uint64, at time.Time) error {
	msg.Offset, msg.Epoch = offset, hs.epoch
	frame, err := encodeFrame(msg)
	if err != nil {
		return err
	}
	hs.appendLocked(publication{Offset: offset, From: msg.From, Data: msg.Data, FromMetadata: meta, at: at})
	fanOutLocked(a, from, frame, msg, meta)
	return nil
}

// fanOutLocked queues a message frame to every subscriber of its channel
// but from, encoding the variant with the sender's metadata at most once.
// A subscriber that recovered past the message's offset skips it.
func fanOutLocked(a *app, from *conn, frame []byte, msg wire.Message, meta json.RawMessage) {
	var withMeta []byte
	var err error
	if ch := a.channels[msg.Channel]; ch != nil {
		for _, s := range ch.members {
			if s.c == from || s.after != 0 && msg.Offset <= s.after {
				continue
			}
			f := frame
			if s.withMeta && meta != nil {
				if withMeta == nil {
					msg.FromMetadata = meta
					if withMeta, err = encodeFrame(msg); err != nil {
						withMeta = frame
					}
				}
				f = withMeta
			}
			s.c.enqueue(f)
		}
	}
}

// send delivers data to one online peer of the sender's app.
func (h *hub) send(c *conn, to string, data json.RawMessage, requestID string) *wire.FrameError {
	frame, err := encodeFrame(wire.Direct{Type: wire.TypeDirect, From: c.id.peerID, Data: data, FromMetadata: c.id.peerMetadata})
	if err != nil {
		return &wire.FrameError{Code: wire.ErrInternalError, Message: "encode direct"}
	}
	a := c.app
	a.mu.RLock()
	defer a.mu.RUnlock()
	if h.srv.draining.Load() {
		h.srv.metrics.drops.WithLabelValues("shutdown").Inc()
		return nil
	}
	switch target := a.peers[to]; {
	case target != nil:
		target.enqueue(frame)
	case a.remote.peers[to] != nil:
		h.broker.send(event{Kind: evDirect, App: a.id, Peer: c.id.peerID, Meta: c.id.peerMetadata, To: to, Data: data})
	default:
		return &wire.FrameError{Code: wire.ErrPeerNotFound, Message: "peer not online: " + to}
	}
	c.ack(requestID)
	return nil
}

// members lists the visible members of a channel on every node.
func (h *hub) members(appID, name string) []wire.PresenceEntry {
	a := h.app(appID)
	a.mu.RLock()
	defer a.mu.RUnlock()
	return membersLocked(a, name, "")
}

// kick detaches a peer and closes it with 4020, on whichever node it is
// connected; it reports whether the peer was online.
func (h *hub) kick(appID, peerID string) bool {
	a := h.app(appID)
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.peers[peerID] == nil {
		if a.remote.peers[peerID] == nil {
			return false
		}
		h.broker.send(event{Kind: evKick, App: appID, Peer: peerID})
		return true
	}
	h.kickLocked(a, peerID)
	return true
}

// kickLocked closes the local peer peerID, if any, as kick does.
func (h *hub) kickLocked(a *app, peerID string) {
	c := a.peers[peerID]
	if c == nil {
		return
	}
	h.detachLocked(a, c)
	h.srv.log.Info("peer disconnected by admin", "peer", peerID, "app", a.id)
	c.closeAfterFlush(wire.CloseAdminDisconnect, "disconnected by admin")
}

// serverPeerID is the from of messages published through the REST API.
const serverPeerID = "server"

// quota counts an app's publish+send messages per period.
type quota struct {
	limit  int64
	period time.Duration

	mu    sync.Mutex
	start time.Time
	used  int64
}

// setLimit changes the limit (0 = unlimited); the current period's count
// is kept.
func (q *quota) setLimit(limit int64) {
	q.mu.Lock()
	q.limit = limit
	q.mu.Unlock()
}

// take consumes one message; false when the quota is exhausted.
func (q *quota) take(now time.Time) bool { return q.count(now, false) }

// count consumes one message; when force is false it refuses (false) once
// the quota is exhausted, when true it counts regardless (a message another
// node already accepted).
func (q *quota) count(now time.Time, force bool) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.limit <= 0 {
		return true
	}
	if now.Sub(q.start) >= q.period {
		q.start, q.used = now, 0
	}
	if q.used >= q.limit && !force {
		return false
	}
	q.used++
	return true
}
