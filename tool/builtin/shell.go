package builtin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/internal/procgroup"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// ShellConfig configures the shell tool. Zero fields take the defaults.
type ShellConfig struct {
	// Program runs each command as `Program -c COMMAND`; default /bin/sh.
	Program string
	// DefaultTimeout applies when a call gives no timeout_secs; default 30 s.
	DefaultTimeout time.Duration
	// MaxTimeout is the largest timeout_secs a call may ask for; default
	// 10 minutes.
	MaxTimeout time.Duration
	// AllowOutsideRoot lets working_dir leave the project root.
	AllowOutsideRoot bool
	// InheritEnv names the variables of rkat's own environment a command
	// sees; nil means PATH, HOME, USER, LOGNAME, LANG, LC_ALL, LC_CTYPE,
	// TERM, TMPDIR, TZ and SHELL. Names that look like secrets (API
	// keys, tokens, passwords) are never inherited. The session's shell_env
	// is added on top.
	InheritEnv []string
	// MaxOutputBytes caps what is kept of stdout and of stderr each: the
	// first and last halves, the middle elided with a marker; default 64 KiB.
	MaxOutputBytes int
	// MaxJobs bounds the running background jobs of a session; default 16.
	// Up to four times as many finished jobs are remembered.
	MaxJobs int
}

// Shell defaults.
const (
	DefaultShellTimeout    = 30 * time.Second
	DefaultShellMaxTimeout = 10 * time.Minute
	defaultMaxOutputBytes  = 64 << 10
	defaultMaxJobs         = 16
	// pipeGrace is how long output of descendants that outlive the shell
	// is still read before the pipes are closed and the group is killed.
	pipeGrace = 500 * time.Millisecond
)

func (c ShellConfig) withDefaults() ShellConfig {
	if c.Program == "" {
		c.Program = "/bin/sh"
	}
	if c.DefaultTimeout <= 0 {
		c.DefaultTimeout = DefaultShellTimeout
	}
	if c.MaxTimeout <= 0 {
		c.MaxTimeout = DefaultShellMaxTimeout
	}
	c.MaxTimeout = max(c.MaxTimeout, c.DefaultTimeout)
	if c.InheritEnv == nil {
		c.InheritEnv = []string{"PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TERM", "TMPDIR", "TZ", "SHELL"}
	}
	if c.MaxOutputBytes <= 0 {
		c.MaxOutputBytes = defaultMaxOutputBytes
	}
	if c.MaxJobs <= 0 {
		c.MaxJobs = defaultMaxJobs
	}
	return c
}

// secretName reports variable names that must never reach a command.
func secretName(name string) bool {
	u := strings.ToUpper(name)
	for _, s := range []string{"API_KEY", "APIKEY", "SECRET", "TOKEN", "PASSWORD", "CREDENTIAL"} {
		if strings.Contains(u, s) {
			return true
		}
	}
	return false
}

// shellArgs are the arguments of the shell tool.
type shellArgs struct {
	Command     string  `json:"command"`
	TimeoutSecs *int64  `json:"timeout_secs"`
	WorkingDir  *string `json:"working_dir"`
	Background  bool    `json:"background"`
}

// shellTool is the shell tool.
type shellTool struct{ b *Toolbox }

func (t shellTool) Def() llm.ToolDef {
	c := t.b.cfg.Shell
	return llm.ToolDef{
		Name: "shell",
		Description: fmt.Sprintf("Runs a command with %s -c in the project directory and returns exit_code, stdout, stderr, "+
			"timed_out and duration_secs. Long output keeps its beginning and end. The timeout is %d s unless timeout_secs "+
			"says otherwise (at most %d s); on timeout the command and everything it started is killed. With background: true "+
			"the command runs as a job and the call returns its job_id at once; follow it with shell_job_status, list jobs "+
			"with shell_jobs, stop one with shell_job_cancel.", c.Program, int(c.DefaultTimeout.Seconds()), int(c.MaxTimeout.Seconds())),
		InputSchema: schema(`"command":{"type":"string","description":"the command to run"},`+
			`"timeout_secs":{"type":["integer","null"],"minimum":1,"description":"timeout in seconds (default from config)"},`+
			`"working_dir":{"type":["string","null"],"description":"working directory, relative to the project root"},`+
			`"background":{"type":"boolean","default":false,"description":"run as a background job and return its job_id at once"}`, "command"),
	}
}

// CallTimeout implements tool.Timeouter: the shell enforces its own timeout.
func (t shellTool) CallTimeout(args json.RawMessage) time.Duration {
	in, err := decodeArgs[shellArgs](args)
	if err != nil || in.Background {
		return 0
	}
	d, err := t.b.timeout(in.TimeoutSecs, false)
	if err != nil {
		return 0
	}
	return d
}

// timeout resolves a call's timeout_secs; background jobs default to the
// maximum.
func (b *Toolbox) timeout(secs *int64, background bool) (time.Duration, error) {
	c := b.cfg.Shell
	if secs == nil {
		if background {
			return c.MaxTimeout, nil
		}
		return c.DefaultTimeout, nil
	}
	d := time.Duration(*secs) * time.Second
	if *secs < 1 || d > c.MaxTimeout {
		return 0, fmt.Errorf("timeout_secs must be between 1 and %d", int(c.MaxTimeout.Seconds()))
	}
	return d, nil
}

func (t shellTool) Call(ctx context.Context, args json.RawMessage) (tool.Result, error) {
	in, err := decodeArgs[shellArgs](args)
	if err != nil {
		return tool.Result{}, err
	}
	if strings.TrimSpace(in.Command) == "" {
		return tool.Result{}, errors.New("command is empty")
	}
	timeout, err := t.b.timeout(in.TimeoutSecs, in.Background)
	if err != nil {
		return tool.Result{}, err
	}
	dir, err := t.b.workDir(in.WorkingDir)
	if err != nil {
		return tool.Result{}, err
	}
	sess := sessionOf(ctx)
	if in.Background {
		j, err := t.b.jobs.start(sess, in.Command, dir, timeout)
		if err != nil {
			return tool.Result{}, err
		}
		return tool.JSONResult(map[string]any{"job_id": j.id, "status": "running",
			"message": "Background job started with ID " + j.id + "; follow it with shell_job_status."})
	}
	p, err := t.b.startProcess(in.Command, dir, t.b.env(sess))
	if err != nil {
		return tool.Result{}, err
	}
	st := p.wait(ctx, timeout)
	if st.interrupted {
		return tool.Result{}, ctx.Err()
	}
	res := map[string]any{
		"exit_code": st.exitCode, "stdout": p.stdout.String(), "stderr": p.stderr.String(),
		"timed_out": st.timedOut, "duration_secs": st.duration.Seconds(),
	}
	r, err := tool.JSONResult(res)
	r.IsError = st.timedOut
	return r, err
}

// workDir resolves a call's working_dir to an absolute directory, inside
// the project root unless the config allows otherwise.
func (b *Toolbox) workDir(dir *string) (string, error) {
	if dir == nil || *dir == "" {
		return b.cfg.ProjectRoot, nil
	}
	d := *dir
	if b.cfg.Shell.AllowOutsideRoot {
		if !filepath.IsAbs(d) {
			d = filepath.Join(b.cfg.ProjectRoot, d)
		}
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			return "", fmt.Errorf("working_dir %q is not a directory", *dir)
		}
		return d, nil
	}
	p, err := b.rel(d)
	if err != nil {
		return "", fmt.Errorf("working_dir: %w", err)
	}
	fi, err := b.root.Stat(p)
	if err != nil {
		return "", fmt.Errorf("working_dir: %w", fsError(*dir, err))
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("working_dir %q is not a directory", *dir)
	}
	// The os.Root check above followed any symlinks inside the root; the
	// process gets the resolved path so that it cannot differ.
	real, err := filepath.EvalSymlinks(filepath.Join(b.cfg.ProjectRoot, p))
	if err != nil {
		return "", fmt.Errorf("working_dir: %w", err)
	}
	return real, nil
}

// env is the environment of a command: the allow-listed variables of rkat's
// own environment (never secrets), then the session's shell_env.
func (b *Toolbox) env(sess Session) []string {
	var env []string
	for _, name := range b.cfg.Shell.InheritEnv {
		if v, ok := os.LookupEnv(name); ok && !secretName(name) {
			env = append(env, name+"="+v)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(sess.Env)) {
		env = append(env, k+"="+sess.Env[k])
	}
	return env
}

// process is a started command in its own process group.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr *capBuffer
	start          time.Time
	done           chan error // receives Wait's result once
}

// startProcess starts `Program -c command` in dir as the leader of a new
// process group, its output going to capped buffers.
func (b *Toolbox) startProcess(command, dir string, env []string) (*process, error) {
	cmd := exec.Command(b.cfg.Shell.Program, "-c", command)
	cmd.Dir, cmd.Env = dir, env
	procgroup.Set(cmd)
	cmd.WaitDelay = pipeGrace
	p := &process{cmd: cmd, stdout: newCapBuffer(b.cfg.Shell.MaxOutputBytes),
		stderr: newCapBuffer(b.cfg.Shell.MaxOutputBytes), done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", b.cfg.Shell.Program, err)
	}
	go func() { p.done <- cmd.Wait() }() // ends when the process and its pipes are done
	return p, nil
}

// procStatus is how a process ended.
type procStatus struct {
	exitCode    *int // nil when killed by a signal
	timedOut    bool
	interrupted bool // ctx ended first
	duration    time.Duration
}

// wait waits for the process until it exits, timeout passes or ctx ends;
// in the latter cases the whole process group is killed. Descendants left
// behind by a command that exited are killed too.
func (p *process) wait(ctx context.Context, timeout time.Duration) procStatus {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var st procStatus
	select {
	case <-p.done:
	case <-timer.C:
		st.timedOut = true
		p.kill()
		<-p.done
	case <-ctx.Done():
		st.interrupted = true
		p.kill()
		<-p.done
	}
	p.kill()
	st.duration = time.Since(p.start)
	if ps := p.cmd.ProcessState; ps != nil && ps.Exited() {
		code := ps.ExitCode()
		st.exitCode = &code
	}
	return st
}

// kill sends SIGKILL to the process group.
func (p *process) kill() { _ = procgroup.Kill(p.cmd) }

// capBuffer keeps the first and the last max/2 bytes written to it. It is
// safe for concurrent use.
type capBuffer struct {
	mu         sync.Mutex
	half       int
	head, tail []byte
	total      int64
}

func newCapBuffer(max int) *capBuffer { return &capBuffer{half: max / 2} }

func (c *capBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p)
	c.total += int64(n)
	if room := c.half - len(c.head); room > 0 {
		k := min(room, len(p))
		c.head = append(c.head, p[:k]...)
		p = p[k:]
	}
	if len(p) >= c.half {
		c.tail = append(c.tail[:0], p[len(p)-c.half:]...)
	} else if len(p) > 0 {
		if over := len(c.tail) + len(p) - c.half; over > 0 {
			c.tail = c.tail[:copy(c.tail, c.tail[over:])]
		}
		c.tail = append(c.tail, p...)
	}
	return n, nil
}

// String returns what was kept, with a marker where bytes were elided.
func (c *capBuffer) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := int64(len(c.head) + len(c.tail))
	if kept == c.total {
		return strings.ToValidUTF8(string(c.head)+string(c.tail), "\uFFFD")
	}
	return strings.ToValidUTF8(string(c.head), "\uFFFD") +
		fmt.Sprintf("\n[... %d bytes elided ...]\n", c.total-kept) +
		strings.ToValidUTF8(string(c.tail), "\uFFFD")
}

var _ io.Writer = (*capBuffer)(nil)
