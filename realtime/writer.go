package realtime

import (
	"sync"
)

// scratchSize bounds the buffer a writer copies a connection's queued
// frames into for one non-blocking write; larger frames take the blocking
// path.
const scratchSize = 64 << 10

// writerChunk is how many connections a worker takes off the ready list at
// a time.
const writerChunk = 32

// writers is the fan-out stage: a fixed set of worker goroutines (owned by
// the Server) sharing one ready list. A connection with frames to send is
// put on the list once; a worker writes its whole queue in one non-blocking
// write. A socket that cannot take
// everything at once gets its own drain goroutine (blocking writes with a
// deadline), so a slow reader never holds up a worker. A burst to 5,000
// subscribers thus costs a few worker wakeups instead of 5,000 goroutines,
// and because the workers share the list, a worker that gets less CPU
// delays nobody's connections but takes fewer of them.
type writers struct {
	mu    sync.Mutex
	ready []*conn // FIFO from head; each connection at most once (conn.writing)
	head  int
	idle  int           // workers waiting for wake
	wake  chan struct{} // capacity: the number of workers

	stop chan struct{}
	wg   sync.WaitGroup
}

func newWriters(n int) *writers {
	n = max(n, 1)
	w := &writers{wake: make(chan struct{}, n), stop: make(chan struct{})}
	for range n {
		w.wg.Go(w.run)
	}
	return w
}

// close stops the workers and waits for them. Connections still listed are
// not written (they are closed by then).
func (w *writers) close() {
	close(w.stop)
	w.wg.Wait()
}

// schedule lists c for writing and wakes a waiting worker.
func (w *writers) schedule(c *conn) {
	w.mu.Lock()
	w.ready = append(w.ready, c)
	wake := w.idle > 0
	w.mu.Unlock()
	if wake {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

// take moves up to len(dst) listed connections into dst, or reports false
// when stop is closed while it waits for one.
func (w *writers) take(dst []*conn) (int, bool) {
	w.mu.Lock()
	for w.head == len(w.ready) { // empty: take compacts it to [:0]
		w.idle++
		w.mu.Unlock()
		select {
		case <-w.stop:
			return 0, false
		case <-w.wake:
		}
		w.mu.Lock()
		w.idle--
	}
	n := copy(dst, w.ready[w.head:])
	clear(w.ready[w.head : w.head+n]) // taken: no longer kept reachable
	w.head += n
	if w.head > len(w.ready)/2 {
		// Under steady load the list never empties: move the live tail to
		// the front so that it does not grow for ever.
		live := copy(w.ready, w.ready[w.head:])
		clear(w.ready[live:])
		w.ready, w.head = w.ready[:live], 0
	}
	w.mu.Unlock()
	return n, true
}

// run is one worker: it writes listed connections until stop is closed.
func (w *writers) run() {
	scratch := make([]byte, 0, scratchSize)
	chunk := make([]*conn, writerChunk)
	for {
		n, ok := w.take(chunk)
		if !ok {
			return
		}
		for i, c := range chunk[:n] {
			chunk[i] = nil
			if c.flush(&scratch) {
				w.schedule(c)
			}
		}
	}
}
