package signalling

import (
	"context"
	"reflect"
	"sync"
	"sync/atomic"
)

// DefaultEventQueue is the capacity of an Emitter's dispatch queue and of an
// event Stream when no size is given.
const DefaultEventQueue = 4096

// Source is anything that exposes an Emitter: the Client here, and the peer
// package's Peer, RemotePeer and DataChannel.
type Source interface {
	Emitter() *Emitter
}

// Emitter delivers typed events to handlers registered with On / Once and to
// Streams created with Events. Handlers run one at a time, in emission order,
// on the emitter's own goroutine, so a handler may call blocking methods
// (Publish, Send, ...) without stalling the network reader. A panicking
// handler is isolated: the panic is recovered and emission continues.
type Emitter struct {
	queue   chan any
	done    chan struct{}
	stopped chan struct{}

	mu       sync.Mutex
	nextID   uint64
	handlers map[reflect.Type][]handlerEntry

	ready     chan struct{} // closed when dispatch may start
	readyOnce sync.Once

	stopOnce   sync.Once
	inDispatch atomic.Bool
	dropped    atomic.Uint64
}

type handlerEntry struct {
	id   uint64
	once bool
	fn   func(any)
}

// Handle identifies one registration; Off removes it.
type Handle struct {
	em  *Emitter
	typ reflect.Type
	id  uint64
}

// NewEmitter starts an emitter whose dispatch queue holds queue events
// (DefaultEventQueue when queue <= 0). Emit never blocks: when the queue is
// full the oldest queued event is dropped. The owner must call Close to stop
// its goroutine.
func NewEmitter(queue int) *Emitter {
	return newEmitter(queue, false)
}

// NewHeldEmitter is NewEmitter for objects handed to the application inside
// an event (a remote peer, a data channel): it holds queued events until the
// first handler or stream is registered, so nothing emitted in between is
// lost (up to the queue bound).
func NewHeldEmitter(queue int) *Emitter {
	return newEmitter(queue, true)
}

func newEmitter(queue int, held bool) *Emitter {
	if queue <= 0 {
		queue = DefaultEventQueue
	}
	em := &Emitter{
		queue:    make(chan any, queue),
		done:     make(chan struct{}),
		stopped:  make(chan struct{}),
		ready:    make(chan struct{}),
		handlers: make(map[reflect.Type][]handlerEntry),
	}
	if !held {
		em.readyOnce.Do(func() { close(em.ready) })
	}
	go em.run()
	return em
}

// On registers h for events of type E and returns a handle for Off.
func On[E any](src Source, h func(E)) Handle {
	return register(src.Emitter(), h, false)
}

// Once registers h for the next event of type E only.
func Once[E any](src Source, h func(E)) Handle {
	return register(src.Emitter(), h, true)
}

func register[E any](em *Emitter, h func(E), once bool) Handle {
	typ := reflect.TypeFor[E]()
	defer em.readyOnce.Do(func() { close(em.ready) })
	em.mu.Lock()
	defer em.mu.Unlock()
	em.nextID++
	id := em.nextID
	em.handlers[typ] = append(em.handlers[typ], handlerEntry{
		id:   id,
		once: once,
		fn:   func(v any) { h(v.(E)) },
	})
	return Handle{em: em, typ: typ, id: id}
}

// Off removes the registration. It is safe to call more than once.
func (h Handle) Off() {
	if h.em == nil {
		return
	}
	h.em.remove(h.typ, h.id)
}

func (em *Emitter) remove(typ reflect.Type, id uint64) bool {
	em.mu.Lock()
	defer em.mu.Unlock()
	list := em.handlers[typ]
	for i, e := range list {
		if e.id == id {
			em.handlers[typ] = append(list[:i:i], list[i+1:]...)
			return true
		}
	}
	return false
}

// Emit queues ev for delivery without blocking. When the queue is full the
// oldest queued event is dropped; after Close ev is dropped.
func (em *Emitter) Emit(ev any) {
	select {
	case <-em.done:
		return
	default:
	}
	for {
		select {
		case em.queue <- ev:
			return
		default:
		}
		select {
		case <-em.queue:
			em.dropped.Add(1)
		default:
		}
	}
}

// Dropped reports how many events were discarded because the queue was full.
func (em *Emitter) Dropped() uint64 { return em.dropped.Load() }

// Close stops the emitter after the queued events have been delivered. When
// called from inside a handler it does not wait (that would deadlock); the
// goroutine still exits right after the current handler returns.
func (em *Emitter) Close() {
	em.stopOnce.Do(func() { close(em.done) })
	if em.inDispatch.Load() {
		return
	}
	<-em.stopped
}

// Emitter returns em itself, so an Emitter is also a Source.
func (em *Emitter) Emitter() *Emitter { return em }

func (em *Emitter) run() {
	defer close(em.stopped)
	select {
	case <-em.ready:
	case <-em.done:
		select {
		case <-em.ready: // both happened: still deliver what was queued
		default:
			return // held and never claimed: drop
		}
	}
	for {
		select {
		case ev := <-em.queue:
			em.dispatch(ev)
		case <-em.done:
			for {
				select {
				case ev := <-em.queue:
					em.dispatch(ev)
				default:
					return
				}
			}
		}
	}
}

func (em *Emitter) dispatch(ev any) {
	typ := reflect.TypeOf(ev)
	em.mu.Lock()
	list := append([]handlerEntry(nil), em.handlers[typ]...)
	em.mu.Unlock()
	for _, e := range list {
		if e.once && !em.remove(typ, e.id) {
			continue // another delivery already consumed this Once
		}
		em.call(e.fn, ev)
	}
}

func (em *Emitter) call(fn func(any), ev any) {
	em.inDispatch.Store(true)
	defer em.inDispatch.Store(false)
	defer func() { _ = recover() }()
	fn(ev)
}

// Stream is a bounded buffer of events of one type that drops the oldest
// event when full. Read from C; Close unregisters it and closes C.
type Stream[E any] struct {
	ch     chan E
	handle Handle

	mu      sync.Mutex
	closed  bool
	dropped uint64
}

// Events subscribes a Stream of capacity size (DefaultEventQueue when
// size <= 0) to events of type E.
func Events[E any](src Source, size int) *Stream[E] {
	if size <= 0 {
		size = DefaultEventQueue
	}
	s := &Stream[E]{ch: make(chan E, size)}
	s.handle = On(src, s.push)
	return s
}

func (s *Stream[E]) push(ev E) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	for {
		select {
		case s.ch <- ev:
			return
		default:
		}
		select {
		case <-s.ch:
			s.dropped++
		default:
		}
	}
}

// C is the channel events arrive on. It is closed by Close.
func (s *Stream[E]) C() <-chan E { return s.ch }

// Next waits for the next event; it fails when ctx ends or the stream is
// closed (ErrClosed).
func (s *Stream[E]) Next(ctx context.Context) (E, error) {
	select {
	case ev, ok := <-s.ch:
		if !ok {
			var zero E
			return zero, ErrClosed
		}
		return ev, nil
	case <-ctx.Done():
		var zero E
		return zero, ctx.Err()
	}
}

// Dropped reports how many events were discarded because the buffer was full.
func (s *Stream[E]) Dropped() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// Close unregisters the stream and closes its channel. Idempotent.
func (s *Stream[E]) Close() {
	s.handle.Off()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.ch)
	}
}
