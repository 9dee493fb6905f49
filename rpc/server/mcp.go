package server

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/tool/mcp"
)

// The mcp/* methods stage changes of one session's MCP servers; they apply
// at the session's next turn boundary. With persisted, mcp/add and
// mcp/remove first change the project's .rkat/mcp.toml (so later sessions
// see them; put back if staging fails); the result's persisted says whether
// the file changed.

func (s *Server) mcpAdd(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.MCPAddParams](params)
	if err != nil {
		return nil, err
	}
	c := p.ServerConfig
	cfg := mcp.ServerConfig{Name: c.Name, Command: c.Command, Args: c.Args, Env: c.Env, URL: c.URL,
		Headers: c.Headers, Transport: c.Transport, ConnectTimeoutSecs: c.ConnectTimeoutSecs}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return s.mcpStage(ctx, p.SessionID, mcp.OpAdd, &c.Name, func(sid string) (bool, error) {
		if !p.Persisted {
			return false, s.cfg.MCP.Add(sid, cfg, false)
		}
		return s.persisted(func(path string) (bool, error) { return true, mcp.AddToFile(path, cfg) },
			func(persisted bool) error { return s.cfg.MCP.Add(sid, cfg, persisted) })
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
	return s.mcpStage(ctx, p.SessionID, mcp.OpRemove, &p.ServerName, func(sid string) (bool, error) {
		if !p.Persisted {
			return false, s.cfg.MCP.Remove(sid, p.ServerName, false)
		}
		return s.persisted(func(path string) (bool, error) { return mcp.RemoveFromFile(path, p.ServerName) },
			func(persisted bool) error { return s.cfg.MCP.Remove(sid, p.ServerName, persisted) })
	})
}

// persisted writes a change to the project's mcp.toml, then stages it; when
// staging fails the file is put back as it was. It reports whether the
// file changed.
func (s *Server) persisted(write func(path string) (bool, error), stage func(persisted bool) error) (bool, error) {
	path := s.cfg.MCP.ProjectFile()
	if path == "" {
		return false, fmt.Errorf("persisted: no project directory to hold .rkat/mcp.toml")
	}
	restore, err := mcp.SnapshotFile(path)
	if err != nil {
		return false, err
	}
	changed, err := write(path)
	if err != nil {
		return false, err
	}
	if err := stage(changed); err != nil {
		if rerr := restore(); rerr != nil {
			return false, fmt.Errorf("%w (and %s could not be restored: %v)", err, path, rerr)
		}
		return false, err
	}
	return changed, nil
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
	return s.mcpStage(ctx, p.SessionID, mcp.OpReload, p.ServerName, func(sid string) (bool, error) {
		return false, s.cfg.MCP.Reload(sid, name)
	})
}

// mcpStage checks that the session exists and is active, then stages the
// change. A change the session's servers refuse (unknown or duplicate name,
// too many staged changes) is an error naming the reason: the result shape
// has no room for one, so status is always staged.
func (s *Server) mcpStage(ctx context.Context, rawID string, op mcp.Operation, name *string, stage func(sid string) (persisted bool, err error)) (any, error) {
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
	persisted, err := stage(sid)
	if err != nil {
		return nil, err
	}
	return wire.MCPResult{SessionID: rawID, Operation: string(op), ServerName: name, Status: wire.MCPStaged,
		Persisted: persisted}, nil
}
