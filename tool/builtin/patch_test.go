package builtin_test

import (
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/tool/builtin"
)

func TestApplyPatch(t *testing.T) {
	const original = "package main\n\nfunc main() {\n\tlet timeout = 30;\n\tprintln(\u201chi\u201d)  \n}\n"
	cases := []struct {
		name    string
		patch   string
		wantErr string            // substring of the error; "" for success
		files   map[string]string // expected contents after; "" means absent
	}{
		{name: "add", patch: "*** Begin Patch\n*** Add File: new/dir/hello.txt\n+hello\n+world\n*** End Patch",
			files: map[string]string{"new/dir/hello.txt": "hello\nworld\n", "main.go": original}},
		{name: "update with context", patch: "*** Begin Patch\n*** Update File: main.go\n@@ let timeout = 30;\n-\tlet timeout = 30;\n+\tlet timeout = 60;\n*** End Patch",
			files: map[string]string{"main.go": strings.Replace(original, "30", "60", 1)}},
		{name: "update tolerates trailing space and smart quotes", patch: "*** Begin Patch\n*** Update File: main.go\n@@ func main() {\n \tlet timeout = 30;\n-\tprintln(\"hi\")\n+\tprintln(\"bye\")\n*** End Patch",
			files: map[string]string{"main.go": "package main\n\nfunc main() {\n\tlet timeout = 30;\n\tprintln(\"bye\")\n}\n"}},
		{name: "two hunks and end of file", patch: "*** Begin Patch\n*** Update File: main.go\n@@\n-package main\n+package other\n@@ func main() {\n-}\n+} // end\n*** End of File\n*** End Patch",
			files: map[string]string{"main.go": strings.Replace(strings.Replace(original, "package main", "package other", 1), "}\n", "} // end", 1)}},
		{name: "delete", patch: "*** Begin Patch\n*** Delete File: main.go\n*** End Patch",
			files: map[string]string{"main.go": ""}},
		{name: "move with change", patch: "*** Begin Patch\n*** Update File: main.go\n*** Move to: cmd/app/main.go\n@@ package main\n-package main\n+package app\n*** End Patch",
			files: map[string]string{"main.go": "", "cmd/app/main.go": strings.Replace(original, "package main", "package app", 1)}},
		{name: "failing hunk changes nothing", patch: "*** Begin Patch\n*** Add File: added.txt\n+x\n*** Delete File: main.go\n*** Update File: other.txt\n@@ alpha\n beta\n-gamma\n+GAMMA\n*** End Patch",
			wantErr: `line "gamma" did not match: the file has "delta" at line 3`,
			files:   map[string]string{"added.txt": "", "main.go": original, "other.txt": "alpha\nbeta\ndelta\n"}},
		{name: "missing context line", patch: "*** Begin Patch\n*** Update File: main.go\n@@ func nothere()\n-x\n+y\n*** End Patch",
			wantErr: `patch line 3: main.go, hunk 1: context line not found`, files: map[string]string{"main.go": original}},
		{name: "path escape", patch: "*** Begin Patch\n*** Add File: ../evil.txt\n+x\n*** End Patch",
			wantErr: "outside the project root", files: map[string]string{"main.go": original}},
		{name: "symlink escape", patch: "*** Begin Patch\n*** Add File: link/evil.txt\n+x\n*** End Patch",
			wantErr: "outside the project root", files: map[string]string{"main.go": original}},
		{name: "add over existing file", patch: "*** Begin Patch\n*** Add File: main.go\n+x\n*** End Patch",
			wantErr: "the file exists", files: map[string]string{"main.go": original}},
		{name: "no begin marker", patch: "*** Add File: a\n+x\n*** End Patch", wantErr: "must start with"},
		{name: "context line without space", patch: "*** Begin Patch\n*** Update File: main.go\n@@\nfunc main() {\n*** End Patch",
			wantErr: "patch line 4: a hunk line must start with", files: map[string]string{"main.go": original}},
		{name: "update without hunks", patch: "*** Begin Patch\n*** Update File: main.go\n*** Move to: x.go\n*** End Patch",
			wantErr: "needs at least one hunk", files: map[string]string{"main.go": original, "x.go": ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := newBox(t, builtin.ShellConfig{})
			b.write("main.go", original)
			b.write("other.txt", "alpha\nbeta\ndelta\n")
			if err := symlink(t.TempDir(), b.dir+"/link"); err != nil {
				t.Fatal(err)
			}
			text, isErr := b.call("apply_patch", map[string]any{"patch": tc.patch})
			switch {
			case tc.wantErr == "" && isErr:
				t.Fatalf("error: %s", text)
			case tc.wantErr != "" && (!isErr || !strings.Contains(text, tc.wantErr)):
				t.Fatalf("got %v %q, want error containing %q", isErr, text, tc.wantErr)
			}
			for name, want := range tc.files {
				got, ok := b.read(name)
				if want == "" && ok {
					t.Errorf("%s exists: %q", name, got)
				}
				if want != "" && got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
		})
	}
}
