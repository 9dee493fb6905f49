package session

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/store"
)

// Bounds of the events waiting to be published to other processes: when
// either is reached further events are not relayed (local subscribers
// still get them).
const (
	relayQueue      = 1024
	relayQueueBytes = 4 * store.MaxEventPayload
)

// relay carries session events between processes through a store that is
// an EventBus (Postgres LISTEN/NOTIFY), and the interrupts of turns running
// in another process. It owns two goroutines, started by New and stopped by
// Close: send publishes the events of turns running here (and answers to
// interrupts, ahead of them), listen hands the events of turns running
// elsewhere to this process's subscribers and acts on the interrupts meant
// for this process. An event larger than the bus takes is cut to fit as the
// RPC edge cuts it (event.Fit), with room left for the envelopes (edgeRoom).
type relay struct {
	bus       store.EventBus
	origin    string // this service's lease owner; its own events are skipped
	log       *slog.Logger
	out       chan []byte
	queued    atomic.Int64 // bytes in out
	control   chan []byte  // answers to interrupts, sent before out
	cancel    context.CancelFunc
	done      chan struct{}
	listening chan struct{} // closed once the first listener connected
	once      sync.Once

	mu      sync.Mutex
	waiting map[string]chan struct{} // interrupts sent, by request id, until answered
}

// Kinds of relayed messages that are not events.
const (
	kindInterrupt   = "interrupt"   // To: interrupt your turn on SessionID holding lease Token
	kindInterrupted = "interrupted" // To: your interrupt EventID was acted on
)

// remote is the wire form of a relayed envelope or control message.
type remote struct {
	Origin string `json:"o"`
	// Kind is empty for an event; for a control message it is one of the
	// kinds above, To is the lease owner it is for and EventID the id of
	// the interrupt request.
	Kind      string          `json:"k,omitempty"`
	To        string          `json:"to,omitempty"`
	EventID   string          `json:"id"`
	SessionID string          `json:"s"`
	Seq       uint64          `json:"q,omitempty"`
	Token     uint64          `json:"l,omitempty"` // of an interrupt: the lease of the turn to interrupt
	TS        int64           `json:"t,omitempty"`
	Event     json.RawMessage `json:"e,omitempty"`
}

func (s *Service) startRelay(bus store.EventBus) {
	ctx, cancel := context.WithCancel(context.Background())
	r := &relay{bus: bus, origin: s.cfg.LeaseOwner, log: s.cfg.Logger, out: make(chan []byte, relayQueue),
		control: make(chan []byte, relayQueue), cancel: cancel, done: make(chan struct{}),
		listening: make(chan struct{}), waiting: map[string]chan struct{}{}}
	s.relay = r
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		r.send(ctx)
	}()
	go func() {
		defer close(r.done)
		r.listen(ctx, s.deliverRemote, func(id string, token uint64) {
			s.interruptHere(id, func(t uint64) bool { return t == token })
		})
		<-sent
	}()
}

// stop ends both goroutines and waits for them.
func (r *relay) stop() {
	r.cancel()
	<-r.done
}

// offer queues env for the other processes without blocking.
func (r *relay) offer(env Envelope) {
	ev, err := event.Marshal(env.Event)
	if err != nil {
		return
	}
	if len(ev) > store.MaxEventPayload-edgeRoom {
		var replaced bool
		if ev, replaced = event.Fit(ev, store.MaxEventPayload-edgeRoom, env.Seq); replaced {
			r.log.Warn("relayed event too large even with its content cut; relaying stream_truncated",
				"session", env.SessionID, "seq", env.Seq)
		}
	}
	b, err := json.Marshal(remote{Origin: r.origin, EventID: env.EventID, SessionID: env.SessionID, Seq: env.Seq, TS: env.TimestampMS, Event: ev})
	if err != nil || len(b) > store.MaxEventPayload { // only with ids of thousands of bytes
		return
	}
	n := int64(len(b))
	if r.queued.Add(n) > relayQueueBytes {
		r.queued.Add(-n)
		return
	}
	select {
	case r.out <- b:
	default:
		r.queued.Add(-n)
	}
}

// edgeRoom is what a relayed event's payload leaves free of
// MaxEventPayload: room for the envelope of the bus message and for the one
// the RPC edge of the other process wraps it in (a few hundred bytes with
// ids of ordinary length), so that the edge, whose limit is the same 8 MiB,
// does not cut it a second time and its marker counts every byte cut.
const edgeRoom = 4 << 10

// send publishes the queued messages, answers to interrupts first.
func (r *relay) send(ctx context.Context) {
	for {
		var b []byte
		select {
		case b = <-r.control:
		default:
			select {
			case <-ctx.Done():
				return
			case b = <-r.control:
			case b = <-r.out:
				r.queued.Add(-int64(len(b)))
			}
		}
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_ = r.bus.PublishEvent(pctx, b) // best effort, like the bus
		cancel()
	}
}

// listen keeps a listener connected, reconnecting a second after a failure.
// It hands events of other processes to deliver (undecoded) and interrupts meant for
// this process to interrupt, which it answers.
func (r *relay) listen(ctx context.Context, deliver func(remote), interrupt func(sessionID string, token uint64)) {
	for ctx.Err() == nil {
		_ = r.bus.ListenEvents(ctx, func() { r.once.Do(func() { close(r.listening) }) }, func(payload []byte) {
			var m remote
			if json.Unmarshal(payload, &m) != nil || m.Origin == r.origin {
				return
			}
			switch {
			case m.Kind == "":
				deliver(m)
			case m.To != r.origin: // a control message for another process
			case m.Kind == kindInterrupt:
				interrupt(m.SessionID, m.Token)
				b, err := json.Marshal(remote{Origin: r.origin, Kind: kindInterrupted, To: m.Origin, EventID: m.EventID, SessionID: m.SessionID})
				if err != nil {
					return
				}
				select {
				case r.control <- b:
				default: // the asker's wait ends on its own
				}
			case m.Kind == kindInterrupted:
				r.mu.Lock()
				if ch := r.waiting[m.EventID]; ch != nil {
					close(ch)
					delete(r.waiting, m.EventID)
				}
				r.mu.Unlock()
			}
		})
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// interruptWait bounds how long Interrupt waits for the process running
// the turn to answer, counting the wait for this process's listener.
const interruptWait = 5 * time.Second

// errNoAnswer: the process running the turn did not answer an interrupt.
var errNoAnswer = errors.New("no answer from the process running the turn")

// interrupt asks process owner to interrupt its turn on session id, if
// that turn holds the lease of fencing token token (not a later turn that
// started meanwhile), and waits for its answer, at most interruptWait in
// all. The message is published at once, not queued behind the events.
func (r *relay) interrupt(ctx context.Context, owner, id string, token uint64) error {
	wait, cancel := context.WithTimeout(ctx, interruptWait)
	defer cancel()
	req := newEventID()
	answered := make(chan struct{})
	r.mu.Lock()
	r.waiting[req] = answered
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.waiting, req)
		r.mu.Unlock()
	}()
	b, err := json.Marshal(remote{Origin: r.origin, Kind: kindInterrupt, To: owner, EventID: req, SessionID: id, Token: token})
	if err != nil {
		return err
	}
	r.awaitListening(wait) // to hear the answer
	if err := r.bus.PublishEvent(wait, b); err != nil {
		if ctx.Err() == nil && wait.Err() != nil {
			return errNoAnswer
		}
		return err
	}
	select {
	case <-answered:
		return nil
	case <-wait.Done():
		if err := ctx.Err(); err != nil {
			return err
		}
		return errNoAnswer
	}
}

// relayWait bounds how long Subscribe waits for the relay's first listener.
const relayWait = 5 * time.Second

// awaitListening waits until events of other processes can arrive, so a
// subscriber sees a turn started elsewhere after Subscribe returned. It
// gives up after relayWait (the listener keeps reconnecting meanwhile).
func (r *relay) awaitListening(ctx context.Context) {
	t := time.NewTimer(relayWait)
	defer t.Stop()
	select {
	case <-r.listening:
	case <-ctx.Done():
	case <-t.C:
	}
}

// deliverRemote hands an event of a turn running in another process to
// this process's subscribers of its session. The event is decoded only
// when the session is in use here.
func (s *Service) deliverRemote(m remote) {
	s.mu.Lock()
	e := s.live[m.SessionID]
	s.mu.Unlock()
	if e == nil {
		return
	}
	ev, err := event.Unmarshal(m.Event)
	if err != nil {
		return
	}
	e.publish(Envelope{EventID: m.EventID, SessionID: m.SessionID, Seq: m.Seq, TimestampMS: m.TS, Event: ev})
}
