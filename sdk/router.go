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

	streams map[string]*subscription // by stream id (session/stream_open)
	orphans map[string][]item        // stream items that arrived before their open answer
	nOrphan int
}

func (r *router) init() {
	r.subs = map[string]*subscription{}
	r.known = map[string]struct{}{}
	r.streams = map[string]*subscription{}
	r.orphans = map[string][]item{}
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
	env       Envelope
	end       bool
	streamEnd *wire.StreamEnd // why an explicit stream ended
}

// subscription receives the events of one session while a run streams.
type subscription struct {
	ch   chan item
	done chan struct{} // closed when the consumer stops listening
	once sync.Once
}

func newSubscription() *subscription { return newSubscriptionSize(256) }

func newSubscriptionSize(n int) *subscription {
	return &subscription{ch: make(chan item, n), done: make(chan struct{})}
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
	switch method {
	case wire.MethodStreamEvent, wire.MethodStreamEnd:
		r.dispatchStream(method, params)
		return
	case wire.MethodSessionEvent:
	default:
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
	sub.push(item{env: envelopeOf(p.SessionID, p.Event)})
}

// envelopeOf decodes a received event envelope.
func envelopeOf(sessionID string, e wire.EventEnvelope) Envelope {
	ev, err := event.Unmarshal(e.Payload)
	if err != nil {
		ev = event.Unknown{Name: "malformed_event", Raw: append(json.RawMessage(nil), e.Payload...)}
	}
	return Envelope{EventID: e.EventID, SessionID: sessionID, Seq: e.Seq, TimestampMS: e.TimestampMS, Event: ev}
}

// dispatchStream delivers session/stream_event and session/stream_end to
// the subscription of their stream, holding them (bounded) while the
// stream's open answer is still on its way.
func (r *router) dispatchStream(method string, params json.RawMessage) {
	var it item
	var streamID string
	if method == wire.MethodStreamEvent {
		var p wire.StreamEvent
		if json.Unmarshal(params, &p) != nil || p.StreamID == "" {
			return
		}
		streamID, it = p.StreamID, item{env: envelopeOf(p.SessionID, p.Event)}
	} else {
		var p wire.StreamEnd
		if json.Unmarshal(params, &p) != nil || p.StreamID == "" {
			return
		}
		streamID, it = p.StreamID, item{end: true, streamEnd: &p}
	}
	r.mu.Lock()
	sub := r.streams[streamID]
	if it.end {
		delete(r.streams, streamID)
	}
	if sub == nil && r.nOrphan < maxOrphanStreamEvents {
		r.orphans[streamID] = append(r.orphans[streamID], it)
		r.nOrphan++
	}
	r.mu.Unlock()
	if sub != nil {
		sub.push(it)
	}
}

// subscribeStream attaches sub to a stream and hands it, in order, what
// arrived early. sub's buffer must hold maxOrphanStreamEvents items, so
// the hand-over never blocks while the router is locked.
func (r *router) subscribeStream(streamID string, sub *subscription) {
	r.mu.Lock()
	defer r.mu.Unlock()
	early := r.orphans[streamID]
	delete(r.orphans, streamID)
	r.nOrphan -= len(early)
	for _, it := range early {
		sub.ch <- it
	}
	if len(early) == 0 || !early[len(early)-1].end {
		r.streams[streamID] = sub
	}
}

func (r *router) unsubscribeStream(streamID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.streams, streamID)
	r.nOrphan -= len(r.orphans[streamID])
	delete(r.orphans, streamID)
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
