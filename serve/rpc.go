package serve

import (
	"context"
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
	if !s.track() {
		realtime.WriteError(w, http.StatusServiceUnavailable, "shutting_down", "server is shutting down")
		return
	}
	defer s.conns.Done()
	// The default origin check stays on: a page of another origin cannot
	// drive the runtime with a key it holds in the query.
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		s.log.Debug("rpc upgrade failed", "err", err)
		return
	}
	s.metrics.rpcConns.Inc()
	defer s.metrics.rpcConns.Dec()
	t := &rpcTransport{WebSocket: rpc.NewWebSocket(context.Background(), ws, 0), ws: ws, srv: s}
	if err := s.rpc.Serve(s.rpcCtx, t); err != nil && s.rpcCtx.Err() == nil {
		s.log.Debug("rpc connection ended", "err", err)
	}
}

// track counts a new RPC connection unless shutdown has begun.
func (s *Server) track() bool {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if s.connsDone {
		return false
	}
	s.conns.Add(1)
	return true
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
