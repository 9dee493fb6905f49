package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rkat-dev/rkat/internal/interoptest"
)

// debianPython is the interpreter with Debian's python3-websockets,
// python3-pytest and python3-pytest-asyncio, which .ci/run installs.
const debianPython = "/usr/bin/python3"

// requirePython skips the test, or fails it under CI=true, unless Debian's
// python3 imports every module, with the carried SDK (sdkDir, or dir when
// given) on its path.
func requirePython(t *testing.T, dir string, modules ...string) {
	t.Helper()
	if dir == "" {
		dir = sdkDir
	}
	for _, mod := range modules {
		cmd := exec.Command(debianPython, "-c", "import "+mod)
		cmd.Env = append(os.Environ(), "PYTHONPATH="+dir)
		if err := cmd.Run(); err != nil {
			interoptest.Missing(t, "%s cannot import %s (.ci/run installs python3-websockets, python3-pytest and python3-pytest-asyncio; the SDK is carried in %s): %v", debianPython, mod, dir, err)
		}
	}
}

// TestPythonWireRules runs testdata/python_wire_check.py, a stdlib-only
// check of the parsing rules of the published Python SDK, against the
// binary; it runs with any python3, while TestPythonSDKSuite runs the SDK
// itself.
func TestPythonWireRules(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		interoptest.Missing(t, "python3 not found: %v", err)
	}
	cmd := exec.Command(py, filepath.Join("testdata", "python_wire_check.py"), binary, t.TempDir())
	cmd.Env = append(os.Environ(), "RKAT_TEST_CLIENT=1", "RKAT_TEST_SCRIPT="+filepath.Join(filepath.Dir(binary), "script.json"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python wire check: %v\n%s", err, out)
	}
}
