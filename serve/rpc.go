package serve

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/realtime"
	"github.com/rkat-dev/rkat/realtime/wire"
	"github.com/rkat-dev/rkat/rpc"
)

// handleRPC serves GET /rpc: JSON-RPC 2.0 over one WebSocket, one text
// message per JSON-RPC message, with the method table of rkat-rpc. The
// credential is checked before the upgrade: a missing or unknown one is
// answered 401, one without the rpc permission 403.
func (s *Server) handleRPC(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		realtime.WriteError(w, http.StatusServiceUnavailable, "shutting_down", "server is shutting down")
		return
	}
	cred, err := s.rt.Credential(r)
	if err != nil {
		realtime.WriteError(w, http.StatusUnauthorized, "unauthorized", err.Error())
		return
	}
	if !cred.Allows(wire.PermRPC) {
		realtime.WriteError(w, http.StatusForbidden, "forbidden", `this key or token lacks the "rpc" permission`)
		return
	}
	if err := s.track(); err != nil {
		realtime.WriteError(w, http.StatusServiceUnavailable, "unavailable", err.Error())
		return
	}
	defer s.untrack()
	// The default origin check stays on: a page of another origin cannot
	// drive the runtime with a key it holds in the query.
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		s.log.Debug("rpc upgrade failed", "err", err)
		return
	}
	t := &rpcTransport{WebSocket: rpc.NewWebSocket(context.Background(), ws, 0), ws: ws, srv: s}
	if err := s.rpc.Serve(s.rpcCtx, t); err != nil && s.rpcCtx.Err() == nil {
		s.log.Debug("rpc connection ended", "err", err)
	}
}

// track counts a new RPC connection unless shutdown has begun or
// [serve] max_rpc_connections are open.
func (s *Server) track() error {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	switch {
	case s.connsDone:
		return errors.New("server is shutting down")
	case s.open >= s.cfg.File.maxRPC():
		return fmt.Errorf("too many RPC connections (limit %d)", s.cfg.File.maxRPC())
	}
	s.open++
	s.conns.Add(1)
	return nil
}

// openRPC returns the number of RPC connections tracked.
func (s *Server) openRPC() int {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	return s.open
}

func (s *Server) untrack() {
	s.connMu.Lock()
	s.open--
	s.connMu.Unlock()
	s.conns.Done()
}

// rpcTransport is the WebSocket transport of one RPC connection: it counts
// messages for /metrics and closes with 1001 (going away) while the server
// shuts down.
type rpcTransport struct {
	*rpc.WebSocket
	ws  *websocket.Conn
	srv *Server
}

func (t *rpcTransport) ReadMessage() ([]byte, error) {
	b, err := t.WebSocket.ReadMessage()
	if err == nil {
		t.srv.metrics.rpcIn.Inc()
	}
	return b, err
}

func (t *rpcTransport) WriteMessage(b []byte) error {
	err := t.WebSocket.WriteMessage(b)
	if err == nil {
		t.srv.metrics.rpcOut.Inc()
	}
	return err
}

func (t *rpcTransport) Close() error {
	if t.srv.draining.Load() {
		_ = t.ws.Close(websocket.StatusGoingAway, "server shutting down")
	}
	return t.WebSocket.Close()
}
