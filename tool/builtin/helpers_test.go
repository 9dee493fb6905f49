package builtin_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/memory"
	"github.com/rkat-dev/rkat/tool"
	"github.com/rkat-dev/rkat/tool/builtin"
)

// box is a Toolbox over a fresh project directory, with every family.
type box struct {
	t     *testing.T
	dir   string
	tb    *builtin.Toolbox
	set   *tool.Set
	ctx   context.Context
	tasks *memory.Store
}

func newBox(t *testing.T, shell builtin.ShellConfig) *box {
	t.Helper()
	dir := t.TempDir()
	st := memory.New()
	tb, err := builtin.New(builtin.Config{ProjectRoot: dir, Tasks: st, Shell: shell, MaxReadBytes: 1 << 10, MaxResults: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tb.Close() })
	ctx := builtin.WithSession(context.Background(), builtin.Session{ID: "s1", Env: map[string]string{"FROM_SESSION": "yes"}})
	real, _ := filepath.EvalSymlinks(dir)
	return &box{t: t, dir: real, tb: tb, set: tb.Set(true, true), ctx: ctx, tasks: st}
}

// call runs a tool the way the agent does: schema check, then Call. A
// returned Go error becomes an error result, as in the agent.
func (b *box) call(name string, args any) (string, bool) {
	b.t.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		b.t.Fatal(err)
	}
	if err := b.set.Validate(name, raw); err != nil {
		return err.Error(), true
	}
	tl, ok := b.set.Lookup(name)
	if !ok {
		b.t.Fatalf("no tool %q", name)
	}
	res, err := tl.Call(b.ctx, raw)
	if err != nil {
		return err.Error(), true
	}
	if len(res.Content) != 1 {
		b.t.Fatalf("%s: %d blocks", name, len(res.Content))
	}
	return res.Content[0].Text, res.IsError
}

// callJSON is call for a successful call with a JSON object result.
func (b *box) callJSON(name string, args any) map[string]any {
	b.t.Helper()
	text, isErr := b.call(name, args)
	if isErr {
		b.t.Fatalf("%s(%v): error %s", name, args, text)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		b.t.Fatalf("%s: result %q: %v", name, text, err)
	}
	return out
}

func (b *box) write(rel, content string) {
	b.t.Helper()
	p := filepath.Join(b.dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (b *box) read(rel string) (string, bool) {
	data, err := os.ReadFile(filepath.Join(b.dir, rel))
	return string(data), err == nil
}

func storeSession(id string) store.Session {
	now := time.Now()
	return store.Session{ID: id, Realm: "test", Model: "m", Provider: "p", Created: now, Updated: now}
}
