package builtin

import (
	"strings"
	"testing"
)

// FuzzPatch parses arbitrary patch text and applies what parses to a small
// file: neither step may panic, and an applied update is a string.
func FuzzPatch(f *testing.F) {
	for _, seed := range []string{
		"*** Begin Patch\n*** Add File: a.txt\n+hello\n*** End Patch",
		"*** Begin Patch\n*** Update File: a.txt\n@@ two\n-two\n+TWO\n*** End Patch",
		"*** Begin Patch\n*** Update File: a.txt\n*** Move to: b.txt\n@@\n one\n-two\n+2\n*** End of File\n*** End Patch",
		"*** Begin Patch\n*** Delete File: a.txt\n*** End Patch",
		"*** Begin Patch\n*** Update File: a.txt\n@@\n+appended\n*** End Patch",
		"*** Begin Patch\n*** Update File: a.txt\n\n-\n*** End Patch",
		"*** Begin Patch\r\n*** Add File: x\r\n+y\r\n*** End Patch\r\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ops, err := parsePatch(text)
		if err != nil {
			return
		}
		for _, op := range ops {
			if op.kind == opUpdate {
				out, err := applyHunks(op.path, "one\ntwo\nthree\n", op.hunks)
				if err == nil && strings.Contains(out, "\x00") && !strings.Contains(text, "\x00") {
					t.Fatalf("NUL appeared in %q", out)
				}
			}
		}
	})
}
