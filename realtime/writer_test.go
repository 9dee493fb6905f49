package realtime

import (
	"testing"
	"time"
)

// The ready list is first in, first out, and under load that never lets it
// empty it stays as long as what is listed, not as long as everything ever
// listed.
func TestWritersReadyListIsFIFOAndBounded(t *testing.T) {
	w := &writers{wake: make(chan struct{}, 1), stop: make(chan struct{})}
	conns := make([]*conn, 100)
	for i := range conns {
		conns[i] = &conn{}
		w.schedule(conns[i])
	}
	chunk := make([]*conn, writerChunk)
	next := 0 // index in conns of the connection expected next
	for round := range 1000 {
		n, ok := w.take(chunk)
		if !ok || n == 0 {
			t.Fatalf("round %d: take = %d, %v", round, n, ok)
		}
		for _, c := range chunk[:n] {
			if c != conns[next] {
				t.Fatalf("round %d: connection out of order (want index %d)", round, next)
			}
			next = (next + 1) % len(conns)
			w.schedule(c) // more frames queued meanwhile: listed again
		}
		if listed := len(w.ready) - w.head; listed != len(conns) {
			t.Fatalf("round %d: %d listed, want %d", round, listed, len(conns))
		}
		if cap(w.ready) > 4*len(conns) {
			t.Fatalf("round %d: ready list capacity grew to %d", round, cap(w.ready))
		}
	}
}

// A worker waiting on an empty list is woken by schedule and stops on close.
func TestWritersWakeAndStop(t *testing.T) {
	w := &writers{wake: make(chan struct{}, 1), stop: make(chan struct{})}
	got := make(chan *conn)
	w.wg.Go(func() {
		chunk := make([]*conn, 1)
		for {
			n, ok := w.take(chunk)
			if !ok {
				close(got)
				return
			}
			got <- chunk[n-1]
		}
	})
	for idle, end := 0, time.Now().Add(5*time.Second); idle == 0; { // let the worker wait first
		if time.Now().After(end) {
			t.Fatal("the worker never waited")
		}
		time.Sleep(time.Millisecond)
		w.mu.Lock()
		idle = w.idle
		w.mu.Unlock()
	}
	c := &conn{}
	w.schedule(c)
	if g := <-got; g != c {
		t.Fatal("woken worker took another connection")
	}
	w.close()
	if _, open := <-got; open {
		t.Fatal("worker did not stop")
	}
}
