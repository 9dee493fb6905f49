package memory

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"encoding/json"

	"github.com/rkat-dev/rkat/store"
)

func recordKey(kind, id string) string { return kind + "\x00" + id }

// PutRecord implements store.Records.
func (s *Store) PutRecord(_ context.Context, r store.Record, expected uint64) (store.Record, error) {
	if err := store.ValidateRecord(r); err != nil {
		return store.Record{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Record{}, store.ErrClosed
	}
	if s.records == nil {
		s.records = map[string]store.Record{}
	}
	k := recordKey(r.Kind, r.ID)
	cur, ok := s.records[k]
	now := time.UnixMilli(time.Now().UnixMilli())
	switch {
	case expected == 0 && ok:
		return store.Record{}, fmt.Errorf("%w: %s %s", store.ErrExists, r.Kind, r.ID)
	case expected == 0:
		r.Revision, r.Created = 1, now
	case !ok:
		return store.Record{}, fmt.Errorf("%w: %s %s", store.ErrNotFound, r.Kind, r.ID)
	case cur.Revision != expected:
		return store.Record{}, &store.ConflictError{Expected: expected, Current: cur.Revision}
	default:
		r.Revision, r.Created = cur.Revision+1, cur.Created
	}
	r.Updated = now
	r.Data = slices.Clone(r.Data)
	s.records[k] = r
	return r, nil
}

// Record implements store.Records.
func (s *Store) Record(_ context.Context, kind, id string) (store.Record, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return store.Record{}, store.ErrClosed
	}
	r, ok := s.records[recordKey(kind, id)]
	if !ok {
		return store.Record{}, fmt.Errorf("%w: %s %s", store.ErrNotFound, kind, id)
	}
	return r, nil
}

// RecordsOf implements store.Records.
func (s *Store) RecordsOf(_ context.Context, kind string) ([]store.Record, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	out := []store.Record{}
	for _, r := range s.records {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b store.Record) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// DeleteRecord implements store.Records.
func (s *Store) DeleteRecord(_ context.Context, kind, id string, expected uint64) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, store.ErrClosed
	}
	k := recordKey(kind, id)
	cur, ok := s.records[k]
	switch {
	case !ok:
		return 0, fmt.Errorf("%w: %s %s", store.ErrNotFound, kind, id)
	case expected != 0 && cur.Revision != expected:
		return 0, &store.ConflictError{Expected: expected, Current: cur.Revision}
	}
	delete(s.records, k)
	return cur.Revision, nil
}

// Append implements store.Records.
func (s *Store) Append(_ context.Context, log string, data json.RawMessage) (uint64, error) {
	if err := store.ValidateLog(log, data); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, store.ErrClosed
	}
	if s.logs == nil {
		s.logs = map[string][]store.LogEntry{}
	}
	c := uint64(len(s.logs[log]) + 1)
	s.logs[log] = append(s.logs[log], store.LogEntry{Cursor: c, Data: slices.Clone(data), Created: time.UnixMilli(time.Now().UnixMilli())})
	return c, nil
}

// Log implements store.Records.
func (s *Store) Log(_ context.Context, log string, after uint64, limit int) ([]store.LogEntry, uint64, error) {
	if limit < 0 {
		return nil, 0, fmt.Errorf("%w: negative limit", store.ErrInvalid)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, 0, store.ErrClosed
	}
	entries := s.logs[log]
	water := uint64(len(entries))
	if after >= water {
		return []store.LogEntry{}, water, nil
	}
	out := entries[after:]
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return slices.Clone(out), water, nil
}
