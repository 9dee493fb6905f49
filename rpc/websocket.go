package rpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"

	"github.com/coder/websocket"
)

// WebSocket is a Transport over a WebSocket connection: one text message per
// JSON-RPC message, no newline framing.
type WebSocket struct {
	c      *websocket.Conn
	ctx    context.Context
	cancel context.CancelFunc
	closed atomic.Bool // set by Close: a read failing after it is io.EOF
}

// NewWebSocket wraps c. maxInbound bounds one inbound message (0 means
// DefaultMaxInbound); a larger one ends the connection. ctx bounds reads
// and writes; Close ends it.
func NewWebSocket(ctx context.Context, c *websocket.Conn, maxInbound int64) *WebSocket {
	if maxInbound <= 0 {
		maxInbound = DefaultMaxInbound
	}
	c.SetReadLimit(maxInbound)
	ctx, cancel := context.WithCancel(ctx)
	return &WebSocket{c: c, ctx: ctx, cancel: cancel}
}

// ReadMessage returns the next text message; a normal close is io.EOF.
func (w *WebSocket) ReadMessage() ([]byte, error) {
	typ, data, err := w.c.Read(w.ctx)
	switch {
	case err != nil && w.closed.Load():
		return nil, io.EOF
	case websocket.CloseStatus(err) == websocket.StatusNormalClosure || websocket.CloseStatus(err) == websocket.StatusGoingAway:
		return nil, io.EOF
	case websocket.CloseStatus(err) == websocket.StatusMessageTooBig:
		return nil, fmt.Errorf("%w: %v", ErrFrameTooLarge, err)
	case err != nil:
		return nil, err
	case typ != websocket.MessageText:
		return nil, errors.New("rpc: binary WebSocket message; JSON-RPC travels in text messages")
	}
	return data, nil
}

// WriteMessage sends msg as one text message.
func (w *WebSocket) WriteMessage(msg []byte) error {
	return w.c.Write(w.ctx, websocket.MessageText, msg)
}

// Flush does nothing: every message is sent as it is written.
func (w *WebSocket) Flush() error { return nil }

// Close closes the WebSocket normally; closing one the peer or an earlier
// Close already closed is not an error.
func (w *WebSocket) Close() error {
	defer w.cancel()
	w.closed.Store(true)
	err := w.c.Close(websocket.StatusNormalClosure, "")
	if websocket.CloseStatus(err) != -1 || errors.Is(err, context.Canceled) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
