package tool_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// named returns a tool whose result text is its name and version.
func named(name, version string) tool.Tool {
	return tool.Func{
		Definition: llm.ToolDef{Name: name, Description: version},
		Fn: func(context.Context, json.RawMessage) (tool.Result, error) {
			return tool.TextResult(name + version), nil
		},
	}
}

func names(s *tool.Set) []string {
	var out []string
	for _, d := range s.Defs() {
		out = append(out, d.Name+d.Description)
	}
	return out
}

func TestSet(t *testing.T) {
	base := tool.NewSet(named("a", "1"), named("b", "1"), named("a", "2"))
	cases := []struct {
		name string
		set  *tool.Set
		want []string
	}{
		{"later duplicates replace in place", base, []string{"a2", "b1"}},
		{"with replaces and appends", base.With(named("b", "3"), named("c", "1")), []string{"a2", "b3", "c1"}},
		{"filter allowed", base.With(named("c", "1")).Filter([]string{"c", "a", "zz"}, nil), []string{"a2", "c1"}},
		{"filter blocked", base.With(named("c", "1")).Filter(nil, []string{"b"}), []string{"a2", "c1"}},
		{"filter empty allowed", base.Filter([]string{}, nil), nil},
		{"nil set", (*tool.Set)(nil).With(named("x", "1")), []string{"x1"}},
		{"without", base.With(named("c", "1")).Without(tool.NewSet(named("b", "9"), named("zz", "1"))), []string{"a2", "c1"}},
		{"without nil", base.Without(nil), []string{"a2", "b1"}},
		{"nil without", (*tool.Set)(nil).Without(base), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := names(tc.set); !slices.Equal(got, tc.want) {
				t.Fatalf("tools = %v, want %v", got, tc.want)
			}
			if tc.set.Len() != len(tc.want) || len(tc.set.Tools()) != len(tc.want) {
				t.Fatalf("Len %d, Tools %d, want %d", tc.set.Len(), len(tc.set.Tools()), len(tc.want))
			}
		})
	}
	if got := names(base); !slices.Equal(got, []string{"a2", "b1"}) {
		t.Fatalf("With/Filter modified the original set: %v", got)
	}
	a, ok := base.Lookup("a")
	if !ok {
		t.Fatal("a not found")
	}
	if res, err := a.Call(t.Context(), nil); err != nil || res.Content[0].Text != "a2" || res.IsError {
		t.Fatalf("call = %+v, %v", res, err)
	}
	if _, ok := base.Lookup("zz"); ok {
		t.Fatal("found a tool that is not there")
	}
	var nilSet *tool.Set
	if _, ok := nilSet.Lookup("a"); ok || nilSet.Defs() != nil || nilSet.Len() != 0 {
		t.Fatal("nil set is not empty")
	}
}

func TestRegistrySnapshots(t *testing.T) {
	r := tool.NewRegistry(named("a", "1"))
	snap := r.Snapshot()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			r.Register(named("a", "2"), named(string(rune('b'+i)), "1"))
			_ = r.Snapshot().Defs()
		})
	}
	wg.Wait()
	if got := names(snap); !slices.Equal(got, []string{"a1"}) {
		t.Fatalf("old snapshot changed: %v", got)
	}
	now := r.Snapshot()
	if now.Len() != 9 {
		t.Fatalf("registry holds %d tools, want 9", now.Len())
	}
	if d := now.Defs()[0]; d.Name != "a" || d.Description != "2" {
		t.Fatalf("first tool = %+v, want a replaced in place", d)
	}
}

func TestResults(t *testing.T) {
	if r := tool.ErrorResult("bad"); !r.IsError || r.Content[0].Text != "bad" || r.Content[0].Type != llm.BlockText {
		t.Fatalf("ErrorResult = %+v", r)
	}
	if r := tool.TextResult("ok"); r.IsError || r.Content[0].Text != "ok" {
		t.Fatalf("TextResult = %+v", r)
	}
}

func TestSetValidate(t *testing.T) {
	mk := func(name, schema string) tool.Tool {
		return tool.Func{Definition: llm.ToolDef{Name: name, InputSchema: json.RawMessage(schema)},
			Fn: func(context.Context, json.RawMessage) (tool.Result, error) { return tool.Result{}, nil }}
	}
	set := tool.NewSet(
		mk("typed", `{"type":"object","properties":{"path":{"type":"string"},"n":{"type":"integer","minimum":1}},"required":["path"],"additionalProperties":false}`),
		mk("loose", `{"type":"object"}`),
		mk("remote", `{"$ref":"https://example.com/schema.json"}`), // loading is disabled: not compiled, not checked
		mk("none", ``),
	).Filter(nil, nil).With().Without(nil) // derived sets share the compiled schemas
	cases := []struct {
		tool, args string
		want       []string // substrings of the error; nil means valid
	}{
		{"typed", `{"path":"a"}`, nil},
		{"typed", `{"path":"a","n":0}`, []string{"/n", "minimum"}},
		{"typed", `{"path":3}`, []string{"/path", "want string"}},
		{"typed", `{}`, []string{"missing property 'path'"}},
		{"typed", `{"path":"a","colour":"red"}`, []string{"colour"}},
		{"loose", `{"anything":[1]}`, nil},
		{"remote", `{"x":1}`, nil},
		{"none", `{"x":1}`, nil},
		{"unknown", `{"x":1}`, nil},
	}
	for _, tc := range cases {
		err := set.Validate(tc.tool, json.RawMessage(tc.args))
		if tc.want == nil {
			if err != nil {
				t.Errorf("%s %s: %v", tc.tool, tc.args, err)
			}
			continue
		}
		if !errors.Is(err, tool.ErrInvalidArgs) {
			t.Errorf("%s %s: err = %v, want ErrInvalidArgs", tc.tool, tc.args, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s %s: %v lacks %q", tc.tool, tc.args, err, w)
			}
		}
	}
}

func TestJSONResult(t *testing.T) {
	cases := []struct {
		v       any
		want    string
		wantErr bool
	}{
		{map[string]any{"a": 1}, `{"a":1}`, false},
		{[]string{"x"}, `["x"]`, false},
		{nil, `null`, false},
		{make(chan int), "", true},
	}
	for _, tc := range cases {
		r, err := tool.JSONResult(tc.v)
		if (err != nil) != tc.wantErr {
			t.Fatalf("JSONResult(%v) error %v, want error %v", tc.v, err, tc.wantErr)
		}
		if tc.wantErr {
			continue
		}
		if got := (llm.Message{Content: r.Content}).PlainText(); got != tc.want || r.IsError {
			t.Errorf("JSONResult(%v) = %q (is_error %v), want %q", tc.v, got, r.IsError, tc.want)
		}
	}
}
