package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/rkat-dev/rkat/internal/randhex"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/tool"
)

// ErrNotRealtime: the session's model is not realtime-capable.
var ErrNotRealtime = errors.New("live: model is not realtime-capable")

// Config configures a Manager. Zero values take the defaults shown.
type Config struct {
	// Sessions returns the session service (opened on first use). Required.
	Sessions func(ctx context.Context) (*session.Service, error)
	// WSURL is the base of the /live/ws URLs handed out, e.g.
	// "ws://127.0.0.1:41234"; empty hands out no WebSocket bootstrap.
	WSURL string
	// TokenTTL is how long a connect token stays valid (60 s).
	TokenTTL time.Duration
	// MaxChannels caps open channels (256); MaxSockets caps /live/ws
	// sockets (32).
	MaxChannels, MaxSockets int
	// QueueLen bounds each channel's command queue (256); MaxPendingAudio
	// bounds its queued audio bytes (1 MiB, about 21 s at 24 kHz).
	QueueLen, MaxPendingAudio int
	// Reconnects is how many times in a row a lost provider socket is
	// reopened before the channel closes (1); ReconnectDelay waits before
	// each (200 ms).
	Reconnects     int
	ReconnectDelay time.Duration
	// ToolTimeout bounds one tool call (120 s).
	ToolTimeout time.Duration
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
}

// Manager owns the process's live channels and their connect tokens.
type Manager struct {
	cfg Config

	mu        sync.Mutex
	channels  map[string]*Channel
	bySession map[string]*Channel
	tokens    map[string]token
	closed    []string // ids of closed channels still answering State, oldest first
	sockets   int
	nextID    int
	bridges   sync.WaitGroup // WebRTC bridges waiting for their channel to close
	rtc       *webrtc.API    // builds the peer connection of every WebRTC answer
}

// keepClosed is how many closed channels stay queryable (live/status).
const keepClosed = 64

type token struct {
	channel string
	expires time.Time
}

// New returns a Manager.
func New(cfg Config) (*Manager, error) {
	if cfg.Sessions == nil {
		return nil, errors.New("live: Config.Sessions is required")
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&cfg.MaxChannels, 256)
	def(&cfg.MaxSockets, 32)
	def(&cfg.QueueLen, 256)
	def(&cfg.MaxPendingAudio, 1<<20)
	if cfg.Reconnects == 0 {
		cfg.Reconnects = 1
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = 60 * time.Second
	}
	if cfg.ReconnectDelay <= 0 {
		cfg.ReconnectDelay = 200 * time.Millisecond
	}
	if cfg.ToolTimeout <= 0 {
		cfg.ToolTimeout = 120 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	rtc, err := newWebRTCAPI()
	if err != nil {
		return nil, fmt.Errorf("live: webrtc: %w", err)
	}
	return &Manager{cfg: cfg, channels: map[string]*Channel{}, bySession: map[string]*Channel{}, tokens: map[string]token{}, rtc: rtc}, nil
}

// OpenRequest opens a channel.
type OpenRequest struct {
	SessionID string
	Turning   TurningMode // empty: ProviderManaged
	// SeedMaxChars bounds the seeded history to a suffix of whole messages
	// (0: all of it).
	SeedMaxChars int
	// Tools are extra tools for the channel's function calls (for example
	// the opener's callback tools); the session's tools are always there.
	Tools []tool.Tool
	// G711 asks for G.711 μ-law audio both ways when the provider takes it
	// (llm.AudioFormats): the WebRTC bridge then passes its RTP payloads
	// through untranscoded. Otherwise the channel speaks PCM16 24 kHz.
	G711 bool
}

// Opened is the outcome of Open: the channel (opening), its connect token
// and URL, and how the conversation was seeded.
type Opened struct {
	Channel *Channel
	Token   string
	URL     string // "" without a WebSocket listener
	// Continuity: fresh (nothing to seed), transcript_only (history seeded
	// as items) or degraded (SeedMaxChars cut the history).
	Continuity string
}

// Open opens a live channel on a session whose model is realtime-capable.
// The channel starts opening and turns ready when the provider session is
// configured.
func (m *Manager) Open(ctx context.Context, req OpenRequest) (Opened, error) {
	switch req.Turning {
	case "":
		req.Turning = ProviderManaged
	case ProviderManaged, ExplicitCommit:
	default:
		return Opened{}, reject(Reason{"kind": "other", "detail": "unknown turning_mode " + string(req.Turning)})
	}
	view, err := m.view(ctx, req.SessionID, req.Tools)
	if err != nil {
		return Opened{}, err
	}
	rp, ok := view.Provider.(llm.RealtimeProvider)
	if !view.Model.Profile.Realtime || !ok {
		return Opened{}, fmt.Errorf("%w: %s (%s)", ErrNotRealtime, view.Model.ID, view.Model.Provider)
	}
	history, continuity := seed(view.History, req.SeedMaxChars)
	m.mu.Lock()
	defer m.mu.Unlock()
	if old := m.bySession[req.SessionID]; old != nil {
		return Opened{}, fmt.Errorf("%w: %s has %s", ErrExists, req.SessionID, old.id)
	}
	if len(m.bySession) >= m.cfg.MaxChannels {
		return Opened{}, fmt.Errorf("%w (%d)", ErrLimit, m.cfg.MaxChannels)
	}
	m.nextID++
	id := fmt.Sprintf("ch_%s_%d", randhex.String(8), m.nextID)
	cctx, cancel := context.WithCancel(context.Background())
	c := &Channel{id: id, sessionID: req.SessionID, m: m, provider: rp, turning: req.Turning, tools: req.Tools,
		in: make(chan llm.RealtimeCommand, m.cfg.QueueLen), ctx: cctx, cancel: cancel, done: make(chan struct{}),
		subs: map[*Subscription]struct{}{}, toolSet: view.Tools, state: State{Status: StatusOpening},
		cfg: llm.RealtimeConfig{Model: view.Model.ID, Instructions: view.Instructions, Tools: view.Tools.Defs(),
			ServerVAD: req.Turning == ProviderManaged}}
	if af, ok := rp.(llm.AudioFormats); ok && req.G711 && af.AcceptsAudio(llm.AudioG711ULaw) {
		c.cfg.InputFormat, c.cfg.OutputFormat = llm.AudioG711ULaw, llm.AudioG711ULaw
	}
	m.channels[id], m.bySession[req.SessionID] = c, c
	tok := randhex.String(16)
	m.tokens[tok] = token{channel: id, expires: time.Now().Add(m.cfg.TokenTTL)}
	go c.run(history)
	out := Opened{Channel: c, Token: tok, Continuity: continuity}
	if m.cfg.WSURL != "" {
		out.URL = m.cfg.WSURL + "/live/ws?" + url.Values{"token": {tok}, "channel": {id}, "format": {FormatPCM24kMono}}.Encode()
	}
	return out, nil
}

// seed keeps the longest suffix of whole messages within limit characters
// (0: no limit).
func seed(history []llm.Message, limit int) ([]llm.Message, string) {
	if len(history) == 0 {
		return nil, "fresh"
	}
	if limit <= 0 {
		return history, "transcript_only"
	}
	size := 0
	for i := len(history) - 1; i >= 0; i-- {
		for _, b := range history[i].Content {
			size += len(b.Text) + len(b.Args)
		}
		if size > limit {
			return history[i+1:], "degraded"
		}
	}
	return history, "transcript_only"
}

// Channel returns a channel: open, closing, or one of the last closed.
func (m *Manager) Channel(id string) (*Channel, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := m.channels[id]; c != nil {
		return c, nil
	}
	return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
}

// claim consumes a connect token: valid once, for the channel it is bound
// to, until it expires.
func (m *Manager) claim(channel, tok string) (*Channel, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[tok]
	if ok && t.channel == channel {
		delete(m.tokens, tok) // single use; a token shown for another channel stays its own channel's
	}
	now := time.Now()
	for k, v := range m.tokens { // expired tokens go as others are claimed
		if now.After(v.expires) {
			delete(m.tokens, k)
		}
	}
	switch {
	case !ok:
		return nil, errors.New("unknown or already used token")
	case t.channel != channel:
		return nil, errors.New("token is bound to another channel")
	case now.After(t.expires):
		return nil, errors.New("token expired")
	}
	c := m.channels[channel]
	if c == nil {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, channel)
	}
	return c, nil
}

// view reads the live view of a session.
func (m *Manager) view(ctx context.Context, sessionID string, extra []tool.Tool) (session.LiveView, error) {
	svc, err := m.cfg.Sessions(ctx)
	if err != nil {
		return session.LiveView{}, err
	}
	return svc.Live(ctx, sessionID, extra)
}

// commit writes an exchange to the session's history (session.ErrBusy
// while a text turn holds the session).
func (m *Manager) commit(ctx context.Context, sessionID string, ex session.LiveExchange) error {
	svc, err := m.cfg.Sessions(ctx)
	if err != nil {
		return err
	}
	return svc.CommitLive(context.WithoutCancel(ctx), sessionID, ex)
}

// remove retires a closed channel; the last keepClosed stay queryable.
func (m *Manager) remove(c *Channel) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = append(m.closed, c.id)
	if len(m.closed) > keepClosed {
		delete(m.channels, m.closed[0])
		m.closed = m.closed[1:]
	}
	if m.bySession[c.sessionID] == c {
		delete(m.bySession, c.sessionID)
	}
	for k, t := range m.tokens {
		if t.channel == c.id {
			delete(m.tokens, k)
		}
	}
}

// Close closes every channel and waits for them.
func (m *Manager) Close() {
	m.mu.Lock()
	all := make([]*Channel, 0, len(m.channels))
	for _, c := range m.channels {
		all = append(all, c)
	}
	m.mu.Unlock()
	for _, c := range all {
		c.Close("")
	}
	m.bridges.Wait()
}
