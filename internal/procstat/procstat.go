// Package procstat reads process figures from Linux's /proc for the
// benchmark commands and the tests that bound memory.
package procstat

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// RSSKB returns the resident set size of process pid in KiB (VmRSS).
func RSSKB(pid int) (int64, error) { return statusKB(pid, "VmRSS") }

// PeakRSSKB returns the peak resident set size of process pid in KiB
// (VmHWM), counted since its last exec. Unlike getrusage's ru_maxrss it
// does not include the memory of the parent the process was forked from.
// It fails once the process has exited.
func PeakRSSKB(pid int) (int64, error) { return statusKB(pid, "VmHWM") }

// statusKB reads one "Field: N kB" line of /proc/pid/status.
func statusKB(pid int, field string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("procstat: read %s: %w", field, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("procstat: parse %s %q: %w", field, v, err)
			}
			return n, nil
		}
	}
	return 0, fmt.Errorf("procstat: no %s for pid %d", field, pid)
}

// Running reports whether process pid exists and is not a zombie (a
// process that has exited and waits for its parent to reap it runs
// nothing).
func Running(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name, which is in parentheses and may
	// itself hold spaces and parentheses.
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}
