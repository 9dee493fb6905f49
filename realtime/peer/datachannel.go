package peer

import (
	"context"
	"fmt"
	"sync"

	"github.com/pion/webrtc/v4"

	"github.com/rkat-dev/rkat/realtime/signalling"
)

// Data channel backpressure defaults (the SDKs' values).
const (
	DefaultMaxBufferedAmount = 1 << 20
	DefaultMaxQueuedSends    = 256
)

// DataChannelOptions bound a DataChannel's outbound buffering.
type DataChannelOptions struct {
	// MaxBufferedAmount is the buffered-amount cap above which Send waits
	// (default 1 MiB); a single payload larger than it is refused.
	MaxBufferedAmount uint64
	// MaxQueuedSends caps the Sends waiting for buffer space (default 256);
	// one more fails with *DataChannelOverflowError.
	MaxQueuedSends int
}

// DCOpen fires when the channel opens.
type DCOpen struct{}

// DCClose fires when the channel closes.
type DCClose struct{}

// DCError reports a channel error.
type DCError struct {
	Err error
}

// DCMessage is one inbound message; IsString tells text from binary.
type DCMessage struct {
	Data     []byte
	IsString bool
}

// DataChannel wraps a pion data channel with backpressure and typed events
// (DCOpen, DCClose, DCError, DCMessage). Its emitter holds events until the
// first handler is registered, so no early message is lost.
type DataChannel struct {
	em   *signalling.Emitter
	opts DataChannelOptions
	init *webrtc.DataChannelInit // for re-creation after glare; nil if inbound

	mu       sync.Mutex
	dc       *webrtc.DataChannel
	queued   int
	low      chan struct{} // closed (and replaced) when the buffer drains
	opened   chan struct{}
	closedCh chan struct{}
	openOnce sync.Once
	stopOnce sync.Once
}

// WrapDataChannel wraps dc. The wrapper stops its goroutine when the channel
// closes or Close is called.
func WrapDataChannel(dc *webrtc.DataChannel, opts DataChannelOptions) *DataChannel {
	if opts.MaxBufferedAmount == 0 {
		opts.MaxBufferedAmount = DefaultMaxBufferedAmount
	}
	if opts.MaxQueuedSends <= 0 {
		opts.MaxQueuedSends = DefaultMaxQueuedSends
	}
	d := &DataChannel{
		em:       signalling.NewHeldEmitter(0),
		opts:     opts,
		low:      make(chan struct{}),
		opened:   make(chan struct{}),
		closedCh: make(chan struct{}),
	}
	d.bind(dc)
	return d
}

// bind attaches the wrapper to dc (again, after a glare rebuild).
func (d *DataChannel) bind(dc *webrtc.DataChannel) {
	d.mu.Lock()
	d.dc = dc
	d.mu.Unlock()
	dc.SetBufferedAmountLowThreshold(d.opts.MaxBufferedAmount / 2)
	dc.OnBufferedAmountLow(d.onLow)
	dc.OnOpen(d.onOpen)
	dc.OnClose(d.stop)
	dc.OnError(func(err error) { d.em.Emit(DCError{Err: err}) })
	dc.OnMessage(func(m webrtc.DataChannelMessage) { d.em.Emit(DCMessage{Data: m.Data, IsString: m.IsString}) })
	if dc.ReadyState() == webrtc.DataChannelStateOpen {
		d.onOpen()
	}
}

// unbind detaches the wrapper's callbacks from its current pion channel.
func (d *DataChannel) unbind() {
	dc := d.raw()
	dc.OnBufferedAmountLow(nil)
	dc.OnOpen(nil)
	dc.OnClose(nil)
	dc.OnError(nil)
	dc.OnMessage(nil)
}

func (d *DataChannel) raw() *webrtc.DataChannel {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dc
}

func (d *DataChannel) onOpen() {
	d.openOnce.Do(func() {
		close(d.opened)
		d.em.Emit(DCOpen{})
	})
}

func (d *DataChannel) onLow() {
	d.mu.Lock()
	defer d.mu.Unlock()
	close(d.low)
	d.low = make(chan struct{})
}

// stop marks the channel closed, emits DCClose and stops the emitter.
func (d *DataChannel) stop() {
	d.stopOnce.Do(func() {
		close(d.closedCh)
		d.em.Emit(DCClose{})
		d.em.Close()
	})
}

// Emitter returns the channel's event emitter.
func (d *DataChannel) Emitter() *signalling.Emitter { return d.em }

// Label returns the channel label.
func (d *DataChannel) Label() string { return d.raw().Label() }

// ReadyState returns the pion ready state.
func (d *DataChannel) ReadyState() webrtc.DataChannelState { return d.raw().ReadyState() }

// BufferedAmount returns the bytes queued for sending.
func (d *DataChannel) BufferedAmount() uint64 { return d.raw().BufferedAmount() }

// Raw returns the wrapped pion channel.
func (d *DataChannel) Raw() *webrtc.DataChannel { return d.raw() }

// Send sends binary data, waiting for the channel to open and for buffer
// space (backpressure).
func (d *DataChannel) Send(ctx context.Context, data []byte) error {
	return d.send(ctx, len(data), func(dc *webrtc.DataChannel) error { return dc.Send(data) })
}

// SendText sends a text message with the same backpressure as Send.
func (d *DataChannel) SendText(ctx context.Context, s string) error {
	return d.send(ctx, len(s), func(dc *webrtc.DataChannel) error { return dc.SendText(s) })
}

func (d *DataChannel) send(ctx context.Context, size int, write func(*webrtc.DataChannel) error) error {
	if uint64(size) > d.opts.MaxBufferedAmount {
		return &DataChannelClosedError{Msg: fmt.Sprintf("payload of %d bytes exceeds the buffer cap %d", size, d.opts.MaxBufferedAmount)}
	}
	d.mu.Lock()
	if d.queued >= d.opts.MaxQueuedSends {
		q := d.queued
		d.mu.Unlock()
		return &DataChannelOverflowError{Queued: q, Cap: d.opts.MaxQueuedSends}
	}
	d.queued++
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		d.queued--
		d.mu.Unlock()
	}()
	select {
	case <-d.opened:
	case <-d.closedCh:
		return &DataChannelClosedError{Msg: "closed"}
	case <-ctx.Done():
		return ctx.Err()
	}
	for {
		d.mu.Lock()
		low := d.low
		d.mu.Unlock()
		if d.raw().BufferedAmount()+uint64(size) <= d.opts.MaxBufferedAmount {
			break
		}
		select {
		case <-low:
		case <-d.closedCh:
			return &DataChannelClosedError{Msg: "closed"}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := write(d.raw()); err != nil {
		return fmt.Errorf("peer: data channel send: %w", err)
	}
	return nil
}

// Close closes the channel.
func (d *DataChannel) Close() error {
	err := d.raw().Close()
	d.stop()
	return err
}
