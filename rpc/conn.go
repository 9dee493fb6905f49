package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Outbound frame limits of the contract.
const (
	DefaultMaxResponse     = 32 << 20
	DefaultMaxNotification = 8 << 20
)

// ErrOutboundTooLarge is returned when a notification or request would exceed
// the outbound frame limit; the frame is not sent.
var ErrOutboundTooLarge = errors.New("rpc: outbound frame too large")

// Request is an inbound request handed to a Handler.
type Request struct {
	// Conn is the connection the request arrived on; handlers use it to call
	// back into the peer.
	Conn   *Conn
	ID     json.RawMessage
	Method string
	Params json.RawMessage
}

// Handler serves one request. The result is sent as is when it is a
// json.RawMessage and marshalled otherwise. A *Error is sent as given; any
// other error becomes -32603 (callers map their own errors before returning).
type Handler func(ctx context.Context, req *Request) (any, error)

// Config configures a Conn.
type Config struct {
	Transport Transport
	// Handler serves inbound requests; nil answers every request with -32601.
	Handler Handler
	// OnNotification receives inbound notifications synchronously, in
	// arrival order, on the read goroutine: before the response of any
	// request that follows them. It must not block for long.
	OnNotification func(method string, params json.RawMessage)
	// IDPrefix makes outbound request ids strings ("srv-1", "srv-2", ...);
	// empty means integer ids 1, 2, ...
	IDPrefix string
	// MaxResponse and MaxNotification bound outbound frames (defaults 32 MiB
	// and 8 MiB). An oversized response is replaced by a -32603 error.
	MaxResponse, MaxNotification int
	// MaxInFlight bounds concurrently served requests (default 1024); a
	// request beyond it is answered at once with -32603.
	MaxInFlight int
	// QueueLen bounds frames waiting for the writer (default 1024); senders
	// block while it is full.
	QueueLen int
	// DrainTimeout is how long requests still running when the peer closes
	// its side may finish and answer before they are cancelled (default 5 s).
	DrainTimeout time.Duration
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
}

// Conn is one JSON-RPC connection. Create it with New and run it with Serve.
type Conn struct {
	cfg      Config
	out      chan []byte
	dead     chan struct{} // closed once the writer stops
	readDone chan struct{} // closed once the read loop stops
	inflight chan struct{}
	nextID   atomic.Int64

	mu      sync.Mutex
	pending map[string]chan *Message
	werr    error
}

// New returns a connection over cfg.Transport.
func New(cfg Config) *Conn {
	if cfg.MaxResponse <= 0 {
		cfg.MaxResponse = DefaultMaxResponse
	}
	if cfg.MaxNotification <= 0 {
		cfg.MaxNotification = DefaultMaxNotification
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 1024
	}
	if cfg.QueueLen <= 0 {
		cfg.QueueLen = 1024
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = 5 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Conn{
		cfg:      cfg,
		out:      make(chan []byte, cfg.QueueLen),
		dead:     make(chan struct{}),
		readDone: make(chan struct{}),
		inflight: make(chan struct{}, cfg.MaxInFlight),
		pending:  map[string]chan *Message{},
	}
}

// Serve reads and dispatches messages until the peer closes its side (nil;
// also when it stops reading: a write failing with EPIPE), the transport
// fails or ctx ends. Requests still running when the peer
// closes get DrainTimeout to answer; then their contexts are cancelled.
// Serve returns only after every goroutine it started has stopped and the
// writer has flushed. It closes the transport.
func (c *Conn) Serve(ctx context.Context) error {
	hctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var handlers sync.WaitGroup
	stopWriter := make(chan struct{})
	writerDone := make(chan struct{})
	go c.writeLoop(stopWriter, writerDone)
	readErr := make(chan error, 1)
	go func() {
		defer close(c.readDone)
		readErr <- c.readLoop(hctx, &handlers)
	}()

	var err error
	select {
	case err = <-readErr:
		if errors.Is(err, io.EOF) {
			err = nil
		}
		c.drain(&handlers)
	case <-c.dead: // the peer stopped reading: nothing more can be answered
	case <-ctx.Done():
	}
	cancel()
	handlers.Wait()
	close(stopWriter)
	<-writerDone
	closeErr := c.cfg.Transport.Close()
	<-c.readDone
	if werr := c.writeErr(); err == nil && !errors.Is(werr, syscall.EPIPE) {
		err = werr // EPIPE: the peer closed its end, as with EOF on the read side
	}
	if err == nil && ctx.Err() == nil && closeErr != nil {
		err = closeErr
	}
	return err
}

// drain waits up to DrainTimeout for running requests.
func (c *Conn) drain(handlers *sync.WaitGroup) {
	done := make(chan struct{})
	go func() { handlers.Wait(); close(done) }()
	t := time.NewTimer(c.cfg.DrainTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	case <-c.dead:
	}
}

func (c *Conn) readLoop(ctx context.Context, handlers *sync.WaitGroup) error {
	for {
		frame, err := c.cfg.Transport.ReadMessage()
		if err != nil {
			if errors.Is(err, ErrFrameTooLarge) {
				c.cfg.Logger.Warn("closing connection", "err", err)
			}
			return err
		}
		msg, perr := Parse(frame)
		switch {
		case perr != nil:
			var id json.RawMessage
			if msg != nil {
				id = msg.ID
			}
			c.cfg.Logger.Debug("rejected frame", "code", perr.Code, "msg", perr.Message)
			c.respond(id, nil, perr)
		case msg.IsRequest():
			c.dispatch(ctx, handlers, msg)
		case msg.IsNotification():
			if c.cfg.OnNotification != nil {
				c.cfg.OnNotification(msg.Method, msg.Params)
			}
		default:
			c.deliver(msg)
		}
	}
}

func (c *Conn) dispatch(ctx context.Context, handlers *sync.WaitGroup, msg *Message) {
	select {
	case c.inflight <- struct{}{}:
	default:
		c.respond(msg.ID, nil, Errorf(CodeInternalError, "too many requests in flight (limit %d)", c.cfg.MaxInFlight))
		return
	}
	handlers.Add(1)
	go func() {
		defer handlers.Done()
		defer func() { <-c.inflight }()
		req := &Request{Conn: c, ID: msg.ID, Method: msg.Method, Params: msg.Params}
		if c.cfg.Handler == nil {
			c.respond(msg.ID, nil, Errorf(CodeMethodNotFound, "method not found: %s", msg.Method))
			return
		}
		result, err := c.cfg.Handler(ctx, req)
		c.respond(msg.ID, result, err)
	}()
}

// respond writes the answer to the request with raw id.
func (c *Conn) respond(id json.RawMessage, result any, err error) {
	var frame []byte
	if err != nil {
		var re *Error
		if !errors.As(err, &re) {
			re = Errorf(CodeInternalError, "%v", err)
		}
		frame = AppendError(nil, id, re)
	} else {
		raw, merr := marshalParams(result)
		if merr != nil {
			frame = AppendError(nil, id, Errorf(CodeInternalError, "encoding result: %v", merr))
		} else {
			frame = AppendResult(make([]byte, 0, len(raw)+64), id, raw)
		}
	}
	if len(frame) > c.cfg.MaxResponse {
		frame = AppendError(nil, id, Errorf(CodeInternalError, "response of %d bytes exceeds the %d byte limit", len(frame), c.cfg.MaxResponse))
	}
	_ = c.send(frame)
}

// deliver hands a response to the Call waiting for it.
func (c *Conn) deliver(msg *Message) {
	c.mu.Lock()
	ch, ok := c.pending[string(msg.ID)]
	delete(c.pending, string(msg.ID))
	c.mu.Unlock()
	if !ok {
		c.cfg.Logger.Debug("response to no pending request", "id", string(msg.ID))
		return
	}
	ch <- msg // buffered, one response per id
}

// Notify sends a notification. params may be a json.RawMessage, sent as is.
// It blocks while the outbound queue is full.
func (c *Conn) Notify(method string, params any) error {
	raw, err := marshalParams(params)
	if err != nil {
		return err
	}
	frame := AppendNotification(make([]byte, 0, len(raw)+len(method)+40), method, raw)
	if len(frame) > c.cfg.MaxNotification {
		return fmt.Errorf("%w: %s notification of %d bytes", ErrOutboundTooLarge, method, len(frame))
	}
	return c.send(frame)
}

// MaxNotificationParams returns the size of the largest params a
// notification of method can carry within the MaxNotification limit.
func (c *Conn) MaxNotificationParams(method string) int {
	return c.cfg.MaxNotification - len(AppendNotification(nil, method, json.RawMessage{}))
}

// Call sends a request to the peer and waits for its answer, ctx or the end
// of the connection. An error answer is returned as *Error.
func (c *Conn) Call(ctx context.Context, method string, params any) (json.RawMessage, error) {
	raw, err := marshalParams(params)
	if err != nil {
		return nil, err
	}
	id := c.newID()
	frame := AppendRequest(make([]byte, 0, len(raw)+len(method)+48), id, method, raw)
	if len(frame) > c.cfg.MaxResponse {
		return nil, fmt.Errorf("%w: %s request of %d bytes", ErrOutboundTooLarge, method, len(frame))
	}
	ch := make(chan *Message, 1)
	c.mu.Lock()
	c.pending[string(id)] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, string(id))
		c.mu.Unlock()
	}()
	if err := c.send(frame); err != nil {
		return nil, err
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return nil, m.Error
		}
		return m.Result, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.readDone:
		return nil, ErrClosed
	}
}

// Done is closed when the connection can no longer send.
func (c *Conn) Done() <-chan struct{} { return c.dead }

func (c *Conn) newID() json.RawMessage {
	n := c.nextID.Add(1)
	if c.cfg.IDPrefix == "" {
		return strconv.AppendInt(nil, n, 10)
	}
	return AppendString(nil, c.cfg.IDPrefix+strconv.FormatInt(n, 10))
}

// send queues a frame for the writer, waiting while the queue is full.
func (c *Conn) send(frame []byte) error {
	select {
	case <-c.dead:
		return ErrClosed
	default:
	}
	select {
	case c.out <- frame:
		return nil
	case <-c.dead:
		return ErrClosed
	}
}

// writeLoop owns the transport's write side. It writes frames in queue
// order and flushes whenever the queue runs empty.
func (c *Conn) writeLoop(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	defer close(c.dead)
	for {
		select {
		case frame := <-c.out:
			if !c.write(frame) || !c.writeQueued() {
				return
			}
		case <-stop:
			c.writeQueued()
			return
		}
	}
}

// writeQueued writes every frame queued now, then flushes. It reports
// whether the transport still works.
func (c *Conn) writeQueued() bool {
	for {
		select {
		case frame := <-c.out:
			if !c.write(frame) {
				return false
			}
		default:
			if err := c.cfg.Transport.Flush(); err != nil {
				c.setWriteErr(err)
				return false
			}
			return true
		}
	}
}

func (c *Conn) write(frame []byte) bool {
	if err := c.cfg.Transport.WriteMessage(frame); err != nil {
		c.setWriteErr(err)
		return false
	}
	return true
}

func (c *Conn) setWriteErr(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.werr == nil {
		c.werr = fmt.Errorf("rpc: write: %w", err)
	}
}

func (c *Conn) writeErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.werr
}

func marshalParams(v any) (json.RawMessage, error) {
	switch p := v.(type) {
	case nil:
		return nil, nil
	case json.RawMessage:
		return p, nil
	default:
		b, err := json.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("rpc: encode: %w", err)
		}
		return b, nil
	}
}
