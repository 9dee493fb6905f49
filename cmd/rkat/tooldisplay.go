package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/internal/clip"
	"github.com/rkat-dev/rkat/llm"
)

// toolDisplay prints tool activity of a run on stderr: one line per call as
// it is made and one per outcome. On a terminal a status line names the
// tools running meanwhile and is cleared before the next line.
type toolDisplay struct {
	w        io.Writer
	terminal bool
	running  []string // names of the calls running, in start order
	ids      []string
	started  map[string]time.Time
	status   bool // a status line is on screen
	now      func() time.Time
}

func newToolDisplay(w io.Writer) *toolDisplay {
	return &toolDisplay{w: w, terminal: isTerminal(w), started: map[string]time.Time{}, now: time.Now}
}

// isTerminal reports whether w is a character device.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// event handles one run event; it reports whether the event was a tool
// event.
func (d *toolDisplay) event(ev event.Event) bool {
	switch ev := ev.(type) {
	case event.ToolCallRequested:
		d.line(fmt.Sprintf("[tool %s %s]", ev.Name, clip.String(string(ev.Args), 200)))
	case event.ToolExecutionStarted:
		d.started[ev.ID] = d.now()
		d.running, d.ids = append(d.running, ev.Name), append(d.ids, ev.ID)
		d.showStatus()
	case event.ToolResultReceived:
		if i := slices.Index(d.ids, ev.ID); i >= 0 {
			d.running, d.ids = slices.Delete(d.running, i, i+1), slices.Delete(d.ids, i, i+1)
		}
		outcome := "ok"
		if ev.IsError {
			outcome = "error"
		}
		took := ""
		if t, ok := d.started[ev.ID]; ok {
			took = " " + d.now().Sub(t).Round(time.Millisecond).String()
			delete(d.started, ev.ID)
		}
		d.line(fmt.Sprintf("[tool %s %s%s: %s]", ev.Name, outcome, took, clip.String(flatten(ev.Content), 200)))
		d.showStatus()
	default:
		return false
	}
	return true
}

// line prints a line, clearing the status line first.
func (d *toolDisplay) line(s string) {
	d.clear()
	fmt.Fprintln(d.w, s)
}

// clear removes the status line from the terminal.
func (d *toolDisplay) clear() {
	if d.status {
		fmt.Fprint(d.w, "\r\033[K")
		d.status = false
	}
}

// showStatus shows which tools run, on a terminal only.
func (d *toolDisplay) showStatus() {
	d.clear()
	if !d.terminal || len(d.running) == 0 {
		return
	}
	fmt.Fprintf(d.w, "… running %s", clip.String(strings.Join(d.running, ", "), 100))
	d.status = true
}

// flatten is the text of a tool result on one line.
func flatten(blocks []llm.Block) string {
	var parts []string
	for _, b := range blocks {
		if b.Type == llm.BlockText {
			parts = append(parts, b.Text)
		} else {
			parts = append(parts, "["+string(b.Type)+"]")
		}
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}
