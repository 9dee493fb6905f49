package builtin_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/tool/builtin"
)

func symlink(target, link string) error { return os.Symlink(target, link) }

func TestFileTools(t *testing.T) {
	b := newBox(t, builtin.ShellConfig{})
	b.write("a.txt", "one\ntwo\nthree\nfour\n")
	b.write("src/x.go", "package x\n// TODO fix\n")
	b.write("src/deep/y.go", "package deep\n// todo later\n")
	b.write("bin.dat", "ELF\x00\x01\x02")
	b.write("big.txt", strings.Repeat("0123456789\n", 200))
	outside := t.TempDir()
	if err := os.WriteFile(outside+"/secret.txt", []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := symlink(outside, b.dir+"/out"); err != nil {
		t.Fatal(err)
	}
	if err := symlink(outside+"/secret.txt", b.dir+"/secret-link"); err != nil {
		t.Fatal(err)
	}

	type tc struct {
		name  string
		tool  string
		args  map[string]any
		isErr bool
		want  []string // substrings of the result text
		not   []string // substrings that must not appear
	}
	cases := []tc{
		{name: "read whole", tool: "read_file", args: map[string]any{"path": "a.txt"}, want: []string{`"content":"one\ntwo\nthree\nfour\n"`, `"total_lines":4`}},
		{name: "read range", tool: "read_file", args: map[string]any{"path": "a.txt", "offset": 2, "limit": 2}, want: []string{`"content":"two\nthree\n"`, `"start_line":2`, `"end_line":3`}},
		{name: "read past end", tool: "read_file", args: map[string]any{"path": "a.txt", "offset": 9}, isErr: true, want: []string{"past the end"}},
		{name: "read capped", tool: "read_file", args: map[string]any{"path": "big.txt"}, want: []string{`"truncated":true`, `"end_line":93`}},
		{name: "read binary", tool: "read_file", args: map[string]any{"path": "bin.dat"}, isErr: true, want: []string{"binary"}},
		{name: "read absolute inside", tool: "read_file", args: map[string]any{"path": b.dir + "/a.txt"}, want: []string{"one"}},
		{name: "read escape ..", tool: "read_file", args: map[string]any{"path": "../x"}, isErr: true, want: []string{"outside the project root"}},
		{name: "read escape absolute", tool: "read_file", args: map[string]any{"path": "/etc/passwd"}, isErr: true, want: []string{"outside the project root"}},
		{name: "read escape symlink", tool: "read_file", args: map[string]any{"path": "secret-link"}, isErr: true, want: []string{"outside the project root"}, not: []string{`"content":"secret"`}},
		{name: "read bad offset type", tool: "read_file", args: map[string]any{"path": "a.txt", "offset": "2"}, isErr: true, want: []string{"/offset"}},
		{name: "write", tool: "write_file", args: map[string]any{"path": "new/w.txt", "content": "hi"}, want: []string{`"bytes_written":2`}},
		{name: "write escape symlink", tool: "write_file", args: map[string]any{"path": "out/evil.txt", "content": "x"}, isErr: true, want: []string{"outside the project root"}},
		{name: "write unknown field", tool: "write_file", args: map[string]any{"path": "w.txt", "content": "x", "mode": 7}, isErr: true, want: []string{"mode"}},
		{name: "list root, capped", tool: "list_dir", args: map[string]any{}, want: []string{`"name":"a.txt","type":"file","size":19`, `"name":"out","type":"symlink"`, `"total":7,"truncated":true`}},
		{name: "list subdir", tool: "list_dir", args: map[string]any{"path": "src"}, want: []string{`"name":"deep","type":"dir"`, `"name":"x.go","type":"file","size":22`}},
		{name: "list escape", tool: "list_dir", args: map[string]any{"path": "out"}, isErr: true, want: []string{"outside the project root"}},
		{name: "glob doublestar", tool: "glob", args: map[string]any{"pattern": "**/*.go"}, want: []string{`"src/deep/y.go"`, `"src/x.go"`}, not: []string{"a.txt"}},
		{name: "glob with ./", tool: "glob", args: map[string]any{"pattern": "./src/*.go"}, want: []string{`"src/x.go"`}, not: []string{"y.go"}},
		{name: "glob one level", tool: "glob", args: map[string]any{"pattern": "*.go", "path": "src"}, want: []string{`"src/x.go"`}, not: []string{"y.go"}},
		{name: "grep", tool: "grep", args: map[string]any{"pattern": "TODO", "case_insensitive": true}, want: []string{`{"path":"src/deep/y.go","line":2,"text":"// todo later"}`, `{"path":"src/x.go","line":2,"text":"// TODO fix"}`}, not: []string{"bin.dat", "secret"}},
		{name: "grep capped", tool: "grep", args: map[string]any{"pattern": "0123"}, want: []string{`"truncated":true`}},
		{name: "grep bad regexp", tool: "grep", args: map[string]any{"pattern": "a(b"}, isErr: true, want: []string{"bad regular expression"}},
		{name: "grep one file", tool: "grep", args: map[string]any{"pattern": "t", "path": "a.txt"}, want: []string{`"line":2,"text":"two"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, isErr := b.call(c.tool, c.args)
			if isErr != c.isErr {
				t.Fatalf("isErr = %v: %s", isErr, text)
			}
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("result %s lacks %s", text, w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(text, n) {
					t.Errorf("result %s has %s", text, n)
				}
			}
		})
	}
	if got, _ := b.read("new/w.txt"); got != "hi" {
		t.Errorf("written file = %q", got)
	}
	if _, err := os.Stat(outside + "/evil.txt"); err == nil {
		t.Error("write_file escaped through a symlink")
	}
	var grep map[string]any
	text, _ := b.call("grep", map[string]any{"pattern": "0123"})
	if json.Unmarshal([]byte(text), &grep) != nil || len(grep["matches"].([]any)) != 5 {
		t.Errorf("grep cap: %s", text)
	}
}

func TestTasks(t *testing.T) {
	b := newBox(t, builtin.ShellConfig{})
	if err := b.tasks.CreateSession(b.ctx, storeSession("s1")); err != nil {
		t.Fatal(err)
	}
	first := b.callJSON("task_create", map[string]any{"subject": "write tests", "description": "for the tools", "labels": []string{"qa"}})
	id := first["id"].(string)
	if first["status"] != "pending" || first["priority"] != "medium" || first["created_by_session"] != "s1" {
		t.Fatalf("created %v", first)
	}
	second := b.callJSON("task_create", map[string]any{"subject": "ship", "description": "release", "priority": "high", "blocked_by": []string{id}})
	if text, isErr := b.call("task_create", map[string]any{"subject": "x", "description": "y", "blocks": []string{"nope"}}); !isErr || !strings.Contains(text, "no task") {
		t.Fatalf("unknown blocker: %s", text)
	}
	if text, isErr := b.call("task_create", map[string]any{"subject": "x", "description": "y", "priority": "urgent"}); !isErr || !strings.Contains(text, "/priority") {
		t.Fatalf("bad priority: %s", text)
	}
	up := b.callJSON("task_update", map[string]any{"id": id, "status": "completed", "metadata": map[string]any{"pr": 12}})
	if up["status"] != "completed" || up["subject"] != "write tests" || up["metadata"].(map[string]any)["pr"] != 12.0 {
		t.Fatalf("updated %v", up)
	}
	got := b.callJSON("task_get", map[string]any{"id": second["id"]})
	if got["priority"] != "high" || got["blocked_by"].([]any)[0] != id {
		t.Fatalf("get %v", got)
	}
	for _, c := range []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{}, []string{"write tests", "ship"}},
		{map[string]any{"status": "pending"}, []string{"ship"}},
		{map[string]any{"labels": []string{"qa"}}, []string{"write tests"}},
	} {
		text, isErr := b.call("task_list", c.args)
		var list []map[string]any
		if isErr || json.Unmarshal([]byte(text), &list) != nil || len(list) != len(c.want) {
			t.Fatalf("task_list %v = %s", c.args, text)
		}
		for i, w := range c.want {
			if list[i]["subject"] != w {
				t.Errorf("task_list %v [%d] = %v, want %s", c.args, i, list[i]["subject"], w)
			}
		}
	}
}
