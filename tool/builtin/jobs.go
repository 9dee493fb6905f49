package builtin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// Job states.
const (
	jobRunning   = "running"
	jobCompleted = "completed"
	jobFailed    = "failed"
	jobCancelled = "cancelled"
)

// jobs holds the background shell jobs of every session.
type jobs struct {
	b  *Toolbox
	wg sync.WaitGroup // one waiter goroutine per running job

	mu        sync.Mutex
	closed    bool
	bySession map[string][]*job // oldest first
}

// job is one background command. state, status and cancelled are guarded
// by jobs.mu.
type job struct {
	id, command, dir string
	timeout          time.Duration
	started          time.Time
	cancel           context.CancelFunc
	proc             *process
	ended            chan struct{} // closed once the job's state is final

	state     string
	status    procStatus
	cancelled bool
}

func newJobs(b *Toolbox) *jobs { return &jobs{b: b, bySession: map[string][]*job{}} }

// start runs command as a background job of the session.
func (js *jobs) start(sess Session, command, dir string, timeout time.Duration) (*job, error) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.closed {
		return nil, errors.New("background jobs are shut down")
	}
	list := js.bySession[sess.ID]
	running := 0
	for _, j := range list {
		if j.state == jobRunning {
			running++
		}
	}
	limit := js.b.cfg.Shell.MaxJobs
	if running >= limit {
		return nil, fmt.Errorf("%d background jobs are running, the limit; wait for one or cancel it with shell_job_cancel", running)
	}
	p, err := js.b.startProcess(command, dir, js.b.env(sess))
	if err != nil {
		return nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		p.kill()
		<-p.done
		return nil, fmt.Errorf("job id: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	j := &job{id: "job_" + id.String(), command: command, dir: dir, timeout: timeout,
		started: p.start, cancel: cancel, proc: p, state: jobRunning, ended: make(chan struct{})}
	// Forget the oldest finished jobs beyond the bound.
	for finished := len(list) - running; finished >= 4*limit; finished-- {
		i := slices.IndexFunc(list, func(j *job) bool { return j.state != jobRunning })
		list = slices.Delete(list, i, i+1)
	}
	js.bySession[sess.ID] = append(list, j)
	js.wg.Add(1)
	go js.await(ctx, j)
	return j, nil
}

// await waits for a job's process and records how it ended.
func (js *jobs) await(ctx context.Context, j *job) {
	defer js.wg.Done()
	defer j.cancel()
	st := j.proc.wait(ctx, j.timeout)
	js.mu.Lock()
	defer js.mu.Unlock()
	defer close(j.ended)
	j.status = st
	switch {
	case j.cancelled || st.interrupted:
		j.state = jobCancelled
	case st.timedOut || st.exitCode == nil:
		j.state = jobFailed
	default:
		j.state = jobCompleted
	}
}

// find returns a job of the session.
func (js *jobs) find(sessionID, id string) (*job, error) {
	for _, j := range js.bySession[sessionID] {
		if j.id == id {
			return j, nil
		}
	}
	return nil, fmt.Errorf("no job %q in this session; shell_jobs lists them", id)
}

// cancel stops a running job; it reports the job's state after the call.
func (js *jobs) cancelJob(sessionID, id string) (string, error) {
	js.mu.Lock()
	j, err := js.find(sessionID, id)
	if err != nil || j.state != jobRunning {
		js.mu.Unlock()
		if err != nil {
			return "", err
		}
		return j.state, nil
	}
	j.cancelled = true
	js.mu.Unlock()
	j.cancel()
	<-j.ended
	return jobCancelled, nil
}

// endSession cancels a session's jobs and forgets them.
func (js *jobs) endSession(id string) {
	js.mu.Lock()
	list := js.bySession[id]
	delete(js.bySession, id)
	for _, j := range list {
		j.cancelled = true
	}
	js.mu.Unlock()
	for _, j := range list {
		j.cancel()
	}
}

// close cancels every job and waits for them to end.
func (js *jobs) close() {
	js.mu.Lock()
	js.closed = true
	var all []*job
	for _, list := range js.bySession {
		all = append(all, list...)
	}
	js.mu.Unlock()
	for _, j := range all {
		j.cancel()
	}
	js.wg.Wait()
}

// view is a job as shell_job_status reports it; the caller holds js.mu.
func (j *job) view() map[string]any {
	st := map[string]any{"status": j.state}
	switch j.state {
	case jobRunning:
		st["started_at_unix"] = j.started.Unix()
		st["stdout_so_far"], st["stderr_so_far"] = j.proc.stdout.String(), j.proc.stderr.String()
	default:
		st["duration_secs"] = j.status.duration.Seconds()
		st["exit_code"] = j.status.exitCode
		st["stdout"], st["stderr"] = j.proc.stdout.String(), j.proc.stderr.String()
		if j.status.timedOut {
			st["error"] = fmt.Sprintf("timed out after %s; the job's processes were killed", j.timeout)
		}
	}
	return map[string]any{"id": j.id, "command": j.command, "working_dir": j.dir,
		"timeout_secs": int64(j.timeout.Seconds()), "started_at_unix": j.started.Unix(), "status": st}
}

// jobIDArgs are the arguments of shell_job_status and shell_job_cancel,
// described by jobIDSchema.
type jobIDArgs struct {
	JobID string `json:"job_id"`
}

func jobIDSchema() json.RawMessage {
	return schema(`"job_id":{"type":"string","description":"the job ID returned by shell with background: true"}`, "job_id")
}

// jobStatus is the shell_job_status tool.
type jobStatus struct{ b *Toolbox }

func (jobStatus) Def() llm.ToolDef {
	return llm.ToolDef{Name: "shell_job_status", InputSchema: jobIDSchema(),
		Description: "Reports a background shell job: running (with its output so far), or completed, failed or cancelled with exit_code, stdout, stderr and duration_secs."}
}

func (t jobStatus) Call(ctx context.Context, args json.RawMessage) (tool.Result, error) {
	in, err := decodeArgs[jobIDArgs](args)
	if err != nil {
		return tool.Result{}, err
	}
	js := t.b.jobs
	js.mu.Lock()
	defer js.mu.Unlock()
	j, err := js.find(sessionOf(ctx).ID, in.JobID)
	if err != nil {
		return tool.Result{}, err
	}
	return tool.JSONResult(j.view())
}

// jobCancel is the shell_job_cancel tool.
type jobCancel struct{ b *Toolbox }

func (jobCancel) Def() llm.ToolDef {
	return llm.ToolDef{Name: "shell_job_cancel", InputSchema: jobIDSchema(),
		Description: "Cancels a running background shell job, killing every process it started."}
}

func (t jobCancel) Call(ctx context.Context, args json.RawMessage) (tool.Result, error) {
	in, err := decodeArgs[jobIDArgs](args)
	if err != nil {
		return tool.Result{}, err
	}
	state, err := t.b.jobs.cancelJob(sessionOf(ctx).ID, in.JobID)
	if err != nil {
		return tool.Result{}, err
	}
	return tool.JSONResult(map[string]any{"job_id": in.JobID, "status": state})
}

// jobList is the shell_jobs tool.
type jobList struct{ b *Toolbox }

func (jobList) Def() llm.ToolDef {
	return llm.ToolDef{Name: "shell_jobs", InputSchema: schema(``),
		Description: "Lists the background shell jobs of this session with their status (and exit_code once finished)."}
}

func (t jobList) Call(ctx context.Context, _ json.RawMessage) (tool.Result, error) {
	js := t.b.jobs
	js.mu.Lock()
	defer js.mu.Unlock()
	out := []map[string]any{}
	for _, j := range js.bySession[sessionOf(ctx).ID] {
		e := map[string]any{"id": j.id, "command": j.command, "status": j.state, "started_at_unix": j.started.Unix()}
		if j.state != jobRunning {
			e["exit_code"] = j.status.exitCode
		}
		out = append(out, e)
	}
	return tool.JSONResult(out)
}
