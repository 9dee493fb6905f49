package server

import (
	"context"
	"encoding/json"

	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/tool/mcp"
)

// The mcp/* methods stage changes of one session's MCP servers; they apply
// at the session's next turn boundary. persisted is always reported false:
// changes live with the session in this process and are not written to
// .rkat/mcp.toml.

func (s *Server) mcpAdd(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.MCPAddParams](params)
	if err != nil {
		return nil, err
	}
	c := p.ServerConfig
	cfg := mcp.ServerConfig{Name: c.Name, Command: c.Command, Args: c.Args, Env: c.Env, URL: c.URL,
		Headers: c.Headers, Transport: c.Transport, ConnectTimeoutSecs: c.ConnectTimeoutSecs}
	return s.mcpStage(ctx, p.SessionID, mcp.OpAdd, &c.Name, func(sid string) error {
		return s.cfg.MCP.Add(sid, cfg)
	})
}

func (s *Server) mcpRemove(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.MCPRemoveParams](params)
	if err != nil {
		return nil, err
	}
	if p.ServerName == "" {
		return nil, invalidParams("server_name is required")
	}
	return s.mcpStage(ctx, p.SessionID, mcp.OpRemove, &p.ServerName, func(sid string) error {
		return s.cfg.MCP.Remove(sid, p.ServerName)
	})
}

func (s *Server) mcpReload(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.MCPReloadParams](params)
	if err != nil {
		return nil, err
	}
	name := ""
	if p.ServerName != nil {
		if name = *p.ServerName; name == "" {
			return nil, invalidParams("server_name must not be empty")
		}
	}
	return s.mcpStage(ctx, p.SessionID, mcp.OpReload, p.ServerName, func(sid string) error {
		return s.cfg.MCP.Reload(sid, name)
	})
}

// mcpStage checks that the session exists and is active, then stages the
// change. A change the session's servers refuse (unknown or duplicate name,
// too many staged changes) is an error naming the reason: the result shape
// has no room for one, so status is always staged.
func (s *Server) mcpStage(ctx context.Context, rawID string, op mcp.Operation, name *string, stage func(sid string) error) (any, error) {
	sid, err := s.sessionID(rawID)
	if err != nil {
		return nil, err
	}
	svc, _, err := s.service()
	if err != nil {
		return nil, err
	}
	info, err := svc.Read(ctx, sid)
	if err != nil {
		return nil, err
	}
	if info.Archived {
		return nil, invalidParams("session %s is archived", sid)
	}
	if err := stage(sid); err != nil {
		return nil, err
	}
	return wire.MCPResult{SessionID: rawID, Operation: string(op), ServerName: name, Status: wire.MCPStaged}, nil
}
