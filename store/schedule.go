package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Sentinel errors of the schedule operations; match with errors.Is.
var (
	// ErrScheduleNotFound: no schedule with that id.
	ErrScheduleNotFound = errors.New("store: schedule not found")
	// ErrStale: a schedule write named a version that is no longer current.
	ErrStale = errors.New("store: stale schedule version")
	// ErrLeaseLost: an occurrence write named a claim (owner, fence) that no
	// longer holds it.
	ErrLeaseLost = errors.New("store: occurrence lease lost")
)

// Schedule phases as stored (and as on the wire).
const (
	SchedulePhaseActive  = "active"
	SchedulePhasePaused  = "paused"
	SchedulePhaseDeleted = "deleted"
)

// Occurrence phases as stored (and as on the wire).
const (
	OccurrencePending            = "pending"
	OccurrenceClaimed            = "claimed"
	OccurrenceDispatching        = "dispatching"
	OccurrenceAwaitingCompletion = "awaiting_completion"
	OccurrenceCompleted          = "completed"
	OccurrenceSkipped            = "skipped"
	OccurrenceMisfired           = "misfired"
	OccurrenceSuperseded         = "superseded"
	OccurrenceDeliveryFailed     = "delivery_failed"
)

// TerminalOccurrence reports whether an occurrence phase is final.
func TerminalOccurrence(phase string) bool {
	switch phase {
	case OccurrenceCompleted, OccurrenceSkipped, OccurrenceMisfired, OccurrenceSuperseded, OccurrenceDeliveryFailed:
		return true
	}
	return false
}

// ScheduleRow is a stored schedule. The store reads the columns it queries
// by (phase, labels, planning time) and keeps Data, the schedule package's
// document, verbatim.
type ScheduleRow struct {
	ID       string
	Phase    string
	Revision uint64
	// Version is the store's compare-and-set token: every write adds one.
	// It changes on pause and resume, which leave Revision alone.
	Version uint64
	Labels  map[string]string
	Created time.Time
	// PlanAt is when the planner should next extend the schedule's
	// occurrences; zero means never (paused, deleted, exhausted).
	PlanAt time.Time
	Data   json.RawMessage
}

// OccurrenceRow is a stored occurrence. (ScheduleID, Revision, Ordinal) is
// unique: planning the same occurrence twice stores it once.
type OccurrenceRow struct {
	ID         string
	ScheduleID string
	Revision   uint64
	Ordinal    uint64
	Phase      string
	Due        time.Time
	Attempts   int
	// Owner and LeaseExpires are the current claim; Fence grows by one at
	// every claim, so a writer holding an older claim is refused.
	Owner        string
	LeaseExpires time.Time
	Fence        uint64
	// SupersededBy is the revision that superseded the occurrence (0: none).
	SupersededBy uint64
	Data         json.RawMessage
}

// ScheduleWrite stores one schedule and the occurrences planned with it in
// one transaction.
type ScheduleWrite struct {
	Schedule ScheduleRow
	// ExpectVersion is the version the write replaces; 0 creates the
	// schedule. A mismatch fails with ErrStale and writes nothing. The stored
	// version becomes ExpectVersion+1.
	ExpectVersion uint64
	// Supersede marks the pending occurrences of older revisions
	// superseded by Schedule.Revision.
	Supersede bool
	// Occurrences are inserted; one already stored (same schedule, revision
	// and ordinal) is left as it is.
	Occurrences []OccurrenceRow
	// KeepTerminal, when positive, deletes the schedule's finished
	// occurrences beyond the newest KeepTerminal (by due time).
	KeepTerminal int
}

// ScheduleQuery selects schedules, oldest first (by creation, then id).
type ScheduleQuery struct {
	Labels         map[string]string // every pair must be present
	IncludeDeleted bool
	Offset, Limit  int // Limit 0 = no limit
}

// OccurrenceQuery selects the occurrences of one schedule, by due time then
// ordinal.
type OccurrenceQuery struct {
	ScheduleID string
	// Phases restricts the result to these phases (nil: all).
	Phases []string
	Limit  int // 0 = no limit
}

// Claim asks for due work: pending occurrences due at Now whose schedule is
// active at the occurrence's revision, and claimed or dispatching ones whose
// lease expired (their owner is gone). Each is handed to Owner with a lease
// until Now+Lease, its Fence and Attempts raised by one; a claimed pending
// occurrence becomes "claimed", a reclaimed one keeps its phase.
type Claim struct {
	Owner string
	Now   time.Time
	Lease time.Duration
	Limit int // at most this many (required, > 0)
}

// Schedules is the persistence of schedules and their occurrences. Claims
// are atomic across every process sharing the store.
type Schedules interface {
	// PutSchedule applies w atomically and returns the stored schedule.
	PutSchedule(ctx context.Context, w ScheduleWrite) (ScheduleRow, error)
	// Schedule returns one schedule, or ErrScheduleNotFound.
	Schedule(ctx context.Context, id string) (ScheduleRow, error)
	// ListSchedules returns the schedules matching q.
	ListSchedules(ctx context.Context, q ScheduleQuery) ([]ScheduleRow, error)
	// SchedulesToPlan returns up to limit active schedules whose PlanAt is
	// set and not after now, earliest first.
	SchedulesToPlan(ctx context.Context, now time.Time, limit int) ([]ScheduleRow, error)
	// Occurrences returns occurrences matching q (ErrScheduleNotFound for an
	// unknown schedule).
	Occurrences(ctx context.Context, q OccurrenceQuery) ([]OccurrenceRow, error)
	// ClaimOccurrences claims due work as Claim describes, earliest first.
	ClaimOccurrences(ctx context.Context, c Claim) ([]OccurrenceRow, error)
	// UpdateOccurrence writes o's Phase, Attempts, Owner, LeaseExpires and
	// Data if the stored occurrence still has o's Fence and is owned by
	// o.Owner (ErrLeaseLost otherwise), and returns the stored row.
	UpdateOccurrence(ctx context.Context, owner string, o OccurrenceRow) (OccurrenceRow, error)
}

// ValidateScheduleWrite checks the parts of w every backend relies on.
func ValidateScheduleWrite(w ScheduleWrite) error {
	if w.Schedule.ID == "" {
		return fmt.Errorf("%w: empty schedule id", ErrInvalid)
	}
	for _, o := range w.Occurrences {
		if o.ID == "" || o.ScheduleID != w.Schedule.ID {
			return fmt.Errorf("%w: occurrence %q does not belong to schedule %s", ErrInvalid, o.ID, w.Schedule.ID)
		}
	}
	return nil
}

// ValidateClaim checks a claim request.
func ValidateClaim(c Claim) error {
	if c.Owner == "" || c.Limit <= 0 || c.Lease <= 0 {
		return fmt.Errorf("%w: claim needs an owner, a positive limit and a lease", ErrInvalid)
	}
	return nil
}

// Clone returns a deep copy of r.
func (r ScheduleRow) Clone() ScheduleRow {
	r.Labels = cloneLabels(r.Labels)
	r.Data = append(json.RawMessage(nil), r.Data...)
	return r
}

// Clone returns a deep copy of o.
func (o OccurrenceRow) Clone() OccurrenceRow {
	o.Data = append(json.RawMessage(nil), o.Data...)
	return o
}
