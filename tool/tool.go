// Package tool defines the tools an agent can call: the Tool interface, an
// adapter for plain functions, immutable tool sets handed to a run, and a
// mutable registry whose snapshot is taken at turn boundaries.
//
// Timeouts and cancellation of individual calls are applied by the agent's
// dispatcher (package agent): it gives every call a context that ends at the
// per-call timeout or when the run is interrupted, and a Tool must return
// promptly once that context is done. The dispatcher also checks a call's
// arguments against the tool's input schema (Set.Validate) before Call, so a
// tool sees only arguments its schema accepts.
package tool

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/llm"
)

// Result is the outcome of a tool call as it goes back to the model.
type Result struct {
	Content []llm.Block
	IsError bool
}

// TextResult returns a result holding one text block.
func TextResult(s string) Result { return Result{Content: []llm.Block{llm.Text(s)}} }

// JSONResult returns a result holding v as JSON text; the error is
// json.Marshal's.
func JSONResult(v any) (Result, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return Result{}, err
	}
	return TextResult(string(b)), nil
}

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
// a valid empty set. Each tool's input schema is compiled on its first
// Validate and the compiled form is shared by the sets derived with With,
// Merge, Filter and Without, so a registry snapshot compiles each schema
// once.
type Set struct {
	entries []*entry
	defs    []llm.ToolDef
	byName  map[string]int
}

// entry is one tool of a set with its lazily compiled schema.
type entry struct {
	tool Tool
	def  llm.ToolDef
	v    validator
}

// NewSet returns a set of tools in order of first appearance; a later tool
// with the same name replaces an earlier one in place.
func NewSet(tools ...Tool) *Set {
	s := &Set{byName: make(map[string]int, len(tools))}
	for _, t := range tools {
		s.put(&entry{tool: t, def: t.Def()})
	}
	return s
}

func (s *Set) put(e *entry) {
	if i, ok := s.byName[e.def.Name]; ok {
		s.entries[i], s.defs[i] = e, e.def
		return
	}
	s.byName[e.def.Name] = len(s.entries)
	s.entries = append(s.entries, e)
	s.defs = append(s.defs, e.def)
}

// Len is the number of tools in s.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.entries)
}

func (s *Set) lookup(name string) (*entry, bool) {
	if s == nil {
		return nil, false
	}
	i, ok := s.byName[name]
	if !ok {
		return nil, false
	}
	return s.entries[i], true
}

// Lookup returns the tool called name.
func (s *Set) Lookup(name string) (Tool, bool) {
	e, ok := s.lookup(name)
	if !ok {
		return nil, false
	}
	return e.tool, true
}

// Validate checks args against the input schema of the tool called name.
// The error matches ErrInvalidArgs and names each failing field by its JSON
// pointer. Unknown tools and schemas that do not compile pass.
func (s *Set) Validate(name string, args json.RawMessage) error {
	e, ok := s.lookup(name)
	if !ok {
		return nil
	}
	return e.v.validate(e.def, args)
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
	out := make([]Tool, len(s.entries))
	for i, e := range s.entries {
		out[i] = e.tool
	}
	return out
}

// With returns a new set holding s's tools plus tools, where a tool of the
// same name as an existing one replaces it in place.
func (s *Set) With(tools ...Tool) *Set {
	out := s.clone(func(*entry) bool { return true })
	for _, t := range tools {
		out.put(&entry{tool: t, def: t.Def()})
	}
	return out
}

// Merge returns a new set holding s's tools plus those of o, a tool of o
// replacing one of s of the same name in place.
func (s *Set) Merge(o *Set) *Set {
	out := s.clone(func(*entry) bool { return true })
	if o != nil {
		for _, e := range o.entries {
			out.put(e)
		}
	}
	return out
}

// Filter returns a new set holding the tools of s whose names are in allowed
// (nil allowed keeps all) and not in blocked.
func (s *Set) Filter(allowed, blocked []string) *Set {
	return s.clone(func(e *entry) bool {
		return (allowed == nil || slices.Contains(allowed, e.def.Name)) && !slices.Contains(blocked, e.def.Name)
	})
}

// Without returns a new set holding the tools of s whose names are not in o.
func (s *Set) Without(o *Set) *Set {
	return s.clone(func(e *entry) bool {
		_, ok := o.lookup(e.def.Name)
		return !ok
	})
}

// clone returns a new set of the entries of s that keep accepts.
func (s *Set) clone(keep func(*entry) bool) *Set {
	out := &Set{byName: make(map[string]int, s.Len())}
	if s != nil {
		for _, e := range s.entries {
			if keep(e) {
				out.put(e)
			}
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

// Timeouter is implemented by tools that enforce their own, per-call
// timeout (the shell tool's timeout_secs). The dispatcher then allows a call
// CallTimeout(args) plus a grace period instead of its default, so the
// tool's own timeout, with its cleanup, fires first.
type Timeouter interface {
	CallTimeout(args json.RawMessage) time.Duration
}
