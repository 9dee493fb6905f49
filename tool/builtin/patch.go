package builtin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// The "begin patch" format (the reference's apply_patch):
//
//	*** Begin Patch
//	*** Add File: path       followed by lines prefixed with '+'
//	*** Delete File: path    no body
//	*** Update File: path    optionally "*** Move to: new/path", then hunks:
//	@@ context line          (or a bare "@@") locates the hunk; the
//	                         context matches regardless of indentation
//	 unchanged / -removed / +added lines; "*** End of File" drops the
//	                         file's trailing newline
//	*** End Patch
const (
	patchBegin   = "*** Begin Patch"
	patchEnd     = "*** End Patch"
	patchAdd     = "*** Add File: "
	patchDelete  = "*** Delete File: "
	patchUpdate  = "*** Update File: "
	patchMove    = "*** Move to: "
	patchEOF     = "*** End of File"
	maxPatchSize = 4 << 20
)

type opKind int

const (
	opAdd opKind = iota
	opDelete
	opUpdate
)

// fileOp is one file operation of a patch.
type fileOp struct {
	kind   opKind
	path   string
	moveTo string
	lines  []string // opAdd: the new file's lines
	hunks  []hunk   // opUpdate
}

// hunk is one change of an updated file.
type hunk struct {
	line     int    // line of the patch where the hunk starts, for errors
	context  string // the "@@ ..." text that locates the hunk
	hasCtx   bool
	old, new []string
	eof      bool
}

// PatchError is a patch that does not parse or does not apply. Line is the
// 1-based line of the patch it concerns (0 when none).
type PatchError struct {
	Line int
	Msg  string
}

func (e *PatchError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("patch line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

func patchErr(line int, format string, args ...any) error {
	return &PatchError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// parsePatch parses the text of a patch.
func parsePatch(text string) ([]fileOp, error) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	first, last := 0, len(lines)-1
	for first <= last && strings.TrimSpace(lines[first]) == "" {
		first++
	}
	for last >= first && strings.TrimSpace(lines[last]) == "" {
		last--
	}
	if first > last || strings.TrimSpace(lines[first]) != patchBegin {
		return nil, patchErr(first+1, "the patch must start with %q on its own line", patchBegin)
	}
	if last == first || strings.TrimSpace(lines[last]) != patchEnd {
		return nil, patchErr(last+1, "the patch must end with %q on its own line", patchEnd)
	}
	var ops []fileOp
	var cur *fileOp
	var h *hunk
	for i := first + 1; i < last; i++ {
		ln, n := lines[i], i+1
		switch {
		case strings.HasPrefix(ln, patchAdd), strings.HasPrefix(ln, patchDelete), strings.HasPrefix(ln, patchUpdate):
			if err := finishOp(cur); err != nil {
				return nil, err
			}
			op := fileOp{}
			switch {
			case strings.HasPrefix(ln, patchAdd):
				op.kind, op.path = opAdd, strings.TrimSpace(ln[len(patchAdd):])
			case strings.HasPrefix(ln, patchDelete):
				op.kind, op.path = opDelete, strings.TrimSpace(ln[len(patchDelete):])
			default:
				op.kind, op.path = opUpdate, strings.TrimSpace(ln[len(patchUpdate):])
			}
			if op.path == "" {
				return nil, patchErr(n, "missing file path")
			}
			ops = append(ops, op)
			cur, h = &ops[len(ops)-1], nil
		case cur == nil:
			return nil, patchErr(n, "expected a file operation (%q, %q or %q), got %q", strings.TrimSpace(patchAdd), strings.TrimSpace(patchDelete), strings.TrimSpace(patchUpdate), ln)
		case cur.kind == opAdd:
			if !strings.HasPrefix(ln, "+") {
				return nil, patchErr(n, "every line of an added file must start with '+', got %q", ln)
			}
			cur.lines = append(cur.lines, ln[1:])
		case cur.kind == opDelete:
			return nil, patchErr(n, "a deleted file takes no body lines, got %q", ln)
		case strings.HasPrefix(ln, patchMove):
			if cur.moveTo != "" || len(cur.hunks) > 0 {
				return nil, patchErr(n, "%q must follow the Update File line directly", strings.TrimSpace(patchMove))
			}
			if cur.moveTo = strings.TrimSpace(ln[len(patchMove):]); cur.moveTo == "" {
				return nil, patchErr(n, "missing destination path")
			}
		case strings.TrimSpace(ln) == patchEOF:
			if h == nil {
				return nil, patchErr(n, "%q outside a hunk", patchEOF)
			}
			h.eof = true
		case strings.HasPrefix(ln, "@@"):
			cur.hunks = append(cur.hunks, hunk{line: n})
			h = &cur.hunks[len(cur.hunks)-1]
			if c := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(ln[2:]), "@@")); c != "" {
				h.context, h.hasCtx = c, true
			}
		default:
			if h == nil { // a first hunk without "@@"
				cur.hunks = append(cur.hunks, hunk{line: n})
				h = &cur.hunks[len(cur.hunks)-1]
			}
			if h.eof {
				return nil, patchErr(n, "lines after %q", patchEOF)
			}
			switch {
			case ln == "":
				h.old, h.new = append(h.old, ""), append(h.new, "")
			case ln[0] == ' ':
				h.old, h.new = append(h.old, ln[1:]), append(h.new, ln[1:])
			case ln[0] == '-':
				h.old = append(h.old, ln[1:])
			case ln[0] == '+':
				h.new = append(h.new, ln[1:])
			default:
				return nil, patchErr(n, "a hunk line must start with ' ', '-' or '+', got %q (context lines need a leading space)", ln)
			}
		}
	}
	if err := finishOp(cur); err != nil {
		return nil, err
	}
	if len(ops) == 0 {
		return nil, patchErr(0, "the patch holds no file operation")
	}
	return ops, nil
}

// finishOp checks a parsed operation.
func finishOp(op *fileOp) error {
	if op == nil || op.kind != opUpdate {
		return nil
	}
	if len(op.hunks) == 0 {
		return patchErr(0, "%s: an update needs at least one hunk", op.path)
	}
	for _, h := range op.hunks {
		if len(h.old) == 0 && len(h.new) == 0 && !h.eof {
			return patchErr(h.line, "%s: empty hunk", op.path)
		}
	}
	return nil
}

// normLine is the form in which file and patch lines are compared: trailing
// whitespace dropped, typographic quotes, dashes and spaces made ASCII.
func normLine(s string) string {
	s = strings.TrimRight(s, " \t\r")
	return lineNormalizer.Replace(s)
}

var lineNormalizer = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`,
	"\u2013", "-", "\u2014", "-", "\u00a0", " ", "\u2212", "-",
)

// applyHunks applies the hunks of an update to a file's content. Nothing is
// returned on failure: the error names the patch line of the hunk and the
// line that did not match.
func applyHunks(path, content string, hunks []hunk) (string, error) {
	trailingNL := strings.HasSuffix(content, "\n")
	lines := strings.Split(content, "\n")
	if trailingNL || content == "" {
		lines = lines[:len(lines)-1]
	}
	cursor := 0
	for hi, h := range hunks {
		start := cursor
		if h.hasCtx {
			at := findContext(lines, cursor, h.context)
			if at < 0 {
				return "", patchErr(h.line, "%s, hunk %d: context line not found in the file (after line %d): %q", path, hi+1, cursor, h.context)
			}
			start = at
		}
		var pos int
		switch {
		case len(h.old) == 0 && h.hasCtx:
			pos = start + 1 // pure addition after the context line
		case len(h.old) == 0:
			pos = len(lines) // pure addition at the end
		default:
			pos = find(lines, start, h.old)
			if pos < 0 {
				return "", mismatch(path, hi+1, h, lines, start)
			}
		}
		lines = append(lines[:pos:pos], append(append([]string(nil), h.new...), lines[pos+len(h.old):]...)...)
		cursor = pos + len(h.new)
		if h.eof {
			trailingNL = false
		}
	}
	out := strings.Join(lines, "\n")
	if trailingNL && len(lines) > 0 {
		out += "\n"
	}
	return out, nil
}

// findContext returns the first line at or after from that equals the
// hunk's context text, leading and trailing whitespace aside, or -1.
func findContext(lines []string, from int, context string) int {
	want := strings.TrimSpace(normLine(context))
	for i := from; i < len(lines); i++ {
		if strings.TrimSpace(normLine(lines[i])) == want {
			return i
		}
	}
	return -1
}

// find returns the first index at or after from where want matches lines
// consecutively, or -1.
func find(lines []string, from int, want []string) int {
	for i := from; i+len(want) <= len(lines); i++ {
		if matchAt(lines, i, want) == len(want) {
			return i
		}
	}
	return -1
}

// matchAt counts how many lines of want match lines from index i on.
func matchAt(lines []string, i int, want []string) int {
	k := 0
	for k < len(want) && i+k < len(lines) && normLine(lines[i+k]) == normLine(want[k]) {
		k++
	}
	return k
}

// mismatch describes why a hunk's old lines were not found: the patch line
// that did not match, with the file line found in its place at the closest
// partial match.
func mismatch(path string, n int, h hunk, lines []string, from int) error {
	best, at := 0, -1
	for i := from; i < len(lines); i++ {
		if k := matchAt(lines, i, h.old); k > best {
			best, at = k, i
		}
	}
	if at < 0 {
		return patchErr(h.line, "%s, hunk %d: line not found in the file (after line %d): %q", path, n, from, h.old[0])
	}
	found := "end of file"
	if at+best < len(lines) {
		found = fmt.Sprintf("%q", lines[at+best])
	}
	return patchErr(h.line, "%s, hunk %d: line %q did not match: the file has %s at line %d", path, n, h.old[best], found, at+best+1)
}

// applyPatch is the apply_patch tool.
type applyPatch struct{ b *Toolbox }

func (applyPatch) Def() llm.ToolDef {
	return llm.ToolDef{
		Name: "apply_patch",
		Description: "Applies a patch to files of the project: add, update (with context hunks), delete and move files. " +
			"The patch starts with '*** Begin Patch' and ends with '*** End Patch'; file operations are '*** Add File: <path>' " +
			"(lines prefixed '+'), '*** Delete File: <path>', '*** Update File: <path>' optionally followed by " +
			"'*** Move to: <path>', then hunks. A hunk starts with '@@ <a line of the file that locates it>' (or a bare '@@') " +
			"and has lines prefixed ' ' (unchanged), '-' (removed) or '+' (added); '*** End of File' drops the trailing newline. " +
			"Paths are relative to the project root. Either every operation applies or none does.",
		InputSchema: schema(`"patch":{"type":"string","description":"the full patch text, from '*** Begin Patch' to '*** End Patch'"}`, "patch"),
	}
}

// fileChange is the planned new state of one file (nil content: deleted).
type fileChange struct {
	path    string
	content *string
}

func (t applyPatch) Call(_ context.Context, args json.RawMessage) (tool.Result, error) {
	in, err := decodeArgs[struct {
		Patch string `json:"patch"`
	}](args)
	if err != nil {
		return tool.Result{}, err
	}
	if len(in.Patch) > maxPatchSize {
		return tool.Result{}, fmt.Errorf("the patch is larger than %d bytes; split it", maxPatchSize)
	}
	ops, err := parsePatch(in.Patch)
	if err != nil {
		return tool.Result{}, err
	}
	changes, summary, err := t.plan(ops)
	if err != nil {
		return tool.Result{}, fmt.Errorf("%w; no file was changed", err)
	}
	for _, c := range changes {
		if c.content == nil {
			err = t.b.root.Remove(c.path)
		} else {
			err = t.b.writeAtomic(c.path, []byte(*c.content))
		}
		if err != nil {
			return tool.Result{}, fsError(c.path, err)
		}
	}
	return tool.JSONResult(map[string]any{"status": "applied", "files": summary})
}

// plan computes the new state of every file the patch touches, in memory,
// so that a patch that does not apply changes nothing.
func (t applyPatch) plan(ops []fileOp) ([]fileChange, []map[string]string, error) {
	state := map[string]*string{} // path -> content; nil: absent
	existed := map[string]bool{}
	var order []string
	load := func(p string) (*string, error) {
		if c, ok := state[p]; ok {
			return c, nil
		}
		order = append(order, p)
		data, err := t.b.root.ReadFile(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			state[p] = nil
		case err != nil:
			return nil, fsError(p, err)
		default:
			s := string(data)
			state[p], existed[p] = &s, true
		}
		return state[p], nil
	}
	var summary []map[string]string
	for _, op := range ops {
		p, err := t.b.rel(op.path)
		if err != nil {
			return nil, nil, err
		}
		cur, err := load(p)
		if err != nil {
			return nil, nil, err
		}
		switch op.kind {
		case opAdd:
			if cur != nil {
				return nil, nil, fmt.Errorf("%s: cannot add, the file exists (use *** Update File)", op.path)
			}
			s := strings.Join(op.lines, "\n") + "\n"
			state[p] = &s
			summary = append(summary, map[string]string{"path": op.path, "action": "added"})
		case opDelete:
			if cur == nil {
				return nil, nil, fmt.Errorf("%s: cannot delete, the file does not exist", op.path)
			}
			state[p] = nil
			summary = append(summary, map[string]string{"path": op.path, "action": "deleted"})
		case opUpdate:
			if cur == nil {
				return nil, nil, fmt.Errorf("%s: cannot update, the file does not exist", op.path)
			}
			s, err := applyHunks(op.path, *cur, op.hunks)
			if err != nil {
				return nil, nil, err
			}
			if op.moveTo == "" {
				state[p] = &s
				summary = append(summary, map[string]string{"path": op.path, "action": "updated"})
				continue
			}
			dst, err := t.b.rel(op.moveTo)
			if err != nil {
				return nil, nil, err
			}
			if d, err := load(dst); err != nil {
				return nil, nil, err
			} else if d != nil && dst != p {
				return nil, nil, fmt.Errorf("%s: cannot move to %s, the file exists", op.path, op.moveTo)
			}
			state[p], state[dst] = nil, &s
			summary = append(summary, map[string]string{"path": op.path, "action": "moved", "to": op.moveTo})
		}
	}
	changes := make([]fileChange, 0, len(order))
	for _, p := range order {
		if state[p] != nil || existed[p] {
			changes = append(changes, fileChange{path: p, content: state[p]})
		}
	}
	// Writes go first, so a move never loses its source before the
	// destination exists.
	writesFirst(changes)
	return changes, summary, nil
}

// writesFirst orders changes so that writes precede deletions, keeping the
// patch order otherwise.
func writesFirst(changes []fileChange) {
	var w, d []fileChange
	for _, c := range changes {
		if c.content == nil {
			d = append(d, c)
		} else {
			w = append(w, c)
		}
	}
	copy(changes, append(w, d...))
}
