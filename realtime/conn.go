package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// conn is one welcomed WebSocket connection.
//
// Goroutines: readLoop (owned by the Server) reads and handles client
// frames; the outbound queue is written by a writer worker (see writers)
// and, when the socket would block or a close is pending, by a drain
// goroutine owned by the conn that exits once the queue is empty; short ping
// goroutines are started by the sweeper. cleanup, at the end of readLoop,
// waits for all conn goroutines.
type conn struct {
	srv  *Server
	id   identity
	ws   *websocket.Conn
	sock *sockConn
	// entry is this peer's presence entry.
	entry wire.PresenceEntry

	// Hub state, guarded by app.mu.
	app      *app
	subs     map[string]*subscription
	detached bool

	// Outbound queue, guarded by mu.
	mu         sync.Mutex
	queue      [][]byte
	spare      [][]byte
	queued     int
	writing    bool // listed for the writers, being written, or draining
	closing    bool // no more frames are queued
	dead       bool // cleanup started: no more goroutines
	finalClose *closeRequest
	sentClose  int // close code the server initiated, 0 if none
	wg         sync.WaitGroup

	lastActive atomic.Int64 // unix nanoseconds of the last inbound frame or pong
	pinging    atomic.Bool
	expiry     *time.Timer

	// Rate bucket, used only by readLoop.
	tokens   float64
	lastFill time.Time
}

// closeRequest is a close sent after the queue drains.
type closeRequest struct {
	code   websocket.StatusCode
	reason string
}

// subscription is one conn's membership of one channel.
type subscription struct {
	c        *conn
	withMeta bool
	after    uint64 // in a cluster, history offsets up to after were recovered elsewhere
}

// spawn runs f on a goroutine owned by c unless cleanup has begun.
func (c *conn) spawn(f func()) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.spawnLocked(f)
}

func (c *conn) spawnLocked(f func()) bool {
	if c.dead {
		return false
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		f()
	}()
	return true
}

// enqueue appends a complete WebSocket frame (see textFrame) to the outbound
// queue without blocking. A full queue marks the client as a slow consumer
// and disconnects it. The frame bytes are shared between connections and
// must not be modified.
func (c *conn) enqueue(frame []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return
	}
	lim := c.srv.limits
	if len(c.queue) >= lim.QueueFrames || c.queued+len(frame) > lim.QueueBytes {
		c.srv.metrics.drops.WithLabelValues("slow_consumer").Inc()
		c.srv.log.Info("slow consumer disconnected", "peer", c.id.peerID, "app", c.id.app, "queued_frames", len(c.queue))
		c.abortLocked(wire.ClosePolicyViolation, "slow consumer: outbound queue full")
		return
	}
	if c.queue == nil {
		c.queue, c.spare = c.spare, nil
	}
	c.queue = append(c.queue, frame)
	c.queued += len(frame)
	if !c.writing {
		c.writing = true
		c.srv.writers.schedule(c)
	}
}

// enqueueJSON encodes v as a text frame and queues it.
func (c *conn) enqueueJSON(v any) {
	f, err := encodeFrame(v)
	if err != nil {
		c.srv.log.Error("encode frame", "err", err)
		return
	}
	c.enqueue(f)
}

// encodeFrame encodes v as JSON in a complete WebSocket text frame.
func encodeFrame(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return textFrame(b), nil
}

// flush is a writer worker's turn at c: it takes the whole queue and
// writes it without blocking. What the socket does not take goes to a drain
// goroutine, as does a pending close. It reports whether more frames were
// queued meanwhile, so that the worker lists c again.
func (c *conn) flush(scratch *[]byte) bool {
	c.mu.Lock()
	batch := c.queue
	c.queue, c.queued = nil, 0
	if len(batch) == 0 {
		c.writing = c.finalClose != nil && c.spawnLocked(func() { c.drain(nil) })
		c.mu.Unlock()
		return false
	}
	c.mu.Unlock()
	rest, err := c.sock.tryWriteFrames(batch, scratch)
	if err != nil {
		c.writeFailed()
		return false
	}
	c.srv.framesOut.Add(int64(len(batch) - len(rest)))
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(rest) > 0 {
		clear(batch[:len(batch)-len(rest)])
		c.writing = c.spawnLocked(func() { c.drain(rest) })
		return false
	}
	c.recycleLocked(batch)
	c.writing = len(c.queue) > 0 || c.finalClose != nil
	return c.writing
}

// drain writes pending, then queued frames in batches with blocking writes
// until the queue is empty, then performs a pending close.
func (c *conn) drain(pending [][]byte) {
	for {
		c.mu.Lock()
		if len(pending) == 0 {
			pending = c.queue
			c.queue, c.queued = nil, 0
		}
		if len(pending) == 0 {
			c.writing = false
			fc := c.finalClose
			c.finalClose = nil
			c.mu.Unlock()
			if fc != nil {
				c.sock.seal()
				_ = c.ws.Close(fc.code, fc.reason)
			}
			return
		}
		c.mu.Unlock()
		if err := c.sock.writeFrames(pending); err != nil {
			c.writeFailed()
			return
		}
		c.srv.framesOut.Add(int64(len(pending)))
		c.mu.Lock()
		c.recycleLocked(pending)
		c.mu.Unlock()
		pending = nil
	}
}

// recycleLocked keeps a written batch's backing array for the next queue.
// c.mu is held.
func (c *conn) recycleLocked(batch [][]byte) {
	clear(batch)
	if c.spare == nil && cap(batch) <= 64 {
		c.spare = batch[:0]
	}
}

// writeFailed drops the queue and the connection after a failed write.
func (c *conn) writeFailed() {
	c.mu.Lock()
	c.closing, c.writing, c.queue, c.finalClose = true, false, nil, nil
	c.mu.Unlock()
	_ = c.ws.CloseNow()
}

// closeAfterFlush stops queueing, lets the queue drain, then closes with
// code. It never blocks.
func (c *conn) closeAfterFlush(code int, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return
	}
	c.closing, c.sentClose = true, code
	c.finalClose = &closeRequest{code: websocket.StatusCode(code), reason: reason}
	if !c.writing {
		c.writing = c.spawnLocked(func() { c.drain(nil) })
	}
}

// abortLocked drops the queue and closes with code at once. c.mu is held.
func (c *conn) abortLocked(code int, reason string) {
	c.closing, c.sentClose = true, code
	c.queue, c.queued, c.finalClose = nil, 0, nil
	c.spawnLocked(func() {
		c.sock.seal()
		_ = c.ws.Close(websocket.StatusCode(code), reason)
	})
}

// touch records inbound activity.
func (c *conn) touch(now time.Time) { c.lastActive.Store(now.UnixNano()) }

// allowFrame takes one token from the rate bucket.
func (c *conn) allowFrame(now time.Time) bool {
	lim := c.srv.limits
	c.tokens += now.Sub(c.lastFill).Seconds() * lim.RatePerSecond
	if burst := float64(lim.RateBurst); c.tokens > burst {
		c.tokens = burst
	}
	c.lastFill = now
	if c.tokens < 1 {
		return false
	}
	c.tokens--
	return true
}

// readLoop reads client frames until the connection ends, then cleans up.
func (c *conn) readLoop() {
	defer c.cleanup()
	for n := 1; ; n++ {
		if n%yieldEvery == 0 {
			// A client sending back to back never blocks in Read; let the
			// writers run, or with one P its frames pile up in other
			// connections' queues until they look like slow consumers.
			runtime.Gosched()
		}
		typ, b, err := c.ws.Read(context.Background())
		if err != nil {
			c.recordClose(err)
			return
		}
		now := time.Now()
		c.touch(now)
		if c.srv.draining.Load() || c.isClosing() {
			continue
		}
		if !c.allowFrame(now) {
			c.srv.hub.detach(c)
			c.closeAfterFlush(wire.CloseOverMessageRate, "message rate exceeded")
			continue
		}
		if typ != websocket.MessageText {
			c.sendError(&wire.FrameError{Code: wire.ErrMalformedMessage, Message: "binary frames are not supported"})
			continue
		}
		c.handle(b)
	}
}

// yieldEvery is how many frames a read loop handles before it yields.
const yieldEvery = 64

func (c *conn) isClosing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closing
}

// recordClose counts how the connection ended: the code the server sent,
// else the client's close code, else "abnormal".
func (c *conn) recordClose(err error) {
	c.mu.Lock()
	code := c.sentClose
	c.mu.Unlock()
	if code == 0 {
		code = int(websocket.CloseStatus(err))
	}
	label := "abnormal"
	if code > 0 {
		label = strconv.Itoa(code)
	}
	c.srv.metrics.closes.WithLabelValues(label).Inc()
	c.srv.log.Debug("connection closed", "peer", c.id.peerID, "app", c.id.app, "code", label)
}

// cleanup detaches the conn from the hub, closes the socket and waits for
// the conn's goroutines.
func (c *conn) cleanup() {
	if c.expiry != nil {
		c.expiry.Stop()
	}
	c.srv.hub.detach(c)
	c.mu.Lock()
	c.closing, c.dead = true, true
	c.queue, c.finalClose = nil, nil
	c.mu.Unlock()
	_ = c.ws.CloseNow()
	c.wg.Wait()
	c.srv.forget(c)
}

// ping sends a WebSocket ping unless one is in flight; the pong updates
// lastActive through the OnPongReceived hook.
func (c *conn) ping(timeout time.Duration) {
	if !c.pinging.CompareAndSwap(false, true) {
		return
	}
	if !c.spawn(func() {
		defer c.pinging.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		_ = c.ws.Ping(ctx)
	}) {
		c.pinging.Store(false)
	}
}

// handle processes one client text frame.
func (c *conn) handle(b []byte) {
	f, err := wire.ParseClientFrame(b)
	var fe *wire.FrameError
	if errors.As(err, &fe) {
		c.srv.metrics.messagesIn.WithLabelValues("invalid").Inc()
		c.sendError(fe)
		return
	}
	c.srv.metrics.messagesIn.WithLabelValues(f.Type).Inc()
	if fe := c.dispatch(f); fe != nil {
		fe.RequestID = f.RequestID
		c.sendError(fe)
	}
}

// dispatch runs a parsed frame through spec §2.4 steps 5–10 and the hub.
func (c *conn) dispatch(f wire.ClientFrame) *wire.FrameError {
	h := c.srv.hub
	switch f.Type {
	case wire.TypePing:
		c.enqueue(c.srv.pongFrame)
		return nil
	case wire.TypeUnsubscribe:
		h.unsubscribe(c, f.Channel)
		c.ack(f.RequestID)
		return nil
	case wire.TypeSubscribe:
		if fe := c.checkChannel(f.Channel, permSubscribe); fe != nil {
			return fe
		}
		return h.subscribe(c, f.Channel, f.IncludeSenderMetadata, f.Since, f.RequestID)
	case wire.TypePublish:
		if fe := c.checkChannel(f.Channel, permPublish); fe != nil {
			return fe
		}
		if !c.app.quota.take(time.Now()) {
			return &wire.FrameError{Code: wire.ErrOverMessageQuota, Message: "message quota exhausted"}
		}
		_ = h.publish(c.app, c, f.Channel, f.Data, f.RequestID) // c has been told of a failure
		return nil
	case wire.TypeSend:
		if c.id.perms&permSend == 0 {
			return &wire.FrameError{Code: wire.ErrActionNotPermitted, Message: "send not permitted"}
		}
		if !c.app.quota.take(time.Now()) {
			return &wire.FrameError{Code: wire.ErrOverMessageQuota, Message: "message quota exhausted"}
		}
		return h.send(c, f.To, f.Data, f.RequestID)
	}
	return &wire.FrameError{Code: wire.ErrInternalError, Message: "unhandled frame type"}
}

// checkChannel applies the reserved-prefix, permission and authorization
// checks to a channel request.
func (c *conn) checkChannel(channel string, need perms) *wire.FrameError {
	switch {
	case wire.IsReserved(channel):
		return &wire.FrameError{Code: wire.ErrChannelReserved, Message: "reserved channel: " + channel}
	case c.id.perms&need == 0:
		return &wire.FrameError{Code: wire.ErrActionNotPermitted, Message: "action not permitted"}
	case !c.id.allows(channel):
		return &wire.FrameError{Code: wire.ErrChannelNotAuthorized, Message: "not authorized: " + channel}
	}
	return nil
}

// ack confirms a request when it carried a requestId.
func (c *conn) ack(requestID string) {
	if requestID != "" {
		c.enqueueJSON(wire.Ack{Type: wire.TypeAck, RequestID: requestID})
	}
}

// sendError queues an error frame.
func (c *conn) sendError(fe *wire.FrameError) {
	c.srv.metrics.errors.WithLabelValues(fe.Code).Inc()
	c.enqueueJSON(wire.Error{Type: wire.TypeError, Code: fe.Code, Message: fe.Message, RequestID: fe.RequestID})
}

// pongFrame is the constant reply to an application ping.
const pongFrame = `{"type":"pong"}`
