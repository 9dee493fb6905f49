package signalling

import (
	"testing"
	"time"
)

type testEvent struct{ N int }
type otherEvent struct{}

func TestEmitterHandlers(t *testing.T) {
	em := NewEmitter(16)
	defer em.Close()
	var on, once []int
	done := make(chan struct{})
	h := On(em, func(e testEvent) { on = append(on, e.N) })
	Once(em, func(e testEvent) { once = append(once, e.N) })
	On(em, func(e testEvent) {
		if e.N == 2 {
			panic("isolated")
		}
	})
	On(em, func(otherEvent) { close(done) })
	em.Emit(testEvent{1})
	em.Emit(testEvent{2})
	em.Emit(otherEvent{})
	<-done
	h.Off()
	h.Off()
	done2 := make(chan struct{})
	On(em, func(otherEvent) { close(done2) })
	em.Emit(testEvent{3})
	em.Emit(otherEvent{})
	<-done2
	if len(on) != 2 || on[0] != 1 || on[1] != 2 {
		t.Errorf("On saw %v, want [1 2] (panic isolated, Off honoured)", on)
	}
	if len(once) != 1 || once[0] != 1 {
		t.Errorf("Once saw %v, want [1]", once)
	}
}

func TestStreamDropsOldest(t *testing.T) {
	em := NewEmitter(16)
	s := Events[testEvent](em, 3)
	for i := range 5 {
		em.Emit(testEvent{i})
	}
	em.Close() // drains the dispatch queue
	var got []int
	for len(got) < 3 {
		select {
		case ev := <-s.C():
			got = append(got, ev.N)
		case <-time.After(5 * time.Second):
			t.Fatalf("timeout, got %v dropped %d emitter dropped %d", got, s.Dropped(), em.Dropped())
		}
	}
	if got[0] != 2 || got[1] != 3 || got[2] != 4 || s.Dropped() != 2 {
		t.Fatalf("got %v dropped %d, want [2 3 4] dropped 2", got, s.Dropped())
	}
	s.Close()
	s.Close()
	if _, ok := <-s.C(); ok {
		t.Fatal("channel open after Close")
	}
}

func TestEmitterCloseFromHandler(t *testing.T) {
	em := NewEmitter(4)
	done := make(chan struct{})
	On(em, func(testEvent) {
		em.Close() // must not deadlock
		close(done)
	})
	em.Emit(testEvent{})
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close from handler deadlocked")
	}
	em.Close()
	em.Emit(testEvent{}) // after close: dropped, no block
}

func TestHeldEmitterKeepsEarlyEvents(t *testing.T) {
	em := NewHeldEmitter(4)
	for i := range 6 {
		em.Emit(testEvent{i}) // nobody listens yet: held, oldest dropped past 4
	}
	s := Events[testEvent](em, 8)
	em.Close()
	var got []int
	for ev := range s.C() {
		got = append(got, ev.N)
		if len(got) == 4 {
			break
		}
	}
	if len(got) != 4 || got[0] != 2 || got[3] != 5 || em.Dropped() != 2 {
		t.Fatalf("got %v dropped %d, want [2 3 4 5] dropped 2", got, em.Dropped())
	}
	unclaimed := NewHeldEmitter(1)
	unclaimed.Emit(testEvent{})
	unclaimed.Close() // never claimed: must still stop
}
