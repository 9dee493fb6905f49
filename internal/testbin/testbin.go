// Package testbin builds the module's binaries for tests that spawn them.
package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"
)

// Build compiles the main package pkg (an import path) into dir and returns
// the binary's path.
func Build(dir, pkg string) (string, error) {
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("testbin: go build %s: %w", pkg, err)
	}
	return out, nil
}

// Main is a TestMain body: it builds pkg into a fresh directory, writes
// files (name -> content) next to it, runs the tests, fails them on leaked
// goroutines, removes the directory and exits. A build failure fails the
// run, so tests never silently skip a missing binary. bin receives the
// binary's path before the tests run.
// m is usually the *testing.M, or one wrapped to set up around the tests
// (pgtest.Cluster.Wrap).
func Main(m M, pkg string, files map[string]string, bin *string) {
	os.Exit(run(m, map[string]*string{pkg: bin}, files))
}

// MainBuilds is Main for tests that spawn several binaries: every package
// of bins (import path -> where its path goes) is built into the same
// directory.
func MainBuilds(m M, bins map[string]*string, files map[string]string) {
	os.Exit(run(m, bins, files))
}

// M runs the tests; *testing.M is one.
type M interface{ Run() int }

var _ M = (*testing.M)(nil)

func run(m M, bins map[string]*string, files map[string]string) int {
	dir, err := os.MkdirTemp("", "rkat-testbin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	for pkg, bin := range bins {
		if *bin, err = Build(dir, pkg); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	return code
}
