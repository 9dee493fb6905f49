package builtin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/tool"
)

// TaskStore keeps the task lists of sessions; store.Store satisfies it.
type TaskStore interface {
	PutTask(ctx context.Context, t store.Task) error
	Task(ctx context.Context, sessionID, id string) (store.Task, error)
	Tasks(ctx context.Context, sessionID string) ([]store.Task, error)
}

// Config configures a Toolbox.
type Config struct {
	// ProjectRoot is the directory the file tools, apply_patch and the
	// shell's working directory are confined to. Required.
	ProjectRoot string
	// Tasks stores the task lists; without it the task tools are left out.
	Tasks TaskStore
	// Shell configures the shell tool.
	Shell ShellConfig
	// MaxReadBytes caps what read_file returns and what grep reads per
	// file; zero means 256 KiB.
	MaxReadBytes int
	// MaxResults caps the entries of list_dir, glob and grep; zero means 500.
	MaxResults int
}

const (
	defaultMaxReadBytes = 256 << 10
	defaultMaxResults   = 500
)

// Toolbox owns the builtin tools and what they share. It is safe for
// concurrent use.
type Toolbox struct {
	cfg  Config
	root *os.Root
	jobs *jobs
	// taskMu serialises the read-modify-write of task updates.
	taskMu sync.Mutex

	builtins, shell, both *tool.Set
}

// New opens the project root and returns a Toolbox. Close releases it.
func New(cfg Config) (*Toolbox, error) {
	if cfg.ProjectRoot == "" {
		return nil, errors.New("builtin: a project root is required")
	}
	if cfg.MaxReadBytes <= 0 {
		cfg.MaxReadBytes = defaultMaxReadBytes
	}
	if cfg.MaxResults <= 0 {
		cfg.MaxResults = defaultMaxResults
	}
	cfg.Shell = cfg.Shell.withDefaults()
	dir, err := filepath.Abs(cfg.ProjectRoot)
	if err == nil {
		dir, err = filepath.EvalSymlinks(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("builtin: project root: %w", err)
	}
	cfg.ProjectRoot = dir
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("builtin: project root: %w", err)
	}
	b := &Toolbox{cfg: cfg, root: root}
	b.jobs = newJobs(b)
	general := []tool.Tool{Datetime(), applyPatch{b}, readFile{b}, writeFile{b}, listDir{b}, globTool{b}, grepTool{b}}
	if cfg.Tasks != nil {
		general = append(general, taskTools(b)...)
	}
	shell := []tool.Tool{shellTool{b}, jobStatus{b}, jobCancel{b}, jobList{b}}
	b.builtins = tool.NewSet(general...)
	b.shell = tool.NewSet(shell...)
	b.both = b.builtins.Merge(b.shell)
	return b, nil
}

// Set returns the tools of the enabled families: the general builtins
// (datetime, files, apply_patch, tasks) and the shell with its job tools.
// Sets are built once, so their compiled schemas are shared by every turn.
func (b *Toolbox) Set(builtins, shell bool) *tool.Set {
	switch {
	case builtins && shell:
		return b.both
	case builtins:
		return b.builtins
	case shell:
		return b.shell
	}
	return nil
}

// EndSession cancels the background jobs of a session and forgets them.
func (b *Toolbox) EndSession(id string) { b.jobs.endSession(id) }

// Close cancels every background job, waits for them to end and releases
// the project root.
func (b *Toolbox) Close() error {
	b.jobs.close()
	return b.root.Close()
}

// Session is what the tools know of the calling session.
type Session struct {
	ID string
	// Env is the session's shell_env, added to the shell's environment.
	Env map[string]string
}

type sessionKey struct{}

// WithSession returns ctx carrying the calling session.
func WithSession(ctx context.Context, s Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

func sessionOf(ctx context.Context) Session {
	s, _ := ctx.Value(sessionKey{}).(Session)
	return s
}

// decodeArgs reads a tool's arguments (already validated against its
// schema) into a T.
func decodeArgs[T any](args json.RawMessage) (T, error) {
	var v T
	if len(bytes.TrimSpace(args)) == 0 {
		return v, nil
	}
	if err := json.Unmarshal(args, &v); err != nil {
		return v, fmt.Errorf("invalid arguments: %w", err)
	}
	return v, nil
}

// schema builds a tool's input schema from its properties and required
// names; additional properties are refused so that a misspelt argument is
// named in the error.
func schema(props string, required ...string) json.RawMessage {
	req, _ := json.Marshal(required)
	if required == nil {
		req = []byte("[]")
	}
	return json.RawMessage(`{"type":"object","properties":{` + props + `},"required":` + string(req) + `,"additionalProperties":false}`)
}
