package comms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/internal/randhex"
	"github.com/rkat-dev/rkat/realtime"
	"github.com/rkat-dev/rkat/realtime/rest"
	"github.com/rkat-dev/rkat/realtime/wire"
)

// Sentinel errors of the package; match with errors.Is.
var (
	// ErrConfig: the configuration or a Member is invalid.
	ErrConfig = errors.New("comms: invalid configuration")
	// ErrPeerNotFound: no peer of that name or id is present in the channel.
	ErrPeerNotFound = errors.New("comms: peer not found")
	// ErrClosed: the Network or Peer was closed.
	ErrClosed = errors.New("comms: closed")
)

// Defaults of Config.
const (
	DefaultChannel        = "comms"
	DefaultRequestTimeout = 60 * time.Second
	DefaultInboxSize      = 64
	tokenTTL              = time.Hour
)

// Config configures a Network.
type Config struct {
	// URL is the realtime server's ws:// or wss:// origin; empty starts an
	// embedded server on 127.0.0.1 at the first Join.
	URL string
	// Origin, set instead of URL, returns the origin at the first Join: for
	// a hub that is not listening yet when the Network is built (rkat
	// serve's own /v1). A failure is returned to that Join and retried by
	// the next one.
	Origin func() (string, error)
	// SecretKey is a secret key of that server, used to mint each peer's
	// JWT (POST /v1/tokens). Required with URL or Origin.
	SecretKey string
	// RequestTimeout bounds how long a peer_request waits for its terminal
	// response (default 60 s).
	RequestTimeout time.Duration
	// InboxSize bounds the envelopes waiting for a Peer's Handler (default 64).
	InboxSize int
	// HTTPClient mints tokens (default http.DefaultClient).
	HTTPClient *http.Client
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
}

// Network is the hub that comms peers join.
type Network struct {
	cfg Config

	mu       sync.Mutex
	closed   bool
	url      string // resolved origin
	secret   string
	embedded *embedded
}

// New returns a Network; it connects nothing until Join.
func New(cfg Config) (*Network, error) {
	if cfg.URL != "" && cfg.Origin != nil {
		return nil, fmt.Errorf("%w: URL and Origin are exclusive", ErrConfig)
	}
	if (cfg.URL == "" && cfg.Origin == nil) != (cfg.SecretKey == "") {
		return nil, fmt.Errorf("%w: URL (or Origin) and SecretKey go together", ErrConfig)
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.InboxSize <= 0 {
		cfg.InboxSize = DefaultInboxSize
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Network{cfg: cfg, url: cfg.URL, secret: cfg.SecretKey}, nil
}

// URL returns the hub's origin, starting the embedded server if needed.
func (n *Network) URL() (string, error) {
	u, _, err := n.hub()
	return u, err
}

// hub resolves the origin and secret, starting the embedded server once.
func (n *Network) hub() (string, string, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return "", "", ErrClosed
	}
	if n.url == "" && n.cfg.Origin != nil {
		u, err := n.cfg.Origin()
		if err != nil {
			return "", "", fmt.Errorf("comms: hub: %w", err)
		}
		n.url = u
	}
	if n.url == "" {
		e, err := startEmbedded(n.cfg.Logger)
		if err != nil {
			return "", "", err
		}
		n.embedded, n.url, n.secret = e, e.url, e.secret
	}
	return n.url, n.secret, nil
}

// Close stops the embedded server, if one runs. Peers are closed by their
// owners first.
func (n *Network) Close() error {
	n.mu.Lock()
	e := n.embedded
	n.closed, n.embedded = true, nil
	n.mu.Unlock()
	if e != nil {
		return e.stop()
	}
	return nil
}

// mint asks the hub for a JWT carrying meta as presence metadata.
func (n *Network) mint(ctx context.Context, sub, channel string, meta json.RawMessage) (string, error) {
	origin, secret, err := n.hub()
	if err != nil {
		return "", err
	}
	out, err := rest.MintToken(ctx, n.cfg.HTTPClient, origin, secret, wire.MintRequest{Sub: sub, Channels: []string{channel},
		Permissions: []string{"subscribe", "publish", "presence", "send"},
		TTLSeconds:  int64(tokenTTL / time.Second), PeerMetadata: meta})
	if err != nil {
		return "", fmt.Errorf("comms: %w", err)
	}
	return out.Token, nil
}

// embedded is a realtime server on loopback owned by a Network.
type embedded struct {
	url, secret string
	cancel      context.CancelFunc
	done        chan error
}

func startEmbedded(log *slog.Logger) (*embedded, error) {
	secret := "sk_" + randhex.String(16)
	srv, err := realtime.New(realtime.Config{
		SecretKeys:  []realtime.SecretKeyConfig{{Key: secret}},
		SigningKeys: []realtime.SigningKeyConfig{{Kid: "comms", Secret: randhex.String(32)}},
		Limits:      realtime.Limits{ConnectsPerIP: 1 << 20},
		Logger:      log,
	})
	if err != nil {
		return nil, fmt.Errorf("comms: embedded hub: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = srv.Shutdown(context.Background())
		return nil, fmt.Errorf("comms: embedded hub: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &embedded{url: "ws://" + ln.Addr().String(), secret: secret, cancel: cancel, done: make(chan error, 1)}
	go func() { e.done <- srv.Serve(ctx, ln, 2*time.Second) }()
	return e, nil
}

func (e *embedded) stop() error {
	e.cancel()
	return <-e.done
}
