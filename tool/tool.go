// Package tool defines the tools an agent can call: the Tool interface, an
// adapter for plain functions, immutable tool sets handed to a run, and a
// mutable registry whose snapshot is taken at turn boundaries.
//
// Timeouts and cancellation of individual calls are applied by the agent's
// dispatcher (package agent): it gives every call a context that ends at the
// per-call timeout or when the run is interrupted, and a Tool must return
// promptly once that context is done.
package tool

import (
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/rkat-dev/rkat/llm"
)

// Result is the outcome of a tool call as it goes back to the model.
type Result struct {
	Content []llm.Block
	IsError bool
}

// TextResult returns a result holding one text block.
func TextResult(s string) Result { return Result{Content: []llm.Block{llm.Text(s)}} }

// ErrorResult returns an error result holding one text block the model can read.
func ErrorResult(s string) Result { return Result{Content: []llm.Block{llm.Text(s)}, IsError: true} }

// Tool is something the model can call.
type Tool interface {
	// Def describes the tool to the model. It must be stable for the
	// lifetime of the tool.
	Def() llm.ToolDef
	// Call runs the tool with the model's arguments, which are a valid JSON
	// object. A returned error becomes an is_error result carrying the error
	// message; ctx ends at the call's timeout or when the run is interrupted.
	Call(ctx context.Context, args json.RawMessage) (Result, error)
}

// Func adapts a function to Tool.
type Func struct {
	Definition llm.ToolDef
	Fn         func(ctx context.Context, args json.RawMessage) (Result, error)
}

// Def returns f.Definition.
func (f Func) Def() llm.ToolDef { return f.Definition }

// Call calls f.Fn.
func (f Func) Call(ctx context.Context, args json.RawMessage) (Result, error) {
	return f.Fn(ctx, args)
}

// Set is an immutable, ordered set of tools with unique names. A nil *Set is
// a valid empty set.
type Set struct {
	tools  []Tool
	defs   []llm.ToolDef
	byName map[string]int
}

// NewSet returns a set of tools in order of first appearance; a later tool
// with the same name replaces an earlier one in place.
func NewSet(tools ...Tool) *Set {
	s := &Set{byName: make(map[string]int, len(tools))}
	for _, t := range tools {
		s.put(t)
	}
	return s
}

func (s *Set) put(t Tool) {
	d := t.Def()
	if i, ok := s.byName[d.Name]; ok {
		s.tools[i], s.defs[i] = t, d
		return
	}
	s.byName[d.Name] = len(s.tools)
	s.tools = append(s.tools, t)
	s.defs = append(s.defs, d)
}

// Len is the number of tools in s.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.tools)
}

// Lookup returns the tool called name.
func (s *Set) Lookup(name string) (Tool, bool) {
	if s == nil {
		return nil, false
	}
	i, ok := s.byName[name]
	if !ok {
		return nil, false
	}
	return s.tools[i], true
}

// Defs returns the definitions of the tools in order. The slice is shared
// and must not be modified.
func (s *Set) Defs() []llm.ToolDef {
	if s == nil {
		return nil
	}
	return s.defs
}

// Tools returns the tools in order, as a new slice.
func (s *Set) Tools() []Tool {
	if s == nil {
		return nil
	}
	return slices.Clone(s.tools)
}

// With returns a new set holding s's tools plus tools, where a tool of the
// same name as an existing one replaces it in place.
func (s *Set) With(tools ...Tool) *Set {
	return NewSet(append(s.Tools(), tools...)...)
}

// Filter returns a new set holding the tools of s whose names are in allowed
// (nil allowed keeps all) and not in blocked.
func (s *Set) Filter(allowed, blocked []string) *Set {
	out := NewSet()
	for _, t := range s.Tools() {
		name := t.Def().Name
		if (allowed == nil || slices.Contains(allowed, name)) && !slices.Contains(blocked, name) {
			out.put(t)
		}
	}
	return out
}

// Registry is a concurrency-safe, mutable collection of tools. Runs use a
// Snapshot taken at a turn boundary, so changes never affect a running call.
type Registry struct {
	mu   sync.Mutex
	snap *Set
}

// NewRegistry returns a registry holding tools.
func NewRegistry(tools ...Tool) *Registry {
	return &Registry{snap: NewSet(tools...)}
}

// Register adds tools; a tool with the name of a registered one replaces it.
func (r *Registry) Register(tools ...Tool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.snap = r.snap.With(tools...)
}

// Snapshot returns the current tools as an immutable set.
func (r *Registry) Snapshot() *Set {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.snap
}

// callIDKey is the context key of the id of the tool call being served.
type callIDKey struct{}

// WithCallID returns ctx carrying id, the model's id for the tool call it
// serves. The agent's dispatcher sets it on every call's context.
func WithCallID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, callIDKey{}, id)
}

// CallID returns the id of the tool call ctx serves, or "" outside a call.
// Tools executed elsewhere (callback tools) pass it on so the executor can
// tell parallel calls apart.
func CallID(ctx context.Context) string {
	id, _ := ctx.Value(callIDKey{}).(string)
	return id
}
