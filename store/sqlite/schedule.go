package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rkat-dev/rkat/store"
)

// scheduleMigration adds schedules and their occurrences. Occurrences are
// unique per (schedule, revision, ordinal), so concurrent planners store
// each once; claims run in one immediate transaction with a conditional
// update, so two processes never claim the same occurrence.
const scheduleMigration = `CREATE TABLE schedules (
		id TEXT PRIMARY KEY,
		phase TEXT NOT NULL,
		revision INTEGER NOT NULL,
		version INTEGER NOT NULL,
		labels TEXT,
		created_ms INTEGER NOT NULL,
		plan_at_ms INTEGER,
		data BLOB NOT NULL
	);
	CREATE INDEX schedules_by_created ON schedules (created_ms, id);
	CREATE INDEX schedules_to_plan ON schedules (plan_at_ms) WHERE plan_at_ms IS NOT NULL AND phase = 'active';
	CREATE TABLE occurrences (
		id TEXT PRIMARY KEY,
		schedule_id TEXT NOT NULL REFERENCES schedules (id),
		revision INTEGER NOT NULL,
		ordinal INTEGER NOT NULL,
		phase TEXT NOT NULL,
		due_ms INTEGER NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		owner TEXT NOT NULL DEFAULT '',
		lease_ms INTEGER NOT NULL DEFAULT 0,
		fence INTEGER NOT NULL DEFAULT 0,
		superseded_by INTEGER NOT NULL DEFAULT 0,
		data BLOB NOT NULL,
		UNIQUE (schedule_id, revision, ordinal)
	);
	CREATE INDEX occurrences_of_schedule ON occurrences (schedule_id, due_ms, ordinal);
	CREATE INDEX occurrences_pending ON occurrences (due_ms) WHERE phase = 'pending';
	CREATE INDEX occurrences_leased ON occurrences (lease_ms) WHERE phase IN ('claimed', 'dispatching');`

const scheduleColumns = `id, phase, revision, version, labels, created_ms, plan_at_ms, data`

const occurrenceColumns = `id, schedule_id, revision, ordinal, phase, due_ms, attempts, owner, lease_ms, fence, superseded_by, data`

func scanSchedule(row scanner) (store.ScheduleRow, error) {
	var r store.ScheduleRow
	var labels sql.NullString
	var created int64
	var planAt sql.NullInt64
	var rev, ver int64
	if err := row.Scan(&r.ID, &r.Phase, &rev, &ver, &labels, &created, &planAt, &r.Data); err != nil {
		return r, err
	}
	if labels.Valid && labels.String != "" {
		if err := json.Unmarshal([]byte(labels.String), &r.Labels); err != nil {
			return r, fmt.Errorf("labels of schedule %s: %w", r.ID, err)
		}
	}
	r.Revision, r.Version, r.Created = uint64(rev), uint64(ver), time.UnixMilli(created)
	if planAt.Valid {
		r.PlanAt = time.UnixMilli(planAt.Int64)
	}
	return r, nil
}

func scanOccurrence(row scanner) (store.OccurrenceRow, error) {
	var o store.OccurrenceRow
	var rev, ord, due, lease, fence, sup int64
	err := row.Scan(&o.ID, &o.ScheduleID, &rev, &ord, &o.Phase, &due, &o.Attempts, &o.Owner, &lease, &fence, &sup, &o.Data)
	o.Revision, o.Ordinal, o.Due, o.Fence, o.SupersededBy = uint64(rev), uint64(ord), time.UnixMilli(due), uint64(fence), uint64(sup)
	if lease != 0 {
		o.LeaseExpires = time.UnixMilli(lease)
	}
	return o, err
}

func nullMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func zeroMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// PutSchedule implements store.Schedules.
func (s *Store) PutSchedule(ctx context.Context, w store.ScheduleWrite) (store.ScheduleRow, error) {
	if err := s.check(); err != nil {
		return store.ScheduleRow{}, err
	}
	if err := store.ValidateScheduleWrite(w); err != nil {
		return store.ScheduleRow{}, err
	}
	row := w.Schedule.Clone()
	labels, err := labelsJSON(row.Labels)
	if err != nil {
		return row, fmt.Errorf("%w: labels: %w", store.ErrInvalid, err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return row, wrap("put schedule", err)
	}
	defer tx.Rollback()
	row.Version = w.ExpectVersion + 1
	if w.ExpectVersion == 0 {
		res, err := tx.ExecContext(ctx, `INSERT INTO schedules (`+scheduleColumns+`) VALUES (?, ?, ?, 1, ?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`, row.ID, row.Phase, int64(row.Revision), labels, row.Created.UnixMilli(), nullMS(row.PlanAt), []byte(row.Data))
		if err != nil {
			return row, wrap("put schedule", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return row, fmt.Errorf("%w: schedule %s exists", store.ErrStale, row.ID)
		}
	} else {
		res, err := tx.ExecContext(ctx, `UPDATE schedules SET phase = ?, revision = ?, version = ?, labels = ?, plan_at_ms = ?, data = ?
			WHERE id = ? AND version = ?`, row.Phase, int64(row.Revision), int64(row.Version), labels, nullMS(row.PlanAt),
			[]byte(row.Data), row.ID, int64(w.ExpectVersion))
		if err != nil {
			return row, wrap("put schedule", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var cur int64
			err := tx.QueryRowContext(ctx, `SELECT version FROM schedules WHERE id = ?`, row.ID).Scan(&cur)
			if errors.Is(err, sql.ErrNoRows) {
				return row, fmt.Errorf("%w: %s", store.ErrScheduleNotFound, row.ID)
			}
			return row, fmt.Errorf("%w: expected %d, current %d", store.ErrStale, w.ExpectVersion, cur)
		}
		var created int64
		if err := tx.QueryRowContext(ctx, `SELECT created_ms FROM schedules WHERE id = ?`, row.ID).Scan(&created); err != nil {
			return row, wrap("put schedule", err)
		}
		row.Created = time.UnixMilli(created)
	}
	if w.Supersede {
		if _, err := tx.ExecContext(ctx, `UPDATE occurrences SET phase = ?, superseded_by = ?
			WHERE schedule_id = ? AND phase = ? AND revision < ?`, store.OccurrenceSuperseded, int64(row.Revision),
			row.ID, store.OccurrencePending, int64(row.Revision)); err != nil {
			return row, wrap("supersede occurrences", err)
		}
	}
	if len(w.Occurrences) > 0 {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO occurrences (`+occurrenceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`)
		if err != nil {
			return row, wrap("plan occurrences", err)
		}
		defer stmt.Close()
		for _, o := range w.Occurrences {
			if _, err := stmt.ExecContext(ctx, o.ID, o.ScheduleID, int64(o.Revision), int64(o.Ordinal), o.Phase, o.Due.UnixMilli(),
				o.Attempts, o.Owner, zeroMS(o.LeaseExpires), int64(o.Fence), int64(o.SupersededBy), []byte(o.Data)); err != nil {
				return row, wrap("plan occurrences", err)
			}
		}
	}
	if w.KeepTerminal > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM occurrences WHERE schedule_id = ? AND phase IN `+terminalPhases+`
			AND id NOT IN (SELECT id FROM occurrences WHERE schedule_id = ? AND phase IN `+terminalPhases+`
				ORDER BY due_ms DESC, ordinal DESC LIMIT ?)`, row.ID, row.ID, w.KeepTerminal); err != nil {
			return row, wrap("prune occurrences", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return row, wrap("put schedule", err)
	}
	return row, nil
}

// terminalPhases lists the final occurrence phases for SQL.
const terminalPhases = `('completed', 'skipped', 'misfired', 'superseded', 'delivery_failed')`

// Schedule implements store.Schedules.
func (s *Store) Schedule(ctx context.Context, id string) (store.ScheduleRow, error) {
	if err := s.check(); err != nil {
		return store.ScheduleRow{}, err
	}
	r, err := scanSchedule(s.r.QueryRowContext(ctx, `SELECT `+scheduleColumns+` FROM schedules WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("%w: %s", store.ErrScheduleNotFound, id)
	}
	return r, wrap("read schedule", err)
}

// ListSchedules implements store.Schedules.
func (s *Store) ListSchedules(ctx context.Context, q store.ScheduleQuery) ([]store.ScheduleRow, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := store.ValidatePage(q.Offset, q.Limit); err != nil {
		return nil, err
	}
	cond, args := whereLabels("schedules", !q.IncludeDeleted, "phase != 'deleted'", q.Labels)
	limit := int64(q.Limit)
	if limit == 0 {
		limit = -1
	}
	return s.querySchedules(ctx, `SELECT `+scheduleColumns+` FROM schedules`+cond+` ORDER BY created_ms, id LIMIT ? OFFSET ?`,
		append(args, limit, q.Offset)...)
}

// SchedulesToPlan implements store.Schedules.
func (s *Store) SchedulesToPlan(ctx context.Context, now time.Time, limit int) ([]store.ScheduleRow, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = -1
	}
	return s.querySchedules(ctx, `SELECT `+scheduleColumns+` FROM schedules
		WHERE plan_at_ms IS NOT NULL AND phase = 'active' AND plan_at_ms <= ? ORDER BY plan_at_ms LIMIT ?`, now.UnixMilli(), limit)
}

func (s *Store) querySchedules(ctx context.Context, query string, args ...any) ([]store.ScheduleRow, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrap("list schedules", err)
	}
	defer rows.Close()
	var out []store.ScheduleRow
	for rows.Next() {
		r, err := scanSchedule(rows)
		if err != nil {
			return nil, wrap("list schedules", err)
		}
		out = append(out, r)
	}
	return out, wrap("list schedules", rows.Err())
}

// Occurrences implements store.Schedules.
func (s *Store) Occurrences(ctx context.Context, q store.OccurrenceQuery) ([]store.OccurrenceRow, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM schedules WHERE id = ?`, q.ScheduleID).Scan(&n); err != nil {
		return nil, wrap("list occurrences", err)
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: %s", store.ErrScheduleNotFound, q.ScheduleID)
	}
	cond, args := "schedule_id = ?", []any{q.ScheduleID}
	if q.Phases != nil {
		cond += " AND phase IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(q.Phases)), ", ") + ")"
		for _, p := range q.Phases {
			args = append(args, p)
		}
		if len(q.Phases) == 0 {
			return nil, nil
		}
	}
	limit := int64(q.Limit)
	if limit == 0 {
		limit = -1
	}
	return queryOccurrences(ctx, s.r, `SELECT `+occurrenceColumns+` FROM occurrences WHERE `+cond+
		` ORDER BY due_ms, ordinal LIMIT ?`, append(args, limit)...)
}

type rowsQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryOccurrences(ctx context.Context, q rowsQuerier, query string, args ...any) ([]store.OccurrenceRow, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrap("list occurrences", err)
	}
	defer rows.Close()
	var out []store.OccurrenceRow
	for rows.Next() {
		o, err := scanOccurrence(rows)
		if err != nil {
			return nil, wrap("list occurrences", err)
		}
		out = append(out, o)
	}
	return out, wrap("list occurrences", rows.Err())
}

// ClaimOccurrences implements store.Schedules: one immediate transaction
// selects due work and moves each row with a conditional update on its
// fence, so a claim racing another process's takes nothing twice.
func (s *Store) ClaimOccurrences(ctx context.Context, c store.Claim) ([]store.OccurrenceRow, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := store.ValidateClaim(c); err != nil {
		return nil, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("claim", err)
	}
	defer tx.Rollback()
	now := c.Now.UnixMilli()
	cands, err := queryOccurrences(ctx, tx, `SELECT `+occurrenceColumns+` FROM (
		SELECT o.* FROM occurrences o JOIN schedules s ON s.id = o.schedule_id
			WHERE o.phase = 'pending' AND o.due_ms <= ? AND s.phase = 'active' AND s.revision = o.revision
		UNION ALL
		SELECT * FROM occurrences WHERE phase IN ('claimed', 'dispatching') AND lease_ms <= ?
	) ORDER BY due_ms, ordinal LIMIT ?`, now, now, c.Limit)
	if err != nil {
		return nil, err
	}
	lease := c.Now.Add(c.Lease)
	out := cands[:0]
	for _, o := range cands {
		if o.Phase == store.OccurrencePending {
			o.Phase = store.OccurrenceClaimed
		}
		res, err := tx.ExecContext(ctx, `UPDATE occurrences SET phase = ?, owner = ?, lease_ms = ?, fence = fence + 1,
			attempts = attempts + 1 WHERE id = ? AND fence = ?`, o.Phase, c.Owner, lease.UnixMilli(), o.ID, int64(o.Fence))
		if err != nil {
			return nil, wrap("claim", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		o.Owner, o.LeaseExpires, o.Fence, o.Attempts = c.Owner, time.UnixMilli(lease.UnixMilli()), o.Fence+1, o.Attempts+1
		out = append(out, o)
	}
	if err := tx.Commit(); err != nil {
		return nil, wrap("claim", err)
	}
	return out, nil
}

// UpdateOccurrence implements store.Schedules.
func (s *Store) UpdateOccurrence(ctx context.Context, owner string, o store.OccurrenceRow) (store.OccurrenceRow, error) {
	if err := s.check(); err != nil {
		return store.OccurrenceRow{}, err
	}
	res, err := s.w.ExecContext(ctx, `UPDATE occurrences SET phase = ?, attempts = ?, owner = ?, lease_ms = ?, data = ?
		WHERE id = ? AND fence = ? AND owner = ?`, o.Phase, o.Attempts, o.Owner, zeroMS(o.LeaseExpires), []byte(o.Data),
		o.ID, int64(o.Fence), owner)
	if err != nil {
		return o, wrap("update occurrence", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return o, fmt.Errorf("%w: %s", store.ErrLeaseLost, o.ID)
	}
	return o.Clone(), nil
}
