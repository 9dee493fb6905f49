package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/llm/llmtest"
	"github.com/rkat-dev/rkat/skill"
)

// skillRoots lays out a project and a user root: "common" in both (the
// project's shadows the user's), "shell" in the project's (shadowing the
// builtin one), "mine" with a resource in the user's, and a malformed
// SKILL.md in the project's that must be skipped, not fatal.
func skillRoots(t *testing.T) (project, user string) {
	t.Helper()
	project, user = t.TempDir(), t.TempDir()
	write := func(root, rel, content string) {
		p := filepath.Join(root, ".rkat", "skills", filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(project, "common/SKILL.md", "---\nname: common\ndescription: project common\n---\nProject body.\n")
	write(project, "broken/SKILL.md", "---\nname: broken\n")
	write(user, "common/SKILL.md", "---\nname: common\ndescription: user common\n---\nUser body.\n")
	write(user, "mine/SKILL.md", "---\nname: mine\ndescription: user only\n---\nMine body.\n")
	write(user, "mine/refs/notes.txt", "note text")
	write(project, "shell/SKILL.md", "---\nname: shell\ndescription: project shell rules\n---\nProject shell.\n")
	return project, user
}

// TestSkillsPythonSDK drives skills/list, invoke_skill, preload_skills and
// the model-facing skill tools through the published Python SDK.
func TestSkillsPythonSDK(t *testing.T) {
	const py = debianPython
	requirePython(t, "", "websockets", "meerkat")
	project, user := skillRoots(t)
	lib := skill.New(skill.Config{ProjectDir: filepath.Join(project, ".rkat", "skills"), UserDir: filepath.Join(user, ".rkat", "skills")})
	var mine skill.Key
	for _, s := range lib.Load().Skills() {
		if s.Name == "mine" {
			mine = s.Key
		}
	}
	sdk, err := filepath.Abs(sdkDir)
	if err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, mode string, env ...string) {
		cmd := exec.Command(py, filepath.Join("testdata", "python_skills_check.py"), binary, project, user, mode)
		cmd.Env = append(append(sdkEnv(os.Environ()), "PYTHONPATH="+sdk, "HOME="+t.TempDir()), env...)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), mode+" ok") {
			t.Fatalf("python skills check (%s): %v\n%s", mode, err, out)
		}
	}
	t.Run("echo", func(t *testing.T) {
		fake := llmtest.NewAnthropicEcho(t)
		run(t, "echo", "ANTHROPIC_API_KEY=sk-ant-llmtest", "ANTHROPIC_BASE_URL="+fake.URL())
		if len(fake.Requests()) < 5 {
			t.Fatalf("only %d requests reached the fake", len(fake.Requests()))
		}
	})
	t.Run("scripted tools", func(t *testing.T) {
		args := func(extra string) map[string]any {
			m := map[string]any{"source_uuid": mine.SourceUUID, "skill_name": mine.SkillName}
			if extra != "" {
				m["path"] = extra
			}
			return m
		}
		script, _ := json.Marshal(map[string]any{"rules": []any{map[string]any{"match": "use skills", "responses": []any{
			map[string]any{"tool_calls": []any{map[string]any{"name": "load_skill", "args": args("")}}},
			map[string]any{"tool_calls": []any{map[string]any{"name": "skill_read_resource", "args": args("refs/notes.txt")}}},
			map[string]any{"text": "skill used"},
		}}}})
		path := filepath.Join(t.TempDir(), "script.json")
		if err := os.WriteFile(path, script, 0o644); err != nil {
			t.Fatal(err)
		}
		run(t, "scripted", "RKAT_TEST_CLIENT=1", "RKAT_TEST_SCRIPT="+path)
	})
}
