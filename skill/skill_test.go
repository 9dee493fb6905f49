package skill_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rkat-dev/rkat/skill"
)

func writeSkill(t *testing.T, root, name, content string) {
	t.Helper()
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "SKILL.md"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func md(name, desc, body string) string {
	return "---\nname: " + name + "\ndescription: " + desc + "\n---\n" + body + "\n"
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, dir string
		want          skill.Document
		err           string
	}{
		{"minimal", md("a", "does a", "Body."), "a", skill.Document{Name: "a", Description: "does a", Body: "Body."}, ""},
		{"metadata and version", "---\nname: x-1\ndescription: d\nversion: \"2\"\nmetadata:\n  owner: me\nextra: ignored\n---\nB", "",
			skill.Document{Name: "x-1", Description: "d", Metadata: map[string]string{"owner": "me", "version": "2"}, Body: "B"}, ""},
		{"crlf", "---\r\nname: a\r\ndescription: d\r\n---\r\nB\r\n", "a", skill.Document{Name: "a", Description: "d", Body: "B"}, ""},
		{"no body", "---\nname: a\ndescription: d\n---", "a", skill.Document{Name: "a", Description: "d"}, ""},
		{"no frontmatter", "# Title\n", "", skill.Document{}, "must start with"},
		{"unclosed", "---\nname: a\ndescription: d\n", "", skill.Document{}, "no closing"},
		{"empty frontmatter", "---\n---\nB", "", skill.Document{}, "empty frontmatter"},
		{"bad yaml", "---\nname: [a\n---\n", "", skill.Document{}, "frontmatter"},
		{"bad name", md("Bad_Name", "d", ""), "", skill.Document{}, "lowercase slug"},
		{"name differs from folder", md("a", "d", ""), "b", skill.Document{}, "folder name"},
		{"no description", "---\nname: a\n---\n", "a", skill.Document{}, "description is required"},
		{"metadata not strings", "---\nname: a\ndescription: d\nmetadata: [1]\n---\n", "a", skill.Document{}, "frontmatter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := skill.Parse([]byte(tt.in), tt.dir)
			if tt.err != "" {
				if !errors.Is(err, skill.ErrMalformed) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want ErrMalformed containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(tt.want)
			if string(gb) != string(wb) {
				t.Fatalf("got %s, want %s", gb, wb)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{md("a", "d", "body"), "---\nname: a\n---\n", "---\n---\n", "", "---\nname: [\n---\n",
		"---\r\nname: a\r\ndescription: d\r\n---\r\n", "\ufeff---\nname: a\ndescription: d\n---"} {
		f.Add([]byte(s), "a")
	}
	f.Fuzz(func(t *testing.T, data []byte, dir string) {
		doc, err := skill.Parse(data, dir)
		if err != nil {
			if !errors.Is(err, skill.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if doc.Name == "" || doc.Description == "" || (dir != "" && doc.Name != dir) {
			t.Fatalf("accepted an invalid document: %+v", doc)
		}
	})
}

// library returns a library with a project and a user folder and a small
// builtin set, where "common" exists in all three and "mine" only in the
// user folder.
func library(t *testing.T) (*skill.Library, string, string) {
	t.Helper()
	project, user := t.TempDir(), t.TempDir()
	writeSkill(t, project, "common", md("common", "project common", "Project body."))
	writeSkill(t, project, "broken", "---\nname: broken\n") // malformed
	writeSkill(t, project, "wrong-dir", md("other", "d", ""))
	if err := os.MkdirAll(filepath.Join(project, "not-a-skill"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeSkill(t, user, "common", md("common", "user common", "User body."))
	writeSkill(t, user, "mine", md("mine", "user only", "Mine body."))
	os.MkdirAll(filepath.Join(user, "mine", "refs"), 0o755)
	os.WriteFile(filepath.Join(user, "mine", "refs", "notes.txt"), []byte("note text"), 0o644)
	os.WriteFile(filepath.Join(user, "mine", ".hidden"), []byte("x"), 0o644)
	os.Symlink("/etc/passwd", filepath.Join(user, "mine", "link"))
	builtin := fstest.MapFS{
		"common/SKILL.md": {Data: []byte(md("common", "builtin common", "Builtin body."))},
		"solo/SKILL.md":   {Data: []byte(md("solo", "builtin only", "Solo body </skill> end."))},
	}
	return skill.New(skill.Config{ProjectDir: project, UserDir: user, Builtin: builtin}), project, user
}

func TestLoadShadowingAndProblems(t *testing.T) {
	lib, project, _ := library(t)
	c := lib.Load()
	type row struct {
		name   string
		scope  skill.Scope
		active bool
		shadow skill.Scope
	}
	var got []row
	for _, s := range c.Skills() {
		r := row{s.Name, s.Source.Scope, s.Active, ""}
		if s.ShadowedBy != nil {
			r.shadow = s.ShadowedBy.Scope
		}
		got = append(got, r)
	}
	want := []row{
		{"common", skill.ScopeProject, true, ""},
		{"common", skill.ScopeUser, false, skill.ScopeProject},
		{"mine", skill.ScopeUser, true, ""},
		{"common", skill.ScopeBuiltin, false, skill.ScopeProject},
		{"solo", skill.ScopeBuiltin, true, ""},
	}
	if len(got) != len(want) {
		t.Fatalf("skills = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("skill %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	probs := c.Problems()
	if len(probs) != 2 {
		t.Fatalf("problems = %+v, want broken and wrong-dir", probs)
	}
	for i, dir := range []string{"broken", "wrong-dir"} {
		if probs[i].Location != filepath.Join(project, dir, "SKILL.md") || !errors.Is(probs[i].Err, skill.ErrMalformed) {
			t.Fatalf("problem %d = %+v", i, probs[i])
		}
	}
	// Keys are stable across libraries over the same folders and distinct
	// per source.
	again := lib.Load().Skills()
	srcs := map[string]bool{}
	for i, s := range c.Skills() {
		if again[i].Key != s.Key {
			t.Fatalf("key changed between loads: %v vs %v", s.Key, again[i].Key)
		}
		srcs[s.Key.SourceUUID] = true
	}
	if len(srcs) != 3 {
		t.Fatalf("want 3 distinct source uuids, got %v", srcs)
	}
}

func TestGetResourcesRender(t *testing.T) {
	lib, _, _ := library(t)
	c := lib.Load()
	key := func(scope skill.Scope, name string) skill.Key {
		for _, s := range c.Skills() {
			if s.Source.Scope == scope && s.Name == name {
				return s.Key
			}
		}
		t.Fatalf("no %s skill %s", scope, name)
		return skill.Key{}
	}
	// A shadowed skill stays addressable by its own key.
	if s, err := c.Get(key(skill.ScopeUser, "common")); err != nil || s.Body != "User body." {
		t.Fatalf("Get(user common) = %+v, %v", s, err)
	}
	if _, err := c.Get(skill.Key{SourceUUID: "nope", SkillName: "common"}); !errors.Is(err, skill.ErrNotFound) {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := c.Get(skill.Key{SkillName: "common"}); !errors.Is(err, skill.ErrInvalidKey) {
		t.Fatalf("empty uuid: %v", err)
	}
	mine := key(skill.ScopeUser, "mine")
	res, err := c.Resources(mine)
	if err != nil || strings.Join(res, ",") != "refs/notes.txt" {
		t.Fatalf("Resources = %v, %v (want only refs/notes.txt: no SKILL.md, hidden file or symlink)", res, err)
	}
	if data, err := c.ReadResource(mine, "refs/notes.txt"); err != nil || string(data) != "note text" {
		t.Fatalf("ReadResource = %q, %v", data, err)
	}
	for _, bad := range []string{"../common/SKILL.md", "link", "SKILL.md", "/etc/passwd", ".hidden"} {
		if _, err := c.ReadResource(mine, bad); !errors.Is(err, skill.ErrNotFound) {
			t.Fatalf("ReadResource(%q) = %v, want ErrNotFound", bad, err)
		}
	}
	text, err := c.Render([]skill.Key{key(skill.ScopeProject, "common"), key(skill.ScopeBuiltin, "solo")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Project body.") || !strings.Contains(text, "Solo body &lt;/skill&gt; end.") ||
		strings.Count(text, "</skill>") != 2 {
		t.Fatalf("Render = %q", text)
	}
	if _, err := c.Render([]skill.Key{{SourceUUID: "x", SkillName: "y"}}); !errors.Is(err, skill.ErrNotFound) {
		t.Fatalf("Render unknown: %v", err)
	}
}

func TestShippedBuiltins(t *testing.T) {
	c := skill.New(skill.Config{}).Load()
	if p := c.Problems(); len(p) != 0 {
		t.Fatalf("shipped skills have problems: %+v", p)
	}
	names := map[string]skill.Key{}
	for _, s := range c.Skills() {
		names[s.Name] = s.Key
	}
	for _, n := range []string{"shell", "tasks", "skill-authoring"} {
		if _, ok := names[n]; !ok {
			t.Fatalf("builtin %s missing: %v", n, names)
		}
	}
	if res, err := c.Resources(names["skill-authoring"]); err != nil || len(res) != 1 || res[0] != "template.md" {
		t.Fatalf("skill-authoring resources = %v, %v", res, err)
	}
}

func TestTools(t *testing.T) {
	lib, _, _ := library(t)
	tools := map[string]func(string) (string, bool){}
	for _, tl := range lib.Tools() {
		tl := tl
		tools[tl.Def().Name] = func(args string) (string, bool) {
			r, err := tl.Call(context.Background(), json.RawMessage(args))
			if err != nil {
				return err.Error(), true
			}
			return r.Content[0].Text, r.IsError
		}
	}
	out, isErr := tools["browse_skills"](`{"query":"user"}`)
	var browse struct {
		Skills []struct {
			SourceUUID string `json:"source_uuid"`
			SkillName  string `json:"skill_name"`
			Scope      string `json:"scope"`
		} `json:"skills"`
	}
	if isErr || json.Unmarshal([]byte(out), &browse) != nil || len(browse.Skills) != 1 || browse.Skills[0].SkillName != "mine" {
		t.Fatalf("browse_skills = %s (only active skills matching the query)", out)
	}
	key := `"source_uuid":"` + browse.Skills[0].SourceUUID + `","skill_name":"mine"`
	tests := []struct {
		tool, args, want string
		isErr            bool
	}{
		{"load_skill", `{` + key + `}`, `"body":"Mine body."`, false},
		{"skill_list_resources", `{` + key + `}`, `"resources":["refs/notes.txt"]`, false},
		{"skill_read_resource", `{` + key + `,"path":"refs/notes.txt"}`, `"content":"note text"`, false},
		{"skill_read_resource", `{` + key + `,"path":"../x"}`, "no resource", true},
		{"load_skill", `{"source_uuid":"x","skill_name":"mine"}`, "not found", true},
		{"load_skill", `{"source_uuid":1}`, "invalid arguments", true},
	}
	for _, tt := range tests {
		got, isErr := tools[tt.tool](tt.args)
		if isErr != tt.isErr || !strings.Contains(got, tt.want) {
			t.Errorf("%s(%s) = %s (error %v), want %q (error %v)", tt.tool, tt.args, got, isErr, tt.want, tt.isErr)
		}
	}
}
