package realtime

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// DefaultApp is the app id used when a key does not name one.
const DefaultApp = "default"

// ErrConfig reports an invalid configuration.
var ErrConfig = errors.New("realtime: invalid config")

// Config configures a Server. The TOML fields mirror `rkat realtime
// --config`; Logger is set in code.
type Config struct {
	// Keys are publishable keys accepted as ?key=.
	Keys []KeyConfig `toml:"keys"`
	// SigningKeys verify (and, through the REST API, mint) JWTs by kid.
	SigningKeys []SigningKeyConfig `toml:"signing_keys"`
	// SecretKeys authenticate the REST API (Authorization: Bearer sk_...).
	SecretKeys []SecretKeyConfig `toml:"secret_keys"`
	// Apps override per-app limits and state; apps named by keys but not
	// listed here use Limits.
	Apps []AppConfig `toml:"apps"`
	// Limits apply to every app and connection; zero fields take defaults.
	Limits Limits `toml:"limits"`
	// Channels give channels history (docs/realtime-protocol.md): the first
	// table whose pattern matches a channel applies; no match, or a
	// history_size of 0, means no history. In a cluster every node must
	// have the same tables.
	// They apply from New only (Reload refuses a change).
	Channels []ChannelConfig `toml:"channels"`
	// Cluster joins this server to other nodes over NATS; the zero value
	// is a single node. It applies from New only (Reload ignores it).
	Cluster ClusterConfig `toml:"cluster"`
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger `toml:"-"`
}

// KeyConfig is one publishable key.
type KeyConfig struct {
	Key            string      `toml:"key"`
	App            string      `toml:"app"`
	Channels       []string    `toml:"channels"`
	Permissions    []string    `toml:"permissions"`
	AllowedOrigins []string    `toml:"allowed_origins"`
	ICEServers     []ICEServer `toml:"ice_servers"`
}

// ICEServer is a STUN/TURN server injected into welcome.metadata.iceServers
// for publishable-key connections.
type ICEServer struct {
	URLs       []string `toml:"urls" json:"urls"`
	Username   string   `toml:"username" json:"username,omitempty"`
	Credential string   `toml:"credential" json:"credential,omitempty"`
}

// SigningKeyConfig is one JWT signing secret. Channels and Permissions, when
// set, bound what tokens signed with it may grant (empty = no bound).
type SigningKeyConfig struct {
	Kid         string   `toml:"kid"`
	Secret      string   `toml:"secret"`
	App         string   `toml:"app"`
	Channels    []string `toml:"channels"`
	Permissions []string `toml:"permissions"`
}

// SecretKeyConfig is one REST API secret key.
type SecretKeyConfig struct {
	Key string `toml:"key"`
	App string `toml:"app"`
}

// AppConfig overrides limits for one app.
type AppConfig struct {
	ID string `toml:"id"`
	// MaxConnections caps concurrent connections (0 = Limits.MaxConnections).
	MaxConnections int `toml:"max_connections"`
	// MessageQuota caps publish+send per QuotaPeriod (0 = Limits.MessageQuota).
	MessageQuota int64 `toml:"message_quota"`
	// Suspended refuses connections with close 4012; a Reload that
	// suspends an app also closes its live connections with 4012.
	Suspended bool `toml:"suspended"`
}

// ChannelConfig is one [[channels]] table: channels matching Pattern (the
// syntax of key channel patterns) keep their last HistorySize publications
// (at most limits.queue_frames) for HistoryTTL.
type ChannelConfig struct {
	Pattern     string   `toml:"pattern"`
	HistorySize int      `toml:"history_size"`
	HistoryTTL  Duration `toml:"history_ttl"`
}

// ClusterConfig makes the server one node of a hub spread over several,
// joined by NATS: set NATSURL, or Embedded to run a NATS server inside the
// process (routed to the other nodes' embedded servers by Listen and
// Routes). Zero durations take the defaults in parentheses.
type ClusterConfig struct {
	NATSURL  string `toml:"nats_url"`
	NodeName string `toml:"node_name"` // unique per node (the host name)
	Embedded bool   `toml:"embedded"`
	// Listen is the embedded server's route address (host:port), Routes the
	// other nodes' (nats-route://host:port).
	Listen string   `toml:"listen"`
	Routes []string `toml:"routes"`
	// Subject carries the events between nodes ("rkat.realtime").
	Subject string `toml:"subject"`
	// HeartbeatInterval ("1s") and NodeTTL ("3s"): a node silent for
	// NodeTTL is dead and its peers are reported left, at most
	// NodeTTL+HeartbeatInterval after its last event.
	HeartbeatInterval Duration `toml:"heartbeat_interval"`
	NodeTTL           Duration `toml:"node_ttl"`
	// Channel history ([[channels]]) lives in a JetStream stream of the
	// NATS server: HistoryStorage "memory" (default; lost when every NATS
	// server restarts, which starts a new epoch) or "file", kept on
	// HistoryReplicas servers (1). An embedded server keeps file storage
	// in StoreDir (default: a temporary directory removed at shutdown).
	HistoryStorage  string `toml:"history_storage"`
	HistoryReplicas int    `toml:"history_replicas"`
	StoreDir        string `toml:"store_dir"`
}

// enabled reports whether the server is part of a cluster.
func (c ClusterConfig) enabled() bool { return c.NATSURL != "" || c.Embedded }

// withDefaults returns c with zero fields set to the defaults.
func (c ClusterConfig) withDefaults() (ClusterConfig, error) {
	if c.NATSURL != "" && c.Embedded {
		return c, fmt.Errorf("%w: cluster: nats_url and embedded exclude each other", ErrConfig)
	}
	if c.NodeName == "" {
		name, err := os.Hostname()
		if err != nil {
			return c, fmt.Errorf("%w: cluster: node_name unset and no host name: %w", ErrConfig, err)
		}
		c.NodeName = name
	}
	if c.Subject == "" {
		c.Subject = "rkat.realtime"
	}
	if c.HeartbeatInterval <= 0 {
		c.HeartbeatInterval = Duration(time.Second)
	}
	if c.NodeTTL <= 0 {
		c.NodeTTL = Duration(3 * time.Second)
	}
	if c.NodeTTL <= c.HeartbeatInterval {
		return c, fmt.Errorf("%w: cluster: node_ttl must exceed heartbeat_interval", ErrConfig)
	}
	switch c.HistoryStorage {
	case "":
		c.HistoryStorage = "memory"
	case "memory", "file":
	default:
		return c, fmt.Errorf("%w: cluster: history_storage must be memory or file", ErrConfig)
	}
	switch {
	case c.HistoryReplicas == 0:
		c.HistoryReplicas = 1
	case c.HistoryReplicas < 1 || c.HistoryReplicas > 5:
		return c, fmt.Errorf("%w: cluster: history_replicas must be 1 to 5", ErrConfig)
	}
	return c, nil
}

// Duration is a time.Duration read from TOML as a string such as "30s".
type Duration time.Duration

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: %w", b, err)
	}
	*d = Duration(v)
	return nil
}

// Limits are the server limits of spec §10. Zero values take the defaults
// in parentheses.
type Limits struct {
	MaxConnections     int      `toml:"max_connections"`      // per app (10000)
	MaxMessageSize     int      `toml:"max_message_size"`     // advertised data cap, bytes (65536)
	MaxSubscriptions   int      `toml:"max_subscriptions"`    // per connection (100)
	RatePerSecond      float64  `toml:"rate_per_second"`      // frames/s refill (100)
	RateBurst          int      `toml:"rate_burst"`           // bucket size (200)
	ConnectsPerIP      int      `toml:"connects_per_ip"`      // per ConnectWindow (60)
	ConnectWindow      Duration `toml:"connect_window"`       // ("60s")
	MessageQuota       int64    `toml:"message_quota"`        // per app per QuotaPeriod (0 = unlimited)
	QuotaPeriod        Duration `toml:"quota_period"`         // ("24h")
	PingInterval       Duration `toml:"ping_interval"`        // WebSocket ping ("30s")
	IdleTimeout        Duration `toml:"idle_timeout"`         // drop after silence ("75s")
	WriteTimeout       Duration `toml:"write_timeout"`        // one socket write ("10s")
	QueueFrames        int      `toml:"queue_frames"`         // outbound queue, frames (1024)
	QueueBytes         int      `toml:"queue_bytes"`          // outbound queue, bytes (4 MiB)
	ShutdownRetryAfter Duration `toml:"shutdown_retry_after"` // going_away hint ("1s")
	ExpiryCloseAdvance Duration `toml:"expiry_close_advance"` // close before exp ("250ms")
	TokenClockSkew     Duration `toml:"token_clock_skew"`     // exp tolerance beyond 24h ("5s")
}

// withDefaults returns l with zero fields set to the defaults.
func (l Limits) withDefaults() Limits {
	setInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	setDur := func(v *Duration, d time.Duration) {
		if *v <= 0 {
			*v = Duration(d)
		}
	}
	setInt(&l.MaxConnections, 10000)
	setInt(&l.MaxMessageSize, wire.DefaultMaxMessageSize)
	setInt(&l.MaxSubscriptions, wire.DefaultMaxSubscriptions)
	if l.RatePerSecond <= 0 {
		l.RatePerSecond = 100
	}
	setInt(&l.RateBurst, 200)
	setInt(&l.ConnectsPerIP, 60)
	setDur(&l.ConnectWindow, time.Minute)
	setDur(&l.QuotaPeriod, 24*time.Hour)
	setDur(&l.PingInterval, 30*time.Second)
	setDur(&l.IdleTimeout, 75*time.Second)
	setDur(&l.WriteTimeout, 10*time.Second)
	setInt(&l.QueueFrames, 1024)
	setInt(&l.QueueBytes, 4<<20)
	setDur(&l.ShutdownRetryAfter, wire.DefaultRetryAfterMs*time.Millisecond)
	setDur(&l.ExpiryCloseAdvance, 250*time.Millisecond)
	setDur(&l.TokenClockSkew, 5*time.Second)
	return l
}

// LoadConfig reads a TOML config file.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("realtime: read config: %w", err)
	}
	var cfg Config
	if err := toml.Unmarshal(b, &cfg); err != nil {
		return Config{}, fmt.Errorf("%w: %s: %w", ErrConfig, path, err)
	}
	return cfg, nil
}

// appOf returns id, or DefaultApp when empty.
func appOf(id string) string {
	if id == "" {
		return DefaultApp
	}
	return id
}
