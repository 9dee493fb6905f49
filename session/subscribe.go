package session

import (
	"context"
	"fmt"

	"github.com/rkat-dev/rkat/agent/event"
)

// Subscription receives the events of one session through a bounded
// buffer. When the buffer is full, events are dropped for this subscriber
// only; the next event that finds room is preceded by a stream_truncated
// envelope (kind channel_full) saying how many were lost, carrying the
// sequence number of the last lost event.
type Subscription struct {
	ch   chan Envelope
	lost chan struct{} // closed at the first dropped event
	svc  *Service
	id   string
	e    *entry
	// after is the session's last committed sequence number when Subscribe
	// read it: events up to it belong to turns that had already ended.
	after uint64

	// Guarded by e.subMu.
	closed      bool
	dropped     int
	lastDropped uint64 // seq of the latest dropped event; 0 until the first drop
}

// Events returns the channel of envelopes; it is closed by Close, when the
// session is archived (after its running turn's last event) or when the
// Service closes.
func (sub *Subscription) Events() <-chan Envelope { return sub.ch }

// Lost is closed as soon as the subscription first drops an event, for
// subscribers that give up rather than continue after a gap.
func (sub *Subscription) Lost() <-chan struct{} { return sub.lost }

// Close ends the subscription. It is safe to call more than once.
func (sub *Subscription) Close() {
	e := sub.e
	e.subMu.Lock()
	if sub.closed {
		e.subMu.Unlock()
		return
	}
	sub.closed = true
	close(sub.ch)
	for i, x := range e.subs {
		if x == sub {
			e.subs = append(e.subs[:i], e.subs[i+1:]...)
			break
		}
	}
	e.subMu.Unlock()
	sub.svc.mu.Lock()
	sub.svc.dropIfIdleLocked(sub.id, e)
	sub.svc.mu.Unlock()
}

// Subscribe attaches a subscriber to a session's events with a buffer of
// the given size (at least 1; zero means 64). An archived session has no
// more events: subscribing to it fails with ErrArchived.
//
// The subscriber receives the events that follow the session's last
// committed turn: those of a turn running or started from now on, here or
// (through the relay) in another process. Events of a turn that had
// committed before Subscribe was called are never delivered, also when the
// relay hands them over late.
func (s *Service) Subscribe(ctx context.Context, id string, buffer int) (*Subscription, error) {
	if buffer < 0 {
		return nil, fmt.Errorf("%w: negative buffer", ErrInvalid)
	}
	if buffer == 0 {
		buffer = 64
	}
	sess, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if sess.Archived {
		return nil, fmt.Errorf("%w: %s", ErrArchived, id)
	}
	if s.relay != nil {
		s.relay.awaitListening(ctx)
	}
	e, err := s.acquire(id)
	if err != nil {
		return nil, err
	}
	sub := &Subscription{ch: make(chan Envelope, buffer), lost: make(chan struct{}), svc: s, id: id, e: e, after: sess.LastSeq}
	e.subMu.Lock()
	e.subs = append(e.subs, sub)
	e.subMu.Unlock()
	s.release(id, e)
	return sub, nil
}

func (e *entry) hasSubs() bool {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	return len(e.subs) > 0
}

// publish offers env to every subscriber without blocking.
func (e *entry) publish(env Envelope) {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	for _, sub := range e.subs {
		sub.offer(env)
	}
}

// offer delivers env or counts it as dropped; it runs under e.subMu. An
// event of a turn committed before Subscribe (a relayed one arriving late)
// is skipped.
func (sub *Subscription) offer(env Envelope) {
	if env.Seq <= sub.after {
		return
	}
	if sub.dropped > 0 {
		notice := Envelope{
			EventID: newEventID(), SessionID: env.SessionID, Seq: sub.lastDropped, TimestampMS: env.TimestampMS,
			Event: event.StreamTruncated{Reason: event.TruncationReason{Kind: "channel_full", Dropped: sub.dropped}},
		}
		select {
		case sub.ch <- notice:
			sub.dropped = 0
		default:
		}
	}
	if sub.dropped == 0 {
		select {
		case sub.ch <- env:
			return
		default:
		}
	}
	sub.dropped++
	if sub.lastDropped == 0 { // sequence numbers start at 1
		close(sub.lost)
	}
	sub.lastDropped = env.Seq
}

// closeSubs ends every subscription of the entry.
func (e *entry) closeSubs() {
	e.subMu.Lock()
	subs := e.subs
	e.subs = nil
	for _, sub := range subs {
		sub.closed = true
		close(sub.ch)
	}
	e.subMu.Unlock()
}
