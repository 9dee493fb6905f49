// Package signalling is the Go client of the realtime messaging protocol
// (spec/realtime-protocol.md): a WebSocket connection authenticated with a
// publishable key or a JWT token provider, request/ack correlation, typed
// events, reconnect with backoff and jitter under the spec's close-code
// policy, automatic resubscribe and an inactivity watchdog.
package signalling

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// Client defaults (spec §10).
const (
	DefaultAckTimeout           = 15 * time.Second
	DefaultWelcomeTimeout       = 10 * time.Second
	DefaultInactivityTimeout    = 60 * time.Second
	DefaultTokenProviderTimeout = 10 * time.Second
	// MaxInboundFrame is the largest server frame accepted; larger ones close
	// the socket with 1009.
	MaxInboundFrame = 1 << 20
	// TokenProviderFailureThreshold is the number of consecutive token
	// provider failures at which TokenProviderError fires.
	TokenProviderFailureThreshold = 3
	replayRetries                 = 3
	replayRetryDelay              = 2 * time.Second
)

// TokenProvider returns a fresh JWT. It is called before every connection
// attempt, including reconnects.
type TokenProvider func(ctx context.Context) (string, error)

// Config configures a Client. Exactly one of Key and TokenProvider is required.
type Config struct {
	// URL is the server origin, e.g. "wss://rms.example.org" or
	// "ws://127.0.0.1:8080". "/v1" is appended; a path, query or fragment is
	// rejected.
	URL           string
	Key           string
	TokenProvider TokenProvider

	// Reconnect is the backoff schedule; nil means DefaultReconnectOptions.
	Reconnect *ReconnectOptions
	// DisableReconnect turns automatic reconnect off.
	DisableReconnect bool

	AckTimeout           time.Duration // default 15 s
	WelcomeTimeout       time.Duration // default 10 s
	TokenProviderTimeout time.Duration // default 10 s
	// InactivityTimeout closes the socket with 4000 after this long without
	// an inbound frame, pinging after a third of it. Default 60 s; negative
	// disables both.
	InactivityTimeout time.Duration

	// EventQueue bounds the emitter's dispatch queue (default DefaultEventQueue).
	EventQueue int
	// HTTPClient is used for the WebSocket handshake (default http.DefaultClient).
	HTTPClient *http.Client
	// Logger receives debug and warning logs (default: discard).
	Logger *slog.Logger
}

// SubscribeOptions are the options of Subscribe.
type SubscribeOptions struct {
	// IncludeSenderMetadata asks the server to stamp fromMetadata on channel
	// messages (JWT senders with peerMetadata only).
	IncludeSenderMetadata bool
}

// Client is a signalling connection with automatic reconnect. It is safe for
// concurrent use. Events are delivered through its Emitter (see On, Once,
// Events).
type Client struct {
	cfg    Config
	origin *url.URL
	rc     ReconnectOptions
	log    *slog.Logger
	em     *Emitter

	life       context.Context // cancelled by Close
	lifeCancel context.CancelFunc

	mu         sync.Mutex
	state      State
	conn       *websocket.Conn
	localClose int // close code we sent on conn, 0 if none
	peerID     string
	maxMsg     int
	subs       map[string]SubscribeOptions
	pending    map[string]chan error
	// positions are the last offset and epoch seen per channel with history
	// (history extension), sent as since when a reconnect re-subscribes;
	// subAcks name the channel of each subscribe awaiting its ack.
	positions     map[string]wire.Since
	subAcks       map[string]subAck
	tokenFailures int
	shut          bool
	wake          chan struct{} // closed by Close to interrupt a backoff wait
	replays       sync.WaitGroup
	supDone       chan struct{} // closed when the supervisor goroutine exits
}

// New validates cfg and returns an idle client. Close releases it (its event
// goroutine runs from New on).
func New(cfg Config) (*Client, error) {
	if (cfg.Key == "") == (cfg.TokenProvider == nil) {
		return nil, &ArgumentError{ErrCode: CodeInvalidArgs, Msg: "exactly one of Key and TokenProvider is required"}
	}
	origin, err := parseOrigin(cfg.URL)
	if err != nil {
		return nil, err
	}
	rc := DefaultReconnectOptions()
	if cfg.Reconnect != nil {
		rc = cfg.Reconnect.normalized()
	}
	cfg.AckTimeout = orDefault(cfg.AckTimeout, DefaultAckTimeout)
	cfg.WelcomeTimeout = orDefault(cfg.WelcomeTimeout, DefaultWelcomeTimeout)
	cfg.TokenProviderTimeout = orDefault(cfg.TokenProviderTimeout, DefaultTokenProviderTimeout)
	if cfg.InactivityTimeout == 0 {
		cfg.InactivityTimeout = DefaultInactivityTimeout
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	life, cancel := context.WithCancel(context.Background())
	return &Client{
		cfg:        cfg,
		origin:     origin,
		rc:         rc,
		log:        log,
		em:         NewEmitter(cfg.EventQueue),
		life:       life,
		lifeCancel: cancel,
		state:      StateIdle,
		maxMsg:     wire.DefaultMaxMessageSize,
		subs:       make(map[string]SubscribeOptions),
		pending:    make(map[string]chan error),
		positions:  make(map[string]wire.Since),
		subAcks:    make(map[string]subAck),
	}, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func parseOrigin(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, &ArgumentError{ErrCode: CodeInvalidArgs, Msg: fmt.Sprintf("bad URL %q: %v", raw, err)}
	}
	if (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return nil, &ArgumentError{ErrCode: CodeInvalidArgs, Msg: fmt.Sprintf("URL %q must be ws:// or wss:// with a host", raw)}
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, &ArgumentError{ErrCode: CodeInvalidArgs, Msg: fmt.Sprintf("URL %q must be an origin without path, query or fragment", raw)}
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// Emitter returns the client's event emitter (for On, Once, Events).
func (c *Client) Emitter() *Emitter { return c.em }

// State returns the current connection state.
func (c *Client) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// PeerID returns the peer id of the latest welcome ("" before the first).
func (c *Client) PeerID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peerID
}

// MaxMessageSize returns the server's cap on serialized publish/send data.
func (c *Client) MaxMessageSize() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.maxMsg
}

// setStateLocked records a transition; the caller emits the returned event
// (if any) after unlocking.
func (c *Client) setStateLocked(to State) *StateChange {
	if c.state == to {
		return nil
	}
	ev := &StateChange{From: c.state, To: to}
	c.state = to
	return ev
}

func (c *Client) emitState(ev *StateChange) {
	if ev != nil {
		c.em.Emit(*ev)
	}
}

// Connect opens the connection and waits for the welcome. A failure before
// the welcome is returned as *ConnectError (or *TokenProviderFailure) and is
// not retried; after a successful Connect the client reconnects on its own.
func (c *Client) Connect(ctx context.Context) error {
	c.mu.Lock()
	if c.shut {
		c.mu.Unlock()
		return ErrClosed
	}
	if c.state != StateIdle && c.state != StateClosed {
		st := c.state
		c.mu.Unlock()
		return &ArgumentError{ErrCode: CodeInvalidState, Msg: fmt.Sprintf("Connect in state %s", st)}
	}
	ev := c.setStateLocked(StateConnecting)
	c.wake = make(chan struct{})
	c.mu.Unlock()
	c.emitState(ev)

	conn, welcome, err := c.dial(ctx)
	if err != nil {
		c.mu.Lock()
		ev := c.setStateLocked(StateClosed)
		c.mu.Unlock()
		c.emitState(ev)
		return err
	}
	done := make(chan struct{})
	c.mu.Lock()
	c.supDone = done
	c.mu.Unlock()
	if !c.install(conn, welcome, false) {
		close(done)
		return ErrClosed
	}
	go c.supervise(conn, done)
	return nil
}

// credential returns the query parameter for the next connection attempt.
func (c *Client) credential(ctx context.Context) (url.Values, error) {
	if c.cfg.Key != "" {
		return url.Values{"key": {c.cfg.Key}}, nil
	}
	tctx, cancel := context.WithTimeout(ctx, c.cfg.TokenProviderTimeout)
	defer cancel()
	tok, err := callProvider(tctx, c.cfg.TokenProvider)
	c.mu.Lock()
	if err != nil {
		c.tokenFailures++
	} else {
		c.tokenFailures = 0
	}
	failures := c.tokenFailures
	c.mu.Unlock()
	if err != nil {
		tpErr := &TokenProviderFailure{Err: err}
		if failures >= TokenProviderFailureThreshold {
			c.em.Emit(TokenProviderError{ConsecutiveFailures: failures, Err: tpErr})
		}
		return nil, tpErr
	}
	return url.Values{"token": {tok}}, nil
}

// callProvider runs the provider, turning a panic or empty token into an error.
func callProvider(ctx context.Context, p TokenProvider) (tok string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("token provider panicked: %v", r)
		}
	}()
	tok, err = p(ctx)
	if err == nil && tok == "" {
		err = errors.New("token provider returned an empty token")
	}
	return tok, err
}

// welcomeFrame decodes a welcome leniently: the JS SDK accepts any finite
// number for the numeric fields, not only integers.
type welcomeFrame struct {
	Type           string          `json:"type"`
	PeerID         string          `json:"peerId"`
	ExpiresAt      *float64        `json:"expiresAt"`
	ServerTime     float64         `json:"serverTime"`
	MaxMessageSize float64         `json:"maxMessageSize"`
	Metadata       json.RawMessage `json:"metadata"`
}

// dial resolves the credential, opens the socket and waits for the welcome.
func (c *Client) dial(ctx context.Context) (*websocket.Conn, *welcomeFrame, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(c.life, cancel)
	defer stop()

	q, err := c.credential(ctx)
	if err != nil {
		return nil, nil, err
	}
	u := *c.origin
	u.Path = "/v1"
	u.RawQuery = q.Encode()
	conn, _, err := websocket.Dial(ctx, u.String(), &websocket.DialOptions{HTTPClient: c.cfg.HTTPClient})
	if err != nil {
		return nil, nil, &ConnectError{Err: err}
	}
	conn.SetReadLimit(MaxInboundFrame)
	wctx, wcancel := context.WithTimeout(ctx, c.cfg.WelcomeTimeout)
	defer wcancel()
	for {
		typ, data, err := conn.Read(wctx)
		if err != nil {
			if wctx.Err() != nil && ctx.Err() == nil {
				_ = conn.Close(wire.CloseClientInactivity, "welcome timeout")
				return nil, nil, &ConnectError{CloseCode: wire.CloseClientInactivity, CloseReason: "welcome timeout", Err: err}
			}
			_ = conn.CloseNow()
			code, reason := closeInfo(err)
			return nil, nil, &ConnectError{CloseCode: code, CloseReason: reason, Err: err}
		}
		if typ != websocket.MessageText {
			continue
		}
		var f welcomeFrame
		if json.Unmarshal(data, &f) != nil || f.Type != wire.TypeWelcome || f.PeerID == "" {
			continue
		}
		return conn, &f, nil
	}
}

// closeInfo extracts the close code (1006 when none) and reason from a read error.
func closeInfo(err error) (int, string) {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		return int(ce.Code), ce.Reason
	}
	return 1006, err.Error()
}

// install makes conn the current connection and announces it. It returns
// false (and closes conn) when the client was closed meanwhile.
func (c *Client) install(conn *websocket.Conn, w *welcomeFrame, isReconnect bool) bool {
	c.mu.Lock()
	if c.shut {
		c.mu.Unlock()
		_ = conn.Close(websocket.StatusNormalClosure, "client requested close")
		return false
	}
	c.conn = conn
	c.localClose = 0
	c.peerID = w.PeerID
	if w.MaxMessageSize >= 1 && w.MaxMessageSize <= math.MaxInt32 {
		c.maxMsg = int(w.MaxMessageSize)
	}
	ev := c.setStateLocked(StateConnected)
	maxMsg := c.maxMsg
	c.mu.Unlock()
	c.emitState(ev)
	c.em.Emit(Connected{
		PeerID:         w.PeerID,
		ServerTime:     w.ServerTime,
		ExpiresAt:      w.ExpiresAt,
		IsReconnect:    isReconnect,
		MaxMessageSize: maxMsg,
		IceServers:     parseIceServers(w.Metadata),
		Metadata:       w.Metadata,
	})
	return true
}

// supervise owns the connection: it serves conn until it drops, then
// reconnects under the close-code policy until the client is closed or gives
// up.
func (c *Client) supervise(conn *websocket.Conn, done chan struct{}) {
	defer close(done)
	for {
		code, reason := c.serve(conn)
		next, ok := c.afterDrop(code, reason)
		if !ok {
			return
		}
		conn = next
	}
}

// afterDrop handles the end of a connection and returns the next welcomed
// one, or ok=false when the client is done.
func (c *Client) afterDrop(code int, reason string) (*websocket.Conn, bool) {
	c.mu.Lock()
	c.conn = nil
	for id, ch := range c.pending {
		ch <- &DisconnectedError{State: StateReconnecting}
		delete(c.pending, id)
	}
	will := !c.shut && !c.cfg.DisableReconnect && !wire.IsTerminalClose(code)
	var ev *StateChange
	if !will {
		ev = c.setStateLocked(StateClosed)
	}
	c.mu.Unlock()
	c.em.Emit(Disconnected{Code: code, Reason: reason, WillReconnect: will})
	c.emitState(ev)
	if !will {
		return nil, false
	}
	floor := time.Duration(0)
	if code == wire.CloseOverConcurrent {
		floor = OverConcurrentFloor
	}
	return c.reconnect(floor)
}

// reconnect retries with backoff until a welcome, a terminal close, the
// attempt budget or Close.
func (c *Client) reconnect(floor time.Duration) (*websocket.Conn, bool) {
	for attempt := 1; attempt <= c.rc.MaxAttempts; attempt++ {
		c.mu.Lock()
		ev := c.setStateLocked(StateReconnecting)
		wake := c.wake
		c.mu.Unlock()
		c.emitState(ev)
		delay := c.rc.Delay(attempt, floor, rand.Float64())
		floor = 0
		c.log.Debug("signalling: reconnect scheduled", "attempt", attempt, "delay", delay)
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-wake:
			t.Stop()
			return nil, c.finish(0, "")
		}
		conn, w, err := c.dial(c.life)
		if err == nil {
			if !c.install(conn, w, true) {
				return nil, false
			}
			c.replaySubscriptions(conn)
			return conn, true
		}
		c.log.Debug("signalling: reconnect attempt failed", "attempt", attempt, "err", err)
		var ce *ConnectError
		if errors.As(err, &ce) {
			if wire.IsTerminalClose(ce.CloseCode) {
				return nil, c.finish(ce.CloseCode, ce.CloseReason)
			}
			if ce.CloseCode == wire.CloseOverConcurrent {
				floor = OverConcurrentFloor
			}
		}
		if c.life.Err() != nil {
			return nil, c.finish(0, "")
		}
	}
	return nil, c.finish(0, "reconnect attempts exhausted")
}

// finish moves to closed after the reconnect loop gave up; a terminal code
// is reported as a final Disconnected event. It always returns false.
func (c *Client) finish(code int, reason string) bool {
	c.mu.Lock()
	ev := c.setStateLocked(StateClosed)
	c.mu.Unlock()
	if code != 0 {
		c.em.Emit(Disconnected{Code: code, Reason: reason, WillReconnect: false})
	}
	c.emitState(ev)
	return false
}

// replaySubscriptions re-sends subscribe for every tracked channel on a
// fresh connection without waiting, retrying failures a few times.
func (c *Client) replaySubscriptions(conn *websocket.Conn) {
	c.mu.Lock()
	subs := make(map[string]SubscribeOptions, len(c.subs))
	for ch, o := range c.subs {
		subs[ch] = o
	}
	c.mu.Unlock()
	for ch, o := range subs {
		c.replays.Go(func() { c.replayOne(conn, ch, o) })
	}
}

func (c *Client) replayOne(conn *websocket.Conn, channel string, o SubscribeOptions) {
	for try := 0; try <= replayRetries; try++ {
		if try > 0 {
			t := time.NewTimer(replayRetryDelay)
			select {
			case <-t.C:
			case <-c.life.Done():
				t.Stop()
				return
			}
		}
		c.mu.Lock()
		current := c.conn == conn
		_, still := c.subs[channel]
		c.mu.Unlock()
		if !current || !still {
			return
		}
		c.mu.Lock()
		var since *wire.Since
		if p, ok := c.positions[channel]; ok {
			since = &p
		}
		c.mu.Unlock()
		err := c.subscribe(c.life, channel, o, since)
		if err == nil {
			return
		}
		c.log.Warn("signalling: subscription replay failed", "channel", channel, "err", err)
	}
}

// serve reads conn until it ends and returns the close code and reason.
func (c *Client) serve(conn *websocket.Conn) (int, string) {
	ctx, cancel := context.WithCancel(c.life)
	activity := make(chan struct{}, 1)
	var wg sync.WaitGroup
	if c.cfg.InactivityTimeout > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.watchdog(ctx, conn, activity)
		}()
	}
	defer func() {
		cancel()
		wg.Wait()
	}()
	for {
		typ, data, err := conn.Read(ctx)
		if err != nil {
			code, reason := closeInfo(err)
			c.mu.Lock()
			if c.localClose != 0 {
				code = c.localClose
			}
			c.mu.Unlock()
			return code, reason
		}
		select {
		case activity <- struct{}{}:
		default:
		}
		if typ == websocket.MessageText {
			c.handleFrame(data)
		}
	}
}

// watchdog pings after InactivityTimeout/3 of silence and closes with 4000
// after InactivityTimeout.
func (c *Client) watchdog(ctx context.Context, conn *websocket.Conn, activity <-chan struct{}) {
	limit := c.cfg.InactivityTimeout
	last := time.Now()
	pinged := false
	t := time.NewTimer(limit / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-activity:
			last = time.Now()
			pinged = false
		case <-t.C:
		}
		idle := time.Since(last)
		switch {
		case idle >= limit:
			c.closeConn(conn, wire.CloseClientInactivity, "inactivity timeout")
			return
		case idle >= limit/3 && !pinged:
			pinged = true
			b, _ := json.Marshal(wire.Ping{Type: wire.TypePing})
			_ = conn.Write(ctx, websocket.MessageText, b)
		}
		wait := last.Add(limit / 3).Sub(time.Now())
		if pinged {
			wait = last.Add(limit).Sub(time.Now())
		}
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
		t.Reset(max(wait, time.Millisecond))
	}
}

// closeConn closes conn with code, remembering the code for Disconnected.
func (c *Client) closeConn(conn *websocket.Conn, code int, reason string) {
	c.mu.Lock()
	if c.conn == conn && c.localClose == 0 {
		c.localClose = code
	}
	c.mu.Unlock()
	_ = conn.Close(websocket.StatusCode(code), reason)
}

// handleFrame routes one inbound text frame. Unknown or malformed frames are
// dropped.
func (c *Client) handleFrame(data []byte) {
	var f wire.ServerFrame
	if err := json.Unmarshal(data, &f); err != nil {
		c.log.Debug("signalling: dropping unparsable frame", "err", err)
		return
	}
	switch f.Type {
	case wire.TypeAck:
		c.noteSubscribeAck(&f)
		c.resolve(f.RequestID, nil)
	case wire.TypeError:
		if f.RequestID != "" && c.resolve(f.RequestID, &ServerRequestError{ServerCode: f.Code, Message: f.Message, RequestID: f.RequestID}) {
			return
		}
		if f.Code == wire.ErrUnknownType && f.RequestID == "" {
			return // an old server's answer to ping
		}
		c.em.Emit(ServerError{Code: f.Code, Message: f.Message, RequestID: f.RequestID})
	case wire.TypeMessage:
		if f.Data == nil || f.From == "" || f.Channel == "" {
			return
		}
		if f.Epoch != "" {
			c.mu.Lock()
			if _, ok := c.positions[f.Channel]; ok {
				c.positions[f.Channel] = wire.Since{Offset: f.Offset, Epoch: f.Epoch}
			}
			c.mu.Unlock()
		}
		c.em.Emit(Message{Channel: f.Channel, SenderPeerID: f.From, Data: f.Data, SenderMetadata: objectOrNil(f.FromMetadata),
			Offset: f.Offset, Epoch: f.Epoch})
	case wire.TypeDirect:
		if f.Data == nil || f.From == "" {
			return
		}
		c.em.Emit(Direct{SenderPeerID: f.From, Data: f.Data, SenderMetadata: objectOrNil(f.FromMetadata)})
	case wire.TypePresence:
		if f.Channel == "" {
			return
		}
		c.em.Emit(Presence{Channel: f.Channel, Joined: presencePeers(f.Joined), Left: presencePeers(f.Left)})
	case wire.TypeGoingAway:
		ms := f.RetryAfterMs
		if ms <= 0 {
			ms = wire.DefaultRetryAfterMs
		}
		c.em.Emit(GoingAway{RetryAfter: time.Duration(ms) * time.Millisecond})
	}
}

func presencePeers(entries []wire.PresenceEntry) []PresencePeer {
	out := make([]PresencePeer, 0, len(entries))
	for _, e := range entries {
		if e.PeerID != "" {
			out = append(out, PresencePeer{PeerID: e.PeerID, Metadata: objectOrNil(e.Metadata)})
		}
	}
	return out
}

// objectOrNil keeps raw only when it is a JSON object.
func objectOrNil(raw json.RawMessage) json.RawMessage {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return nil
	}
	return raw
}

// resolve completes the pending request id; false when none is pending.
func (c *Client) resolve(id string, err error) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch, ok := c.pending[id]
	if !ok {
		return false
	}
	delete(c.pending, id)
	ch <- err
	return true
}

// request sends the frame built for a fresh request id and waits for its
// ack, an error frame, the ack timeout, ctx or a disconnect.
func (c *Client) request(ctx context.Context, build func(requestID string) any) error {
	id := uuid.NewString()
	b, err := MarshalJS(build(id))
	if err != nil {
		return &ArgumentError{ErrCode: CodeInvalidArgs, Msg: err.Error()}
	}
	ch := make(chan error, 1)
	c.mu.Lock()
	if c.state != StateConnected || c.conn == nil {
		st := c.state
		c.mu.Unlock()
		return &DisconnectedError{State: st}
	}
	conn := c.conn
	c.pending[id] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()
	// The write uses the client's lifetime: cancelling a write's context
	// would tear the whole socket down.
	if err := conn.Write(c.life, websocket.MessageText, b); err != nil {
		return fmt.Errorf("signalling: write: %w", &DisconnectedError{State: c.State()})
	}
	t := time.NewTimer(c.cfg.AckTimeout)
	defer t.Stop()
	select {
	case err := <-ch:
		return err
	case <-t.C:
		return &AckTimeoutError{RequestID: id, Timeout: c.cfg.AckTimeout}
	case <-ctx.Done():
		return ctx.Err()
	}
}

// encodeData serializes data like JSON.stringify (no HTML escaping) and
// checks it against the server's message cap. json.RawMessage passes through
// after validation.
func (c *Client) encodeData(data any) (json.RawMessage, error) {
	var raw []byte
	if r, ok := data.(json.RawMessage); ok {
		if !json.Valid(r) {
			return nil, &ArgumentError{ErrCode: CodeInvalidArgs, Msg: "data is not valid JSON"}
		}
		raw = r
	} else {
		var err error
		if raw, err = MarshalJS(data); err != nil {
			return nil, &ArgumentError{ErrCode: CodeInvalidArgs, Msg: fmt.Sprintf("data: %v", err)}
		}
	}
	if limit := c.MaxMessageSize(); len(raw) > limit {
		return nil, &ArgumentError{ErrCode: CodeOversized, Msg: fmt.Sprintf("payload %d bytes exceeds server cap %d", len(raw), limit)}
	}
	return raw, nil
}

// marshalJS encodes v like JSON.stringify: no HTML escaping, no newline.
func MarshalJS(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Subscribe joins channel and waits for the ack. The subscription is
// replayed after every reconnect.
func (c *Client) Subscribe(ctx context.Context, channel string, opts SubscribeOptions) error {
	if err := wire.ValidateChannel(channel); err != nil {
		return &ArgumentError{ErrCode: CodeInvalidArgs, Msg: err.Error()}
	}
	if err := c.subscribe(ctx, channel, opts, nil); err != nil {
		return err
	}
	c.mu.Lock()
	c.subs[channel] = opts
	c.mu.Unlock()
	return nil
}

// subAck is a subscribe awaiting its ack.
type subAck struct {
	channel   string
	recovered bool // it carried since
}

// subscribe sends a subscribe (with since, when set) and waits for its ack,
// which noteSubscribeAck reads first.
func (c *Client) subscribe(ctx context.Context, channel string, opts SubscribeOptions, since *wire.Since) error {
	var rid string
	defer func() {
		c.mu.Lock()
		delete(c.subAcks, rid)
		c.mu.Unlock()
	}()
	return c.request(ctx, func(id string) any {
		rid = id
		c.mu.Lock()
		c.subAcks[id] = subAck{channel: channel, recovered: since != nil}
		c.mu.Unlock()
		return wire.Subscribe{Type: wire.TypeSubscribe, Channel: channel, RequestID: id, IncludeSenderMetadata: opts.IncludeSenderMetadata, Since: since}
	})
}

// noteSubscribeAck applies the ack of a subscribe (history extension): the
// channel's position starts at the ack's unless the missed messages were
// recovered (their replay follows and advances it), and a subscribe that
// carried since is answered with Recovered or NotRecovered, before any
// replayed Message.
func (c *Client) noteSubscribeAck(f *wire.ServerFrame) {
	c.mu.Lock()
	sa, ok := c.subAcks[f.RequestID]
	delete(c.subAcks, f.RequestID)
	var ev any
	switch {
	case !ok:
	case f.Recovered != nil && *f.Recovered:
		ev = Recovered{Channel: sa.channel, Epoch: f.Epoch}
	case f.Epoch != "":
		c.positions[sa.channel] = wire.Since{Offset: f.Offset, Epoch: f.Epoch}
		if sa.recovered {
			ev = NotRecovered{Channel: sa.channel, Reason: f.Reason}
		}
	default: // the channel keeps no history (now)
		delete(c.positions, sa.channel)
		if sa.recovered {
			ev = NotRecovered{Channel: sa.channel, Reason: cmp.Or(f.Reason, wire.ReasonHistoryDisabled)}
		}
	}
	c.mu.Unlock()
	if ev != nil {
		c.em.Emit(ev)
	}
}

// Unsubscribe leaves channel and stops replaying it.
func (c *Client) Unsubscribe(ctx context.Context, channel string) error {
	c.mu.Lock()
	delete(c.subs, channel)
	delete(c.positions, channel)
	c.mu.Unlock()
	return c.request(ctx, func(id string) any {
		return wire.Unsubscribe{Type: wire.TypeUnsubscribe, Channel: channel, RequestID: id}
	})
}

// Publish broadcasts data (any JSON-encodable value, or json.RawMessage) to
// the other subscribers of channel.
func (c *Client) Publish(ctx context.Context, channel string, data any) error {
	if err := wire.ValidateChannel(channel); err != nil {
		return &ArgumentError{ErrCode: CodeInvalidArgs, Msg: err.Error()}
	}
	raw, err := c.encodeData(data)
	if err != nil {
		return err
	}
	return c.request(ctx, func(id string) any {
		return wire.Publish{Type: wire.TypePublish, Channel: channel, Data: raw, RequestID: id}
	})
}

// Send delivers data to one peer by id.
func (c *Client) Send(ctx context.Context, to string, data any) error {
	if err := wire.ValidatePeerID(to); err != nil {
		return &ArgumentError{ErrCode: CodeInvalidArgs, Msg: err.Error()}
	}
	raw, err := c.encodeData(data)
	if err != nil {
		return err
	}
	return c.request(ctx, func(id string) any {
		return wire.Send{Type: wire.TypeSend, To: to, Data: raw, RequestID: id}
	})
}

// Close closes the connection with 1000, stops reconnecting, waits for the
// client's goroutines and delivers the remaining events. Close is terminal.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.shut {
		c.mu.Unlock()
		return nil
	}
	c.shut = true
	conn, wake, done := c.conn, c.wake, c.supDone
	if conn != nil {
		c.localClose = int(websocket.StatusNormalClosure)
	}
	var ev *StateChange
	if done == nil {
		ev = c.setStateLocked(StateClosed)
	}
	c.mu.Unlock()
	c.emitState(ev)
	if wake != nil {
		close(wake)
	}
	if conn != nil {
		_ = conn.Close(websocket.StatusNormalClosure, "client requested close")
	}
	c.lifeCancel()
	if done != nil {
		<-done
	}
	c.replays.Wait()
	c.em.Close()
	return nil
}

// parseIceServers extracts metadata.iceServers with the JS SDK's checks; any
// invalid entry drops the whole list.
func parseIceServers(meta json.RawMessage) []IceServer {
	if len(meta) == 0 {
		return nil
	}
	var m struct {
		IceServers []struct {
			URLs       json.RawMessage `json:"urls"`
			Username   string          `json:"username"`
			Credential string          `json:"credential"`
		} `json:"iceServers"`
	}
	if json.Unmarshal(meta, &m) != nil || len(m.IceServers) == 0 || len(m.IceServers) > 16 {
		return nil
	}
	out := make([]IceServer, 0, len(m.IceServers))
	for _, s := range m.IceServers {
		var urls []string
		var one string
		if json.Unmarshal(s.URLs, &one) == nil {
			urls = []string{one}
		} else if json.Unmarshal(s.URLs, &urls) != nil || len(urls) == 0 {
			return nil
		}
		for _, u := range urls {
			if !validIceURL(u) {
				return nil
			}
		}
		if len(s.Username) > 1024 || len(s.Credential) > 1024 {
			return nil
		}
		out = append(out, IceServer{URLs: urls, Username: s.Username, Credential: s.Credential})
	}
	return out
}

func validIceURL(u string) bool {
	if len(u) > 512 {
		return false
	}
	i := bytes.IndexByte([]byte(u), ':')
	if i < 0 {
		return false
	}
	switch string(bytes.ToLower([]byte(u[:i]))) {
	case "stun", "stuns", "turn", "turns":
		return true
	}
	return false
}
