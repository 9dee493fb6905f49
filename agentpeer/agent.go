package agentpeer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/realtime/signalling"
	"github.com/rkat-dev/rkat/session"
)

// Defaults of Config.
const (
	DefaultName             = "agent"
	DefaultMaxQueue         = 8
	DefaultMaxConversations = 256
	DefaultMaxPromptBytes   = 16 << 10
	DefaultMessageRate      = 40 // messages per second, under the server's default 100
	DefaultMessageBurst     = 80
	DefaultTokenTTL         = time.Hour
	// maxPresenceMetadata is the server's cap on peerMetadata.
	maxPresenceMetadata = 4096
)

// Sentinel errors; match with errors.Is.
var (
	// ErrConfig: the configuration is incomplete or inconsistent.
	ErrConfig = errors.New("agentpeer: invalid config")
	// ErrRunning: Run was called while another Run of the same Agent runs.
	ErrRunning = errors.New("agentpeer: already running")
	// ErrLeft: the peer left the channel for good (reconnects exhausted or
	// a terminal close); Run returns it wrapped with the cause.
	ErrLeft = errors.New("agentpeer: left the channel")
)

// Config configures an Agent.
type Config struct {
	// Sessions runs the conversations; their sessions live in its realm.
	// Required. The Agent never closes it.
	Sessions *session.Service

	// URL is the realtime server, ws://HOST:PORT or wss://HOST (a trailing
	// /v1 is accepted). Required.
	URL string
	// Channel is the channel to join. Required.
	Channel string

	// Credentials: exactly one of Key, SecretKey, Token and TokenSource.
	// Presence metadata travels only in a JWT: with SecretKey the agent
	// mints its own (POST /v1/tokens) carrying Metadata; with Key it joins
	// without metadata.
	Key         string                   // publishable key (pk_...)
	SecretKey   string                   // REST secret key (sk_...)
	Token       string                   // a JWT minted elsewhere, used as is
	TokenSource signalling.TokenProvider // called before every connection attempt

	// Name is the agent's name in presence and its sessions' labels
	// (default DefaultName).
	Name string
	// PeerID is the JWT subject when minting (default "agent:NAME@CHANNEL").
	PeerID string
	// Model and Provider choose the model of new conversations and of every
	// turn; empty means the service's defaults. Model is announced in
	// presence (Provider when Model is empty).
	Model    string
	Provider string
	// SystemPrompt, when non-nil, is the system prompt of every conversation.
	SystemPrompt *string
	// Metadata is added to the presence metadata; kind, name and model are
	// always the agent's own.
	Metadata map[string]any
	// ChannelSession, when set, is the session of the channel conversation
	// (instead of the one found by labels or a new one).
	ChannelSession string
	// AnswerAgents makes the agent answer peers whose presence kind is
	// "agent" too (off by default: no agent loops).
	AnswerAgents bool

	MaxQueue         int // prompts waiting per conversation (default 8)
	MaxConversations int // conversations with queued or running turns (default 256)
	MaxPromptBytes   int // longest prompt text in bytes (default 16 KiB)
	// MessageRate and MessageBurst bound what the agent sends (default 40/s,
	// burst 80: inside the server's per-connection 100/s, burst 200).
	MessageRate  float64
	MessageBurst int
	// TokenTTL is the lifetime of minted tokens (default 1 h, 5 s to 24 h);
	// with a fifth of it left the agent moves to a fresh token.
	TokenTTL time.Duration

	// HTTPClient mints tokens and dials the WebSocket (default http.DefaultClient).
	HTTPClient *http.Client
	// API builds the WebRTC connections (default peer.NewAPI's).
	API *webrtc.API
	// Joined, if set, is called with the agent's peer id when a Run has
	// joined the channel, and again after each token renewal.
	Joined func(peerID string)
	// Logger receives warnings and debug logs (default: discard).
	Logger *slog.Logger
}

// SetKey sets the credential from a key of either kind: a secret key
// (sk_...) goes to SecretKey, anything else to Key.
func (c *Config) SetKey(key string) {
	if strings.HasPrefix(key, "sk_") {
		c.SecretKey = key
	} else {
		c.Key = key
	}
}

// Agent is an agent peer. Run joins the channel and serves it.
type Agent struct {
	cfg     Config
	origin  string          // ws(s)://host:port without /v1
	meta    json.RawMessage // presence metadata
	tokens  signalling.TokenProvider
	minter  *minter // set with a secret key
	log     *slog.Logger
	running atomic.Bool
	// realtime: the catalog says Model is realtime-capable, so people who
	// send audio get a live channel (voice.go).
	realtime bool
}

// New validates cfg and returns an Agent. It does not connect.
func New(_ context.Context, cfg Config) (*Agent, error) {
	if cfg.Sessions == nil {
		return nil, fmt.Errorf("%w: Sessions is required", ErrConfig)
	}
	if cfg.Channel == "" {
		return nil, fmt.Errorf("%w: Channel is required", ErrConfig)
	}
	origin, err := originOf(cfg.URL)
	if err != nil {
		return nil, err
	}
	creds := 0
	for _, set := range []bool{cfg.Key != "", cfg.SecretKey != "", cfg.Token != "", cfg.TokenSource != nil} {
		if set {
			creds++
		}
	}
	if creds != 1 {
		return nil, fmt.Errorf("%w: exactly one of Key, SecretKey, Token and TokenSource is required", ErrConfig)
	}
	if cfg.Name == "" {
		cfg.Name = DefaultName
	}
	if cfg.PeerID == "" {
		cfg.PeerID = defaultPeerID(cfg.Name, cfg.Channel)
	}
	cfg.MaxQueue = orDefault(cfg.MaxQueue, DefaultMaxQueue)
	cfg.MaxConversations = orDefault(cfg.MaxConversations, DefaultMaxConversations)
	cfg.MaxPromptBytes = orDefault(cfg.MaxPromptBytes, DefaultMaxPromptBytes)
	cfg.MessageBurst = orDefault(cfg.MessageBurst, DefaultMessageBurst)
	if cfg.MessageRate <= 0 {
		cfg.MessageRate = DefaultMessageRate
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = DefaultTokenTTL
	}
	if cfg.TokenTTL > 24*time.Hour || cfg.TokenTTL < 5*time.Second {
		return nil, fmt.Errorf("%w: TokenTTL %s is not between 5s and 24h", ErrConfig, cfg.TokenTTL)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	a := &Agent{cfg: cfg, origin: origin, log: cfg.Logger}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.meta, err = presenceMetadata(cfg); err != nil {
		return nil, err
	}
	if cat, err := llm.BuiltinCatalog(); err == nil {
		m, err := cat.Lookup(cfg.Model)
		a.realtime = err == nil && m.Profile.Realtime
	}
	switch {
	case cfg.SecretKey != "":
		a.minter = newMinter(a)
		a.tokens = a.minter.token
	case cfg.Token != "":
		tok := cfg.Token
		a.tokens = func(context.Context) (string, error) { return tok, nil }
	case cfg.TokenSource != nil:
		a.tokens = cfg.TokenSource
	default:
		a.log.Warn("agentpeer: a publishable key carries no presence metadata; peers will not see that this is an agent (use a secret key or a token)")
	}
	return a, nil
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// originOf turns ws://HOST:PORT[/v1] into the origin the signalling client takes.
func originOf(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return "", fmt.Errorf("%w: URL %q must be ws://HOST:PORT or wss://HOST", ErrConfig, raw)
	}
	if p := strings.TrimSuffix(u.Path, "/"); (p != "" && p != "/v1") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: URL %q may have no path but /v1, no query, no fragment", ErrConfig, raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

// defaultPeerID is "agent:NAME@CHANNEL" in printable ASCII, at most 128
// characters (the server's rule for a JWT subject).
func defaultPeerID(name, channel string) string {
	b := []byte("agent:" + name + "@" + channel)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '_'
		}
	}
	return string(b[:min(len(b), 128)])
}

// presenceMetadata is Metadata plus kind, name and model.
func presenceMetadata(cfg Config) (json.RawMessage, error) {
	m := make(map[string]any, len(cfg.Metadata)+3)
	for k, v := range cfg.Metadata {
		m[k] = v
	}
	m["kind"] = "agent"
	m["name"] = cfg.Name
	m["model"] = cfg.Model
	if cfg.Model == "" {
		m["model"] = cfg.Provider
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%w: Metadata: %w", ErrConfig, err)
	}
	if len(raw) > maxPresenceMetadata {
		return nil, fmt.Errorf("%w: presence metadata is %d bytes, the server takes at most %d", ErrConfig, len(raw), maxPresenceMetadata)
	}
	return raw, nil
}

// renewAt is when the connection should move to a fresh token: zero when
// the agent does not mint its own.
func (a *Agent) renewAt() time.Time {
	if a.minter == nil {
		return time.Time{}
	}
	return a.minter.renewAt()
}

// Realtime reports whether the agent answers audio with a live channel
// (its model is realtime-capable in the catalog) rather than chat.error.
func (a *Agent) Realtime() bool { return a.realtime }

// sessions is the live.Config.Sessions of the agent's voices.
func (a *Agent) sessions(context.Context) (*session.Service, error) { return a.cfg.Sessions, nil }

// Metadata returns the presence metadata the agent announces (a JSON object).
func (a *Agent) Metadata() json.RawMessage { return a.meta }

// PeerID returns the peer id the agent asks for when it mints its tokens
// (with a publishable key or a given token the server decides).
func (a *Agent) PeerID() string { return a.cfg.PeerID }

// Run joins the channel and serves it until ctx ends (returning nil) or the
// peer leaves for good (returning an error wrapping ErrLeft, or the join
// error). Turns still running are interrupted and every goroutine has
// stopped when Run returns. Run may be called again afterwards.
func (a *Agent) Run(ctx context.Context) error {
	if !a.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer a.running.Store(false)
	return newRun(ctx, a).serve()
}
