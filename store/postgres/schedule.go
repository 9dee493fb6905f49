package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rkat-dev/rkat/store"
)

const scheduleColumns = `id, phase, revision, version, labels, created_ms, plan_at_ms, data`

const occurrenceColumns = `id, schedule_id, revision, ordinal, phase, due_ms, attempts, owner, lease_ms, fence, superseded_by, data`

// terminalPhases are the final occurrence phases.
var terminalPhases = []string{store.OccurrenceCompleted, store.OccurrenceSkipped, store.OccurrenceMisfired,
	store.OccurrenceSuperseded, store.OccurrenceDeliveryFailed}

func scanSchedule(row pgx.Row) (store.ScheduleRow, error) {
	var r store.ScheduleRow
	var labels []byte
	var created int64
	var planAt *int64
	var rev, ver int64
	if err := row.Scan(&r.ID, &r.Phase, &rev, &ver, &labels, &created, &planAt, &r.Data); err != nil {
		return r, err
	}
	if len(labels) > 0 {
		if err := json.Unmarshal(labels, &r.Labels); err != nil {
			return r, fmt.Errorf("labels of schedule %s: %w", r.ID, err)
		}
		if len(r.Labels) == 0 {
			r.Labels = nil
		}
	}
	r.Revision, r.Version, r.Created = uint64(rev), uint64(ver), time.UnixMilli(created)
	if planAt != nil {
		r.PlanAt = time.UnixMilli(*planAt)
	}
	return r, nil
}

func scanOccurrence(row pgx.Row) (store.OccurrenceRow, error) {
	var o store.OccurrenceRow
	var rev, ord, due, lease, fence, sup int64
	err := row.Scan(&o.ID, &o.ScheduleID, &rev, &ord, &o.Phase, &due, &o.Attempts, &o.Owner, &lease, &fence, &sup, &o.Data)
	o.Revision, o.Ordinal, o.Due, o.Fence, o.SupersededBy = uint64(rev), uint64(ord), time.UnixMilli(due), uint64(fence), uint64(sup)
	if lease != 0 {
		o.LeaseExpires = time.UnixMilli(lease)
	}
	return o, err
}

func nullMS(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	ms := t.UnixMilli()
	return &ms
}

func zeroMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// noLimit maps a limit of 0 to SQL's LIMIT NULL.
func noLimit(limit int) *int {
	if limit <= 0 {
		return nil
	}
	return &limit
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
	row.Version = w.ExpectVersion + 1
	err = s.inTx(ctx, "put schedule", func(tx pgx.Tx) error {
		if w.ExpectVersion == 0 {
			tag, err := tx.Exec(ctx, `INSERT INTO schedules (realm, `+scheduleColumns+`) VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8)
				ON CONFLICT (realm, id) DO NOTHING`, s.realm, row.ID, row.Phase, int64(row.Revision), labels, row.Created.UnixMilli(),
				nullMS(row.PlanAt), []byte(row.Data))
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return fmt.Errorf("%w: schedule %s exists", store.ErrStale, row.ID)
			}
		} else {
			var created int64
			err := tx.QueryRow(ctx, `UPDATE schedules SET phase = $3, revision = $4, version = $5, labels = $6, plan_at_ms = $7, data = $8
				WHERE realm = $1 AND id = $2 AND version = $9 RETURNING created_ms`, s.realm, row.ID, row.Phase, int64(row.Revision),
				int64(row.Version), labels, nullMS(row.PlanAt), []byte(row.Data), int64(w.ExpectVersion)).Scan(&created)
			if errors.Is(err, pgx.ErrNoRows) {
				var cur int64
				err := tx.QueryRow(ctx, `SELECT version FROM schedules WHERE realm = $1 AND id = $2`, s.realm, row.ID).Scan(&cur)
				if errors.Is(err, pgx.ErrNoRows) {
					return fmt.Errorf("%w: %s", store.ErrScheduleNotFound, row.ID)
				}
				return fmt.Errorf("%w: expected %d, current %d", store.ErrStale, w.ExpectVersion, cur)
			}
			if err != nil {
				return err
			}
			row.Created = time.UnixMilli(created)
		}
		if w.Supersede {
			if _, err := tx.Exec(ctx, `UPDATE occurrences SET phase = $3, superseded_by = $4
				WHERE realm = $1 AND schedule_id = $2 AND phase = $5 AND revision < $4`, s.realm, row.ID,
				store.OccurrenceSuperseded, int64(row.Revision), store.OccurrencePending); err != nil {
				return err
			}
		}
		if len(w.Occurrences) > 0 {
			batch := &pgx.Batch{}
			for _, o := range w.Occurrences {
				batch.Queue(`INSERT INTO occurrences (realm, `+occurrenceColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
					ON CONFLICT DO NOTHING`, s.realm, o.ID, o.ScheduleID, int64(o.Revision), int64(o.Ordinal), o.Phase, o.Due.UnixMilli(),
					o.Attempts, o.Owner, zeroMS(o.LeaseExpires), int64(o.Fence), int64(o.SupersededBy), []byte(o.Data))
			}
			if err := tx.SendBatch(ctx, batch).Close(); err != nil {
				return err
			}
		}
		if w.KeepTerminal > 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM occurrences WHERE realm = $1 AND schedule_id = $2 AND phase = ANY($3)
				AND id NOT IN (SELECT id FROM occurrences WHERE realm = $1 AND schedule_id = $2 AND phase = ANY($3)
					ORDER BY due_ms DESC, ordinal DESC LIMIT $4)`, s.realm, row.ID, terminalPhases, w.KeepTerminal); err != nil {
				return err
			}
		}
		return nil
	})
	return row, err
}

// Schedule implements store.Schedules.
func (s *Store) Schedule(ctx context.Context, id string) (store.ScheduleRow, error) {
	if err := s.check(); err != nil {
		return store.ScheduleRow{}, err
	}
	r, err := scanSchedule(s.pool.QueryRow(ctx, `SELECT `+scheduleColumns+` FROM schedules WHERE realm = $1 AND id = $2`, s.realm, id))
	if errors.Is(err, pgx.ErrNoRows) {
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
	want := []byte("{}")
	if len(q.Labels) > 0 {
		var err error
		if want, err = json.Marshal(q.Labels); err != nil {
			return nil, fmt.Errorf("%w: labels: %w", store.ErrInvalid, err)
		}
	}
	return s.querySchedules(ctx, `SELECT `+scheduleColumns+` FROM schedules
		WHERE realm = $1 AND ($2 OR phase != 'deleted') AND coalesce(labels, '{}') @> $3::jsonb
		ORDER BY created_ms, id COLLATE "C" LIMIT $4 OFFSET $5`, s.realm, q.IncludeDeleted, want, noLimit(q.Limit), q.Offset)
}

// SchedulesToPlan implements store.Schedules.
func (s *Store) SchedulesToPlan(ctx context.Context, now time.Time, limit int) ([]store.ScheduleRow, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return s.querySchedules(ctx, `SELECT `+scheduleColumns+` FROM schedules
		WHERE realm = $1 AND plan_at_ms IS NOT NULL AND phase = 'active' AND plan_at_ms <= $2 ORDER BY plan_at_ms LIMIT $3`,
		s.realm, now.UnixMilli(), noLimit(limit))
}

func (s *Store) querySchedules(ctx context.Context, query string, args ...any) ([]store.ScheduleRow, error) {
	rows, err := s.pool.Query(ctx, query, args...)
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
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schedules WHERE realm = $1 AND id = $2)`, s.realm, q.ScheduleID).Scan(&exists); err != nil {
		return nil, wrap("list occurrences", err)
	}
	if !exists {
		return nil, fmt.Errorf("%w: %s", store.ErrScheduleNotFound, q.ScheduleID)
	}
	if q.Phases != nil && len(q.Phases) == 0 {
		return nil, nil
	}
	return queryOccurrences(ctx, s.pool, `SELECT `+occurrenceColumns+` FROM occurrences
		WHERE realm = $1 AND schedule_id = $2 AND ($3::text[] IS NULL OR phase = ANY($3)) ORDER BY due_ms, ordinal LIMIT $4`,
		s.realm, q.ScheduleID, q.Phases, noLimit(q.Limit))
}

type rowsQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func queryOccurrences(ctx context.Context, q rowsQuerier, query string, args ...any) ([]store.OccurrenceRow, error) {
	rows, err := q.Query(ctx, query, args...)
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

// ClaimOccurrences implements store.Schedules: candidates are selected,
// then each is moved with a conditional update on its fence; a racing
// claimer's update waits for the first, re-checks the fence and takes
// nothing twice.
func (s *Store) ClaimOccurrences(ctx context.Context, c store.Claim) ([]store.OccurrenceRow, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := store.ValidateClaim(c); err != nil {
		return nil, err
	}
	var out []store.OccurrenceRow
	err := s.inTx(ctx, "claim", func(tx pgx.Tx) error {
		now := c.Now.UnixMilli()
		cands, err := queryOccurrences(ctx, tx, `SELECT `+occurrenceColumns+` FROM (
			SELECT o.* FROM occurrences o JOIN schedules s ON s.realm = o.realm AND s.id = o.schedule_id
				WHERE o.realm = $1 AND o.phase = 'pending' AND o.due_ms <= $2 AND s.phase = 'active' AND s.revision = o.revision
			UNION ALL
			SELECT * FROM occurrences WHERE realm = $1 AND phase IN ('claimed', 'dispatching') AND lease_ms <= $2
		) AS due ORDER BY due_ms, ordinal LIMIT $3`, s.realm, now, c.Limit)
		if err != nil {
			return err
		}
		lease := time.UnixMilli(c.Now.Add(c.Lease).UnixMilli())
		out = cands[:0]
		for _, o := range cands {
			if o.Phase == store.OccurrencePending {
				o.Phase = store.OccurrenceClaimed
			}
			tag, err := tx.Exec(ctx, `UPDATE occurrences SET phase = $3, owner = $4, lease_ms = $5, fence = fence + 1,
				attempts = attempts + 1 WHERE realm = $1 AND id = $2 AND fence = $6`, s.realm, o.ID, o.Phase, c.Owner, lease.UnixMilli(), int64(o.Fence))
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				continue
			}
			o.Owner, o.LeaseExpires, o.Fence, o.Attempts = c.Owner, lease, o.Fence+1, o.Attempts+1
			out = append(out, o)
		}
		return nil
	})
	return out, err
}

// UpdateOccurrence implements store.Schedules.
func (s *Store) UpdateOccurrence(ctx context.Context, owner string, o store.OccurrenceRow) (store.OccurrenceRow, error) {
	if err := s.check(); err != nil {
		return store.OccurrenceRow{}, err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE occurrences SET phase = $3, attempts = $4, owner = $5, lease_ms = $6, data = $7
		WHERE realm = $1 AND id = $2 AND fence = $8 AND owner = $9`, s.realm, o.ID, o.Phase, o.Attempts, o.Owner,
		zeroMS(o.LeaseExpires), []byte(o.Data), int64(o.Fence), owner)
	if err != nil {
		return o, wrap("update occurrence", err)
	}
	if tag.RowsAffected() == 0 {
		return o, fmt.Errorf("%w: %s", store.ErrLeaseLost, o.ID)
	}
	return o.Clone(), nil
}
