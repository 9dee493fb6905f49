package memory

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rkat-dev/rkat/store"
)

// schedules is the schedule state of a Store, guarded by Store.mu.
type schedules struct {
	rows  map[string]*store.ScheduleRow
	occs  map[string][]*store.OccurrenceRow // by schedule id, in planning order
	order []string                          // schedule ids in creation order
}

type occKey struct {
	rev, ordinal uint64
}

// PutSchedule implements store.Schedules.
func (s *Store) PutSchedule(_ context.Context, w store.ScheduleWrite) (store.ScheduleRow, error) {
	if err := store.ValidateScheduleWrite(w); err != nil {
		return store.ScheduleRow{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ScheduleRow{}, store.ErrClosed
	}
	if s.sched.rows == nil {
		s.sched.rows, s.sched.occs = map[string]*store.ScheduleRow{}, map[string][]*store.OccurrenceRow{}
	}
	cur, ok := s.sched.rows[w.Schedule.ID]
	switch {
	case w.ExpectVersion == 0 && ok:
		return store.ScheduleRow{}, fmt.Errorf("%w: schedule %s exists", store.ErrStale, w.Schedule.ID)
	case w.ExpectVersion != 0 && !ok:
		return store.ScheduleRow{}, fmt.Errorf("%w: %s", store.ErrScheduleNotFound, w.Schedule.ID)
	case ok && cur.Version != w.ExpectVersion:
		return store.ScheduleRow{}, fmt.Errorf("%w: expected %d, current %d", store.ErrStale, w.ExpectVersion, cur.Version)
	}
	row := w.Schedule.Clone()
	row.Version = w.ExpectVersion + 1
	if ok {
		row.Created = cur.Created
	} else {
		s.sched.order = append(s.sched.order, row.ID)
	}
	s.sched.rows[row.ID] = &row
	list := s.sched.occs[row.ID]
	if w.Supersede {
		for _, o := range list {
			if o.Phase == store.OccurrencePending && o.Revision < row.Revision {
				o.Phase, o.SupersededBy = store.OccurrenceSuperseded, row.Revision
			}
		}
	}
	have := map[occKey]bool{}
	for _, o := range list {
		have[occKey{o.Revision, o.Ordinal}] = true
	}
	for _, o := range w.Occurrences {
		if k := (occKey{o.Revision, o.Ordinal}); !have[k] {
			have[k] = true
			c := o.Clone()
			list = append(list, &c)
		}
	}
	s.sched.occs[row.ID] = pruneTerminal(list, w.KeepTerminal)
	return row.Clone(), nil
}

// pruneTerminal drops the finished occurrences beyond the newest keep.
func pruneTerminal(list []*store.OccurrenceRow, keep int) []*store.OccurrenceRow {
	if keep <= 0 {
		return list
	}
	var done []*store.OccurrenceRow
	for _, o := range list {
		if store.TerminalOccurrence(o.Phase) {
			done = append(done, o)
		}
	}
	if len(done) <= keep {
		return list
	}
	slices.SortStableFunc(done, func(a, b *store.OccurrenceRow) int {
		if c := b.Due.Compare(a.Due); c != 0 {
			return c
		}
		return int(b.Ordinal) - int(a.Ordinal)
	})
	drop := map[*store.OccurrenceRow]bool{}
	for _, o := range done[keep:] {
		drop[o] = true
	}
	return slices.DeleteFunc(list, func(o *store.OccurrenceRow) bool { return drop[o] })
}

// Schedule implements store.Schedules.
func (s *Store) Schedule(_ context.Context, id string) (store.ScheduleRow, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return store.ScheduleRow{}, store.ErrClosed
	}
	r, ok := s.sched.rows[id]
	if !ok {
		return store.ScheduleRow{}, fmt.Errorf("%w: %s", store.ErrScheduleNotFound, id)
	}
	return r.Clone(), nil
}

// ListSchedules implements store.Schedules.
func (s *Store) ListSchedules(_ context.Context, q store.ScheduleQuery) ([]store.ScheduleRow, error) {
	if err := store.ValidatePage(q.Offset, q.Limit); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var out []store.ScheduleRow
	skip := q.Offset
	for _, id := range s.sched.order {
		r := s.sched.rows[id]
		if (!q.IncludeDeleted && r.Phase == store.SchedulePhaseDeleted) || !store.MatchLabels(r.Labels, q.Labels) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if q.Limit > 0 && len(out) == q.Limit {
			break
		}
		out = append(out, r.Clone())
	}
	return out, nil
}

// SchedulesToPlan implements store.Schedules.
func (s *Store) SchedulesToPlan(_ context.Context, now time.Time, limit int) ([]store.ScheduleRow, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var out []store.ScheduleRow
	for _, id := range s.sched.order {
		r := s.sched.rows[id]
		if r.Phase == store.SchedulePhaseActive && !r.PlanAt.IsZero() && !r.PlanAt.After(now) {
			out = append(out, r.Clone())
		}
	}
	slices.SortStableFunc(out, func(a, b store.ScheduleRow) int { return a.PlanAt.Compare(b.PlanAt) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Occurrences implements store.Schedules.
func (s *Store) Occurrences(_ context.Context, q store.OccurrenceQuery) ([]store.OccurrenceRow, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	if _, ok := s.sched.rows[q.ScheduleID]; !ok {
		return nil, fmt.Errorf("%w: %s", store.ErrScheduleNotFound, q.ScheduleID)
	}
	var out []store.OccurrenceRow
	for _, o := range s.sched.occs[q.ScheduleID] {
		if q.Phases == nil || slices.Contains(q.Phases, o.Phase) {
			out = append(out, o.Clone())
		}
	}
	sortOccurrences(out)
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func sortOccurrences(list []store.OccurrenceRow) {
	slices.SortStableFunc(list, func(a, b store.OccurrenceRow) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return int(a.Ordinal) - int(b.Ordinal)
	})
}

// ClaimOccurrences implements store.Schedules.
func (s *Store) ClaimOccurrences(_ context.Context, c store.Claim) ([]store.OccurrenceRow, error) {
	if err := store.ValidateClaim(c); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var cands []*store.OccurrenceRow
	for id, list := range s.sched.occs {
		sched := s.sched.rows[id]
		for _, o := range list {
			if claimable(sched, o, c.Now) {
				cands = append(cands, o)
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b *store.OccurrenceRow) int { return a.Due.Compare(b.Due) })
	if len(cands) > c.Limit {
		cands = cands[:c.Limit]
	}
	out := make([]store.OccurrenceRow, 0, len(cands))
	for _, o := range cands {
		if o.Phase == store.OccurrencePending {
			o.Phase = store.OccurrenceClaimed
		}
		o.Owner, o.LeaseExpires = c.Owner, c.Now.Add(c.Lease)
		o.Fence++
		o.Attempts++
		out = append(out, o.Clone())
	}
	return out, nil
}

// claimable reports whether o is due work at now (see store.Claim).
func claimable(sched *store.ScheduleRow, o *store.OccurrenceRow, now time.Time) bool {
	switch o.Phase {
	case store.OccurrencePending:
		return !o.Due.After(now) && sched.Phase == store.SchedulePhaseActive && sched.Revision == o.Revision
	case store.OccurrenceClaimed, store.OccurrenceDispatching:
		return !o.LeaseExpires.After(now)
	}
	return false
}

// UpdateOccurrence implements store.Schedules.
func (s *Store) UpdateOccurrence(_ context.Context, owner string, o store.OccurrenceRow) (store.OccurrenceRow, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.OccurrenceRow{}, store.ErrClosed
	}
	for _, cur := range s.sched.occs[o.ScheduleID] {
		if cur.ID != o.ID {
			continue
		}
		if cur.Fence != o.Fence || cur.Owner != owner {
			return store.OccurrenceRow{}, fmt.Errorf("%w: %s", store.ErrLeaseLost, o.ID)
		}
		cur.Phase, cur.Attempts, cur.Owner, cur.LeaseExpires = o.Phase, o.Attempts, o.Owner, o.LeaseExpires
		cur.Data = o.Clone().Data
		return cur.Clone(), nil
	}
	return store.OccurrenceRow{}, fmt.Errorf("%w: occurrence %s", store.ErrLeaseLost, o.ID)
}
