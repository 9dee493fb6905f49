package sdk

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
)

// Tool is a callback tool: the model calls it, the server asks this client
// to run it (tool/execute) and Handler answers.
type Tool struct {
	Name        string
	Description string
	// InputSchema is the JSON Schema of the arguments; nil means any object.
	InputSchema json.RawMessage
	// Handler runs the tool. A returned error becomes an error result the
	// model can read.
	Handler func(ctx context.Context, args json.RawMessage) (string, error)
}

// FuncTool adapts a typed function: the arguments are decoded into A.
func FuncTool[A any](name, description string, schema json.RawMessage, fn func(ctx context.Context, args A) (string, error)) Tool {
	return Tool{Name: name, Description: description, InputSchema: schema,
		Handler: func(ctx context.Context, raw json.RawMessage) (string, error) {
			var a A
			if err := json.Unmarshal(raw, &a); err != nil {
				return "", fmt.Errorf("invalid arguments: %w", err)
			}
			return fn(ctx, a)
		}}
}

func (t Tool) spec() (wire.ToolSpec, error) {
	if t.Name == "" || t.Handler == nil {
		return wire.ToolSpec{}, clientError(ErrInvalidParams, nil, "a tool needs a name and a handler")
	}
	schema := t.InputSchema
	if schema == nil {
		schema = json.RawMessage(`{"type":"object"}`)
	}
	return wire.ToolSpec{Name: t.Name, Description: t.Description, InputSchema: schema}, nil
}

// RegisterTools registers callback tools with the server; the model sees
// them from the next turn. A tool replaces a registered one of its name.
func (c *Client) RegisterTools(ctx context.Context, tools ...Tool) error {
	p := wire.RegisterParams{Tools: []wire.ToolSpec{}}
	for _, t := range tools {
		spec, err := t.spec()
		if err != nil {
			return err
		}
		p.Tools = append(p.Tools, spec)
	}
	c.addTools(tools)
	return c.call(ctx, wire.MethodToolsRegister, p, nil)
}

func (c *Client) addTools(tools []Tool) {
	c.toolsMu.Lock()
	defer c.toolsMu.Unlock()
	for _, t := range tools {
		c.tools[t.Name] = t
	}
}

// serveCallback answers the server's requests: tool/execute runs a
// registered tool; anything else is unknown.
func (c *Client) serveCallback(ctx context.Context, req *rpc.Request) (any, error) {
	if req.Method != wire.MethodToolExecute {
		return nil, rpc.Errorf(rpc.CodeMethodNotFound, "method not found: %s", req.Method)
	}
	var p wire.ToolExecuteParams
	if err := json.Unmarshal(req.Params, &p); err != nil {
		return nil, rpc.Errorf(rpc.CodeInvalidParams, "tool/execute: %v", err)
	}
	c.toolsMu.Lock()
	t, ok := c.tools[p.Name]
	c.toolsMu.Unlock()
	if !ok {
		return toolResult(fmt.Sprintf("unknown tool %q", p.Name), true), nil
	}
	out, err := t.Handler(ctx, p.Arguments)
	if err != nil {
		return toolResult(err.Error(), true), nil
	}
	return toolResult(out, false), nil
}

func toolResult(text string, isError bool) wire.ToolExecuteResult {
	content, _ := json.Marshal(text)
	return wire.ToolExecuteResult{Content: content, IsError: isError}
}
