package realtime

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/realtime/internal/wsframe"
)

// Socket buffer sizes. Small buffers keep idle connections cheap. The
// writer must hold any whole control frame (2+8+125 bytes) so that every
// frame the WebSocket library writes reaches sockConn in one Write call.
const (
	readBufferSize  = 1024
	writeBufferSize = 256
)

// errSealed reports a data write after the close frame.
var errSealed = errors.New("realtime: connection closing")

// sockConn is the server side of one hijacked TCP connection. The WebSocket
// library writes control frames (ping, pong, close) through Write; data
// frames, ready-made and shared between subscribers, are written by a writer
// worker with tryWriteFrames (one non-blocking write) and by the connection's
// drain goroutine with writeFrames (one writev per batch, blocking). A mutex
// keeps them from interleaving, and every blocking write carries a deadline
// so a stuck peer cannot pin a goroutine.
type sockConn struct {
	net.Conn
	timeout time.Duration
	// raw makes non-blocking writes; nil when the connection has no socket
	// descriptor (then every write takes the blocking path).
	raw *rawWriter

	pending []byte // bytes read by net/http before the hijack

	mu     sync.Mutex
	sealed bool // a close frame is on its way: no more data frames
}

// Read returns bytes buffered before the hijack, then reads the socket.
func (c *sockConn) Read(p []byte) (int, error) {
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// Write writes one frame from the WebSocket library.
func (c *sockConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.Conn.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, fmt.Errorf("set write deadline: %w", err)
	}
	return c.Conn.Write(p)
}

// writeFrames writes complete data frames in one vectored write.
func (c *sockConn) writeFrames(frames [][]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sealed {
		return errSealed
	}
	if err := c.Conn.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
		return fmt.Errorf("set write deadline: %w", err)
	}
	bufs := net.Buffers(frames)
	if _, err := bufs.WriteTo(c.Conn); err != nil {
		return fmt.Errorf("write frames: %w", err)
	}
	return nil
}

// tryWriteFrames writes frames as far as the socket takes them without
// blocking, copying them through scratch (capacity scratchSize) so that a
// batch costs one write system call. It returns the frames not written, the
// first possibly cut; all of them when the socket has no raw descriptor, a
// control frame is being written or the first frame exceeds scratch.
func (c *sockConn) tryWriteFrames(frames [][]byte, scratch *[]byte) ([][]byte, error) {
	if c.raw == nil || !c.mu.TryLock() {
		return frames, nil
	}
	defer c.mu.Unlock()
	if c.sealed {
		return frames, errSealed
	}
	for len(frames) > 0 {
		buf := (*scratch)[:0]
		for _, f := range frames {
			if len(buf)+len(f) > cap(buf) {
				break
			}
			buf = append(buf, f...)
		}
		if len(buf) == 0 {
			return frames, nil
		}
		n, err := c.raw.Write(buf)
		if err != nil {
			return frames, fmt.Errorf("write frames: %w", err)
		}
		frames = advance(frames, n)
		if n < len(buf) {
			return frames, nil
		}
	}
	return nil, nil
}

// advance drops the first n bytes of frames, cutting the frame n ends in.
func advance(frames [][]byte, n int) [][]byte {
	for len(frames) > 0 && n >= len(frames[0]) {
		n -= len(frames[0])
		frames = frames[1:]
	}
	if n > 0 {
		frames[0] = frames[0][n:]
	}
	return frames
}

// seal refuses further data frames; the close frame follows.
func (c *sockConn) seal() {
	c.mu.Lock()
	c.sealed = true
	c.mu.Unlock()
}

// textFrame returns payload as one unmasked, final WebSocket text frame
// (RFC 6455 §5.2; servers never mask and we negotiate no extensions). The
// result is immutable and may be queued to any number of connections.
func textFrame(payload []byte) []byte {
	f := wsframe.AppendHeader(make([]byte, 0, wsframe.MaxHeader+len(payload)), wsframe.OpText, len(payload), nil)
	return append(f, payload...)
}

// hijackWriter hands the WebSocket library a sockConn and small buffers in
// place of net/http's 4 KiB reader and writer.
type hijackWriter struct {
	http.ResponseWriter
	timeout time.Duration
	conn    *sockConn // set by Hijack
}

// Hijack takes over the connection.
func (h *hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, fmt.Errorf("hijack: %w", err)
	}
	sc := &sockConn{Conn: nc, timeout: h.timeout, raw: newRawWriter(nc)}
	if n := brw.Reader.Buffered(); n > 0 {
		b, _ := brw.Reader.Peek(n)
		sc.pending = bytes.Clone(b)
	}
	h.conn = sc
	return sc, bufio.NewReadWriter(bufio.NewReaderSize(sc, readBufferSize), bufio.NewWriterSize(sc, writeBufferSize)), nil
}
