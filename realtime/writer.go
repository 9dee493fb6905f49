package realtime

import (
	"sync"
	"sync/atomic"
)

// scratchSize bounds the buffer a writer copies a connection's queued
// frames into for one non-blocking write; larger frames take the blocking
// path.
const scratchSize = 64 << 10

// writers is the fan-out stage: a fixed set of shards (one per GOMAXPROCS at
// New), each with one worker goroutine owned by the Server. A connection
// with frames to send is put on its shard's ready list once; the worker
// writes its whole queue in one non-blocking write. A socket that cannot take
// everything at once gets its own drain goroutine (blocking writes with a
// deadline), so a slow reader never holds up a shard. A burst to 5,000
// subscribers thus costs a few worker wakeups instead of 5,000 goroutines.
type writers struct {
	shards []*writerShard
	next   atomic.Uint32
	stop   chan struct{}
	wg     sync.WaitGroup
}

// writerShard is one worker and its ready list. The list holds each
// connection at most once (conn.writing), so it is bounded by the number of
// connections.
type writerShard struct {
	mu    sync.Mutex
	ready []*conn
	spare []*conn
	wake  chan struct{} // capacity 1
}

func newWriters(n int) *writers {
	w := &writers{stop: make(chan struct{})}
	for range max(n, 1) {
		sh := &writerShard{wake: make(chan struct{}, 1)}
		w.shards = append(w.shards, sh)
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			sh.run(w.stop)
		}()
	}
	return w
}

// assign picks the shard of a new connection, round robin.
func (w *writers) assign() *writerShard {
	return w.shards[int(w.next.Add(1))%len(w.shards)]
}

// close stops the workers and waits for them. Connections still listed are
// not written (they are closed by then).
func (w *writers) close() {
	close(w.stop)
	w.wg.Wait()
}

// schedule lists c for writing and wakes the worker when the list was
// empty.
func (sh *writerShard) schedule(c *conn) {
	sh.mu.Lock()
	sh.ready = append(sh.ready, c)
	first := len(sh.ready) == 1
	sh.mu.Unlock()
	if first {
		select {
		case sh.wake <- struct{}{}:
		default:
		}
	}
}

// run writes listed connections until stop is closed.
func (sh *writerShard) run(stop <-chan struct{}) {
	scratch := make([]byte, 0, scratchSize)
	for {
		sh.mu.Lock()
		batch := sh.ready
		sh.ready, sh.spare = sh.spare, nil
		sh.mu.Unlock()
		if len(batch) == 0 {
			select {
			case <-stop:
				return
			case <-sh.wake:
			}
			continue
		}
		for i, c := range batch {
			batch[i] = nil
			if c.flush(&scratch) {
				sh.schedule(c)
			}
		}
		sh.mu.Lock()
		if sh.spare == nil {
			sh.spare = batch[:0]
		}
		sh.mu.Unlock()
	}
}
