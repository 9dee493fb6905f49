package peer

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sync"

	"github.com/pion/webrtc/v4"

	"github.com/rkat-dev/rkat/realtime/signalling"
)

// RemotePeer is another member of the joined channel. The object stays the
// same across a signalling reconnect while its connection is swapped.
// Events: StateChange, Track, StreamAdded, StreamRemoved, DataChannelOpened,
// NegotiationError, IceCandidateError, ConnectionReset. Its emitter holds
// events until the first handler is registered.
type RemotePeer struct {
	peer   *Peer
	id     string
	polite bool
	em     *signalling.Emitter

	mu        sync.Mutex
	metadata  json.RawMessage
	conn      *connection
	state     State
	closed    bool
	trackMeta map[string]json.RawMessage
	metaOrder []string
	live      map[string]liveTrack                  // remote track id → where it lives
	streams   map[string]int                        // stream id → live track count
	own       map[webrtc.TrackLocal]json.RawMessage // tracks sent to this remote only, with metadata
}

// liveTrack records a remote track on the current connection.
type liveTrack struct {
	streamID    string
	transceiver *webrtc.RTPTransceiver
}

// ID returns the remote peer id.
func (r *RemotePeer) ID() string { return r.id }

// Polite reports this side's politeness toward the remote (local id < remote id).
func (r *RemotePeer) Polite() bool { return r.polite }

// Emitter returns the remote peer's event emitter.
func (r *RemotePeer) Emitter() *signalling.Emitter { return r.em }

// Metadata returns the remote's presence metadata (its peerMetadata), nil
// for publishable-key peers.
func (r *RemotePeer) Metadata() json.RawMessage {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.metadata
}

// State returns the connection state toward this remote.
func (r *RemotePeer) State() State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

// PC returns the current pion PeerConnection (escape hatch; it changes
// across reconnects).
func (r *RemotePeer) PC() *webrtc.PeerConnection {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conn == nil {
		return nil
	}
	return r.conn.pc
}

// Send sends data to this remote through the server (Peer.SendTo).
func (r *RemotePeer) Send(ctx context.Context, data any) error {
	return r.peer.SendTo(ctx, r.id, data)
}

// CreateDataChannel opens a data channel on the current connection, which
// starts (re)negotiation. The channel dies with the connection.
func (r *RemotePeer) CreateDataChannel(label string, init *webrtc.DataChannelInit, opts DataChannelOptions) (*DataChannel, error) {
	c := r.current()
	if c == nil {
		return nil, &StateError{ErrCode: CodeInvalidState, Method: "CreateDataChannel", State: StateClosed}
	}
	dc, err := c.pc.CreateDataChannel(label, init)
	if err != nil {
		return nil, fmt.Errorf("peer: create data channel: %w", err)
	}
	if init == nil {
		init = &webrtc.DataChannelInit{}
	}
	return c.adopt(dc, opts, init), nil
}

// AddTrack sends track to this remote only (e.g. an echo back to its
// sender), announcing metadata first when non-nil. Unlike Peer.AddTrack it
// is not re-attached after a reconnect.
func (r *RemotePeer) AddTrack(track webrtc.TrackLocal, metadata json.RawMessage) error {
	c := r.current()
	if c == nil {
		return &StateError{ErrCode: CodeInvalidState, Method: "AddTrack", State: StateClosed}
	}
	r.mu.Lock()
	r.own[track] = metadata
	r.mu.Unlock()
	c.addTrack(track, metadata)
	return nil
}

// RemoveTrack detaches a track added with RemotePeer.AddTrack.
func (r *RemotePeer) RemoveTrack(track webrtc.TrackLocal) {
	r.mu.Lock()
	meta, ok := r.own[track]
	delete(r.own, track)
	c := r.conn
	r.mu.Unlock()
	if ok && c != nil {
		c.removeTrack(track, meta != nil)
	}
}

func (r *RemotePeer) current() *connection {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	return r.conn
}

// isCurrent reports whether c is the live connection; events of replaced
// connections are ignored.
func (r *RemotePeer) isCurrent(c *connection) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !r.closed && r.conn == c
}

func (r *RemotePeer) setState(next State) {
	r.mu.Lock()
	if r.state == next {
		r.mu.Unlock()
		return
	}
	from := r.state
	r.state = next
	r.mu.Unlock()
	r.em.Emit(StateChange{From: from, To: next})
}

// fromState forwards a connection state, hiding the "connecting" hop while
// reconnecting.
func (r *RemotePeer) fromState(c *connection, next State) {
	if !r.isCurrent(c) {
		return
	}
	if next == StateConnecting && r.State() == StateReconnecting {
		return
	}
	r.setState(next)
}

func (r *RemotePeer) setTrackMeta(m trackMeta) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if m.metadata == nil {
		delete(r.trackMeta, m.trackID)
		return
	}
	if _, ok := r.trackMeta[m.trackID]; !ok {
		if len(r.metaOrder) >= maxTrackMetaEntries {
			delete(r.trackMeta, r.metaOrder[0])
			r.metaOrder = r.metaOrder[1:]
		}
		r.metaOrder = append(r.metaOrder, m.trackID)
	}
	r.trackMeta[m.trackID] = m.metadata
}

// fromTrack surfaces a remote track and, for the first track of a stream,
// StreamAdded.
func (r *RemotePeer) fromTrack(c *connection, t *webrtc.TrackRemote, rcv *webrtc.RTPReceiver) {
	var tr *webrtc.RTPTransceiver
	for _, x := range c.pc.GetTransceivers() {
		if x.Receiver() == rcv {
			tr = x
		}
	}
	r.mu.Lock()
	if r.closed || r.conn != c {
		r.mu.Unlock()
		return
	}
	meta := r.trackMeta[t.ID()]
	stream := t.StreamID()
	r.live[t.ID()] = liveTrack{streamID: stream, transceiver: tr}
	r.streams[stream]++
	first := r.streams[stream] == 1
	r.mu.Unlock()
	r.em.Emit(Track{Track: t, Receiver: rcv, StreamID: stream, Metadata: meta})
	if first {
		r.em.Emit(StreamAdded{StreamID: stream, Metadata: meta})
	}
}

// afterRemoteDescription drops remote tracks the remote stopped sending and
// emits StreamRemoved for streams left empty.
func (r *RemotePeer) afterRemoteDescription(c *connection) {
	var removed []string
	r.mu.Lock()
	if r.conn != c {
		r.mu.Unlock()
		return
	}
	for id, lt := range r.live {
		if lt.transceiver == nil {
			continue
		}
		d := lt.transceiver.Direction()
		if d == webrtc.RTPTransceiverDirectionRecvonly || d == webrtc.RTPTransceiverDirectionSendrecv {
			continue
		}
		delete(r.live, id)
		r.streams[lt.streamID]--
		if r.streams[lt.streamID] <= 0 {
			delete(r.streams, lt.streamID)
			removed = append(removed, lt.streamID)
		}
	}
	r.mu.Unlock()
	for _, s := range removed {
		r.em.Emit(StreamRemoved{StreamID: s})
	}
}

func (r *RemotePeer) fromDataChannel(c *connection, dc *webrtc.DataChannel) {
	if !r.isCurrent(c) {
		return
	}
	r.em.Emit(DataChannelOpened{Channel: c.adopt(dc, r.peer.cfg.DataChannel, nil)})
}

// rebuildForOffer answers a colliding remote offer on a fresh connection
// (the polite side of perfect negotiation, since pion has no local
// rollback). Local tracks and locally created data channels move over.
func (r *RemotePeer) rebuildForOffer(old *connection, offer webrtc.SessionDescription) {
	p := r.peer
	p.mu.Lock()
	next, err := p.newConnectionLocked(r, &offer)
	p.mu.Unlock()
	if err != nil {
		old.negotiationError(err)
		return
	}
	r.mu.Lock()
	if r.closed || r.conn != old {
		r.mu.Unlock()
		p.bg.Go(next.close)
		return
	}
	r.conn = next
	own := maps.Clone(r.own)
	r.mu.Unlock()
	for t, meta := range own {
		next.addTrack(t, meta)
	}
	old.moveChannels(next)
	p.bg.Go(old.close)
}

// swap installs c as the connection (reconcile), reports ConnectionReset
// and returns the old connection for the caller to close.
func (r *RemotePeer) swap(c *connection) *connection {
	r.mu.Lock()
	old := r.conn
	r.conn = c
	clear(r.live)
	clear(r.streams)
	clear(r.own)
	r.mu.Unlock()
	r.em.Emit(ConnectionReset{})
	return old
}

// close tears the connection down and moves to closed.
func (r *RemotePeer) close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	c := r.conn
	r.mu.Unlock()
	if c != nil {
		c.close()
	}
	r.mu.Lock()
	from := r.state
	r.state = StateClosed
	r.mu.Unlock()
	if from != StateClosed {
		r.em.Emit(StateChange{From: from, To: StateClosed})
	}
	r.em.Close()
}
