package comms

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/realtime/signalling"
)

// presenceWait bounds how long Join waits for the channel's first presence
// snapshot.
const presenceWait = 5 * time.Second

// MetaKind marks the presence metadata of comms peers.
const MetaKind = "comms"

// Member describes a session joining the hub as a peer.
type Member struct {
	Name        string // required; how other peers address it
	SessionID   string
	Channel     string // default DefaultChannel
	Description string
	Labels      map[string]string
	// Extra adds presence metadata fields (a mob's identity, role, status).
	Extra map[string]any
	// Allow, when set, decides which other comms peers this one may
	// exchange envelopes with (a mob's wiring); the others are left out of
	// Peers, refused by Send and dropped on arrival. Clients that are not
	// comms peers (people) are always allowed.
	Allow func(PeerInfo) bool
}

// PeerInfo is another peer present in the channel.
type PeerInfo struct {
	PeerID    string
	Name      string // from metadata; "" for a client without one
	Kind      string // MetaKind for comms peers
	SessionID string
	Role      string          // a mob member's role, from metadata
	Meta      json.RawMessage // the full presence metadata (nil when none)
}

// Inbound is an envelope delivered to a Peer's Handler.
type Inbound struct {
	Envelope
	From PeerInfo
	// Local marks a response synthesized here for a request that timed
	// out or whose target left.
	Local bool
}

// Handler receives a Peer's inbound envelopes in order, on the Peer's
// delivery goroutine.
type Handler func(Inbound)

// Peer is one session's presence in the hub.
type Peer struct {
	n       *Network
	m       Member
	client  *signalling.Client
	handler Handler
	inbox   chan Inbound
	done    chan struct{}
	wg      sync.WaitGroup
	dropped atomic.Uint64

	mu       sync.Mutex
	closed   bool
	roster   map[string]PeerInfo // by peer id
	pending  map[string]*pendingRequest
	snapshot chan struct{} // closed at the first presence frame
}

type pendingRequest struct {
	to    PeerInfo
	timer *time.Timer
}

// Join connects a session to the hub and subscribes it to its channel. The
// Peer ends with Close.
func (n *Network) Join(ctx context.Context, m Member, h Handler) (*Peer, error) {
	if m.Name == "" || h == nil {
		return nil, fmt.Errorf("%w: a member needs a name and a handler", ErrConfig)
	}
	if m.Channel == "" {
		m.Channel = DefaultChannel
	}
	meta := map[string]any{"kind": MetaKind, "name": m.Name}
	maps.Copy(meta, m.Extra)
	if m.SessionID != "" {
		meta["session_id"] = m.SessionID
	}
	if m.Description != "" {
		meta["description"] = m.Description
	}
	if len(m.Labels) > 0 {
		meta["labels"] = m.Labels
	}
	rawMeta, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("%w: metadata: %v", ErrConfig, err)
	}
	origin, _, err := n.hub()
	if err != nil {
		return nil, err
	}
	sub := "comms-" + uuid.NewString()
	p := &Peer{n: n, m: m, handler: h, inbox: make(chan Inbound, n.cfg.InboxSize), done: make(chan struct{}),
		roster: map[string]PeerInfo{}, pending: map[string]*pendingRequest{}, snapshot: make(chan struct{})}
	p.client, err = signalling.New(signalling.Config{URL: origin, Logger: n.cfg.Logger,
		TokenProvider: func(ctx context.Context) (string, error) { return n.mint(ctx, sub, m.Channel, rawMeta) }})
	if err != nil {
		return nil, fmt.Errorf("comms: %w", err)
	}
	signalling.On(p.client, p.onPresence)
	signalling.On(p.client, p.onDirect)
	signalling.On(p.client, func(signalling.Connected) { p.resetRoster() })
	if err := p.client.Connect(ctx); err != nil {
		_ = p.client.Close()
		return nil, fmt.Errorf("comms: join %s: %w", m.Channel, err)
	}
	if err := p.client.Subscribe(ctx, m.Channel, signalling.SubscribeOptions{}); err != nil {
		_ = p.client.Close()
		return nil, fmt.Errorf("comms: join %s: %w", m.Channel, err)
	}
	p.wg.Add(1)
	go p.deliver()
	select {
	case <-p.snapshot:
	case <-time.After(presenceWait):
	case <-ctx.Done():
	}
	return p, nil
}

// PeerID is this peer's id on the hub.
func (p *Peer) PeerID() string { return p.client.PeerID() }

// Name is the member's name.
func (p *Peer) Name() string { return p.m.Name }

// Channel is the channel the peer is in.
func (p *Peer) Channel() string { return p.m.Channel }

// Dropped counts inbound envelopes lost to a full inbox or bad data.
func (p *Peer) Dropped() uint64 { return p.dropped.Load() }

// allowed applies Member.Allow.
func (p *Peer) allowed(pi PeerInfo) bool {
	return pi.Kind != MetaKind || p.m.Allow == nil || p.m.Allow(pi)
}

// Peers lists the other peers present that this one may talk with, sorted
// by name then id.
func (p *Peer) Peers() []PeerInfo {
	p.mu.Lock()
	out := slices.Collect(maps.Values(p.roster))
	p.mu.Unlock()
	out = slices.DeleteFunc(out, func(pi PeerInfo) bool { return !p.allowed(pi) })
	slices.SortFunc(out, func(a, b PeerInfo) int {
		if a.Name != b.Name {
			if a.Name < b.Name {
				return -1
			}
			return 1
		}
		if a.PeerID < b.PeerID {
			return -1
		}
		if a.PeerID > b.PeerID {
			return 1
		}
		return 0
	})
	return out
}

// Lookup finds a present peer this one may talk with by peer id, or else
// by name.
func (p *Peer) Lookup(to string) (PeerInfo, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pi, ok := p.roster[to]; ok && p.allowed(pi) {
		return pi, nil
	}
	for _, pi := range p.roster {
		if pi.Name == to && to != "" && p.allowed(pi) {
			return pi, nil
		}
	}
	return PeerInfo{}, fmt.Errorf("%w: %q is not present in %s", ErrPeerNotFound, to, p.m.Channel)
}

// Send delivers env to the peer named or identified by to and returns it
// with its id (and a peer_request's request id) filled in. A peer_request
// is tracked until its terminal response, Config.RequestTimeout or the
// target leaving; the latter two deliver a local failed response.
func (p *Peer) Send(ctx context.Context, to string, env Envelope) (Envelope, error) {
	target, err := p.Lookup(to)
	if err != nil {
		return env, err
	}
	if env.ID == "" {
		env.ID = uuid.NewString()
	}
	if env.Kind == KindRequest && env.RequestID == "" {
		env.RequestID = uuid.NewString()
	}
	if err := env.Validate(); err != nil {
		return env, err
	}
	data, err := json.Marshal(env)
	if err != nil {
		return env, fmt.Errorf("%w: %v", ErrEnvelope, err)
	}
	if env.Kind == KindRequest {
		if err := p.track(env.RequestID, target); err != nil {
			return env, err
		}
	}
	if err := p.client.Send(ctx, target.PeerID, json.RawMessage(data)); err != nil {
		if env.Kind == KindRequest {
			p.untrack(env.RequestID)
		}
		return env, fmt.Errorf("comms: send to %s: %w", to, err)
	}
	return env, nil
}

// Close leaves the hub and stops the Peer's goroutines and timers. Pending
// requests are dropped without a response.
func (p *Peer) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	for id, pr := range p.pending {
		pr.timer.Stop()
		delete(p.pending, id)
	}
	p.mu.Unlock()
	err := p.client.Close()
	close(p.done)
	p.wg.Wait()
	return err
}

func (p *Peer) track(requestID string, to PeerInfo) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	p.pending[requestID] = &pendingRequest{to: to,
		timer: time.AfterFunc(p.n.cfg.RequestTimeout, func() { p.expire(requestID, "timeout") })}
	return nil
}

// Forget ends the tracking of a pending request answered by other means
// (session/peer_response_terminal) and reports whether it was pending.
func (p *Peer) Forget(requestID string) bool { return p.untrack(requestID) }

// untrack forgets a request and reports whether it was pending.
func (p *Peer) untrack(requestID string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	pr, ok := p.pending[requestID]
	if ok {
		pr.timer.Stop()
		delete(p.pending, requestID)
	}
	return ok
}

// expire answers a pending request locally with a failed response.
func (p *Peer) expire(requestID, reason string) {
	p.mu.Lock()
	pr, ok := p.pending[requestID]
	if ok {
		pr.timer.Stop()
		delete(p.pending, requestID)
	}
	p.mu.Unlock()
	if !ok {
		return
	}
	result, _ := json.Marshal(map[string]string{"error": reason, "peer_id": pr.to.PeerID})
	p.enqueue(Inbound{Local: true, From: pr.to, Envelope: Envelope{Kind: KindResponse, ID: uuid.NewString(),
		InReplyTo: requestID, Status: StatusFailed, Result: result}})
}

func (p *Peer) enqueue(in Inbound) {
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		return
	}
	select {
	case p.inbox <- in:
	default:
		p.dropped.Add(1)
		p.n.cfg.Logger.Warn("comms inbox full: envelope dropped", "peer", p.m.Name, "kind", in.Kind)
	}
}

func (p *Peer) deliver() {
	defer p.wg.Done()
	for {
		select {
		case in := <-p.inbox:
			p.handler(in)
		case <-p.done:
			return
		}
	}
}

func (p *Peer) onDirect(d signalling.Direct) {
	env, err := ParseEnvelope(d.Data)
	if err != nil {
		p.dropped.Add(1)
		p.n.cfg.Logger.Info("comms: bad envelope dropped", "from", d.SenderPeerID, "err", err)
		return
	}
	if env.ID == "" {
		env.ID = uuid.NewString()
	}
	from := infoOf(d.SenderPeerID, d.SenderMetadata)
	p.mu.Lock()
	if pi, ok := p.roster[d.SenderPeerID]; ok {
		from = pi
	}
	p.mu.Unlock()
	if !p.allowed(from) {
		p.dropped.Add(1)
		p.n.cfg.Logger.Info("comms: envelope from an unwired peer dropped", "peer", p.m.Name, "from", from.Name)
		return
	}
	if env.Terminal() {
		p.untrack(env.InReplyTo)
	}
	p.enqueue(Inbound{Envelope: env, From: from})
}

func (p *Peer) onPresence(ev signalling.Presence) {
	if ev.Channel != p.m.Channel {
		return
	}
	var left []string
	p.mu.Lock()
	for _, j := range ev.Joined {
		p.roster[j.PeerID] = infoOf(j.PeerID, j.Metadata)
	}
	for _, l := range ev.Left {
		delete(p.roster, l.PeerID)
		for id, pr := range p.pending {
			if pr.to.PeerID == l.PeerID {
				left = append(left, id)
			}
		}
	}
	select {
	case <-p.snapshot:
	default:
		close(p.snapshot)
	}
	p.mu.Unlock()
	for _, id := range left {
		p.expire(id, "peer_left")
	}
}

// resetRoster forgets the roster on every (re)connect; the subscription's
// presence snapshot rebuilds it.
func (p *Peer) resetRoster() {
	p.mu.Lock()
	clear(p.roster)
	p.mu.Unlock()
}

// infoOf reads a peer's presence metadata.
func infoOf(peerID string, meta json.RawMessage) PeerInfo {
	pi := PeerInfo{PeerID: peerID, Meta: meta}
	var m struct {
		Kind      string `json:"kind"`
		Name      string `json:"name"`
		SessionID string `json:"session_id"`
		Role      string `json:"role"`
	}
	if json.Unmarshal(meta, &m) == nil {
		pi.Kind, pi.Name, pi.SessionID, pi.Role = m.Kind, m.Name, m.SessionID, m.Role
	}
	return pi
}
