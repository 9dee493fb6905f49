package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
)

// Config configures a Service.
type Config struct {
	// Store holds the realm's schedules (and, for recovery checks, its
	// sessions' idempotency keys). Required; not closed by the Service.
	Store store.Store
	// Sessions delivers occurrences. Required for the executor; a Service
	// without it manages schedules but never runs them.
	Sessions *session.Service
	// Now is the clock (default time.Now); tests inject their own.
	Now func() time.Time
	// Owner names this executor in claims (default host:pid:random).
	Owner string
	// Lease is how long a claim holds without renewal (default 30 s); a
	// delivery renews it every Lease/3. A crashed executor's claims are
	// taken over once their lease expires.
	Lease time.Duration
	// Tick is the executor's polling period (default 200 ms).
	Tick time.Duration
	// PlanBatch bounds the schedules planned per tick (default 256).
	PlanBatch int
	// MaxInFlight bounds concurrent deliveries (default 16); a tick claims
	// no more than the free slots.
	MaxInFlight int
	// KeepTerminal bounds the finished occurrences kept per schedule
	// (default 1,000): planning deletes older ones, so the history of a
	// busy schedule, and schedule/occurrences, stay bounded.
	KeepTerminal int
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
}

// Service manages the schedules of one realm and, once started, executes
// their occurrences.
type Service struct {
	cfg  Config
	wake chan struct{} // buffered 1: a mutation asks the executor to look now
	sem  chan struct{} // one slot per running delivery

	mu      sync.Mutex
	started bool
	cancel  context.CancelFunc
	loop    sync.WaitGroup // the executor goroutine
	work    sync.WaitGroup // delivery goroutines
}

// New returns a Service over cfg.Store. Start runs its executor.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("%w: a Store is required", ErrInvalid)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Owner == "" {
		host, _ := os.Hostname()
		cfg.Owner = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), uuid.NewString()[:8])
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 30 * time.Second
	}
	if cfg.Tick <= 0 {
		cfg.Tick = 200 * time.Millisecond
	}
	if cfg.PlanBatch <= 0 {
		cfg.PlanBatch = 256
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 16
	}
	if cfg.KeepTerminal <= 0 {
		cfg.KeepTerminal = 1000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg, wake: make(chan struct{}, 1), sem: make(chan struct{}, cfg.MaxInFlight)}, nil
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

// poke asks the executor to look at once.
func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// CreateRequest creates a schedule: the params of schedule/create and the
// arguments of meerkat_schedule_create. Create parses and validates the raw
// trigger, target and misfire policy; absent (or null) fields take the
// defaults.
type CreateRequest struct {
	Trigger                    json.RawMessage   `json:"trigger"`
	Target                     json.RawMessage   `json:"target"`
	Name                       *string           `json:"name,omitempty"`
	Description                *string           `json:"description,omitempty"`
	Labels                     map[string]string `json:"labels,omitempty"`
	MisfirePolicy              json.RawMessage   `json:"misfire_policy,omitempty"`
	OverlapPolicy              *string           `json:"overlap_policy,omitempty"`
	MissingTargetPolicy        *string           `json:"missing_target_policy,omitempty"`
	PlanningHorizonDays        *uint32           `json:"planning_horizon_days,omitempty"`
	PlanningHorizonOccurrences *uint32           `json:"planning_horizon_occurrences,omitempty"`
}

// UpdateRequest changes the fields it sets (schedule/update,
// meerkat_schedule_update); ExpectedRevision, when set, must equal the
// current revision.
type UpdateRequest struct {
	ScheduleID       string  `json:"schedule_id"`
	ExpectedRevision *uint64 `json:"expected_revision,omitempty"`
	CreateRequest
}

// ListRequest selects schedules (deleted ones are left out).
type ListRequest struct {
	Labels        map[string]string
	Offset, Limit int
}

// Create validates and stores a new schedule at revision 1 and plans its
// first occurrences.
func (s *Service) Create(ctx context.Context, req CreateRequest) (Record, error) {
	now := s.now()
	r := Record{
		ScheduleID: uuid.Must(uuid.NewV7()).String(), Phase: store.SchedulePhaseActive, Revision: 1, CreatedAt: now,
		scheduleDoc: scheduleDoc{
			MisfirePolicy: Misfire{Type: MisfireSkip}, OverlapPolicy: OverlapSkipIfRunning,
			MissingTargetPolicy: MissingTargetMarkMisfired, PlanningHorizonDays: DefaultHorizonDays,
			PlanningHorizonOccurrences: DefaultHorizonOccurrences, UpdatedAt: now,
		},
	}
	if present(req.Trigger) == nil {
		return Record{}, invalid("trigger", "is required")
	}
	if present(req.Target) == nil {
		return Record{}, invalid("target", "is required")
	}
	if err := r.apply(req, now); err != nil {
		return Record{}, err
	}
	out, err := s.write(ctx, r, 0, false, now)
	if err == nil {
		s.poke()
	}
	return out, err
}

// apply validates the fields u sets and copies them into r; JSON null
// counts as not set. now is the service's clock.
func (r *Record) apply(u CreateRequest, now time.Time) error {
	if raw := present(u.Trigger); raw != nil {
		t, err := ParseTrigger(raw, now)
		if err != nil {
			return err
		}
		r.Trigger = t
	}
	if raw := present(u.Target); raw != nil {
		d, err := parseTarget(raw)
		if err != nil {
			return err
		}
		if r.Target, err = json.Marshal(d.Target); err != nil {
			return fmt.Errorf("schedule: encode target: %w", err)
		}
	}
	if raw := present(u.MisfirePolicy); raw != nil {
		var m Misfire
		if err := strictDecode(raw, "misfire_policy", &m); err != nil {
			return err
		}
		switch {
		case m.Type == MisfireSkip && m.WindowSeconds == nil:
		case m.Type == MisfireCatchUpWithin && m.WindowSeconds != nil:
		case m.Type == MisfireCatchUpWithin:
			return invalid("misfire_policy.window_seconds", "is required for catch_up_within")
		default:
			return invalid("misfire_policy", `must be {"type":"skip"} or {"type":"catch_up_within","window_seconds":N}`)
		}
		r.MisfirePolicy = m
	}
	if p := u.OverlapPolicy; p != nil {
		if *p != OverlapAllowConcurrent && *p != OverlapSkipIfRunning {
			return invalid("overlap_policy", "must be allow_concurrent or skip_if_running (got %q)", *p)
		}
		r.OverlapPolicy = *p
	}
	if p := u.MissingTargetPolicy; p != nil {
		if *p != MissingTargetSkip && *p != MissingTargetMarkMisfired {
			return invalid("missing_target_policy", "must be skip or mark_misfired (got %q)", *p)
		}
		r.MissingTargetPolicy = *p
	}
	if d := u.PlanningHorizonDays; d != nil {
		if *d == 0 || *d > 3660 {
			return invalid("planning_horizon_days", "must be between 1 and 3660")
		}
		r.PlanningHorizonDays = *d
	}
	if n := u.PlanningHorizonOccurrences; n != nil {
		if *n == 0 || *n > 10_000 {
			return invalid("planning_horizon_occurrences", "must be between 1 and 10000")
		}
		r.PlanningHorizonOccurrences = *n
	}
	if u.Name != nil {
		r.Name = *u.Name
	}
	if u.Description != nil {
		r.Description = *u.Description
	}
	if u.Labels != nil {
		r.Labels = u.Labels
	}
	return nil
}

// Get returns a schedule (deleted ones too).
func (s *Service) Get(ctx context.Context, id string) (Record, error) {
	if err := checkID(id); err != nil {
		return Record{}, err
	}
	row, err := s.cfg.Store.Schedule(ctx, id)
	if errors.Is(err, store.ErrScheduleNotFound) {
		return Record{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return Record{}, fmt.Errorf("schedule: read %s: %w", id, err)
	}
	return recordOf(row)
}

func checkID(id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return invalid("schedule_id", "%q is not a schedule id", id)
	}
	return nil
}

// List returns the schedules that are not deleted, oldest first.
func (s *Service) List(ctx context.Context, req ListRequest) ([]Record, error) {
	rows, err := s.cfg.Store.ListSchedules(ctx, store.ScheduleQuery{Labels: req.Labels, Offset: req.Offset, Limit: req.Limit})
	if err != nil {
		return nil, fmt.Errorf("schedule: list: %w", err)
	}
	out := make([]Record, 0, len(rows))
	for _, row := range rows {
		r, err := recordOf(row)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// maxWriteAttempts bounds the compare-and-set retries of one mutation
// racing the planner (or another process).
const maxWriteAttempts = 8

// mutate applies change to the current record and writes it, retrying when
// another writer got in between. change reports whether the revision moves.
func (s *Service) mutate(ctx context.Context, id string, change func(r *Record, now time.Time) (bool, error)) (Record, error) {
	for attempt := 1; ; attempt++ {
		r, err := s.Get(ctx, id)
		if err != nil {
			return Record{}, err
		}
		now := s.now()
		bump, err := change(&r, now)
		if err != nil {
			return Record{}, err
		}
		r.UpdatedAt = now
		if bump {
			r.Revision++
		}
		out, err := s.write(ctx, r, r.version, bump, now)
		if errors.Is(err, store.ErrStale) && attempt < maxWriteAttempts {
			continue
		}
		if err == nil {
			s.poke()
		}
		return out, err
	}
}

// Update changes a schedule, moving it to the next revision: pending
// occurrences of earlier revisions are superseded and planning restarts.
func (s *Service) Update(ctx context.Context, u UpdateRequest) (Record, error) {
	return s.mutate(ctx, u.ScheduleID, func(r *Record, now time.Time) (bool, error) {
		if u.ExpectedRevision != nil && *u.ExpectedRevision != r.Revision {
			return false, &RevisionError{Expected: *u.ExpectedRevision, Current: r.Revision}
		}
		if r.Phase == store.SchedulePhaseDeleted {
			return false, invalid("schedule_id", "schedule %s is deleted", r.ScheduleID)
		}
		if err := r.apply(u.CreateRequest, now); err != nil {
			return false, err
		}
		r.PlanningCursor = &now
		return true, nil
	})
}

// Pause stops new firings; the revision stays.
func (s *Service) Pause(ctx context.Context, id string) (Record, error) {
	return s.setPhase(ctx, id, store.SchedulePhasePaused)
}

// Resume restarts a paused schedule; the revision stays. Occurrences that
// fell due while it was paused meet the misfire policy.
func (s *Service) Resume(ctx context.Context, id string) (Record, error) {
	return s.setPhase(ctx, id, store.SchedulePhaseActive)
}

func (s *Service) setPhase(ctx context.Context, id, phase string) (Record, error) {
	return s.mutate(ctx, id, func(r *Record, _ time.Time) (bool, error) {
		if r.Phase == store.SchedulePhaseDeleted {
			return false, invalid("schedule_id", "schedule %s is deleted", r.ScheduleID)
		}
		r.Phase = phase
		return false, nil
	})
}

// Delete ends a schedule: it moves to the next revision in phase deleted and
// its pending occurrences are superseded. Deleting twice is a no-op.
func (s *Service) Delete(ctx context.Context, id string) (Record, error) {
	r, err := s.Get(ctx, id)
	if err != nil || r.Phase == store.SchedulePhaseDeleted {
		return r, err
	}
	return s.mutate(ctx, id, func(r *Record, now time.Time) (bool, error) {
		r.Phase, r.DeletedAt = store.SchedulePhaseDeleted, &now
		return true, nil
	})
}

// Occurrences lists a schedule's occurrences by due time; includeTerminal
// false leaves out finished ones.
func (s *Service) Occurrences(ctx context.Context, id string, includeTerminal bool) ([]Occurrence, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	q := store.OccurrenceQuery{ScheduleID: id}
	if !includeTerminal {
		q.Phases = []string{store.OccurrencePending, store.OccurrenceClaimed, store.OccurrenceDispatching,
			store.OccurrenceAwaitingCompletion}
	}
	rows, err := s.cfg.Store.Occurrences(ctx, q)
	if errors.Is(err, store.ErrScheduleNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("schedule: occurrences of %s: %w", id, err)
	}
	out := make([]Occurrence, 0, len(rows))
	for _, row := range rows {
		o, err := occurrenceOf(row)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// write plans r's next occurrences and stores r with them, replacing
// version (0 creates). supersede marks older revisions' pending occurrences.
func (s *Service) write(ctx context.Context, r Record, version uint64, supersede bool, now time.Time) (Record, error) {
	occs, planAt, err := s.plan(ctx, &r, now, version == 0 || supersede)
	if err != nil {
		return Record{}, err
	}
	row, err := r.row(planAt)
	if err != nil {
		return Record{}, fmt.Errorf("schedule: encode: %w", err)
	}
	stored, err := s.cfg.Store.PutSchedule(ctx, store.ScheduleWrite{Schedule: row, ExpectVersion: version,
		Supersede: supersede, Occurrences: occs, KeepTerminal: s.cfg.KeepTerminal})
	if errors.Is(err, store.ErrScheduleNotFound) {
		return Record{}, fmt.Errorf("%w: %s", ErrNotFound, r.ScheduleID)
	}
	if err != nil {
		return Record{}, fmt.Errorf("schedule: write %s: %w", r.ScheduleID, err)
	}
	return recordOf(stored)
}

// plan extends r's occurrences up to its horizons (days ahead of now, and
// future pending occurrences of this revision) from its planning cursor, advancing
// the cursor and ordinal. It returns the new occurrences and when to plan
// next (zero: the trigger is exhausted or r is not active). fresh says r has
// no pending occurrences at its revision yet.
func (s *Service) plan(ctx context.Context, r *Record, now time.Time, fresh bool) ([]store.OccurrenceRow, time.Time, error) {
	if r.Phase != store.SchedulePhaseActive {
		return nil, time.Time{}, nil
	}
	var pending []time.Time
	if !fresh {
		rows, err := s.cfg.Store.Occurrences(ctx, store.OccurrenceQuery{ScheduleID: r.ScheduleID,
			Phases: []string{store.OccurrencePending}})
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("schedule: plan %s: %w", r.ScheduleID, err)
		}
		for _, o := range rows {
			// Overdue ones are the executor's; the horizon counts the future.
			if o.Revision == r.Revision && o.Due.After(now) {
				pending = append(pending, o.Due)
			}
		}
	}
	horizon := now.Add(time.Duration(r.PlanningHorizonDays) * 24 * time.Hour)
	// Planning starts at the cursor, but never earlier than the misfire
	// window allows: firings that were never planned (a new schedule, a long
	// pause or downtime) and are already too late to run are not materialized.
	cursor := now.Add(-r.MisfirePolicy.window() - time.Millisecond)
	if r.PlanningCursor != nil && r.PlanningCursor.After(cursor) {
		cursor = *r.PlanningCursor
	}
	var out []store.OccurrenceRow
	planAt := time.Time{}
	// Built on first use: pending occurrences that already fill the
	// horizon need no time zone or cron expression.
	var times *dueTimes
	for len(pending) < int(r.PlanningHorizonOccurrences) {
		if times == nil {
			var err error
			if times, err = r.Trigger.dueTimes(); err != nil {
				return nil, time.Time{}, err
			}
		}
		due, ok := times.next(cursor)
		if !ok {
			break // exhausted: never plan again
		}
		if due.After(horizon) {
			planAt = due.Add(-time.Duration(r.PlanningHorizonDays) * 24 * time.Hour)
			break
		}
		o := Occurrence{
			OccurrenceID: uuid.Must(uuid.NewV7()).String(), ScheduleID: r.ScheduleID, ScheduleRevision: r.Revision,
			OccurrenceOrdinal: r.NextOccurrenceOrdinal, Phase: store.OccurrencePending, DueAt: due,
			occurrenceDoc: occurrenceDoc{TriggerSnapshot: r.Trigger, TargetSnapshot: r.Target, MisfirePolicy: r.MisfirePolicy,
				OverlapPolicy: r.OverlapPolicy, MissingTargetPolicy: r.MissingTargetPolicy, CreatedAt: now},
		}
		row, err := o.row()
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("schedule: encode occurrence: %w", err)
		}
		out = append(out, row)
		pending = append(pending, due)
		r.NextOccurrenceOrdinal++
		cursor = due
		c := due
		r.PlanningCursor = &c
	}
	if len(pending) >= int(r.PlanningHorizonOccurrences) {
		// Capped by count: look again once half of the window has fired.
		slices.SortFunc(pending, time.Time.Compare)
		planAt = pending[len(pending)/2]
	}

	return out, planAt, nil
}

// planDue extends the schedules whose planning time has come; at most
// PlanBatch per call.
func (s *Service) planDue(ctx context.Context) error {
	now := s.now()
	rows, err := s.cfg.Store.SchedulesToPlan(ctx, now, s.cfg.PlanBatch)
	if err != nil {
		return fmt.Errorf("schedule: plan: %w", err)
	}
	for _, row := range rows {
		r, err := recordOf(row)
		if err != nil {
			s.cfg.Logger.Warn("schedule: unreadable schedule skipped", "schedule_id", row.ID, "err", err)
			continue
		}
		// Stale: another writer planned it. Other failures are this
		// schedule's; the rest are still planned.
		if _, err = s.write(ctx, r, r.version, false, now); err != nil && !errors.Is(err, store.ErrStale) {
			s.cfg.Logger.Warn("schedule: planning failed", "schedule_id", r.ScheduleID, "err", err)
		}
	}
	return nil
}
