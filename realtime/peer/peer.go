// Package peer provides WebRTC peers on pion that interoperate with browser
// peers of the @metered-ca/realtime SDK: a Peer joins one channel, discovers
// the others through presence and keeps one RemotePeer (with a pion
// PeerConnection) per remote, negotiating with the SDK's rtc-description /
// rtc-ice messages under perfect negotiation (spec §8).
package peer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"

	"github.com/rkat-dev/rkat/realtime/signalling"
	"github.com/rkat-dev/rkat/realtime/wire"
)

// Reconcile timing (spec §9.2).
const (
	reconcileDeadline      = 10 * time.Second
	maxReconcileResubcribe = 2
)

// fatalServerCodes are the uncorrelated server errors escalated to FatalError.
var fatalServerCodes = []string{
	wire.ErrAccountSuspended, wire.ErrChannelNotAuthorized, wire.ErrActionNotPermitted,
	wire.ErrInvalidToken, wire.ErrTokenExpired,
}

// Config configures a Peer.
type Config struct {
	// Signalling configures the underlying signalling client (URL, Key or
	// TokenProvider, reconnect options, ...).
	Signalling signalling.Config
	// API builds PeerConnections; nil means NewAPI's defaults with pion's
	// logs routed to Logger. A caller-built API logs through the
	// LoggerFactory of its SettingEngine (see NewLoggerFactory).
	API *webrtc.API
	// ICEServers are used until (and unless) a welcome carries iceServers.
	ICEServers []webrtc.ICEServer
	// DataChannel sets the backpressure options of inbound data channels.
	DataChannel DataChannelOptions
	// EventQueue bounds each emitter's queue (default signalling.DefaultEventQueue).
	EventQueue int
	// Logger receives debug and warning logs, and pion's logs when API is
	// nil (default: discard).
	Logger *slog.Logger
}

// JoinOptions are the options of Join.
type JoinOptions struct {
	IncludeSenderMetadata bool
}

// Peer is this side of a WebRTC mesh on one channel. Events: Joined, Left,
// StateChange, PeerJoined, PeerLeft, Data, FatalError.
type Peer struct {
	cfg    Config
	api    *webrtc.API
	client *signalling.Client
	em     *signalling.Emitter
	log    *slog.Logger
	// sendSignal carries SDP and track metadata to one remote.
	sendSignal func(ctx context.Context, to string, data any) error

	mu               sync.Mutex
	state            State
	channel          string
	joinOpts         signalling.SubscribeOptions
	localID          string
	iceServers       []webrtc.ICEServer
	peers            map[string]*RemotePeer
	tracks           []localTrack
	reconcilePending bool
	reconcileTimer   *time.Timer
	reconcileResubs  int
	shut             bool // Close ran
	bg               sync.WaitGroup
}

// localTrack is a track added with AddTrack, attached to every remote.
type localTrack struct {
	track    webrtc.TrackLocal
	metadata json.RawMessage
}

// NewAPI returns a pion API with the codecs browsers share with a pure-Go
// stack (PCMU and PCMA audio, VP8 video) and pion's default interceptors.
// se nil means pion's defaults plus loopback candidates (so peers on one
// host without other interfaces still connect). pion's logs go to
// se.LoggerFactory, discarded when it (or se) is nil. The answering DTLS role is
// always set to server: pion answers every offer with its configured role,
// also in renegotiations, and browsers (which answer an initial offer as the
// DTLS client) break the session when a later answer flips the role.
func NewAPI(se *webrtc.SettingEngine) (*webrtc.API, error) {
	var s webrtc.SettingEngine
	if se != nil {
		s = *se
	} else {
		s.SetIncludeLoopbackCandidate(true)
	}
	if s.LoggerFactory == nil {
		s.LoggerFactory = NewLoggerFactory(nil)
	}
	if err := s.SetAnsweringDTLSRole(webrtc.DTLSRoleServer); err != nil {
		return nil, fmt.Errorf("peer: dtls role: %w", err)
	}
	m := &webrtc.MediaEngine{}
	codecs := []struct {
		kind webrtc.RTPCodecType
		p    webrtc.RTPCodecParameters
	}{
		{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMU, ClockRate: 8000, Channels: 1}, PayloadType: 0}},
		{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMA, ClockRate: 8000, Channels: 1}, PayloadType: 8}},
		{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, PayloadType: 96}},
	}
	for _, c := range codecs {
		if err := m.RegisterCodec(c.p, c.kind); err != nil {
			return nil, fmt.Errorf("peer: register codec: %w", err)
		}
	}
	ir := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(m, ir); err != nil {
		return nil, fmt.Errorf("peer: interceptors: %w", err)
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(s)), nil
}

// New creates an idle Peer and its signalling client; Close releases both.
func New(cfg Config) (*Peer, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	api := cfg.API
	if api == nil {
		var s webrtc.SettingEngine
		s.SetIncludeLoopbackCandidate(true)
		s.LoggerFactory = NewLoggerFactory(log)
		var err error
		if api, err = NewAPI(&s); err != nil {
			return nil, err
		}
	}
	if cfg.Signalling.EventQueue == 0 {
		cfg.Signalling.EventQueue = cfg.EventQueue
	}
	if cfg.Signalling.Logger == nil {
		cfg.Signalling.Logger = cfg.Logger
	}
	client, err := signalling.New(cfg.Signalling)
	if err != nil {
		return nil, err
	}
	p := &Peer{
		cfg:        cfg,
		api:        api,
		client:     client,
		em:         signalling.NewEmitter(cfg.EventQueue),
		log:        log,
		state:      StateIdle,
		iceServers: cfg.ICEServers,
		peers:      make(map[string]*RemotePeer),
	}
	p.sendSignal = client.Send
	signalling.On(client, p.onConnected)
	signalling.On(client, p.onDisconnected)
	signalling.On(client, p.onPresence)
	signalling.On(client, p.onDirect)
	signalling.On(client, p.onMessage)
	signalling.On(client, p.onServerError)
	signalling.On(client, p.onTokenProviderError)
	return p, nil
}

// Emitter returns the peer's event emitter.
func (p *Peer) Emitter() *signalling.Emitter { return p.em }

// Client returns the underlying signalling client (for its events, e.g.
// Disconnected codes).
func (p *Peer) Client() *signalling.Client { return p.client }

// State returns the peer state.
func (p *Peer) State() State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state
}

// PeerID returns the local peer id ("" before the first welcome).
func (p *Peer) PeerID() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.localID
}

// Channel returns the joined channel ("" when not joined).
func (p *Peer) Channel() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.channel
}

// RemotePeers returns a snapshot of the known remote peers.
func (p *Peer) RemotePeers() []*RemotePeer {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*RemotePeer, 0, len(p.peers))
	for _, r := range p.peers {
		out = append(out, r)
	}
	return out
}

// RemotePeer returns the remote with the given id, or nil.
func (p *Peer) RemotePeer(id string) *RemotePeer {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peers[id]
}

func (p *Peer) setStateLocked(next State) *StateChange {
	if p.state == next {
		return nil
	}
	ev := &StateChange{From: p.state, To: next}
	p.state = next
	return ev
}

func (p *Peer) emitState(ev *StateChange) {
	if ev != nil {
		p.em.Emit(*ev)
	}
}

// Join connects (if needed) and subscribes to channel; it returns once the
// subscription is acknowledged. Remote peers arrive afterwards as PeerJoined.
func (p *Peer) Join(ctx context.Context, channel string, opts JoinOptions) error {
	if wire.IsReserved(channel) {
		return &SendError{ErrCode: CodeReservedChannel, Msg: fmt.Sprintf("channel %q uses a reserved prefix", channel)}
	}
	if err := wire.ValidateChannel(channel); err != nil {
		return &SendError{ErrCode: CodeInvalidArgs, Msg: err.Error()}
	}
	p.mu.Lock()
	if p.state != StateIdle {
		st := p.state
		p.mu.Unlock()
		return &StateError{ErrCode: CodeInvalidState, Method: "Join", State: st}
	}
	ev := p.setStateLocked(StateJoining)
	// The channel is recorded before subscribing so the presence snapshot,
	// which may be dispatched before Subscribe returns, is not dropped.
	p.channel = channel
	p.joinOpts = signalling.SubscribeOptions{IncludeSenderMetadata: opts.IncludeSenderMetadata}
	p.mu.Unlock()
	p.emitState(ev)

	err := p.join(ctx, channel)
	p.mu.Lock()
	if err != nil {
		p.channel = ""
		ev = nil
		if p.state == StateJoining {
			ev = p.setStateLocked(StateIdle)
		}
		p.mu.Unlock()
		p.emitState(ev)
		return err
	}
	ev = p.setStateLocked(StateJoined)
	if p.localID == "" { // the Connected event may still be queued
		p.localID = p.client.PeerID()
	}
	id := p.localID
	p.mu.Unlock()
	p.emitState(ev)
	p.em.Emit(Joined{PeerID: id, Channel: channel})
	return nil
}

func (p *Peer) join(ctx context.Context, channel string) error {
	if st := p.client.State(); st == signalling.StateIdle || st == signalling.StateClosed {
		if err := p.client.Connect(ctx); err != nil {
			return err
		}
	}
	p.mu.Lock()
	opts := p.joinOpts
	p.mu.Unlock()
	if err := p.client.Subscribe(ctx, channel, opts); err != nil {
		p.bg.Go(func() {
			uctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			_ = p.client.Unsubscribe(uctx, channel)
		})
		return err
	}
	return nil
}

// Close leaves the channel, closes every connection and the signalling
// client, and emits Left. Close is terminal and idempotent.
func (p *Peer) Close() error {
	p.mu.Lock()
	if p.shut {
		p.mu.Unlock()
		return nil
	}
	p.shut = true
	st := p.state
	ev := p.setStateLocked(StateLeaving)
	p.stopReconcileLocked()
	peers := p.peers
	p.peers = make(map[string]*RemotePeer)
	p.tracks = nil
	p.mu.Unlock()
	if st != StateClosed {
		p.emitState(ev)
	}
	for _, r := range peers {
		r.close()
		p.em.Emit(PeerLeft{Peer: r})
	}
	err := p.client.Close()
	p.bg.Wait()
	p.mu.Lock()
	id, ch := p.localID, p.channel
	p.channel = ""
	ev = p.setStateLocked(StateClosed)
	p.mu.Unlock()
	if st != StateClosed {
		p.emitState(ev)
		if st != StateIdle {
			p.em.Emit(Left{PeerID: id, Channel: ch, Reason: "closed"})
		}
	}
	p.em.Close()
	return err
}

// Send broadcasts data to the channel (server-routed publish).
func (p *Peer) Send(ctx context.Context, data any) error {
	ch, raw, err := p.checkSend("Send", data)
	if err != nil {
		return err
	}
	return p.client.Publish(ctx, ch, raw)
}

// SendTo sends data to one peer (server-routed send).
func (p *Peer) SendTo(ctx context.Context, peerID string, data any) error {
	if peerID == "" {
		return &SendError{ErrCode: CodeInvalidArgs, Msg: "SendTo: empty peer id"}
	}
	_, raw, err := p.checkSend("SendTo", data)
	if err != nil {
		return err
	}
	if peerID == p.PeerID() {
		return &SendError{ErrCode: CodeSelfSend, Msg: "SendTo: cannot send to self"}
	}
	return p.client.Send(ctx, peerID, raw)
}

// checkSend validates state and payload; it returns the joined channel and
// the payload encoded once, as the server will see it.
func (p *Peer) checkSend(method string, data any) (string, json.RawMessage, error) {
	p.mu.Lock()
	st, ch := p.state, p.channel
	p.mu.Unlock()
	if st != StateJoined {
		return "", nil, &SendError{ErrCode: CodeNotJoined, Msg: fmt.Sprintf("%s: not joined (state %s)", method, st)}
	}
	raw, err := signalling.MarshalJS(data)
	if err != nil {
		return "", nil, &SendError{ErrCode: CodeInvalidArgs, Msg: fmt.Sprintf("%s: %v", method, err)}
	}
	if isReservedPayload(raw) {
		return "", nil, &SendError{ErrCode: CodeInvalidArgs, Msg: method + ": payload has the shape of an RTC signal or track-metadata message"}
	}
	return ch, raw, p.checkSize(raw)
}

func (p *Peer) checkSize(raw []byte) error {
	if limit := p.client.MaxMessageSize(); len(raw) > limit {
		return &OversizedError{Size: len(raw), Cap: limit}
	}
	return nil
}

// AddTrack sends track to every current and future remote, announcing
// metadata (a JSON object, or nil) before the offer that carries it. The
// track's StreamID groups it into a stream.
func (p *Peer) AddTrack(track webrtc.TrackLocal, metadata json.RawMessage) error {
	if metadata != nil {
		if !isObject(metadata) {
			return &SendError{ErrCode: CodeInvalidArgs, Msg: "AddTrack: metadata must be a JSON object"}
		}
		raw, _ := json.Marshal(trackMetaMessage(track.ID(), metadata))
		if err := p.checkSize(raw); err != nil {
			return err
		}
	}
	p.mu.Lock()
	if p.state == StateLeaving || p.state == StateClosed {
		st := p.state
		p.mu.Unlock()
		return &StateError{ErrCode: CodeInvalidState, Method: "AddTrack", State: st}
	}
	if slices.ContainsFunc(p.tracks, func(t localTrack) bool { return t.track == track }) {
		p.mu.Unlock()
		return &StateError{ErrCode: CodeTrackAttached, Method: "AddTrack", State: p.state}
	}
	p.tracks = append(p.tracks, localTrack{track: track, metadata: metadata})
	targets := p.attachTargetsLocked()
	p.mu.Unlock()
	for _, r := range targets {
		if c := r.current(); c != nil {
			c.addTrack(track, metadata)
		}
	}
	return nil
}

// AddStream adds every track of a stream (tracks sharing a StreamID) with
// the same metadata.
func (p *Peer) AddStream(tracks []webrtc.TrackLocal, metadata json.RawMessage) error {
	for _, t := range tracks {
		if err := p.AddTrack(t, metadata); err != nil {
			return err
		}
	}
	return nil
}

// attachTargetsLocked returns the remotes local track changes apply to now
// (none unless joined; reconcile re-attaches later).
func (p *Peer) attachTargetsLocked() []*RemotePeer {
	if p.state != StateJoined {
		return nil
	}
	out := make([]*RemotePeer, 0, len(p.peers))
	for _, r := range p.peers {
		out = append(out, r)
	}
	return out
}

// RemoveTrack stops sending track to every remote.
func (p *Peer) RemoveTrack(track webrtc.TrackLocal) error {
	p.mu.Lock()
	if p.state == StateLeaving || p.state == StateClosed {
		st := p.state
		p.mu.Unlock()
		return &StateError{ErrCode: CodeInvalidState, Method: "RemoveTrack", State: st}
	}
	i := slices.IndexFunc(p.tracks, func(t localTrack) bool { return t.track == track })
	if i < 0 {
		p.mu.Unlock()
		return nil
	}
	lt := p.tracks[i]
	p.tracks = slices.Delete(p.tracks, i, i+1)
	targets := p.attachTargetsLocked()
	p.mu.Unlock()
	for _, r := range targets {
		if c := r.current(); c != nil {
			c.removeTrack(track, lt.metadata != nil)
		}
	}
	return nil
}

// ReplaceTrack swaps old for replacement on every remote without
// renegotiation (same codec required); replacement nil mutes. Metadata moves
// to the new track id.
func (p *Peer) ReplaceTrack(old, replacement webrtc.TrackLocal) error {
	p.mu.Lock()
	st := p.state
	i := slices.IndexFunc(p.tracks, func(t localTrack) bool { return t.track == old })
	if st == StateReconnecting || st == StateLeaving || st == StateClosed || i < 0 {
		p.mu.Unlock()
		return &StateError{ErrCode: CodeInvalidState, Method: "ReplaceTrack", State: st}
	}
	lt := p.tracks[i]
	if replacement == nil {
		p.tracks = slices.Delete(p.tracks, i, i+1)
	} else {
		p.tracks[i].track = replacement
	}
	targets := p.attachTargetsLocked()
	p.mu.Unlock()
	var errs []error
	for _, r := range targets {
		c := r.current()
		if c == nil {
			continue
		}
		if err := c.replaceTrack(old, replacement); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.id, err))
			continue
		}
		if lt.metadata != nil {
			c.sendMeta(old.ID(), nil)
			if replacement != nil {
				c.sendMeta(replacement.ID(), lt.metadata)
			}
		}
	}
	return errors.Join(errs...)
}

// newConnectionLocked builds a connection to r and attaches the local
// tracks. A non-nil offer is applied first, before any track can trigger an
// offer of our own.
func (p *Peer) newConnectionLocked(r *RemotePeer, offer *webrtc.SessionDescription) (*connection, error) {
	send := func(ctx context.Context, data any) error { return p.sendSignal(ctx, r.id, data) }
	c, err := newConnection(r, p.api, webrtc.Configuration{ICEServers: p.iceServers}, r.polite, send)
	if err != nil {
		return nil, err
	}
	if offer != nil {
		c.enqueue(func() { c.handleSignal(signal{desc: offer}) })
	}
	for _, t := range p.tracks {
		c.addTrack(t.track, t.metadata)
	}
	return c, nil
}

// addPeerLocked creates a RemotePeer for a presence entry; the caller emits
// the returned PeerJoined.
func (p *Peer) addPeerLocked(id string, metadata json.RawMessage) *RemotePeer {
	if id == p.localID || p.localID == "" || p.peers[id] != nil || len(p.peers) >= maxPeers {
		return nil
	}
	r := &RemotePeer{
		peer:      p,
		id:        id,
		polite:    p.localID < id,
		em:        signalling.NewHeldEmitter(p.cfg.EventQueue),
		metadata:  metadata,
		state:     StateIdle,
		trackMeta: make(map[string]json.RawMessage),
		live:      make(map[string]liveTrack),
		streams:   make(map[string]int),
		own:       make(map[webrtc.TrackLocal]json.RawMessage),
	}
	c, err := p.newConnectionLocked(r, nil)
	if err != nil {
		p.log.Warn("peer: cannot create connection", "remote", id, "err", err)
		r.em.Close()
		return nil
	}
	r.conn = c
	p.peers[id] = r
	if r.polite {
		// The polite side opens the link at first contact even with nothing
		// to send yet: the impolite side holds its own first offer (see
		// holdInitialOffer), so without this two Go peers would wait out
		// that hold whenever only the impolite one has something to add.
		c.enqueue(c.offerFirst)
	}
	return r
}

// removePeer closes and forgets a remote, emitting PeerLeft.
func (p *Peer) removePeer(id string) {
	p.mu.Lock()
	r := p.peers[id]
	delete(p.peers, id)
	p.mu.Unlock()
	if r == nil {
		return
	}
	r.close()
	p.em.Emit(PeerLeft{Peer: r})
}

// --- signalling event handlers (run on the client's dispatch goroutine) ---

func (p *Peer) onConnected(ev signalling.Connected) {
	p.mu.Lock()
	p.localID = ev.PeerID
	if len(ev.IceServers) > 0 {
		p.iceServers = toWebRTCICEServers(ev.IceServers)
	}
	if !ev.IsReconnect || p.state != StateReconnecting {
		p.mu.Unlock()
		return
	}
	if len(p.peers) == 0 {
		p.reconcilePending = false
		p.stopReconcileLocked()
		ev := p.setStateLocked(StateJoined)
		p.mu.Unlock()
		p.emitState(ev)
		return
	}
	p.reconcilePending = true
	p.reconcileResubs = 0
	p.armReconcileLocked()
	p.mu.Unlock()
}

func toWebRTCICEServers(in []signalling.IceServer) []webrtc.ICEServer {
	out := make([]webrtc.ICEServer, 0, len(in))
	for _, s := range in {
		out = append(out, webrtc.ICEServer{URLs: s.URLs, Username: s.Username, Credential: s.Credential})
	}
	return out
}

func (p *Peer) onDisconnected(ev signalling.Disconnected) {
	p.mu.Lock()
	st := p.state
	switch {
	case st == StateClosed || st == StateLeaving || st == StateIdle:
		p.mu.Unlock()
		return
	case ev.WillReconnect && (st == StateJoined || st == StateReconnecting):
		p.stopReconcileLocked()
		p.reconcilePending = true
		peers := make([]*RemotePeer, 0, len(p.peers))
		for _, r := range p.peers {
			peers = append(peers, r)
		}
		sev := p.setStateLocked(StateReconnecting)
		p.mu.Unlock()
		for _, r := range peers {
			if s := r.State(); s != StateReconnecting && s != StateClosed && s != StateIdle {
				r.setState(StateReconnecting)
			}
		}
		p.emitState(sev)
		return
	}
	p.mu.Unlock()
	if !ev.WillReconnect && (wire.IsTerminalClose(ev.Code) || ev.Code == wire.CloseTokenExpired) {
		p.em.Emit(FatalError{Err: &signalling.TerminalCloseError{CloseCode: ev.Code, Reason: ev.Reason}})
	}
	p.bg.Go(p.shutdownAfterDrop(ev))
}

// shutdownAfterDrop closes the peer after a drop the signalling client will
// not recover from (or a drop while joining).
func (p *Peer) shutdownAfterDrop(ev signalling.Disconnected) func() {
	return func() {
		if ev.WillReconnect {
			_ = p.client.Close() // a drop while joining: give up like the JS SDK
		}
		p.mu.Lock()
		peers := p.peers
		p.peers = make(map[string]*RemotePeer)
		p.stopReconcileLocked()
		p.reconcilePending = false
		id, ch := p.localID, p.channel
		p.channel = ""
		sev := p.setStateLocked(StateClosed)
		p.mu.Unlock()
		for _, r := range peers {
			r.close()
			p.em.Emit(PeerLeft{Peer: r})
		}
		p.emitState(sev)
		reason := ev.Reason
		if reason == "" {
			reason = fmt.Sprintf("disconnected (code %d)", ev.Code)
		}
		p.em.Emit(Left{PeerID: id, Channel: ch, Reason: reason})
	}
}

func (p *Peer) onPresence(ev signalling.Presence) {
	p.mu.Lock()
	if ev.Channel != p.channel || p.state == StateLeaving || p.state == StateClosed {
		p.mu.Unlock()
		return
	}
	if p.reconcilePending && p.state == StateReconnecting {
		p.reconcilePending = false
		p.stopReconcileLocked()
		p.mu.Unlock()
		p.reconcile(ev.Joined)
		return
	}
	var joined []*RemotePeer
	for _, e := range ev.Joined {
		if r := p.addPeerLocked(e.PeerID, e.Metadata); r != nil {
			joined = append(joined, r)
		}
	}
	p.mu.Unlock()
	for _, r := range joined {
		p.em.Emit(PeerJoined{Peer: r})
	}
	for _, e := range ev.Left {
		p.removePeer(e.PeerID)
	}
}

// reconcile treats the first presence after a reconnect as the full roster:
// absent peers leave, present known peers get a fresh connection (same
// RemotePeer object), new peers join.
func (p *Peer) reconcile(roster []signalling.PresencePeer) {
	present := make(map[string]signalling.PresencePeer, len(roster))
	for _, e := range roster {
		present[e.PeerID] = e
	}
	for _, r := range p.RemotePeers() {
		if _, ok := present[r.id]; !ok {
			p.removePeer(r.id)
		}
	}
	var joined []*RemotePeer
	p.mu.Lock()
	for _, e := range roster {
		if e.PeerID == p.localID {
			continue
		}
		r := p.peers[e.PeerID]
		if r == nil {
			if nr := p.addPeerLocked(e.PeerID, e.Metadata); nr != nil {
				joined = append(joined, nr)
			}
			continue
		}
		r.mu.Lock()
		r.metadata = e.Metadata
		r.mu.Unlock()
		c, err := p.newConnectionLocked(r, nil)
		if err != nil {
			p.log.Warn("peer: reconcile swap failed", "remote", r.id, "err", err)
			continue
		}
		if old := r.swap(c); old != nil {
			p.bg.Go(old.close)
		}
	}
	ev := p.setStateLocked(StateJoined)
	p.mu.Unlock()
	for _, r := range joined {
		p.em.Emit(PeerJoined{Peer: r})
	}
	p.emitState(ev)
}

func (p *Peer) armReconcileLocked() {
	p.stopReconcileLocked()
	p.reconcileTimer = time.AfterFunc(reconcileDeadline, p.onReconcileDeadline)
}

func (p *Peer) stopReconcileLocked() {
	if p.reconcileTimer != nil {
		p.reconcileTimer.Stop()
		p.reconcileTimer = nil
	}
}

// onReconcileDeadline re-subscribes when no presence arrived after a
// reconnect, then gives up with a FatalError.
func (p *Peer) onReconcileDeadline() {
	p.mu.Lock()
	if !p.reconcilePending || p.state != StateReconnecting || p.channel == "" {
		p.mu.Unlock()
		return
	}
	if p.reconcileResubs >= maxReconcileResubcribe {
		p.mu.Unlock()
		p.em.Emit(FatalError{Err: ErrReconcileTimeout})
		return
	}
	p.reconcileResubs++
	ch, opts := p.channel, p.joinOpts
	p.armReconcileLocked()
	p.mu.Unlock()
	p.bg.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), signalling.DefaultAckTimeout)
		defer cancel()
		_ = p.client.Subscribe(ctx, ch, opts)
	})
}

func (p *Peer) onDirect(ev signalling.Direct) {
	r := p.RemotePeer(ev.SenderPeerID)
	if s, ok := parseSignal(ev.Data); ok {
		if r == nil {
			return // signals from peers not known via presence are dropped
		}
		if c := r.current(); c != nil {
			c.enqueue(func() { c.handleSignal(s) })
		}
		return
	}
	if m, ok := parseTrackMeta(ev.Data); ok {
		if r != nil {
			r.setTrackMeta(m)
		}
		return
	}
	if r == nil {
		return
	}
	p.em.Emit(Data{SenderPeerID: ev.SenderPeerID, Data: ev.Data, Kind: KindDirect, SenderMetadata: ev.SenderMetadata})
}

func (p *Peer) onMessage(ev signalling.Message) {
	p.mu.Lock()
	ours := ev.Channel == p.channel && ev.SenderPeerID != p.localID
	p.mu.Unlock()
	if ours {
		p.em.Emit(Data{SenderPeerID: ev.SenderPeerID, Data: ev.Data, Kind: KindBroadcast, SenderMetadata: ev.SenderMetadata})
	}
}

func (p *Peer) onServerError(ev signalling.ServerError) {
	if slices.Contains(fatalServerCodes, ev.Code) {
		p.em.Emit(FatalError{Err: fmt.Errorf("peer: server error %s: %s", ev.Code, ev.Message)})
	}
}

func (p *Peer) onTokenProviderError(ev signalling.TokenProviderError) {
	p.em.Emit(FatalError{Err: fmt.Errorf("peer: token provider failed %d consecutive attempts: %w", ev.ConsecutiveFailures, ev.Err)})
}
