package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestPythonWireRules runs testdata/python_wire_check.py, a stdlib-only
// check of the parsing rules of the published Python SDK, against the
// binary; it runs with any python3, while TestPythonSDKSuite runs the SDK
// itself.
func TestPythonWireRules(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is required in CI")
		}
		t.Skip("python3 not found")
	}
	cmd := exec.Command(py, filepath.Join("testdata", "python_wire_check.py"), binary, t.TempDir())
	cmd.Env = append(os.Environ(), "RKAT_TEST_CLIENT=1", "RKAT_TEST_SCRIPT="+filepath.Join(filepath.Dir(binary), "script.json"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python wire check: %v\n%s", err, out)
	}
}
