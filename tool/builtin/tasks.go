package builtin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/tool"
)

// task is one entry of a session's task list, in the reference's shape.
type task struct {
	ID               string                     `json:"id"`
	Subject          string                     `json:"subject"`
	Description      string                     `json:"description"`
	Status           string                     `json:"status"`
	Priority         string                     `json:"priority"`
	Labels           []string                   `json:"labels"`
	Blocks           []string                   `json:"blocks"`
	BlockedBy        []string                   `json:"blocked_by,omitempty"`
	Owner            string                     `json:"owner,omitempty"`
	Metadata         map[string]json.RawMessage `json:"metadata,omitempty"`
	CreatedAt        string                     `json:"created_at"`
	UpdatedAt        string                     `json:"updated_at"`
	CreatedBySession string                     `json:"created_by_session,omitempty"`
	UpdatedBySession string                     `json:"updated_by_session,omitempty"`
}

const (
	statusEnum   = `{"type":["string","null"],"enum":["pending","in_progress","completed",null]}`
	priorityEnum = `{"type":["string","null"],"enum":["low","medium","high",null]}`
	idList       = `{"type":["array","null"],"items":{"type":"string"}}`
	metadataObj  = `{"type":["object","null"]}`
)

func taskTools(b *Toolbox) []tool.Tool {
	return []tool.Tool{
		tool.Func{Definition: llm.ToolDef{Name: "task_create",
			Description: "Adds a task to this session's task list (kept with the session). Returns the task with its id.",
			InputSchema: schema(`"subject":{"type":"string","description":"brief title"},`+
				`"description":{"type":"string","description":"what needs to be done"},`+
				`"priority":`+priorityEnum+`,"labels":`+idList+`,"blocks":`+idList+`,"blocked_by":`+idList+`,`+
				`"owner":{"type":["string","null"]},"metadata":`+metadataObj, "subject", "description")},
			Fn: b.taskCreate},
		tool.Func{Definition: llm.ToolDef{Name: "task_get",
			Description: "Returns one task of this session's task list by id.",
			InputSchema: schema(`"id":{"type":"string","description":"the task id"}`, "id")},
			Fn: b.taskGet},
		tool.Func{Definition: llm.ToolDef{Name: "task_list",
			Description: "Lists this session's tasks, oldest first, optionally only those with a status or with any of some labels.",
			InputSchema: schema(`"status":` + statusEnum + `,"labels":` + idList)},
			Fn: b.taskList},
		tool.Func{Definition: llm.ToolDef{Name: "task_update",
			Description: "Changes a task: subject, description, status (pending, in_progress, completed), priority, labels " +
				"(replaced), owner, metadata (merged; a null value deletes the key), and adds or removes blocks/blocked_by ids.",
			InputSchema: schema(`"id":{"type":"string"},"subject":{"type":["string","null"]},"description":{"type":["string","null"]},`+
				`"status":`+statusEnum+`,"priority":`+priorityEnum+`,"labels":`+idList+`,"owner":{"type":["string","null"]},`+
				`"metadata":`+metadataObj+`,"add_blocks":`+idList+`,"remove_blocks":`+idList+`,`+
				`"add_blocked_by":`+idList+`,"remove_blocked_by":`+idList, "id")},
			Fn: b.taskUpdate},
	}
}

// taskSession returns the calling session's id.
func taskSession(ctx context.Context) (string, error) {
	id := sessionOf(ctx).ID
	if id == "" {
		return "", errors.New("the task tools need a session")
	}
	return id, nil
}

// loadTask reads a task of the session and its creation time.
func (b *Toolbox) loadTask(ctx context.Context, sid, id string) (task, time.Time, error) {
	st, err := b.cfg.Tasks.Task(ctx, sid, id)
	if errors.Is(err, store.ErrTaskNotFound) {
		return task{}, time.Time{}, fmt.Errorf("no task %q in this session; task_list shows the ids", id)
	}
	if err != nil {
		return task{}, time.Time{}, err
	}
	var t task
	if err := json.Unmarshal(st.Data, &t); err != nil {
		return task{}, time.Time{}, fmt.Errorf("task %q: %w", id, err)
	}
	return t, st.Created, nil
}

func (b *Toolbox) saveTask(ctx context.Context, sid string, t task, created, now time.Time) (tool.Result, error) {
	data, err := json.Marshal(t)
	if err != nil {
		return tool.Result{}, err
	}
	if err := b.cfg.Tasks.PutTask(ctx, store.Task{SessionID: sid, ID: t.ID, Data: data, Created: created, Updated: now}); err != nil {
		return tool.Result{}, err
	}
	return tool.TextResult(string(data)), nil
}

// checkRefs verifies that task ids named as blockers exist.
func (b *Toolbox) checkRefs(ctx context.Context, sid string, lists ...[]string) error {
	for _, l := range lists {
		for _, id := range l {
			if _, _, err := b.loadTask(ctx, sid, id); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *Toolbox) taskCreate(ctx context.Context, args json.RawMessage) (tool.Result, error) {
	sid, err := taskSession(ctx)
	if err != nil {
		return tool.Result{}, err
	}
	in, err := decodeArgs[struct {
		Subject     string                     `json:"subject"`
		Description string                     `json:"description"`
		Priority    *string                    `json:"priority"`
		Labels      []string                   `json:"labels"`
		Blocks      []string                   `json:"blocks"`
		BlockedBy   []string                   `json:"blocked_by"`
		Owner       *string                    `json:"owner"`
		Metadata    map[string]json.RawMessage `json:"metadata"`
	}](args)
	if err != nil {
		return tool.Result{}, err
	}
	if err := b.checkRefs(ctx, sid, in.Blocks, in.BlockedBy); err != nil {
		return tool.Result{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return tool.Result{}, fmt.Errorf("task id: %w", err)
	}
	now := time.Now().UTC()
	t := task{ID: id.String(), Subject: in.Subject, Description: in.Description,
		Status: "pending", Priority: "medium", Labels: nonNil(in.Labels), Blocks: nonNil(in.Blocks), BlockedBy: in.BlockedBy,
		Metadata: in.Metadata, CreatedAt: now.Format(time.RFC3339), UpdatedAt: now.Format(time.RFC3339),
		CreatedBySession: sid, UpdatedBySession: sid}
	if in.Priority != nil {
		t.Priority = *in.Priority
	}
	if in.Owner != nil {
		t.Owner = *in.Owner
	}
	return b.saveTask(ctx, sid, t, now, now)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (b *Toolbox) taskGet(ctx context.Context, args json.RawMessage) (tool.Result, error) {
	sid, err := taskSession(ctx)
	if err != nil {
		return tool.Result{}, err
	}
	in, err := decodeArgs[struct {
		ID string `json:"id"`
	}](args)
	if err != nil {
		return tool.Result{}, err
	}
	t, _, err := b.loadTask(ctx, sid, in.ID)
	if err != nil {
		return tool.Result{}, err
	}
	return tool.JSONResult(t)
}

func (b *Toolbox) taskList(ctx context.Context, args json.RawMessage) (tool.Result, error) {
	sid, err := taskSession(ctx)
	if err != nil {
		return tool.Result{}, err
	}
	in, err := decodeArgs[struct {
		Status *string  `json:"status"`
		Labels []string `json:"labels"`
	}](args)
	if err != nil {
		return tool.Result{}, err
	}
	all, err := b.cfg.Tasks.Tasks(ctx, sid)
	if err != nil {
		return tool.Result{}, err
	}
	out := []task{}
	for _, st := range all {
		var t task
		if err := json.Unmarshal(st.Data, &t); err != nil {
			return tool.Result{}, fmt.Errorf("task %q: %w", st.ID, err)
		}
		if in.Status != nil && t.Status != *in.Status {
			continue
		}
		if len(in.Labels) > 0 && !slices.ContainsFunc(in.Labels, func(l string) bool { return slices.Contains(t.Labels, l) }) {
			continue
		}
		out = append(out, t)
	}
	return tool.JSONResult(out)
}

func (b *Toolbox) taskUpdate(ctx context.Context, args json.RawMessage) (tool.Result, error) {
	sid, err := taskSession(ctx)
	if err != nil {
		return tool.Result{}, err
	}
	in, err := decodeArgs[struct {
		ID              string                     `json:"id"`
		Subject         *string                    `json:"subject"`
		Description     *string                    `json:"description"`
		Status          *string                    `json:"status"`
		Priority        *string                    `json:"priority"`
		Labels          []string                   `json:"labels"`
		Owner           *string                    `json:"owner"`
		Metadata        map[string]json.RawMessage `json:"metadata"`
		AddBlocks       []string                   `json:"add_blocks"`
		RemoveBlocks    []string                   `json:"remove_blocks"`
		AddBlockedBy    []string                   `json:"add_blocked_by"`
		RemoveBlockedBy []string                   `json:"remove_blocked_by"`
	}](args)
	if err != nil {
		return tool.Result{}, err
	}
	b.taskMu.Lock()
	defer b.taskMu.Unlock()
	t, created, err := b.loadTask(ctx, sid, in.ID)
	if err != nil {
		return tool.Result{}, err
	}
	if err := b.checkRefs(ctx, sid, in.AddBlocks, in.AddBlockedBy); err != nil {
		return tool.Result{}, err
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&t.Subject, in.Subject)
	set(&t.Description, in.Description)
	set(&t.Status, in.Status)
	set(&t.Priority, in.Priority)
	set(&t.Owner, in.Owner)
	if in.Labels != nil {
		t.Labels = in.Labels
	}
	for k, v := range in.Metadata {
		if string(v) == "null" {
			delete(t.Metadata, k)
			continue
		}
		if t.Metadata == nil {
			t.Metadata = map[string]json.RawMessage{}
		}
		t.Metadata[k] = v
	}
	t.Blocks = editIDs(t.Blocks, in.AddBlocks, in.RemoveBlocks)
	t.BlockedBy = editIDs(t.BlockedBy, in.AddBlockedBy, in.RemoveBlockedBy)
	now := time.Now().UTC()
	t.UpdatedAt, t.UpdatedBySession = now.Format(time.RFC3339), sid
	return b.saveTask(ctx, sid, t, created, now)
}

// editIDs adds and removes ids, keeping order and uniqueness.
func editIDs(ids, add, remove []string) []string {
	out := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return slices.Contains(remove, id) })
	for _, id := range add {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
