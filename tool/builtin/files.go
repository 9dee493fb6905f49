package builtin

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/rkat-dev/rkat/internal/clip"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// sniffBytes is how much of a file binary detection looks at.
const sniffBytes = 8 << 10

// isBinary reports whether data (the start of a file) looks binary: a NUL
// byte, or bytes that are not UTF-8 text.
func isBinary(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return true
	}
	// A multi-byte rune cut at the end of the sample is not a verdict.
	for i := 0; i < utf8.UTFMax && len(data) > 0 && !utf8.Valid(data); i++ {
		data = data[:len(data)-1]
	}
	return !utf8.Valid(data)
}

// readFile is the read_file tool.
type readFile struct{ b *Toolbox }

func (readFile) Def() llm.ToolDef {
	return llm.ToolDef{
		Name: "read_file",
		Description: "Reads a text file of the project. Paths are relative to the project root. Returns the lines " +
			"asked for (offset is the first line, 1-based; limit the number of lines), the total line count and whether " +
			"the content was cut at the size cap. Binary files are refused.",
		InputSchema: schema(`"path":{"type":"string","description":"file path relative to the project root"},`+
			`"offset":{"type":"integer","minimum":1,"description":"first line to return, 1-based (default 1)"},`+
			`"limit":{"type":"integer","minimum":1,"description":"number of lines to return (default: all, up to the size cap)"}`, "path"),
	}
}

func (t readFile) Call(_ context.Context, args json.RawMessage) (tool.Result, error) {
	in, err := decodeArgs[struct {
		Path   string `json:"path"`
		Offset int    `json:"offset"`
		Limit  int    `json:"limit"`
	}](args)
	if err != nil {
		return tool.Result{}, err
	}
	p, err := t.b.rel(in.Path)
	if err != nil {
		return tool.Result{}, err
	}
	f, err := t.b.root.Open(p)
	if err != nil {
		return tool.Result{}, fsError(in.Path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return tool.Result{}, fmt.Errorf("%q is a directory; use list_dir", in.Path)
	}
	br := bufio.NewReader(f)
	if head, _ := br.Peek(sniffBytes); isBinary(head) {
		return tool.Result{}, fmt.Errorf("%q is a binary file; read_file returns text only", in.Path)
	}
	first := max(in.Offset, 1)
	var out strings.Builder
	line, last, capped := 0, 0, false
	for {
		s, err := br.ReadString('\n')
		if s != "" {
			line++
			inRange := line >= first && (in.Limit == 0 || line < first+in.Limit)
			if inRange && !capped {
				if out.Len()+len(s) > t.b.cfg.MaxReadBytes {
					capped = true
				} else {
					out.WriteString(s)
					last = line
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return tool.Result{}, fsError(in.Path, err)
		}
	}
	if first > line && line > 0 {
		return tool.Result{}, fmt.Errorf("offset %d is past the end of %q (%d lines)", first, in.Path, line)
	}
	res := map[string]any{"path": in.Path, "content": out.String(), "total_lines": line}
	if last > 0 {
		res["start_line"], res["end_line"] = first, last
	}
	if capped {
		res["truncated"] = true
		res["note"] = fmt.Sprintf("output capped at %d bytes; read on from line %d with offset", t.b.cfg.MaxReadBytes, last+1)
	}
	return tool.JSONResult(res)
}

// writeFile is the write_file tool.
type writeFile struct{ b *Toolbox }

func (writeFile) Def() llm.ToolDef {
	return llm.ToolDef{
		Name: "write_file",
		Description: "Writes a file of the project, replacing it if it exists and creating missing parent directories. " +
			"Paths are relative to the project root. The file is replaced atomically.",
		InputSchema: schema(`"path":{"type":"string","description":"file path relative to the project root"},`+
			`"content":{"type":"string","description":"the complete new content of the file"}`, "path", "content"),
	}
}

func (t writeFile) Call(_ context.Context, args json.RawMessage) (tool.Result, error) {
	in, err := decodeArgs[struct {
		Path    string `json:"path"`
		Content string `json:"content"`
	}](args)
	if err != nil {
		return tool.Result{}, err
	}
	p, err := t.b.rel(in.Path)
	if err != nil {
		return tool.Result{}, err
	}
	if err := t.b.writeAtomic(p, []byte(in.Content)); err != nil {
		return tool.Result{}, fsError(in.Path, err)
	}
	return tool.JSONResult(map[string]any{"path": in.Path, "bytes_written": len(in.Content)})
}

// writeAtomic replaces the root-relative file p with data: it writes a
// temporary file beside it and renames it over p, keeping p's mode when it
// existed. Missing parent directories are created.
func (b *Toolbox) writeAtomic(p string, data []byte) error {
	mode := fs.FileMode(0o644)
	if fi, err := b.root.Stat(p); err == nil {
		if fi.IsDir() {
			return errors.New("is a directory")
		}
		mode = fi.Mode().Perm()
	}
	if dir := filepath.Dir(p); dir != "." {
		if err := b.root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	var tmp string
	var f *os.File
	for i := 0; ; i++ {
		tmp = fmt.Sprintf("%s.rkat-tmp-%d-%d", p, os.Getpid(), i)
		var err error
		f, err = b.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || i > 100 {
			return err
		}
	}
	_, err := f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = b.root.Rename(tmp, p)
	}
	if err != nil {
		_ = b.root.Remove(tmp)
	}
	return err
}

// listDir is the list_dir tool.
type listDir struct{ b *Toolbox }

func (listDir) Def() llm.ToolDef {
	return llm.ToolDef{
		Name:        "list_dir",
		Description: "Lists a directory of the project (default: the project root): name, type (file, dir, symlink) and size of each entry.",
		InputSchema: schema(`"path":{"type":"string","description":"directory relative to the project root (default \".\")"}`),
	}
}

type dirEntry struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size,omitempty"`
}

func (t listDir) Call(_ context.Context, args json.RawMessage) (tool.Result, error) {
	in, err := decodeArgs[struct {
		Path string `json:"path"`
	}](args)
	if err != nil {
		return tool.Result{}, err
	}
	p, err := t.b.rel(in.Path)
	if err != nil {
		return tool.Result{}, err
	}
	entries, err := fs.ReadDir(t.b.root.FS(), filepath.ToSlash(p))
	if err != nil {
		return tool.Result{}, fsError(in.Path, err)
	}
	out := make([]dirEntry, 0, min(len(entries), t.b.cfg.MaxResults))
	for _, e := range entries {
		if len(out) == t.b.cfg.MaxResults {
			break
		}
		d := dirEntry{Name: e.Name(), Type: "file"}
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			d.Type = "symlink"
		case e.IsDir():
			d.Type = "dir"
		default:
			if fi, err := e.Info(); err == nil {
				d.Size = fi.Size()
			}
		}
		out = append(out, d)
	}
	res := map[string]any{"path": orDot(in.Path), "entries": out}
	if len(entries) > len(out) {
		res["truncated"], res["total"] = true, len(entries)
	}
	return tool.JSONResult(res)
}

func orDot(p string) string {
	if p == "" {
		return "."
	}
	return p
}

// skipDir reports directories the search tools do not descend into.
func skipDir(name string) bool { return name == ".git" || name == "node_modules" }

// walk visits the regular files under the root-relative directory dir
// (slash-separated paths), skipping skipDir directories, until fn returns
// false or ctx ends.
func (b *Toolbox) walk(ctx context.Context, dir string, fn func(p string, d fs.DirEntry) bool) error {
	stop := errors.New("stop")
	err := fs.WalkDir(b.root.FS(), filepath.ToSlash(dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == filepath.ToSlash(dir) {
				return err
			}
			return nil // unreadable entries are skipped
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() {
			if p != filepath.ToSlash(dir) && skipDir(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || fn(p, d) {
			return nil
		}
		return stop
	})
	if errors.Is(err, stop) {
		return nil
	}
	return err
}

// globTool is the glob tool.
type globTool struct{ b *Toolbox }

func (globTool) Def() llm.ToolDef {
	return llm.ToolDef{
		Name: "glob",
		Description: "Finds files of the project whose path matches a glob pattern: * and ? match within one path " +
			"segment, [a-z] a class, ** any number of segments (e.g. \"**/*.go\", \"cmd/*/main.go\"). Paths are " +
			"relative to the project root; .git and node_modules are skipped.",
		InputSchema: schema(`"pattern":{"type":"string","description":"glob pattern, relative to path"},`+
			`"path":{"type":"string","description":"directory to search (default: the project root)"}`, "pattern"),
	}
}

func (t globTool) Call(ctx context.Context, args json.RawMessage) (tool.Result, error) {
	in, err := decodeArgs[struct {
		Pattern string `json:"pattern"`
		Path    string `json:"path"`
	}](args)
	if err != nil {
		return tool.Result{}, err
	}
	pat := globSegments(in.Pattern)
	for _, seg := range pat {
		if _, err := path.Match(seg, ""); err != nil {
			return tool.Result{}, fmt.Errorf("bad glob pattern %q: %w", in.Pattern, err)
		}
	}
	dir, err := t.b.rel(in.Path)
	if err != nil {
		return tool.Result{}, err
	}
	prefix := filepath.ToSlash(dir) + "/"
	if dir == "." {
		prefix = ""
	}
	matches := []string{}
	truncated := false
	err = t.b.walk(ctx, dir, func(p string, _ fs.DirEntry) bool {
		if !globMatch(pat, strings.Split(strings.TrimPrefix(p, prefix), "/")) {
			return true
		}
		if len(matches) == t.b.cfg.MaxResults {
			truncated = true
			return false
		}
		matches = append(matches, p)
		return true
	})
	if err != nil {
		return tool.Result{}, fsError(orDot(in.Path), err)
	}
	res := map[string]any{"matches": matches}
	if truncated {
		res["truncated"] = true
	}
	return tool.JSONResult(res)
}

// globSegments splits a glob pattern into path segments ("./src/*.go"
// gives "src", "*.go").
func globSegments(pattern string) []string {
	return strings.Split(strings.Trim(path.Clean("/"+filepath.ToSlash(pattern)), "/"), "/")
}

// globMatch matches path segments against pattern segments, where "**"
// matches any number of segments.
func globMatch(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(segs); i++ {
				if globMatch(pat[1:], segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}

// grepTool is the grep tool.
type grepTool struct{ b *Toolbox }

func (grepTool) Def() llm.ToolDef {
	return llm.ToolDef{
		Name: "grep",
		Description: "Searches the text files of the project for a regular expression (RE2 syntax, as in Go) and " +
			"returns matching lines with their path and line number. Binary files, .git and node_modules are skipped.",
		InputSchema: schema(`"pattern":{"type":"string","description":"RE2 regular expression"},`+
			`"path":{"type":"string","description":"file or directory to search (default: the project root)"},`+
			`"glob":{"type":"string","description":"only search files whose path matches this glob, e.g. \"**/*.go\""},`+
			`"case_insensitive":{"type":"boolean"},`+
			`"max_results":{"type":"integer","minimum":1,"description":"maximum matching lines (default and cap: the tool's result cap)"}`, "pattern"),
	}
}

type grepMatch struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	Text string `json:"text"`
}

func (t grepTool) Call(ctx context.Context, args json.RawMessage) (tool.Result, error) {
	in, err := decodeArgs[struct {
		Pattern         string `json:"pattern"`
		Path            string `json:"path"`
		Glob            string `json:"glob"`
		CaseInsensitive bool   `json:"case_insensitive"`
		MaxResults      int    `json:"max_results"`
	}](args)
	if err != nil {
		return tool.Result{}, err
	}
	expr := in.Pattern
	if in.CaseInsensitive {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return tool.Result{}, fmt.Errorf("bad regular expression: %w", err)
	}
	limit := t.b.cfg.MaxResults
	if in.MaxResults > 0 {
		limit = min(limit, in.MaxResults)
	}
	var glob []string
	if in.Glob != "" {
		glob = globSegments(in.Glob)
	}
	dir, err := t.b.rel(in.Path)
	if err != nil {
		return tool.Result{}, err
	}
	matches := []grepMatch{}
	truncated := false
	buf := make([]byte, 0, 64<<10) // files are searched one at a time
	search := func(p string) bool {
		if glob != nil && !globMatch(glob, strings.Split(p, "/")) {
			return true
		}
		f, err := t.b.root.Open(filepath.FromSlash(p))
		if err != nil {
			return true
		}
		defer f.Close()
		br := bufio.NewReader(io.LimitReader(f, int64(t.b.cfg.MaxReadBytes)*16))
		if head, _ := br.Peek(sniffBytes); isBinary(head) {
			return true
		}
		sc := bufio.NewScanner(br)
		sc.Buffer(buf[:0], 1<<20)
		for n := 1; sc.Scan(); n++ {
			if re.Match(sc.Bytes()) {
				if len(matches) == limit {
					truncated = true
					return false
				}
				matches = append(matches, grepMatch{Path: p, Line: n, Text: clip.String(sc.Text(), 500)})
			}
		}
		return true
	}
	if fi, err := t.b.root.Stat(dir); err == nil && !fi.IsDir() {
		search(filepath.ToSlash(dir))
	} else if err := t.b.walk(ctx, dir, func(p string, _ fs.DirEntry) bool { return search(p) }); err != nil {
		return tool.Result{}, fsError(orDot(in.Path), err)
	}
	res := map[string]any{"matches": matches}
	if truncated {
		res["truncated"] = true
	}
	return tool.JSONResult(res)
}
