package realtime

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLoadConfigIssueExample(t *testing.T) {
	path := filepath.Join("testdata", "example.toml")
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Keys) != 1 || cfg.Keys[0].Key != "pk_test_example" || len(cfg.Keys[0].Permissions) != 4 ||
		cfg.SigningKeys[0].Secret != "change-me" || cfg.SecretKeys[0].Key != "sk_test_example" || cfg.Limits.MaxConnections != 1000 {
		t.Fatalf("parsed %+v", cfg)
	}
	lim := cfg.Limits.withDefaults()
	if time.Duration(lim.PingInterval) != 15*time.Second || lim.MaxMessageSize != 65536 || lim.MaxSubscriptions != 100 {
		t.Fatalf("limits %+v", lim)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"empty key", Config{Keys: []KeyConfig{{}}}},
		{"bad pattern", Config{Keys: []KeyConfig{{Key: "pk", Channels: []string{`a\`}}}}},
		{"bad permission", Config{Keys: []KeyConfig{{Key: "pk", Permissions: []string{"fly"}}}}},
		{"signing key without secret", Config{SigningKeys: []SigningKeyConfig{{Kid: "k"}}}},
		{"signing key bad pattern", Config{SigningKeys: []SigningKeyConfig{{Kid: "k", Secret: "s", Channels: []string{""}}}}},
		{"empty secret key", Config{SecretKeys: []SecretKeyConfig{{}}}},
		{"cluster url and embedded", Config{Cluster: ClusterConfig{NATSURL: "nats://127.0.0.1:1", Embedded: true}}},
		{"cluster ttl within heartbeat", Config{Cluster: ClusterConfig{Embedded: true, NodeTTL: Duration(time.Second)}}},
		{"cluster nats unreachable", Config{Cluster: ClusterConfig{NATSURL: "nats://127.0.0.1:1"}}},
		{"cluster bad listen", Config{Cluster: ClusterConfig{Embedded: true, Listen: "no-port"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg); !errors.Is(err, ErrConfig) {
				t.Fatalf("New = %v, want ErrConfig", err)
			}
		})
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "missing.toml")); err == nil {
		t.Fatal("missing file accepted")
	}
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte("[[keys]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(bad); !errors.Is(err, ErrConfig) {
		t.Fatalf("bad TOML: %v", err)
	}
}
