package host_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/comms"
	"github.com/rkat-dev/rkat/host"
	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/realm"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func resolver(t *testing.T) *providers.Resolver {
	t.Helper()
	res, err := providers.New(providers.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestOpenIsRetried: a failed Open is returned, not cached; once the cause
// is gone the next Open opens the realm and later ones share it.
func TestOpenIsRetried(t *testing.T) {
	root := t.TempDir()
	blocker := filepath.Join(root, "realms")
	if err := os.WriteFile(blocker, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := realm.Resolve(realm.Options{StateRoot: root, Name: "retry"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := host.New(host.Config{Realm: r, Resolver: resolver(t), ProjectDir: t.TempDir(), UserDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()
	for range 2 {
		if _, _, err := h.Open(ctx); err == nil {
			t.Fatal("Open succeeded while the realm's directory is a file")
		}
		if h.Schedules() != nil {
			t.Fatal("a schedule service without an open realm")
		}
	}
	if err := os.Remove(blocker); err != nil {
		t.Fatal(err)
	}
	svc, st, err := h.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, st2, err := h.Open(ctx)
	if err != nil || again != svc || st2 != st {
		t.Fatalf("second Open: %v, same service %v, same store %v", err, again == svc, st2 == st)
	}
	if h.Schedules() == nil {
		t.Fatal("no schedule service after Open")
	}
}

func TestConfig(t *testing.T) {
	r := realm.Realm{Name: "m", Backend: realm.BackendMemory}
	for _, tc := range []struct {
		name    string
		cfg     host.Config
		wantErr error
		caps    func(t *testing.T, h *host.Host)
	}{
		{name: "no resolver", cfg: host.Config{Realm: r}, wantErr: host.ErrConfig},
		{name: "bad comms", cfg: host.Config{Realm: r, Resolver: resolver(t), Comms: commsURLOnly()}, wantErr: comms.ErrConfig},
		{name: "remote clients", cfg: host.Config{Realm: r, Resolver: resolver(t), NoScheduler: true}, caps: func(t *testing.T, h *host.Host) {
			sc := h.ServerConfig()
			if sc.Builtins || sc.Shell || sc.MCP == nil || sc.Comms == nil || sc.Skills == nil || sc.Blobs == nil {
				t.Fatalf("server config %+v", sc)
			}
			if _, _, err := h.Open(context.Background()); err != nil {
				t.Fatal(err)
			}
			if h.Schedules() != nil {
				t.Fatal("NoScheduler started a schedule service")
			}
		}},
		{name: "builtins", cfg: host.Config{Realm: r, Resolver: resolver(t), Builtins: true}, caps: func(t *testing.T, h *host.Host) {
			if !h.ServerConfig().Builtins {
				t.Fatal("builtins not reported")
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := host.New(tc.cfg)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("New: %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			tc.caps(t, h)
		})
	}
}

func commsURLOnly() comms.Config { return comms.Config{URL: "ws://127.0.0.1:9"} }
