package schedule

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rkat-dev/rkat/store"
)

// Sentinel errors; match with errors.Is.
var (
	// ErrNotFound: no schedule with that id (the wire's -32023).
	ErrNotFound = errors.New("schedule: not found")
	// ErrInvalid: the request is malformed; *InvalidError says which field.
	ErrInvalid = errors.New("schedule: invalid request")
	// ErrClosed: the executor was stopped.
	ErrClosed = errors.New("schedule: closed")
)

// InvalidError is a rejected request naming the offending field. It matches
// ErrInvalid.
type InvalidError struct {
	Field, Msg string
}

func (e *InvalidError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.Msg) }

// Is makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &InvalidError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// RevisionError reports a stale expected_revision. It matches ErrInvalid
// (the contract answers -32602).
type RevisionError struct {
	Expected, Current uint64
}

func (e *RevisionError) Error() string {
	return fmt.Sprintf("schedule revision mismatch: expected %d, found %d", e.Expected, e.Current)
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *RevisionError) Is(target error) bool { return target == ErrInvalid }

// Policies.
const (
	MisfireSkip          = "skip"
	MisfireCatchUpWithin = "catch_up_within"

	OverlapAllowConcurrent = "allow_concurrent"
	OverlapSkipIfRunning   = "skip_if_running"

	MissingTargetSkip         = "skip"
	MissingTargetMarkMisfired = "mark_misfired"
)

// Defaults, as the contract's reference has them.
const (
	DefaultHorizonDays        = 30
	DefaultHorizonOccurrences = 64
	// skipGrace is how late an occurrence may start under the skip
	// misfire policy before it counts as missed.
	skipGrace = 30 * time.Second
)

// Misfire is the misfire policy: {"type":"skip"} or
// {"type":"catch_up_within","window_seconds":N}.
type Misfire struct {
	Type          string  `json:"type"`
	WindowSeconds *uint64 `json:"window_seconds,omitempty"`
}

// window is how late an occurrence may still start.
func (m Misfire) window() time.Duration {
	if m.Type == MisfireCatchUpWithin && m.WindowSeconds != nil {
		return time.Duration(min(*m.WindowSeconds, maxEverySeconds)) * time.Second
	}
	return skipGrace
}

// Record is a schedule as the contract's ScheduleRecord.
type Record struct {
	ScheduleID string `json:"schedule_id"`
	Phase      string `json:"phase"`
	Revision   uint64 `json:"revision"`
	scheduleDoc
	CreatedAt time.Time         `json:"created_at_utc"`
	Labels    map[string]string `json:"labels,omitempty"`

	version uint64 // the store's compare-and-set token
}

// scheduleDoc is the part of a Record kept in store.ScheduleRow.Data.
type scheduleDoc struct {
	Trigger                    Trigger         `json:"trigger"`
	Target                     json.RawMessage `json:"target"`
	MisfirePolicy              Misfire         `json:"misfire_policy"`
	OverlapPolicy              string          `json:"overlap_policy"`
	MissingTargetPolicy        string          `json:"missing_target_policy"`
	NextOccurrenceOrdinal      uint64          `json:"next_occurrence_ordinal"`
	PlanningHorizonDays        uint32          `json:"planning_horizon_days"`
	PlanningHorizonOccurrences uint32          `json:"planning_horizon_occurrences"`
	UpdatedAt                  time.Time       `json:"updated_at_utc"`
	Name                       string          `json:"name,omitempty"`
	Description                string          `json:"description,omitempty"`
	PlanningCursor             *time.Time      `json:"planning_cursor_utc,omitempty"`
	DeletedAt                  *time.Time      `json:"deleted_at_utc,omitempty"`
}

// Occurrence is one planned firing, as the contract's occurrence record.
type Occurrence struct {
	OccurrenceID      string    `json:"occurrence_id"`
	ScheduleID        string    `json:"schedule_id"`
	ScheduleRevision  uint64    `json:"schedule_revision"`
	OccurrenceOrdinal uint64    `json:"occurrence_ordinal"`
	Phase             string    `json:"phase"`
	DueAt             time.Time `json:"due_at_utc"`
	occurrenceDoc
	AttemptCount         int        `json:"attempt_count"`
	ClaimedBy            string     `json:"claimed_by,omitempty"`
	LeaseExpiresAt       *time.Time `json:"lease_expires_at_utc,omitempty"`
	SupersededByRevision *uint64    `json:"superseded_by_revision,omitempty"`

	fence uint64
}

// occurrenceDoc is the part of an Occurrence kept in store.OccurrenceRow.Data.
type occurrenceDoc struct {
	TriggerSnapshot     Trigger         `json:"trigger_snapshot"`
	TargetSnapshot      json.RawMessage `json:"target_snapshot"`
	MisfirePolicy       Misfire         `json:"misfire_policy"`
	OverlapPolicy       string          `json:"overlap_policy"`
	MissingTargetPolicy string          `json:"missing_target_policy"`
	CreatedAt           time.Time       `json:"created_at_utc"`
	// DeliveryCorrelationID is the idempotency key of the delivery, stable
	// across retries of the occurrence.
	DeliveryCorrelationID string          `json:"delivery_correlation_id,omitempty"`
	FailureClass          string          `json:"failure_class,omitempty"`
	FailureDetail         string          `json:"failure_detail,omitempty"`
	RuntimeOutcome        *RuntimeOutcome `json:"runtime_outcome,omitempty"`
	ClaimedAt             *time.Time      `json:"claimed_at_utc,omitempty"`
	DispatchedAt          *time.Time      `json:"dispatched_at_utc,omitempty"`
	CompletedAt           *time.Time      `json:"completed_at_utc,omitempty"`
}

// RuntimeOutcome is what a delivery produced.
type RuntimeOutcome struct {
	Kind      string `json:"kind"` // turn_completed | turn_failed | event_accepted
	SessionID string `json:"session_id,omitempty"`
	Text      string `json:"text,omitempty"`
}

// Failure classes of occurrences.
const (
	FailureTargetMissing = "target_missing"
	FailureLate          = "late"
	FailureOverlap       = "overlap"
	FailureRuntime       = "runtime_rejected"
)

func recordOf(row store.ScheduleRow) (Record, error) {
	r := Record{ScheduleID: row.ID, Phase: row.Phase, Revision: row.Revision, CreatedAt: row.Created.UTC(),
		Labels: row.Labels, version: row.Version}
	if err := json.Unmarshal(row.Data, &r.scheduleDoc); err != nil {
		return Record{}, fmt.Errorf("schedule: stored schedule %s: %w", row.ID, err)
	}
	return r, nil
}

// row encodes r for the store; planAt is when the planner next looks.
func (r Record) row(planAt time.Time) (store.ScheduleRow, error) {
	data, err := json.Marshal(r.scheduleDoc)
	if r.Phase != store.SchedulePhaseActive {
		planAt = time.Time{}
	}
	return store.ScheduleRow{ID: r.ScheduleID, Phase: r.Phase, Revision: r.Revision, Labels: r.Labels,
		Created: r.CreatedAt, PlanAt: planAt, Data: data}, err
}

func occurrenceOf(row store.OccurrenceRow) (Occurrence, error) {
	o := Occurrence{OccurrenceID: row.ID, ScheduleID: row.ScheduleID, ScheduleRevision: row.Revision,
		OccurrenceOrdinal: row.Ordinal, Phase: row.Phase, DueAt: row.Due.UTC(), AttemptCount: row.Attempts,
		ClaimedBy: row.Owner, fence: row.Fence}
	if err := json.Unmarshal(row.Data, &o.occurrenceDoc); err != nil {
		return Occurrence{}, fmt.Errorf("schedule: stored occurrence %s: %w", row.ID, err)
	}
	if !row.LeaseExpires.IsZero() {
		t := row.LeaseExpires.UTC()
		o.LeaseExpiresAt = &t
	}
	if row.SupersededBy != 0 {
		rev := row.SupersededBy
		o.SupersededByRevision = &rev
	}
	return o, nil
}

func (o Occurrence) row() (store.OccurrenceRow, error) {
	data, err := json.Marshal(o.occurrenceDoc)
	row := store.OccurrenceRow{ID: o.OccurrenceID, ScheduleID: o.ScheduleID, Revision: o.ScheduleRevision,
		Ordinal: o.OccurrenceOrdinal, Phase: o.Phase, Due: o.DueAt, Attempts: o.AttemptCount, Owner: o.ClaimedBy,
		Fence: o.fence, Data: data}
	if o.LeaseExpiresAt != nil {
		row.LeaseExpires = *o.LeaseExpiresAt
	}
	return row, err
}

// strictDecode decodes raw into v, refusing unknown fields; field names the
// object in errors.
func strictDecode(raw json.RawMessage, field string, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalid(field, "%s", jsonProblem(err))
	}
	if dec.More() {
		return invalid(field, "trailing data")
	}
	return nil
}
