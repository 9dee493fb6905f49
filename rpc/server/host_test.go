package server

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
)

func TestRuntimeHostMethods(t *testing.T) {
	h := newHarness(t, nil)
	var info, again wire.HostInfo
	if err := h.call(t, wire.MethodHostInfo, map[string]any{}, &info); err != nil {
		t.Fatal(err)
	}
	if err := h.call(t, wire.MethodHostInfo, map[string]any{}, &again); err != nil {
		t.Fatal(err)
	}
	if info.HostID == "" || info.HostID != again.HostID || info.HostIDScope != "process" || info.Realm.RealmID != "r1" ||
		info.Health.Status != wire.HealthOK || !info.Capabilities.Features.SessionStreams || info.Capabilities.Features.Mobs ||
		!slices.Contains(info.Endpoints.RPCMethods, wire.MethodStreamOpen) || info.ContractVersion != wire.CurrentVersion() {
		t.Fatalf("host_info = %+v (again %+v)", info, again)
	}
	var caps wire.HostCapabilities
	if err := h.call(t, wire.MethodHostCapabilities, map[string]any{}, &caps); err != nil || caps.Features != info.Capabilities.Features {
		t.Fatalf("capabilities = %+v, %v", caps, err)
	}

	// A realm that cannot be opened is reported, not hidden.
	broken, err := New(Config{RealmID: "r2", Open: func(context.Context) (*session.Service, store.Store, error) {
		return nil, nil, errors.New("disk on fire")
	}})
	if err != nil {
		t.Fatal(err)
	}
	h2 := connect(t, broken, nil)
	var health wire.HostHealth
	if err := h2.call(t, wire.MethodHostHealth, map[string]any{}, &health); err != nil ||
		health.Status != wire.HealthUnhealthy || health.Checks["realm_store"] != wire.HealthUnhealthy {
		t.Fatalf("health of a broken realm = %+v, %v", health, err)
	}
	if err := h.call(t, wire.MethodHostHealth, map[string]any{}, &health); err != nil || health.Status != wire.HealthOK {
		t.Fatalf("health = %+v, %v", health, err)
	}
}
