package server

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/tool"
)

// maxTools bounds the callback tools one connection may register.
const maxTools = 512

// run is the per-run plumbing between one session run and its connection:
// the event writer and the callback tools.
type run struct {
	tools   []tool.Tool
	onEvent func(session.Envelope)
}

func (c *connState) newRun(s *Server, external []wire.ToolSpec) run {
	c.mu.Lock()
	specs := append(append([]wire.ToolSpec(nil), c.tools...), external...)
	c.mu.Unlock()
	tools := make([]tool.Tool, 0, len(specs))
	for _, sp := range specs {
		tools = append(tools, callbackTool{def: toolDef(sp), conn: c.conn, timeout: s.cfg.CallbackTimeout})
	}
	return run{tools: tools, onEvent: func(env session.Envelope) { s.writeEvent(c.conn, env) }}
}

func (s *Server) toolsRegister(_ context.Context, c *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.RegisterParams](params)
	if err != nil {
		return nil, err
	}
	if err := checkToolSpecs(p.Tools); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	tools := slices.Clone(c.tools)
	for _, t := range p.Tools {
		if i := slices.IndexFunc(tools, func(x wire.ToolSpec) bool { return x.Name == t.Name }); i >= 0 {
			tools[i] = t
		} else {
			tools = append(tools, t)
		}
	}
	if len(tools) > maxTools {
		return nil, invalidParams("at most %d callback tools per connection", maxTools)
	}
	c.tools = tools
	return wire.RegisterResult{Registered: len(p.Tools)}, nil
}

// callbackTool is a tool executed by the client through tool/execute.
type callbackTool struct {
	def     llm.ToolDef
	conn    *rpc.Conn
	timeout time.Duration
}

func (t callbackTool) Def() llm.ToolDef { return t.def }

// Call asks the client to run the tool. Every failure (an error answer, a
// timeout, a closed connection) becomes an error result the model can read.
func (t callbackTool) Call(ctx context.Context, args json.RawMessage) (tool.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	raw, err := t.conn.Call(ctx, wire.MethodToolExecute, wire.ToolExecuteParams{
		ToolUseID: tool.CallID(ctx), Name: t.def.Name, Arguments: args})
	if err != nil {
		return tool.ErrorResult(fmt.Sprintf("callback tool %s failed: %v", t.def.Name, err)), nil
	}
	var res wire.ToolExecuteResult
	if err := json.Unmarshal(raw, &res); err != nil {
		return tool.ErrorResult(fmt.Sprintf("callback tool %s: malformed reply: %v", t.def.Name, err)), nil
	}
	blocks, err := wire.ParseContent(res.Content)
	if err != nil {
		return tool.ErrorResult(fmt.Sprintf("callback tool %s: %v", t.def.Name, err)), nil
	}
	return tool.Result{Content: blocks, IsError: res.IsError}, nil
}
