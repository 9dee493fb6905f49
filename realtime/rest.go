package realtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// REST API (authenticated with a secret key: Authorization: Bearer sk_...):
//
//	POST   /v1/tokens               mint a JWT (wire.MintRequest -> wire.MintResponse)
//	GET    /v1/channels             list channels with members and their visible peers
//	GET    /v1/channels/{channel}   list a channel's visible peers
//	GET    /v1/channels/{channel}/history?since=&limit=
//	                                a channel's history (HistoryPage); a path
//	                                ending in /history always means this
//	POST   /v1/channels/{channel}   publish {"data": ...} to a channel as "server"
//	DELETE /v1/peers/{peerId}       disconnect a peer (close 4020)
//
// Errors are JSON: {"error":{"code":"...","message":"..."}}.

// maxRESTBody caps REST request bodies.
const maxRESTBody = 1 << 20

func (s *Server) routeREST() {
	s.mux.HandleFunc("POST /v1/tokens", s.withSecret(s.handleMint))
	s.mux.HandleFunc("GET /v1/channels", s.withSecret(s.handleChannelList))
	s.mux.HandleFunc("GET /v1/channels/{channel...}", s.withSecret(s.handleChannelPeers))
	s.mux.HandleFunc("POST /v1/channels/{channel...}", s.withSecret(s.handleServerPublish))
	s.mux.HandleFunc("DELETE /v1/peers/{peer...}", s.withSecret(s.handleKick))
}

// namedPrefixes are the REST paths that end in a channel name or peer id.
var namedPrefixes = [...]string{"/v1/channels/", "/v1/peers/"}

// literalName escapes the slashes and dots of the channel name or peer id at
// the end of a REST path, so that ServeMux neither cleans it ("room/x/../y"
// would become "room/y") nor redirects to the cleaned path: the handler gets
// the name exactly as sent, and never addresses another channel. Other
// requests are returned as they are.
func literalName(r *http.Request) *http.Request {
	for _, prefix := range namedPrefixes {
		name, ok := strings.CutPrefix(r.URL.Path, prefix)
		if !ok || name == "" {
			continue
		}
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		u.RawPath = prefix + strings.ReplaceAll(url.PathEscape(name), ".", "%2E")
		r2.URL = &u
		return r2
	}
	return r
}

// restError writes a JSON error.
func restError(w http.ResponseWriter, status int, code, msg string) {
	WriteJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

// WriteJSON writes v as a JSON response with the given status (the REST
// API's success shape; WriteError writes its error shape).
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// restCall is an authenticated REST call: the configuration it was checked
// against (one for the whole call, even across a Reload) and the caller's
// app.
type restCall struct {
	auth *authenticator
	app  string
}

// bearer returns the credential of an "Authorization: Bearer ..." header.
func bearer(r *http.Request) (string, bool) {
	b, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return strings.TrimSpace(b), ok
}

// withSecret authenticates a REST call.
func (s *Server) withSecret(h func(w http.ResponseWriter, r *http.Request, call restCall)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := s.auth.Load()
		key, ok := bearer(r)
		app, known := auth.secrets[key]
		if !ok || !known {
			restError(w, http.StatusUnauthorized, "unauthorized", "missing or unknown secret key (Authorization: Bearer sk_...)")
			return
		}
		h(w, r, restCall{auth: auth, app: app})
	}
}

// decodeBody reads a JSON request body into v.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRESTBody))
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			restError(w, http.StatusRequestEntityTooLarge, "body_too_large", "request body exceeds 1 MiB")
			return false
		}
		restError(w, http.StatusBadRequest, "invalid_json", "request body is not valid JSON: "+err.Error())
		return false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		restError(w, http.StatusBadRequest, "invalid_json", "request body has trailing data")
		return false
	}
	return true
}

func (s *Server) handleMint(w http.ResponseWriter, r *http.Request, call restCall) {
	var req wire.MintRequest
	if !decodeBody(w, r, &req) {
		return
	}
	resp, err := call.auth.mint(call.app, req, time.Now())
	if err != nil {
		restError(w, http.StatusBadRequest, "invalid_token_request", err.Error())
		return
	}
	WriteJSON(w, http.StatusOK, resp)
}

// channelParam validates the {channel} path value.
func channelParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	ch := r.PathValue("channel")
	if err := wire.ValidateChannel(ch); err != nil {
		restError(w, http.StatusBadRequest, wire.ErrInvalidChannel, "channel "+err.Error())
		return "", false
	}
	return ch, true
}

// maxHistoryPage bounds one history answer (limit's default and maximum).
const maxHistoryPage = 1000

// handleChannelPeers serves GET /v1/channels/{channel}: its peers, or, for
// a path ending in /history, its history (handleHistory).
func (s *Server) handleChannelPeers(w http.ResponseWriter, r *http.Request, call restCall) {
	if name, ok := strings.CutSuffix(r.PathValue("channel"), "/history"); ok {
		r.SetPathValue("channel", name)
		s.handleHistory(w, r, call)
		return
	}
	ch, ok := channelParam(w, r)
	if !ok {
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"channel": ch, "peers": s.hub.members(call.app, ch)})
}

// handleHistory serves GET /v1/channels/{channel}/history?since=&limit=:
// a HistoryPage of the publications after offset since (default 0), at most
// limit (default and maximum maxHistoryPage); 404 history_disabled when the
// channel keeps no history.
func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request, call restCall) {
	ch, ok := channelParam(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	var since uint64
	if v := q.Get("since"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			restError(w, http.StatusBadRequest, "invalid_request", "since must be a non-negative integer")
			return
		}
		since = n
	}
	limit := maxHistoryPage
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxHistoryPage {
			restError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf("limit must be an integer from 1 to %d", maxHistoryPage))
			return
		}
		limit = n
	}
	page, ok := s.hub.historyPage(call.app, ch, since, limit)
	if !ok {
		restError(w, http.StatusNotFound, wire.ReasonHistoryDisabled, "channel keeps no history: "+ch)
		return
	}
	WriteJSON(w, http.StatusOK, page)
}

func (s *Server) handleServerPublish(w http.ResponseWriter, r *http.Request, call restCall) {
	ch, ok := channelParam(w, r)
	if !ok {
		return
	}
	var body struct {
		Data json.RawMessage `json:"data"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	if body.Data == nil {
		restError(w, http.StatusBadRequest, wire.ErrMissingData, "data is required")
		return
	}
	if len(body.Data) > s.limits.MaxMessageSize {
		restError(w, http.StatusRequestEntityTooLarge, "payload_too_large", "data exceeds maxMessageSize")
		return
	}
	switch err := s.hub.publish(s.hub.app(call.app), nil, ch, body.Data, ""); {
	case errors.Is(err, errShuttingDown):
		restError(w, http.StatusServiceUnavailable, "shutting_down", "server is shutting down")
		return
	case err != nil:
		restError(w, http.StatusServiceUnavailable, "publish_failed", err.Error())
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"ok": true})
}

func (s *Server) handleKick(w http.ResponseWriter, r *http.Request, call restCall) {
	peer := r.PathValue("peer")
	if !s.hub.kick(call.app, peer) {
		restError(w, http.StatusNotFound, wire.ErrPeerNotFound, "peer not online: "+peer)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
