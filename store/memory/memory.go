// Package memory is an in-process store.Store for tests and ephemeral realms.
// Nothing survives the process.
package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/store"
)

// Store is an in-memory store.Store.
type Store struct {
	mu       sync.RWMutex
	closed   bool
	sessions map[string]*record
	config   store.RealmConfig
	records  map[string]store.Record     // by kind + "\x00" + id
	logs     map[string][]store.LogEntry // by log name
	sched    schedules                   // guarded by mu
}

type record struct {
	meta  store.Session
	rows  []store.Row
	keys  map[string]struct{}
	tasks map[string]store.Task
	// lease is the latest claim; Owner is empty once released.
	lease store.Lease
}

// view is the session as returned: a copy of its metadata with the current
// lease.
func (r *record) view() store.Session {
	out := r.meta.Clone()
	if r.lease.Owner != "" {
		out.Lease = r.lease
	}
	return out
}

// New returns an empty store.
func New() *Store {
	return &Store{sessions: map[string]*record{}, config: store.RealmConfig{Data: json.RawMessage("{}")}}
}

var _ store.Store = (*Store)(nil)

// CreateSession implements store.Store.
func (s *Store) CreateSession(_ context.Context, sess store.Session) error {
	if sess.ID == "" {
		return fmt.Errorf("%w: empty session id", store.ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}
	if _, ok := s.sessions[sess.ID]; ok {
		return fmt.Errorf("%w: %s", store.ErrExists, sess.ID)
	}
	sess = sess.Clone()
	sess.MessageCount, sess.Lease = 0, store.Lease{}
	s.sessions[sess.ID] = &record{meta: sess}
	return nil
}

// get returns the record of id; the caller holds s.mu.
func (s *Store) get(id string) (*record, error) {
	if s.closed {
		return nil, store.ErrClosed
	}
	r, ok := s.sessions[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", store.ErrNotFound, id)
	}
	return r, nil
}

// Session implements store.Store.
func (s *Store) Session(_ context.Context, id string) (store.Session, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.get(id)
	if err != nil {
		return store.Session{}, err
	}
	return r.view(), nil
}

// ListSessions implements store.Store.
func (s *Store) ListSessions(_ context.Context, q store.ListQuery) ([]store.Session, int, error) {
	if err := store.ValidatePage(q.Offset, q.Limit); err != nil {
		return nil, 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, 0, store.ErrClosed
	}
	var match []*record
	for _, r := range s.sessions {
		if (q.IncludeArchived || !r.meta.Archived) && store.MatchLabels(r.meta.Labels, q.Labels) {
			match = append(match, r)
		}
	}
	sort.Slice(match, func(i, j int) bool {
		a, b := match[i].meta, match[j].meta
		if !a.Created.Equal(b.Created) {
			return a.Created.After(b.Created)
		}
		return a.ID > b.ID
	})
	total := len(match)
	match = match[min(q.Offset, total):]
	if q.Limit > 0 && len(match) > q.Limit {
		match = match[:q.Limit]
	}
	out := make([]store.Session, len(match))
	for i, r := range match {
		out[i] = r.view()
	}
	return out, total, nil
}

// Commit implements store.Store.
func (s *Store) Commit(_ context.Context, c store.Commit) (store.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.get(c.SessionID)
	if err != nil {
		return store.Session{}, err
	}
	if err := store.ValidateKeys(c.Keys); err != nil {
		return store.Session{}, err
	}
	if c.Fence != 0 && c.Fence != r.lease.Token {
		return store.Session{}, fmt.Errorf("%w: %s", store.ErrFenced, c.SessionID)
	}
	seen := map[string]struct{}{}
	for _, k := range c.Keys {
		_, dupStored := r.keys[k]
		_, dupBatch := seen[k]
		if dupStored || dupBatch {
			return store.Session{}, fmt.Errorf("%w: %q", store.ErrDuplicateKey, k)
		}
		seen[k] = struct{}{}
	}
	if len(c.Keys) > 0 && r.keys == nil {
		r.keys = map[string]struct{}{}
	}
	for k := range seen {
		r.keys[k] = struct{}{}
	}
	r.rows = append(r.rows, c.Rows...)
	c.Update.Apply(&r.meta)
	r.meta.MessageCount = len(r.rows)
	return r.view(), nil
}

// Rows implements store.Store. The returned slice is a copy; the blocks it
// holds are shared and must not be modified.
func (s *Store) Rows(_ context.Context, id string, offset, limit int) ([]store.Row, int, error) {
	if err := store.ValidatePage(offset, limit); err != nil {
		return nil, 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.get(id)
	if err != nil {
		return nil, 0, err
	}
	total := len(r.rows)
	rows := r.rows[min(offset, total):]
	if limit > 0 && len(rows) > limit {
		rows = rows[:limit]
	}
	return append([]store.Row(nil), rows...), total, nil
}

// HasKey implements store.Store.
func (s *Store) HasKey(_ context.Context, id, key string) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.get(id)
	if err != nil {
		return false, err
	}
	_, ok := r.keys[key]
	return ok, nil
}

// Config implements store.Store.
func (s *Store) Config(context.Context) (store.RealmConfig, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return store.RealmConfig{}, store.ErrClosed
	}
	return store.RealmConfig{Data: append(json.RawMessage(nil), s.config.Data...), Generation: s.config.Generation}, nil
}

// SetConfig implements store.Store.
func (s *Store) SetConfig(_ context.Context, data json.RawMessage, expected *uint64) (store.RealmConfig, error) {
	data, err := store.ValidateConfig(data)
	if err != nil {
		return store.RealmConfig{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.RealmConfig{}, store.ErrClosed
	}
	if expected != nil && *expected != s.config.Generation {
		return store.RealmConfig{}, &store.ConflictError{Expected: *expected, Current: s.config.Generation}
	}
	s.config = store.RealmConfig{Data: data, Generation: s.config.Generation + 1}
	return store.RealmConfig{Data: append(json.RawMessage(nil), data...), Generation: s.config.Generation}, nil
}

// Claim implements store.Store.
func (s *Store) Claim(_ context.Context, id, owner string, ttl time.Duration) (store.Lease, error) {
	if err := store.ValidateLease(id, owner, ttl); err != nil {
		return store.Lease{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.get(id)
	if err != nil {
		return store.Lease{}, err
	}
	now := time.Now()
	if r.lease.Held(now) {
		return store.Lease{}, fmt.Errorf("%w: %s", store.ErrLeased, id)
	}
	r.lease = store.Lease{SessionID: id, Owner: owner, Token: r.lease.Token + 1, Expires: now.Add(ttl)}
	return r.lease, nil
}

// Renew implements store.Store.
func (s *Store) Renew(_ context.Context, l store.Lease, ttl time.Duration) (store.Lease, error) {
	if err := store.ValidateLease(l.SessionID, l.Owner, ttl); err != nil {
		return store.Lease{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.get(l.SessionID)
	if err != nil {
		return store.Lease{}, err
	}
	if r.lease.Owner == "" || r.lease.Token != l.Token {
		return store.Lease{}, fmt.Errorf("%w: %s", store.ErrFenced, l.SessionID)
	}
	r.lease.Expires = time.Now().Add(ttl)
	return r.lease, nil
}

// Release implements store.Store.
func (s *Store) Release(_ context.Context, l store.Lease) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.get(l.SessionID)
	if err != nil {
		return err
	}
	if r.lease.Token == l.Token {
		r.lease.Owner, r.lease.Expires = "", time.Time{}
	}
	return nil
}

// Close implements store.Store.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// PutTask implements store.Store.
func (s *Store) PutTask(_ context.Context, t store.Task) error {
	data, err := store.ValidateTask(t)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.get(t.SessionID)
	if err != nil {
		return err
	}
	if r.tasks == nil {
		r.tasks = map[string]store.Task{}
	}
	if old, ok := r.tasks[t.ID]; ok {
		t.Created = old.Created
	}
	t.Data = data
	r.tasks[t.ID] = t
	return nil
}

// Task implements store.Store.
func (s *Store) Task(_ context.Context, sessionID, id string) (store.Task, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.get(sessionID)
	if err != nil {
		return store.Task{}, err
	}
	t, ok := r.tasks[id]
	if !ok {
		return store.Task{}, fmt.Errorf("%w: %s", store.ErrTaskNotFound, id)
	}
	t.Data = append(json.RawMessage(nil), t.Data...)
	return t, nil
}

// Tasks implements store.Store.
func (s *Store) Tasks(_ context.Context, sessionID string) ([]store.Task, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.get(sessionID)
	if err != nil {
		return nil, err
	}
	out := make([]store.Task, 0, len(r.tasks))
	for _, t := range r.tasks {
		t.Data = append(json.RawMessage(nil), t.Data...)
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}
