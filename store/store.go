// Package store defines the persistence interface of the agent runtime:
// session metadata, committed history rows, the realm's configuration
// document, idempotency records, and schedules with their occurrences
// (schedule.go). One Store holds one realm.
//
// Backends: store/sqlite (durable, the default), store/memory (tests,
// ephemeral realms), store/postgres (shared by processes on many nodes).
// Leases (Claim, Renew, Release, Commit.Fence) keep one turn per session
// across every process on a store. store/storetest is the conformance suite every backend
// passes.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rkat-dev/rkat/llm"
)

// Sentinel errors of every backend; match with errors.Is.
var (
	// ErrNotFound: no session with that id.
	ErrNotFound = errors.New("store: session not found")
	// ErrExists: a session with that id already exists.
	ErrExists = errors.New("store: session already exists")
	// ErrDuplicateKey: an idempotency key of a commit was already recorded;
	// nothing of that commit was written.
	ErrDuplicateKey = errors.New("store: duplicate idempotency key")
	// ErrConflict: a config write named a stale generation.
	ErrConflict = errors.New("store: generation conflict")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("store: closed")
	// ErrInvalid: the request itself is malformed (empty id, bad paging).
	ErrInvalid = errors.New("store: invalid request")
	// ErrLeased: another owner holds an unexpired lease on the session.
	ErrLeased = errors.New("store: session leased by another owner")
	// ErrFenced: a lease renewal or fenced commit named a fencing token that
	// is no longer the session's current one (the lease expired and someone
	// else claimed the session); nothing was written.
	ErrFenced = errors.New("store: stale fencing token")
	// ErrTaskNotFound: no task with that id in the session.
	ErrTaskNotFound = errors.New("store: task not found")
)

// ConflictError reports a stale expected generation. It matches ErrConflict.
type ConflictError struct {
	Expected, Current uint64
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("Generation conflict: expected %d, current %d", e.Expected, e.Current)
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// Session is the durable metadata of one session. History rows are stored
// separately and read with Store.Rows.
type Session struct {
	ID       string
	Realm    string
	Model    string
	Provider string
	Labels   map[string]string // nil or empty when none
	Created  time.Time
	Updated  time.Time
	Archived bool
	// MessageCount is the number of committed history rows (maintained by
	// the store).
	MessageCount int
	// Runs counts completed or failed runs (turn/start calls that ran).
	Runs int
	// Usage is the token total over all runs.
	Usage llm.Usage
	// LastAssistantText is the final text of the latest run.
	LastAssistantText string
	// LastSeq is the highest event sequence number committed for the session.
	LastSeq uint64
	// Settings is an opaque document owned by the session layer (system
	// prompt, limits, schema, ...). The store keeps it verbatim.
	Settings json.RawMessage
	// Deferred is the stash of a deferred session (prompt and context for the
	// first turn), opaque to the store; nil once the first turn ran.
	Deferred json.RawMessage
	// Lease is the session's current turn lease (Owner and Expires; zero
	// when none is held), kept by Claim and Release: ignored by
	// CreateSession and Commit.
	Lease Lease
}

// Leased reports whether a turn, in any process, holds the session's lease
// at now.
func (s Session) Leased(now time.Time) bool { return s.Lease.Held(now) }

// Held reports whether the lease has an owner and has not expired at now.
func (l Lease) Held(now time.Time) bool { return l.Owner != "" && now.Before(l.Expires) }

// Role tags a history row.
type Role string

// History row roles, named as on the wire (spec/agent-rpc.md 4.4; the
// assistant role is "block_assistant" there).
const (
	RoleSystem       Role = "system"
	RoleSystemNotice Role = "system_notice"
	RoleUser         Role = "user"
	RoleAssistant    Role = "assistant"
	RoleToolResults  Role = "tool_results"
)

// TranscriptInjected marks a user row that carries injected context.
const TranscriptInjected = "injected_context"

// TranscriptCompactionSummary marks a user row summarising older rows.
const TranscriptCompactionSummary = "compaction_summary"

// Row is one committed history entry. Which fields are meaningful depends on
// Role:
//   - system:        Content (text blocks), Source, IdempotencyKey
//   - system_notice: Kind, Body, Content
//   - user:          Content, TranscriptRole ("" or "injected_context")
//   - assistant:     Content, StopReason
//   - tool_results:  Content (tool_result blocks)
type Row struct {
	Role           Role           `json:"role"`
	Content        []llm.Block    `json:"content,omitempty"`
	TranscriptRole string         `json:"transcript_role,omitempty"`
	Source         string         `json:"source,omitempty"`
	IdempotencyKey string         `json:"idempotency_key,omitempty"`
	Kind           string         `json:"kind,omitempty"`
	Body           string         `json:"body,omitempty"`
	StopReason     llm.StopReason `json:"stop_reason,omitempty"`
	RunID          string         `json:"run_id,omitempty"`
	// Replaces, on a compaction summary row, is the number of leading
	// history rows the summary stands for in the model's transcript.
	Replaces int       `json:"replaces,omitempty"`
	Created  time.Time `json:"-"` // kept by the store beside the row
}

// Update changes session metadata. Zero fields leave the stored value alone,
// so concurrent updates of different fields never undo each other.
type Update struct {
	Model    string // set when non-empty
	Provider string // set when non-empty
	// Labels replaces the labels when non-nil.
	Labels map[string]string
	// Archive marks the session archived (never un-archives).
	Archive bool
	// AddRuns and AddUsage are added to the totals.
	AddRuns  int
	AddUsage llm.Usage
	// LastAssistantText replaces the stored text when non-nil.
	LastAssistantText *string
	// LastSeq raises the stored sequence number (never lowers it).
	LastSeq uint64
	// Settings replaces the settings document when non-nil.
	Settings json.RawMessage
	// ClearDeferred drops the deferred stash.
	ClearDeferred bool
	// Touch sets Updated to this time when non-zero (the store never
	// moves Updated backwards).
	Touch time.Time
}

// Commit is one atomic write at a turn boundary: every row is appended, every
// key recorded and the update applied, or nothing is.
type Commit struct {
	SessionID string
	Rows      []Row
	// Keys are idempotency keys scoped to the session. If any was recorded
	// before, the commit fails with ErrDuplicateKey and writes nothing.
	Keys   []string
	Update Update
	// Fence, when non-zero, is the fencing token of the lease the writer
	// holds: the commit happens only while it is the session's current
	// token, else it fails with ErrFenced and writes nothing.
	Fence uint64
}

// Lease is one owner's claim on a session for the length of a turn. Every
// claim gets a fencing token larger than any before it on that session.
type Lease struct {
	SessionID string
	Owner     string
	Token     uint64
	Expires   time.Time
}

// ListQuery selects sessions. Sessions are returned newest first (by
// creation time, then id).
type ListQuery struct {
	// Labels: every pair must be present on the session.
	Labels map[string]string
	// IncludeArchived also returns archived sessions.
	IncludeArchived bool
	Offset          int
	Limit           int // 0 = no limit
}

// RealmConfig is the realm's configuration document with its generation,
// which every successful write increases by one. A realm that was never
// written has Data "{}" and generation 0.
type RealmConfig struct {
	Data       json.RawMessage
	Generation uint64
}

// Task is one entry of a session's task list (the task_* tools). Data is
// the task document, owned by the tool layer and kept verbatim.
type Task struct {
	SessionID string
	ID        string
	Data      json.RawMessage
	Created   time.Time // set by the first PutTask of the id, kept after
	Updated   time.Time
}

// Store persists one realm. Implementations are safe for concurrent use.
type Store interface {
	Schedules
	Records
	// CreateSession stores a new session (MessageCount is ignored and
	// starts at 0). ErrExists if the id is taken.
	CreateSession(ctx context.Context, s Session) error
	// Session returns a session's metadata, or ErrNotFound.
	Session(ctx context.Context, id string) (Session, error)
	// ListSessions returns the sessions matching q and the number of all
	// matches before paging.
	ListSessions(ctx context.Context, q ListQuery) ([]Session, int, error)
	// Commit applies c atomically and returns the session after it.
	// ErrNotFound if the session does not exist.
	Commit(ctx context.Context, c Commit) (Session, error)
	// Rows returns up to limit rows (0 = all) starting at offset, oldest
	// first, and the total number of rows. ErrNotFound for an unknown session.
	Rows(ctx context.Context, sessionID string, offset, limit int) ([]Row, int, error)
	// HasKey reports whether an idempotency key was recorded for a session.
	HasKey(ctx context.Context, sessionID, key string) (bool, error)
	// Config returns the realm configuration.
	Config(ctx context.Context) (RealmConfig, error)
	// SetConfig replaces the configuration (data must be a JSON object).
	// With expected non-nil the write happens only if the current generation
	// equals *expected, else a *ConflictError.
	SetConfig(ctx context.Context, data json.RawMessage, expected *uint64) (RealmConfig, error)
	// Claim leases the session to owner for ttl. It fails with ErrLeased
	// while another claim is unexpired (whoever its owner), ErrNotFound for
	// an unknown session.
	Claim(ctx context.Context, sessionID, owner string, ttl time.Duration) (Lease, error)
	// Renew extends a held lease to ttl from now; ErrFenced once its token
	// is no longer current or it was released.
	Renew(ctx context.Context, l Lease, ttl time.Duration) (Lease, error)
	// Release ends a held lease; releasing a stale or released lease is a
	// no-op.
	Release(ctx context.Context, l Lease) error
	// PutTask inserts or replaces a task of a session (Created of a
	// replaced task is kept). ErrNotFound for an unknown session, ErrInvalid
	// for an empty id or data that is not a JSON object.
	PutTask(ctx context.Context, t Task) error
	// Task returns one task, or ErrTaskNotFound.
	Task(ctx context.Context, sessionID, id string) (Task, error)
	// Tasks returns a session's tasks, oldest first (by Created, then id).
	// ErrNotFound for an unknown session.
	Tasks(ctx context.Context, sessionID string) ([]Task, error)
	// Close releases the store; later calls fail with ErrClosed.
	Close() error
}

// EventBus is implemented by stores that processes on several nodes share
// (Postgres): it carries the events of a turn from the process running it
// to the others, whose subscribers then see the turn too, and the session
// service's control messages (an interrupt for a turn running elsewhere).
// Delivery is best effort: a listener that is not connected misses what is
// sent meanwhile. A payload arrives whole or not at all.
type EventBus interface {
	// PublishEvent sends payload, JSON of at most MaxEventPayload bytes
	// (else ErrInvalid), to every listener of the realm, the sender's
	// included.
	PublishEvent(ctx context.Context, payload []byte) error
	// ListenEvents calls ready once it is listening, then fn with every
	// payload published on the realm until ctx ends or the connection
	// fails; fn must not block.
	ListenEvents(ctx context.Context, ready func(), fn func(payload []byte)) error
}

// MaxEventPayload bounds one EventBus payload: 8 MiB, the default limit of
// one JSON-RPC notification (rpc.DefaultMaxNotification), so a subscriber
// on another node can be sent any event one on the turn's node could.
// Larger events are cut to it before they are published, as the RPC edge
// cuts them (event.Bound).
const MaxEventPayload = 8 << 20

// ValidateLease checks the arguments of Claim and Renew.
func ValidateLease(sessionID, owner string, ttl time.Duration) error {
	if sessionID == "" || owner == "" || ttl < time.Millisecond {
		return fmt.Errorf("%w: lease needs a session, an owner and a ttl of at least 1ms", ErrInvalid)
	}
	return nil
}

// ValidatePage checks offset/limit arguments.
func ValidatePage(offset, limit int) error {
	if offset < 0 || limit < 0 {
		return fmt.Errorf("%w: negative offset or limit", ErrInvalid)
	}
	return nil
}

// ValidateKeys checks that no idempotency key is empty.
func ValidateKeys(keys []string) error {
	for _, k := range keys {
		if k == "" {
			return fmt.Errorf("%w: empty idempotency key", ErrInvalid)
		}
	}
	return nil
}

// ValidateConfig checks that data is a JSON object and returns it compacted.
func ValidateConfig(data json.RawMessage) (json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("%w: config must be a JSON object", ErrInvalid)
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return out, nil
}

// Apply applies u to s in memory, the way every backend applies an Update.
func (u Update) Apply(s *Session) {
	if u.Model != "" {
		s.Model = u.Model
	}
	if u.Provider != "" {
		s.Provider = u.Provider
	}
	if u.Labels != nil {
		s.Labels = cloneLabels(u.Labels)
	}
	if u.Archive {
		s.Archived = true
	}
	s.Runs += u.AddRuns
	s.Usage = s.Usage.Add(u.AddUsage)
	if u.LastAssistantText != nil {
		s.LastAssistantText = *u.LastAssistantText
	}
	s.LastSeq = max(s.LastSeq, u.LastSeq)
	if u.Settings != nil {
		s.Settings = append(json.RawMessage(nil), u.Settings...)
	}
	if u.ClearDeferred {
		s.Deferred = nil
	}
	if u.Touch.After(s.Updated) {
		s.Updated = u.Touch
	}
}

// MatchLabels reports whether labels hold every pair of want.
func MatchLabels(labels, want map[string]string) bool {
	for k, v := range want {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

func cloneLabels(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Clone returns a deep copy of s (labels, settings and stash are copied).
func (s Session) Clone() Session {
	s.Labels = cloneLabels(s.Labels)
	if s.Settings != nil {
		s.Settings = append(json.RawMessage(nil), s.Settings...)
	}
	if s.Deferred != nil {
		s.Deferred = append(json.RawMessage(nil), s.Deferred...)
	}
	return s
}

// ValidateTask checks a task before it is stored and returns its data
// compacted.
func ValidateTask(t Task) (json.RawMessage, error) {
	if t.SessionID == "" || t.ID == "" {
		return nil, fmt.Errorf("%w: empty session or task id", ErrInvalid)
	}
	data, err := ValidateConfig(t.Data)
	if err != nil {
		return nil, fmt.Errorf("%w: task data must be a JSON object", ErrInvalid)
	}
	return data, nil
}
