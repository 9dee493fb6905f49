package agentpeer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/time/rate"

	"github.com/rkat-dev/rkat/live"
	"github.com/rkat-dev/rkat/realtime/peer"
	"github.com/rkat-dev/rkat/realtime/signalling"
)

// renewRetry is the wait before another try after a failed token renewal.
const renewRetry = 5 * time.Second

// outboxSize bounds the replies waiting outside turns; more are dropped.
const outboxSize = 64

// maxIdleConversations bounds the idle conversations remembered in memory;
// beyond it they are forgotten (and found again in the store).
const maxIdleConversations = 1024

// channelKey is the conversation key of the channel's broadcasts; a direct
// conversation's key is "direct:" + the sender's peer id.
const channelKey = "channel"

// run is one Run: the peer and everything that serves it.
type run struct {
	a      *Agent
	ctx    context.Context // ends with the Run; turns and sends use it
	cancel context.CancelFunc
	lim    *rate.Limiter
	outbox chan outMsg
	fatal  chan error // first fatal condition, capacity 1

	mu       sync.Mutex
	p        *peer.Peer // current peer; replaced by renew
	retiring *peer.Peer // the peer renew is replacing
	closed   bool
	convs    map[string]*conversation
	busy     int // conversations with a worker
	workers  sync.WaitGroup
	live     *live.Manager     // the voices' live channels; nil for a text-only agent
	voices   map[string]*voice // by remote peer id
	voiceWG  sync.WaitGroup    // speak goroutines and their track readers
}

// outMsg is one reply outside a turn: to "" means the channel.
type outMsg struct {
	to   string
	data any
}

func newRun(ctx context.Context, a *Agent) *run {
	ctx, cancel := context.WithCancel(ctx)
	return &run{
		a: a, ctx: ctx, cancel: cancel,
		lim:    rate.NewLimiter(rate.Limit(a.cfg.MessageRate), a.cfg.MessageBurst),
		outbox: make(chan outMsg, outboxSize),
		fatal:  make(chan error, 1),
		convs:  map[string]*conversation{},
		voices: map[string]*voice{},
	}
}

// serve joins, serves until the end, and stops everything it started.
func (r *run) serve() error {
	if r.a.realtime {
		m, err := live.New(live.Config{Sessions: r.a.sessions, Logger: r.a.log})
		if err != nil {
			return fmt.Errorf("agentpeer: %w", err)
		}
		r.live = m
	}
	var outboxDone sync.WaitGroup
	outboxDone.Go(r.drainOutbox)
	defer func() {
		r.mu.Lock()
		r.closed = true
		p := r.p
		r.mu.Unlock()
		r.cancel()
		r.workers.Wait()
		if p != nil {
			_ = p.Close() // ends every remote track
		}
		r.voiceWG.Wait()
		if r.live != nil {
			r.live.Close()
		}
		outboxDone.Wait()
	}()

	if _, err := r.join(true); err != nil {
		if r.ctx.Err() != nil {
			return nil
		}
		return err
	}
	next := r.a.renewAt()
	for {
		var renew <-chan time.Time
		var timer *time.Timer
		if !next.IsZero() {
			timer = time.NewTimer(time.Until(next))
			renew = timer.C
		}
		select {
		case <-r.ctx.Done():
			return nil
		case err := <-r.fatal:
			return fmt.Errorf("%w: %w", ErrLeft, err)
		case <-renew:
			next = r.renew()
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// join creates a peer, wires its events to the run and joins the channel;
// the first peer is the run's current one from the start. Events of a peer
// that is not the current one (or being replaced by renew) change nothing
// but the data they carry.
func (r *run) join(first bool) (*peer.Peer, error) {
	cfg := r.a.cfg
	p, err := peer.New(peer.Config{
		Signalling: signalling.Config{URL: r.a.origin, Key: cfg.Key, TokenProvider: r.a.tokens, HTTPClient: cfg.HTTPClient, Logger: r.a.log},
		API:        cfg.API,
		Logger:     r.a.log,
	})
	if err != nil {
		return nil, fmt.Errorf("agentpeer: %w", err)
	}
	if first {
		r.mu.Lock()
		r.p = p
		r.mu.Unlock()
	}
	current := func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.p == p && r.retiring != p
	}
	signalling.On(p, func(ev peer.Data) { r.onData(p, ev) })
	signalling.On(p, func(ev peer.PeerJoined) { r.watchTracks(ev.Peer) })
	signalling.On(p, func(ev peer.PeerLeft) {
		r.endVoice(ev.Peer.ID())
		if current() {
			r.forget(ev.Peer.ID())
		}
	})
	signalling.On(p, func(ev peer.FatalError) {
		if current() {
			r.fail(ev.Err)
		}
	})
	signalling.On(p, func(ev peer.Left) {
		if current() {
			r.fail(errors.New(ev.Reason))
		}
	})
	if err := p.Join(r.ctx, cfg.Channel, peer.JoinOptions{IncludeSenderMetadata: true}); err != nil {
		_ = p.Close()
		return nil, fmt.Errorf("agentpeer: join %s: %w", cfg.Channel, err)
	}
	r.a.log.Info("agentpeer: joined", "channel", cfg.Channel, "peer", p.PeerID())
	if cfg.Joined != nil {
		cfg.Joined(p.PeerID())
	}
	return p, nil
}

// renew replaces the peer by one with a fresh token before the current
// token expires (make before break: the server hands the peer id to the
// new connection) and returns when to renew next.
func (r *run) renew() time.Time {
	if at := r.a.renewAt(); time.Until(at) > 0 {
		return at // a reconnect has already fetched a fresh token
	}
	r.mu.Lock()
	old := r.p
	r.retiring = old // the server drops it once the new one connects
	r.mu.Unlock()
	p, err := r.join(false)
	r.mu.Lock()
	r.retiring = nil
	if err == nil {
		r.p = p
	}
	r.mu.Unlock()
	if err != nil {
		if old.State() == peer.StateClosed {
			r.fail(fmt.Errorf("token renewal: %w", err))
		}
		r.a.log.Warn("agentpeer: token renewal failed; retrying", "err", err)
		return time.Now().Add(renewRetry)
	}
	_ = old.Close()
	return r.a.renewAt()
}

// peer returns the current peer.
func (r *run) peer() *peer.Peer {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.p
}

// fail records the first fatal condition.
func (r *run) fail(err error) {
	select {
	case r.fatal <- err:
	default:
	}
}

// onData routes one message p received: a prompt to its conversation, bad
// input addressed to the agent to a chat.error, the rest nowhere.
func (r *run) onData(p *peer.Peer, ev peer.Data) {
	direct := ev.Kind == peer.KindDirect
	from := senderInfo(p, ev)
	if from.Kind == "agent" && !r.a.cfg.AnswerAgents {
		return
	}
	text, err := parsePrompt(ev.Data, r.a.cfg.MaxPromptBytes)
	if errors.Is(err, errNotPrompt) && !direct {
		return
	}
	to := ""
	if direct {
		to = ev.SenderPeerID
	}
	if err != nil {
		r.reply(to, ChatError{Type: TypeChatError, Turn: newTurnID(), Error: err.Error(), InReplyTo: ev.SenderPeerID})
		return
	}
	key := channelKey
	if direct {
		key = "direct:" + ev.SenderPeerID
	} else {
		name := from.Name
		if name == "" {
			name = ev.SenderPeerID
		}
		text = name + ": " + text
	}
	r.enqueue(key, prompt{text: text, from: ev.SenderPeerID, to: to})
}

// senderInfo reads the sender's presence metadata from the message or,
// failing that, from p's presence.
func senderInfo(p *peer.Peer, ev peer.Data) peerInfo {
	meta := ev.SenderMetadata
	if meta == nil {
		if rp := p.RemotePeer(ev.SenderPeerID); rp != nil {
			meta = rp.Metadata()
		}
	}
	return infoOf(meta)
}

// reply queues a message outside a turn; when the outbox is full it is
// dropped (the sender is flooding the agent).
func (r *run) reply(to string, data any) {
	select {
	case r.outbox <- outMsg{to: to, data: data}:
	default:
		r.a.log.Warn("agentpeer: outbox full, reply dropped", "to", to)
	}
}

func (r *run) drainOutbox() {
	for {
		select {
		case <-r.ctx.Done():
			return
		case m := <-r.outbox:
			if r.lim.Wait(r.ctx) != nil {
				return
			}
			_ = r.send(m.to, m.data)
		}
	}
}

// send publishes data on the channel (to "") or sends it to one peer,
// waiting for the server's ack. Failures are logged and returned: that
// message is lost, the conversation goes on.
func (r *run) send(to string, data any) error {
	var err error
	if p := r.peer(); to == "" {
		err = p.Send(r.ctx, data)
	} else {
		err = p.SendTo(r.ctx, to, data)
	}
	if err != nil && r.ctx.Err() == nil {
		r.a.log.Warn("agentpeer: send failed", "to", to, "err", err)
	}
	return err
}

func newTurnID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return id.String()
}
