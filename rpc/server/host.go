package server

import (
	"context"
	"encoding/json"

	"github.com/rkat-dev/rkat/rpc/wire"
)

// hostFeatures says honestly which runtime features this build serves.
func (s *Server) hostFeatures() wire.HostFeatures {
	return wire.HostFeatures{RuntimeBackedSessions: true, SessionEvents: true, SessionStreams: true, Blobs: s.cfg.Blobs != nil,
		MCPLive: s.cfg.MCP != nil, Schedules: s.cfg.Schedules != nil,
		Comms: s.cfg.Comms != nil, Mobs: s.cfg.Comms != nil, Skills: s.cfg.Skills != nil}
}

func (s *Server) hostCapabilities(context.Context, *connState, json.RawMessage) (any, error) {
	return wire.HostCapabilities{ContractVersion: wire.CurrentVersion(), Features: s.hostFeatures()}, nil
}

// hostHealth checks that the realm's store opens and answers a read.
func (s *Server) hostHealth(ctx context.Context, _ *connState, _ json.RawMessage) (any, error) {
	return s.health(ctx), nil
}

func (s *Server) health(ctx context.Context) wire.HostHealth {
	check := wire.HealthOK
	if _, st, err := s.service(); err != nil {
		check = wire.HealthUnhealthy
	} else if _, err := st.Config(ctx); err != nil {
		check = wire.HealthUnhealthy
	}
	return wire.HostHealth{ContractVersion: wire.CurrentVersion(), Status: check, Checks: map[string]string{"realm_store": check}}
}

func (s *Server) hostInfo(ctx context.Context, _ *connState, _ json.RawMessage) (any, error) {
	return wire.HostInfo{
		ContractVersion: wire.CurrentVersion(),
		HostID:          s.hostID,
		HostIDScope:     "process",
		ProcessName:     "rkat-rpc",
		ProcessVersion:  wire.ContractVersion,
		Capabilities:    wire.HostCapabilities{ContractVersion: wire.CurrentVersion(), Features: s.hostFeatures()},
		Health:          s.health(ctx),
		Realm: wire.HostRealm{RealmID: s.cfg.RealmID, InstanceID: s.cfg.InstanceID, Backend: s.cfg.Backend,
			StateRoot: s.cfg.ResolvedPaths["state_root"]},
		Endpoints: wire.HostEndpoints{RPCMethods: s.Methods()},
	}, nil
}
