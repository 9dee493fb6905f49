package serve

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/rkat-dev/rkat/internal/randhex"
	"github.com/rkat-dev/rkat/realm"
	"github.com/rkat-dev/rkat/realtime"
)

// ErrConfig reports an unusable configuration.
var ErrConfig = errors.New("serve: invalid config")

// DefaultRealm is the realm `rkat serve` keeps its sessions in unless
// [serve] realm names another.
const DefaultRealm = "serve"

// DefaultShutdownGrace is how long running turns may take to finish on
// shutdown before they are interrupted.
const DefaultShutdownGrace = 10 * time.Second

// File is the rkat.toml of `rkat serve`: the realtime server's sections
// exactly as `rkat realtime --config` reads them ([[keys]], [[signing_keys]],
// [[secret_keys]], [[apps]], [limits]) plus a [serve] section.
type File struct {
	realtime.Config
	Serve Settings `toml:"serve"`
	// Store is the [store] section: url = "postgres://..." keeps the
	// sessions in a database that several `rkat serve` nodes share.
	Store struct {
		URL string `toml:"url"`
	} `toml:"store"`
	// Agents are the agent peers started in process.
	Agents []AgentConfig `toml:"agents"`
	// Generated is true for the embedded default, whose keys were
	// generated at start.
	Generated bool `toml:"-"`
}

// Settings is the [serve] section.
type Settings struct {
	// Realm names the realm of the sessions (DefaultRealm).
	Realm string `toml:"realm"`
	// ShutdownGrace bounds how long running turns may finish on shutdown
	// ("10s").
	ShutdownGrace realtime.Duration `toml:"shutdown_grace"`
	// MaxRPCConnections bounds concurrent /rpc connections; more are
	// refused with 503 (DefaultMaxRPCConnections).
	MaxRPCConnections int `toml:"max_rpc_connections"`
}

// DefaultMaxRPCConnections is the default [serve] max_rpc_connections.
const DefaultMaxRPCConnections = 1000

// LoadFile reads path. Unknown keys are refused so that a typo does not
// silently drop a setting.
func LoadFile(path string) (File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return File{}, fmt.Errorf("serve: read config: %w", err)
	}
	var f File
	if err := toml.NewDecoder(bytes.NewReader(b)).DisallowUnknownFields().Decode(&f); err != nil {
		return File{}, fmt.Errorf("%w: %s: %w", ErrConfig, path, err)
	}
	return f, f.validate()
}

// Default is the configuration of `rkat serve` without --config: one
// generated secret key (the console's and RPC's login) and one generated
// signing key (the console mints its realtime tokens with it). Nothing is
// written to disk; a restart generates new keys.
func Default() File {
	secret, signing := randhex.String(16), randhex.String(32)
	prompt := "You are the lobby agent of a fresh rkat serve."
	return File{
		Generated: true,
		Agents: []AgentConfig{{Name: "lobby-agent", Channel: "lobby", Provider: "scripted", SystemPrompt: &prompt,
			Metadata: map[string]any{"description": "scripted demo agent: it answers every message"}}},
		Config: realtime.Config{
			SecretKeys:  []realtime.SecretKeyConfig{{Key: "sk_dev_" + secret}},
			SigningKeys: []realtime.SigningKeyConfig{{Kid: "dev", Secret: signing}},
		},
	}
}

// ConsoleKey is the secret key the console logs in with: the first
// configured one ("" when there is none).
func (f File) ConsoleKey() string {
	if len(f.SecretKeys) == 0 {
		return ""
	}
	return f.SecretKeys[0].Key
}

func (f File) realm() string {
	if f.Serve.Realm == "" {
		return DefaultRealm
	}
	return f.Serve.Realm
}

func (f File) grace() time.Duration {
	if f.Serve.ShutdownGrace <= 0 {
		return DefaultShutdownGrace
	}
	return time.Duration(f.Serve.ShutdownGrace)
}

func (f File) maxRPC() int {
	if f.Serve.MaxRPCConnections <= 0 {
		return DefaultMaxRPCConnections
	}
	return f.Serve.MaxRPCConnections
}

func (f File) validate() error {
	if !realm.ValidName(f.realm()) {
		return fmt.Errorf("%w: [serve] realm %q (letters, digits, '.', '_', '-')", ErrConfig, f.Serve.Realm)
	}
	names := map[string]bool{}
	for i, a := range f.Agents {
		switch {
		case a.Name == "" || a.Channel == "":
			return fmt.Errorf("%w: agents[%d]: name and channel are required", ErrConfig, i)
		case names[a.Name]:
			return fmt.Errorf("%w: agents[%d]: a second agent named %q", ErrConfig, i, a.Name)
		}
		names[a.Name] = true
	}
	return nil
}

// CheckAddr refuses to expose a server whose keys nobody configured: a
// non-loopback address needs a config file with at least one key.
func (f File) CheckAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%w: --addr %q: %w", ErrConfig, addr, err)
	}
	if loopback(host) {
		return nil
	}
	rc := f.Config
	if f.Generated || len(rc.SecretKeys)+len(rc.Keys)+len(rc.SigningKeys) == 0 {
		return fmt.Errorf("%w: refusing to listen on %s (not loopback) with generated development keys; configure keys with --config", ErrConfig, addr)
	}
	return nil
}

// loopback reports whether host names only the loopback interface.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
