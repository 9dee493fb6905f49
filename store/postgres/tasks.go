package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rkat-dev/rkat/store"
)

// PutTask implements store.Store.
func (s *Store) PutTask(ctx context.Context, t store.Task) error {
	if err := s.check(); err != nil {
		return err
	}
	data, err := store.ValidateTask(t)
	if err != nil {
		return err
	}
	return s.inTx(ctx, "write task", func(tx pgx.Tx) error {
		if _, err := s.getSession(ctx, tx, t.SessionID, " FOR SHARE"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO tasks (realm, session_id, id, created_ms, updated_ms, data) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (realm, session_id, id) DO UPDATE SET updated_ms = excluded.updated_ms, data = excluded.data`,
			s.realm, t.SessionID, t.ID, t.Created.UnixMilli(), t.Updated.UnixMilli(), []byte(data))
		return err
	})
}

// Task implements store.Store.
func (s *Store) Task(ctx context.Context, sessionID, id string) (store.Task, error) {
	if err := s.check(); err != nil {
		return store.Task{}, err
	}
	t := store.Task{SessionID: sessionID, ID: id}
	var created, updated int64
	err := s.pool.QueryRow(ctx, `SELECT created_ms, updated_ms, data FROM tasks WHERE realm = $1 AND session_id = $2 AND id = $3`,
		s.realm, sessionID, id).Scan(&created, &updated, &t.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Task{}, fmt.Errorf("%w: %s", store.ErrTaskNotFound, id)
	}
	if err != nil {
		return store.Task{}, wrap("read task", err)
	}
	t.Created, t.Updated = time.UnixMilli(created), time.UnixMilli(updated)
	return t, nil
}

// Tasks implements store.Store.
func (s *Store) Tasks(ctx context.Context, sessionID string) ([]store.Task, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if _, err := s.getSession(ctx, s.pool, sessionID, ""); err != nil {
		return nil, err
	}
	rs, err := s.pool.Query(ctx, `SELECT id, created_ms, updated_ms, data FROM tasks WHERE realm = $1 AND session_id = $2
		ORDER BY created_ms, id COLLATE "C"`, s.realm, sessionID)
	if err != nil {
		return nil, wrap("read tasks", err)
	}
	defer rs.Close()
	out := []store.Task{}
	for rs.Next() {
		t := store.Task{SessionID: sessionID}
		var created, updated int64
		if err := rs.Scan(&t.ID, &created, &updated, &t.Data); err != nil {
			return nil, wrap("read tasks", err)
		}
		t.Created, t.Updated = time.UnixMilli(created), time.UnixMilli(updated)
		out = append(out, t)
	}
	return out, wrap("read tasks", rs.Err())
}
