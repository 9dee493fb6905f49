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
// mcp/remove also change the project's .rkat/mcp.toml (so later sessions
// see them); the result's persisted says whether the file changed.

func (s *Server) mcpAdd(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.MCPAddParams](params)
	if err != nil {
		return nil, err
	}
	c := p.ServerConfig
	cfg := mcp.ServerConfig{Name: c.Name, Command: c.Command, Args: c.Args, Env: c.Env, URL: c.URL,
		Headers: c.Headers, Transport: c.Transport, ConnectTimeoutSecs: c.ConnectTimeoutSecs}
	return s.mcpStage(ctx, p.SessionID, mcp.OpAdd, &c.Name, func(sid string) (bool, error) {
		if err := s.cfg.MCP.Add(sid, cfg); err != nil || !p.Persisted {
			return false, err
		}
		return true, s.persist(func(path string) error { return mcp.AddToFile(path, cfg) })
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
		if err := s.cfg.MCP.Remove(sid, p.ServerName); err != nil || !p.Persisted {
			return false, err
		}
		var found bool
		err := s.persist(func(path string) (err error) {
			found, err = mcp.RemoveFromFile(path, p.ServerName)
			return err
		})
		return found, err
	})
}

// persist applies change to the project's mcp.toml. The session's change is
// staged already and stays: an error says the file could not follow.
func (s *Server) persist(change func(path string) error) error {
	path := s.cfg.MCP.ProjectFile()
	if path == "" {
		return fmt.Errorf("persisted: no project directory to hold .rkat/mcp.toml")
	}
	if err := change(path); err != nil {
		return fmt.Errorf("staged for the session, but not persisted: %w", err)
	}
	return nil
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
