package peer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pion/webrtc/v4"
)

// ICE-restart ladder and negotiation timing (spec §8.3).
const (
	iceRestartMaxAttempts = 9
	iceRestartBaseDelay   = time.Second
	iceRestartMaxDelay    = 30 * time.Second
	iceRestartAnswerWait  = 15 * time.Second
	gatherTimeout         = 10 * time.Second
	// initialOfferGrace is how long the impolite side of a new connection
	// holds its first offer back, waiting for the remote's: see
	// holdInitialOffer.
	initialOfferGrace = 500 * time.Millisecond
	opQueueSize       = 256
	// reservedChannelID is the SCTP stream of the pre-negotiated data
	// channel behind reserveApplicationSection: the last valid stream id,
	// far above the ids either side allocates from the bottom.
	reservedChannelID uint16 = 65534
)

// connection is one pion PeerConnection to one remote with perfect
// negotiation. Every SDP/ICE step and every outbound signal runs on its op
// goroutine, one at a time, like the browser's operations chain.
type connection struct {
	remote     *RemotePeer
	pc         *webrtc.PeerConnection
	created    time.Time
	offerGrace time.Duration // initialOfferGrace
	polite     bool
	send       func(ctx context.Context, data any) error

	ctx    context.Context // cancelled on close
	cancel context.CancelFunc
	ops    chan func()
	opWG   sync.WaitGroup // the op goroutine
	rtcpWG sync.WaitGroup // RTCP readers, which end with the PeerConnection

	// Op-goroutine state.
	pendingCands []webrtc.ICECandidateInit
	candCount    int
	ignoreOffer  bool
	reserved     bool // reserveApplicationSection ran

	mu             sync.Mutex
	closed         bool
	senders        map[webrtc.TrackLocal]*webrtc.RTPSender
	channels       []*DataChannel
	restartAttempt int
	restartTimer   *time.Timer // next scheduled restart attempt
	answerTimer    *time.Timer // watchdog for a restart offer's answer
	offerTimer     *time.Timer // the held-back first offer (holdInitialOffer)
	gaveUp         bool
}

func newConnection(r *RemotePeer, api *webrtc.API, cfg webrtc.Configuration, polite bool, send func(context.Context, any) error) (*connection, error) {
	pc, err := api.NewPeerConnection(cfg)
	if err != nil {
		return nil, fmt.Errorf("peer: new peer connection: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &connection{
		created:    time.Now(),
		offerGrace: initialOfferGrace,
		remote:     r,
		pc:         pc,
		polite:     polite,
		send:       send,
		ctx:        ctx,
		cancel:     cancel,
		ops:        make(chan func(), opQueueSize),
		senders:    make(map[webrtc.TrackLocal]*webrtc.RTPSender),
	}
	c.opWG.Go(c.runOps)
	pc.OnNegotiationNeeded(func() { c.enqueue(func() { c.makeOffer(false) }) })
	pc.OnTrack(func(t *webrtc.TrackRemote, rcv *webrtc.RTPReceiver) { r.fromTrack(c, t, rcv) })
	pc.OnDataChannel(func(dc *webrtc.DataChannel) { r.fromDataChannel(c, dc) })
	pc.OnConnectionStateChange(c.onConnectionState)
	pc.OnICEConnectionStateChange(c.onICEState)
	return c, nil
}

func (c *connection) runOps() {
	for {
		select {
		case <-c.ctx.Done():
			return
		case op := <-c.ops:
			op()
		}
	}
}

// enqueue schedules op; it is dropped when the connection is closed or the
// queue is full (a flooding remote).
func (c *connection) enqueue(op func()) {
	select {
	case <-c.ctx.Done():
	case c.ops <- op:
	default:
		c.remote.peer.log.Warn("peer: op queue full, dropping", "remote", c.remote.id)
	}
}

// close stops the op goroutine and closes the PeerConnection.
func (c *connection) close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	for _, t := range []*time.Timer{c.restartTimer, c.answerTimer, c.offerTimer} {
		if t != nil {
			t.Stop()
		}
	}
	c.mu.Unlock()
	c.cancel()
	c.opWG.Wait()
	_ = c.pc.Close()
	c.rtcpWG.Wait()
	c.mu.Lock()
	channels := c.channels
	c.channels = nil
	c.mu.Unlock()
	for _, d := range channels {
		d.stop()
	}
}

// moveChannels re-creates the locally created data channels on next and
// rebinds their wrappers; inbound ones end with this connection.
func (c *connection) moveChannels(next *connection) {
	c.mu.Lock()
	channels := c.channels
	c.channels = nil
	c.mu.Unlock()
	for _, d := range channels {
		if d.init == nil {
			d.stop()
			continue
		}
		dc, err := next.pc.CreateDataChannel(d.Label(), d.init)
		if err != nil {
			d.stop()
			continue
		}
		d.unbind()
		d.bind(dc)
		next.mu.Lock()
		next.channels = append(next.channels, d)
		next.mu.Unlock()
	}
}

// adopt wraps dc and ties the wrapper's lifetime to this connection. init
// is kept for channels created locally, which survive a glare rebuild.
func (c *connection) adopt(dc *webrtc.DataChannel, opts DataChannelOptions, init *webrtc.DataChannelInit) *DataChannel {
	d := WrapDataChannel(dc, opts)
	d.init = init
	c.mu.Lock()
	closed := c.closed
	if !closed {
		c.channels = append(c.channels, d)
	}
	c.mu.Unlock()
	if closed {
		d.stop()
	}
	return d
}

func (c *connection) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// signalDescription sends the local description after ICE gathering
// finished (non-trickle outbound, spec §8.3).
func (c *connection) signalDescription(gathered <-chan struct{}) error {
	t := time.NewTimer(gatherTimeout)
	defer t.Stop()
	select {
	case <-gathered:
	case <-t.C:
	case <-c.ctx.Done():
		return c.ctx.Err()
	}
	local := c.pc.LocalDescription()
	if local == nil {
		return errors.New("peer: no local description")
	}
	if err := c.send(c.ctx, descriptionMessage(*local)); err != nil {
		// Delivery failures are not negotiation errors (the JS SDK logs them):
		// recovery comes from ICE restarts or reconcile.
		c.remote.peer.log.Debug("peer: sending description failed", "remote", c.remote.id, "err", err)
	}
	return nil
}

// makeOffer runs on the op goroutine after negotiationneeded or for an ICE
// restart.
func (c *connection) makeOffer(iceRestart bool) {
	if c.pc.SignalingState() != webrtc.SignalingStateStable && !iceRestart {
		return // pion re-fires negotiationneeded once stable again
	}
	if !iceRestart && c.holdInitialOffer() {
		return
	}
	if c.pc.SignalingState() == webrtc.SignalingStateHaveRemoteOffer {
		return
	}
	if err := c.reserveApplicationSection(); err != nil {
		c.negotiationError(err)
		return
	}
	offer, err := c.pc.CreateOffer(&webrtc.OfferOptions{ICERestart: iceRestart})
	if err != nil {
		c.negotiationError(err)
		return
	}
	gathered := webrtc.GatheringCompletePromise(c.pc)
	if err := c.pc.SetLocalDescription(offer); err != nil {
		c.negotiationError(err)
		return
	}
	c.candCount = 0
	if err := c.signalDescription(gathered); err == nil && iceRestart {
		c.armRestartAnswerCheck()
	}
}

// offerFirst makes the first offer of a new connection unless the remote
// has offered already.
func (c *connection) offerFirst() {
	if c.pc.RemoteDescription() == nil {
		c.makeOffer(false)
	}
}

// holdInitialOffer reports whether the first offer of a new connection is
// held back, and arms its retry. A browser's first offer crossing ours is
// rolled back when the browser is the polite side, and Chromium handles
// that rollback badly: it may never gather ICE candidates again on that
// connection (ICE stays "new" whatever is renegotiated or restarted), or
// lose its data m-section (see reserveApplicationSection). So the impolite
// side, whose offer would win, gives the remote initialOfferGrace from the
// connection's creation (presence time, when the JS SDK offers if it has
// anything to send) to offer first; answering that offer makes pion fire
// negotiationneeded again if we still have something to add. The polite
// side offers at once: a browser crossing it is impolite and never rolls
// back.
func (c *connection) holdInitialOffer() bool {
	if c.polite || c.pc.RemoteDescription() != nil {
		return false
	}
	wait := c.offerGrace - time.Since(c.created)
	if wait <= 0 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.offerTimer != nil {
		return true
	}
	c.offerTimer = time.AfterFunc(wait, func() {
		c.mu.Lock()
		c.offerTimer = nil
		c.mu.Unlock()
		c.enqueue(func() {
			if c.pc.RemoteDescription() == nil { // else pion re-fires if needed
				c.makeOffer(false)
			}
		})
	})
	return true
}

// reserveApplicationSection makes every offer of ours carry an application
// m-section. Chromium loses its data m-section when it rolls back an offer
// that introduced it (a polite browser whose first offer, with its first
// data channel, crossed ours): from then on it fires negotiationneeded
// forever, each new offer still lacks the section and its data channels
// never open. With the section in our offer, the browser's answer
// negotiates it and the rollback is harmless. pion offers the section only
// once a data channel exists, so the first offer creates a pre-negotiated
// channel that nothing is ever sent on and the remote never learns about
// (negotiated channels have no in-band open).
func (c *connection) reserveApplicationSection() error {
	if c.reserved {
		return nil
	}
	negotiated, id := true, reservedChannelID
	if _, err := c.pc.CreateDataChannel("rkat-reserved", &webrtc.DataChannelInit{Negotiated: &negotiated, ID: &id}); err != nil {
		return fmt.Errorf("peer: reserve data section: %w", err)
	}
	c.reserved = true
	return nil
}

// handleSignal runs on the op goroutine for every inbound signal.
func (c *connection) handleSignal(s signal) {
	if s.desc != nil {
		if err := c.handleDescription(*s.desc); err != nil {
			c.negotiationError(err)
		}
		return
	}
	c.handleCandidate(s.candidate)
}

// handleDescription applies a remote offer or answer under the politeness
// rule: on collision the impolite side ignores the offer, the polite side
// rolls back its own and answers.
func (c *connection) handleDescription(d webrtc.SessionDescription) error {
	collision := d.Type == webrtc.SDPTypeOffer && c.pc.SignalingState() != webrtc.SignalingStateStable
	c.ignoreOffer = !c.polite && collision
	if c.ignoreOffer {
		c.remote.peer.log.Debug("peer: ignoring a colliding offer (impolite)", "remote", c.remote.id)
		return nil
	}
	if collision {
		c.remote.peer.log.Debug("peer: answering a colliding offer on a new connection (polite)", "remote", c.remote.id)
		// pion cannot roll a local offer back: the polite side answers the
		// remote's offer on a fresh PeerConnection instead.
		c.remote.rebuildForOffer(c, d)
		return nil
	}
	if err := c.pc.SetRemoteDescription(d); err != nil {
		return fmt.Errorf("peer: set remote %s: %w", d.Type, err)
	}
	c.candCount = 0
	c.stopAnswerTimer()
	for _, cand := range c.pendingCands {
		c.addCandidate(cand)
	}
	c.pendingCands = nil
	c.remote.afterRemoteDescription(c)
	if d.Type != webrtc.SDPTypeOffer {
		return nil
	}
	answer, err := c.pc.CreateAnswer(nil)
	if err != nil {
		return fmt.Errorf("peer: create answer: %w", err)
	}
	gathered := webrtc.GatheringCompletePromise(c.pc)
	if err := c.pc.SetLocalDescription(answer); err != nil {
		return fmt.Errorf("peer: set local answer: %w", err)
	}
	return c.signalDescription(gathered)
}

// handleCandidate applies an inbound trickled candidate, holding it until a
// remote description is set. nil is end-of-candidates.
func (c *connection) handleCandidate(cand *webrtc.ICECandidateInit) {
	if cand == nil {
		return
	}
	if len(cand.Candidate) > maxCandidateLen || c.candCount >= maxCandidatesPerGeneration {
		return
	}
	c.candCount++
	if c.pc.RemoteDescription() == nil {
		c.pendingCands = append(c.pendingCands, *cand)
		return
	}
	c.addCandidate(*cand)
}

func (c *connection) addCandidate(cand webrtc.ICECandidateInit) {
	if cand.Candidate == "" {
		return
	}
	if u := candidateUfrag(cand); u != "" && !sdpHasUfrag(c.pc.RemoteDescription(), u) {
		// A candidate of an older generation, typically of an offer we
		// ignored in a collision (the remote answers ours with new
		// credentials): useless, and pion would log it as an error.
		c.remote.peer.log.Debug("peer: dropping candidate of an old ICE generation", "remote", c.remote.id, "ufrag", u)
		return
	}
	if err := c.pc.AddICECandidate(cand); err != nil && !c.ignoreOffer {
		c.remote.em.Emit(IceCandidateError{Err: err})
	}
}

// candidateUfrag returns the username fragment a candidate belongs to, from
// its usernameFragment or its "ufrag" extension; "" when it names none.
func candidateUfrag(cand webrtc.ICECandidateInit) string {
	if cand.UsernameFragment != nil && *cand.UsernameFragment != "" {
		return *cand.UsernameFragment
	}
	f := strings.Fields(cand.Candidate)
	for i := 8; i+1 < len(f); i += 2 { // extensions follow "typ TYPE"
		if f[i] == "ufrag" {
			return f[i+1]
		}
	}
	return ""
}

// sdpHasUfrag reports whether d carries the ICE username fragment u.
func sdpHasUfrag(d *webrtc.SessionDescription, u string) bool {
	if d == nil {
		return false
	}
	for line := range strings.Lines(d.SDP) {
		if strings.TrimRight(line, "\r\n") == "a=ice-ufrag:"+u {
			return true
		}
	}
	return false
}

func (c *connection) negotiationError(err error) {
	if !c.isClosed() {
		c.remote.em.Emit(NegotiationError{Err: err})
	}
}

// addTrack sends the track's metadata (if any) and attaches it; pion then
// fires negotiationneeded and the offer follows on the op queue.
func (c *connection) addTrack(t webrtc.TrackLocal, metadata json.RawMessage) {
	c.enqueue(func() {
		if metadata != nil {
			_ = c.send(c.ctx, trackMetaMessage(t.ID(), metadata))
		}
		c.mu.Lock()
		_, dup := c.senders[t]
		c.mu.Unlock()
		if dup {
			return
		}
		sender, err := c.pc.AddTrack(t)
		if err != nil {
			c.negotiationError(fmt.Errorf("peer: add track: %w", err))
			return
		}
		c.mu.Lock()
		c.senders[t] = sender
		c.mu.Unlock()
		c.rtcpWG.Go(func() { drainRTCP(sender) })
	})
}

// drainRTCP reads a sender's RTCP so interceptors run; it ends when the
// sender stops.
func drainRTCP(s *webrtc.RTPSender) {
	buf := make([]byte, 1500)
	for {
		if _, _, err := s.Read(buf); err != nil {
			return
		}
	}
}

// removeTrack clears the metadata (if any) and detaches the track.
func (c *connection) removeTrack(t webrtc.TrackLocal, hadMetadata bool) {
	c.enqueue(func() {
		if hadMetadata {
			_ = c.send(c.ctx, trackMetaMessage(t.ID(), nil))
		}
		c.mu.Lock()
		sender := c.senders[t]
		delete(c.senders, t)
		c.mu.Unlock()
		if sender != nil {
			if err := c.pc.RemoveTrack(sender); err != nil {
				c.negotiationError(fmt.Errorf("peer: remove track: %w", err))
			}
		}
	})
}

// replaceTrack swaps the track on old's sender without renegotiation.
func (c *connection) replaceTrack(old, replacement webrtc.TrackLocal) error {
	c.mu.Lock()
	sender := c.senders[old]
	if sender != nil {
		delete(c.senders, old)
		if replacement != nil {
			c.senders[replacement] = sender
		}
	}
	c.mu.Unlock()
	if sender == nil {
		return nil
	}
	if err := sender.ReplaceTrack(replacement); err != nil {
		return fmt.Errorf("peer: replace track: %w", err)
	}
	return nil
}

// sendMeta queues a metadata control message for this remote.
func (c *connection) sendMeta(trackID string, metadata json.RawMessage) {
	c.enqueue(func() { _ = c.send(c.ctx, trackMetaMessage(trackID, metadata)) })
}

func (c *connection) onConnectionState(s webrtc.PeerConnectionState) {
	var next State
	switch s {
	case webrtc.PeerConnectionStateNew, webrtc.PeerConnectionStateConnecting:
		next = StateConnecting
	case webrtc.PeerConnectionStateConnected:
		c.mu.Lock()
		c.restartAttempt = 0
		c.gaveUp = false
		c.mu.Unlock()
		next = StateConnected
	case webrtc.PeerConnectionStateDisconnected, webrtc.PeerConnectionStateFailed, webrtc.PeerConnectionStateClosed:
		// pion reports "closed" when the remote ends DTLS; only our own
		// close (ignored here, the connection is no longer current) makes
		// a RemotePeer closed.
		next = StateReconnecting
	default:
		return
	}
	c.remote.fromState(c, next)
}

// onICEState starts the restart ladder when ICE fails.
func (c *connection) onICEState(s webrtc.ICEConnectionState) {
	if s == webrtc.ICEConnectionStateFailed {
		c.scheduleRestart()
	}
}

// scheduleRestart arms the next ICE-restart attempt: immediately, then 1, 2,
// 4, 8, 16, 30, 30, 30 s; past nine attempts it reports
// ErrIceRestartExhausted once.
func (c *connection) scheduleRestart() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.restartTimer != nil {
		return
	}
	if c.restartAttempt >= iceRestartMaxAttempts {
		if !c.gaveUp {
			c.gaveUp = true
			c.remote.em.Emit(NegotiationError{Err: ErrIceRestartExhausted})
		}
		return
	}
	delay := restartDelay(c.restartAttempt)
	c.restartAttempt++
	c.restartTimer = time.AfterFunc(delay, func() {
		c.mu.Lock()
		c.restartTimer = nil
		c.mu.Unlock()
		c.enqueue(func() {
			if st := c.pc.ICEConnectionState(); st == webrtc.ICEConnectionStateConnected || st == webrtc.ICEConnectionStateCompleted {
				return
			}
			c.makeOffer(true)
		})
	})
}

// restartDelay is the wait before restart attempt n (0-based).
func restartDelay(n int) time.Duration {
	if n == 0 {
		return 0
	}
	return min(iceRestartBaseDelay<<(n-1), iceRestartMaxDelay)
}

// armRestartAnswerCheck advances the ladder when a restart offer got no
// answer in time.
func (c *connection) armRestartAnswerCheck() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if c.answerTimer != nil {
		c.answerTimer.Stop()
	}
	c.answerTimer = time.AfterFunc(iceRestartAnswerWait, func() {
		c.mu.Lock()
		c.answerTimer = nil
		c.mu.Unlock()
		if st := c.pc.ICEConnectionState(); st != webrtc.ICEConnectionStateConnected && st != webrtc.ICEConnectionStateCompleted {
			c.scheduleRestart()
		}
	})
}

// stopAnswerTimer cancels the answer watchdog once a remote description
// arrived.
func (c *connection) stopAnswerTimer() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.answerTimer != nil {
		c.answerTimer.Stop()
		c.answerTimer = nil
	}
}
