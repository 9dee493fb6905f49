package realtime

import (
	"errors"
	"slices"
	"testing"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// expectRevoked reads the in-band error a reload sends before it closes the
// connection, then the close.
func (c *client) expectRevoked(errCode string, code websocket.StatusCode) {
	c.t.Helper()
	c.expectError(errCode, "")
	c.expectClose(code)
}

func TestReloadSuspendsAppMidSession(t *testing.T) {
	cfg := testConfig()
	srv, base, _ := startServer(t, cfg)
	watcher, _ := dialKey(t, base, testKey)
	watcher.subscribe("room/a", true)
	other, _ := dialKey(t, base, "pk_other_app")
	victim, welcome := dialKey(t, base, testKey)
	victim.subscribe("room/a", true)
	watcher.expect(wire.TypePresence) // victim joined

	cfg.Apps = append(cfg.Apps, AppConfig{ID: DefaultApp, Suspended: true})
	if err := srv.Reload(cfg); err != nil {
		t.Fatal(err)
	}
	victim.expectRevoked(wire.ErrAccountSuspended, wire.CloseAccountSuspended)
	watcher.expectRevoked(wire.ErrAccountSuspended, wire.CloseAccountSuspended)
	other.alive() // another app is untouched
	c := dialRaw(t, base, "key="+testKey)
	c.expectClose(wire.CloseAccountSuspended)

	// Lifting the suspension lets the app back in.
	cfg.Apps = cfg.Apps[:len(cfg.Apps)-1]
	if err := srv.Reload(cfg); err != nil {
		t.Fatal(err)
	}
	back, _ := dialKey(t, base, testKey)
	back.alive()
	if got := srv.hub.members(DefaultApp, "room/a"); len(got) != 0 {
		t.Fatalf("revoked peers still listed: %s (victim was %s)", peerIDs(got), welcome.PeerID)
	}
}

func TestReloadRevokesRemovedCredentials(t *testing.T) {
	cfg := testConfig()
	srv, base, _ := startServer(t, cfg)
	byKey, _ := dialKey(t, base, testKeyRO)
	byMoved, _ := dialKey(t, base, "pk_origin")
	keptKey, _ := dialKey(t, base, testKey)
	byRotated, _ := dialToken(t, base, token(t, testKid, "secret-one", claims("alice")))
	byKept, _ := dialToken(t, base, token(t, testKidBound, "secret-two", claims("bob")))
	keptKey.subscribe("room/a", true)
	byKept.subscribe("room/a", true)
	keptKey.expect(wire.TypePresence) // bob joined

	cfg.Keys = slices.DeleteFunc(slices.Clone(cfg.Keys), func(k KeyConfig) bool { return k.Key == testKeyRO })
	for i := range cfg.Keys {
		if cfg.Keys[i].Key == "pk_origin" {
			cfg.Keys[i].App = "other" // the same key string, now another app's
		}
	}
	cfg.SigningKeys = slices.Clone(cfg.SigningKeys)
	cfg.SigningKeys[0].Secret = "secret-rotated"
	if err := srv.Reload(cfg); err != nil {
		t.Fatal(err)
	}
	byKey.expectRevoked(wire.ErrInvalidToken, wire.CloseInvalidToken)
	byMoved.expectRevoked(wire.ErrInvalidToken, wire.CloseInvalidToken)
	byRotated.expectRevoked(wire.ErrInvalidToken, wire.CloseInvalidToken)
	keptKey.alive()
	byKept.alive()

	c := dialRaw(t, base, "key="+testKeyRO)
	c.expectClose(wire.CloseInvalidToken)
	c = dialRaw(t, base, "token="+token(t, testKid, "secret-one", claims("carol")))
	c.expectClose(wire.CloseInvalidToken)
	dialToken(t, base, token(t, testKid, "secret-rotated", claims("carol")))
}

func TestReloadLowersConnectionCap(t *testing.T) {
	cfg := testConfig()
	srv, base, _ := startServer(t, cfg)
	first, _ := dialKey(t, base, testKey)
	second, _ := dialKey(t, base, testKey)

	cfg.Apps = append(cfg.Apps, AppConfig{ID: DefaultApp, MaxConnections: 1})
	if err := srv.Reload(cfg); err != nil {
		t.Fatal(err)
	}
	first.alive()
	second.alive()
	c := dialRaw(t, base, "key="+testKey)
	c.expectClose(wire.CloseOverConcurrent)
}

func TestReloadRefusesBadConfigAndKeepsTheOld(t *testing.T) {
	cfg := testConfig()
	srv, base, _ := startServer(t, cfg)
	c, _ := dialKey(t, base, testKey)

	bad := testConfig()
	bad.Keys = nil
	bad.SigningKeys = append(bad.SigningKeys, SigningKeyConfig{Kid: "no-secret"})
	if err := srv.Reload(bad); !errors.Is(err, ErrConfig) {
		t.Fatalf("invalid config: got %v, want ErrConfig", err)
	}
	changed := testConfig()
	changed.Keys = nil
	changed.Limits.MaxSubscriptions = 5
	if err := srv.Reload(changed); !errors.Is(err, ErrLimitsChanged) {
		t.Fatalf("limits change: got %v, want ErrLimitsChanged", err)
	}
	c.alive()
	dialKey(t, base, testKey) // the old keys still work
}
