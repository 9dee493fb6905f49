package session

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/store"
)

// relayQueue bounds the events waiting to be published to other processes;
// when it is full further events are not relayed (local subscribers still
// get them).
const relayQueue = 1024

// relay carries session events between processes through a store that is
// an EventBus (Postgres LISTEN/NOTIFY). It owns two goroutines, started by
// New and stopped by Close: send publishes the events of turns running
// here, listen hands the events of turns running elsewhere to this
// process's subscribers. Events too large for the bus are not relayed.
type relay struct {
	bus       store.EventBus
	origin    string // this service's lease owner; its own events are skipped
	out       chan []byte
	cancel    context.CancelFunc
	done      chan struct{}
	listening chan struct{} // closed once the first listener connected
	once      sync.Once
}

// remote is the wire form of a relayed envelope.
type remote struct {
	Origin    string          `json:"o"`
	EventID   string          `json:"id"`
	SessionID string          `json:"s"`
	Seq       uint64          `json:"q"`
	TS        int64           `json:"t"`
	Event     json.RawMessage `json:"e"`
}

func (s *Service) startRelay(bus store.EventBus) {
	ctx, cancel := context.WithCancel(context.Background())
	r := &relay{bus: bus, origin: s.cfg.LeaseOwner, out: make(chan []byte, relayQueue), cancel: cancel, done: make(chan struct{}),
		listening: make(chan struct{})}
	s.relay = r
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		r.send(ctx)
	}()
	go func() {
		defer close(r.done)
		r.listen(ctx, s.deliverRemote)
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
	b, err := json.Marshal(remote{Origin: r.origin, EventID: env.EventID, SessionID: env.SessionID, Seq: env.Seq, TS: env.TimestampMS, Event: ev})
	if err != nil || len(b) > store.MaxEventPayload {
		return
	}
	select {
	case r.out <- b:
	default:
	}
}

func (r *relay) send(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case b := <-r.out:
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			_ = r.bus.PublishEvent(pctx, b) // best effort, like the bus
			cancel()
		}
	}
}

// listen keeps a listener connected, reconnecting a second after a failure.
func (r *relay) listen(ctx context.Context, deliver func(Envelope)) {
	for ctx.Err() == nil {
		_ = r.bus.ListenEvents(ctx, func() { r.once.Do(func() { close(r.listening) }) }, func(payload []byte) {
			var m remote
			if json.Unmarshal(payload, &m) != nil || m.Origin == r.origin {
				return
			}
			ev, err := event.Unmarshal(m.Event)
			if err != nil {
				return
			}
			deliver(Envelope{EventID: m.EventID, SessionID: m.SessionID, Seq: m.Seq, TimestampMS: m.TS, Event: ev})
		})
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
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
// this process's subscribers of its session.
func (s *Service) deliverRemote(env Envelope) {
	s.mu.Lock()
	e := s.live[env.SessionID]
	s.mu.Unlock()
	if e != nil {
		e.publish(env)
	}
}
