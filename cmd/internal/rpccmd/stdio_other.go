//go:build !unix

package rpccmd

import "os"

// pollable returns f: only Unix pipes are switched to non-blocking mode.
func pollable(f *os.File) *os.File { return f }
