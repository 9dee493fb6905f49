package sdk

import (
	"encoding/json"
	"sync"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/rpc/wire"
)

// maxKnown bounds the set of session ids the router remembers as claimed.
const maxKnown = 4096

// router delivers session/event notifications to the subscription of their
// session. It runs on the connection's read goroutine, so events reach a
// subscription before the response that ends their run.
type router struct {
	mu      sync.Mutex
	subs    map[string]*subscription
	pending *subscription       // a streaming create waiting for its session
	known   map[string]struct{} // sessions whose id a response revealed
}

func (r *router) init() {
	r.subs = map[string]*subscription{}
	r.known = map[string]struct{}{}
}

// Envelope is one received event with its envelope fields.
type Envelope struct {
	EventID     string
	SessionID   string
	Seq         uint64
	TimestampMS uint64
	Event       event.Event
}

type item struct {
	env Envelope
	end bool
}

// subscription receives the events of one session while a run streams.
type subscription struct {
	ch   chan item
	done chan struct{} // closed when the consumer stops listening
	once sync.Once
}

func newSubscription() *subscription {
	return &subscription{ch: make(chan item, 256), done: make(chan struct{})}
}

// push hands an item to the consumer, waiting while its buffer is full
// (backpressure) unless the consumer has gone.
func (s *subscription) push(it item) {
	select {
	case s.ch <- it:
	case <-s.done:
	}
}

func (s *subscription) stop() { s.once.Do(func() { close(s.done) }) }

func (r *router) dispatch(method string, params json.RawMessage) {
	if method != wire.MethodSessionEvent {
		return
	}
	var p wire.SessionEvent
	if json.Unmarshal(params, &p) != nil || p.SessionID == "" {
		return
	}
	r.mu.Lock()
	sub := r.subs[p.SessionID]
	if sub == nil && r.pending != nil {
		if _, ok := r.known[p.SessionID]; !ok {
			sub, r.pending = r.pending, nil
			r.subs[p.SessionID] = sub
		}
	}
	r.mu.Unlock()
	if sub == nil {
		return // nobody listens: skip decoding
	}
	ev, err := event.Unmarshal(p.Event.Payload)
	if err != nil {
		ev = event.Unknown{Name: "malformed_event", Raw: append(json.RawMessage(nil), p.Event.Payload...)}
	}
	sub.push(item{env: Envelope{EventID: p.Event.EventID, SessionID: p.SessionID, Seq: p.Event.Seq,
		TimestampMS: p.Event.TimestampMS, Event: ev}})
}

func (r *router) subscribe(sessionID string, sub *subscription) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.subs[sessionID] = sub
}

// unsubscribe removes sub wherever it is registered and remembers the
// session id as claimed.
func (r *router) unsubscribe(sessionID string, sub *subscription) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, s := range r.subs {
		if s == sub {
			delete(r.subs, id)
		}
	}
	if r.pending == sub {
		r.pending = nil
	}
	r.remember(sessionID)
}

func (r *router) remember(sessionID string) {
	if sessionID == "" {
		return
	}
	if len(r.known) >= maxKnown {
		for k := range r.known {
			delete(r.known, k)
			break
		}
	}
	r.known[sessionID] = struct{}{}
}

func (r *router) setPending(sub *subscription) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending = sub
}

// noteKnown records a session id revealed by a response.
func (r *router) noteKnown(sessionID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.remember(sessionID)
}
