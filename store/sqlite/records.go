package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rkat-dev/rkat/store"
)

// PutRecord implements store.Records.
func (s *Store) PutRecord(ctx context.Context, r store.Record, expected uint64) (store.Record, error) {
	if err := s.check(); err != nil {
		return store.Record{}, err
	}
	if err := store.ValidateRecord(r); err != nil {
		return store.Record{}, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return store.Record{}, wrap("put record", err)
	}
	defer tx.Rollback()
	cur, err := getRecord(ctx, tx, r.Kind, r.ID)
	found := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.Record{}, err
	}
	now := time.UnixMilli(time.Now().UnixMilli())
	switch {
	case expected == 0 && found:
		return store.Record{}, fmt.Errorf("%w: %s %s", store.ErrExists, r.Kind, r.ID)
	case expected == 0:
		r.Revision, r.Created = 1, now
	case !found:
		return store.Record{}, err
	case cur.Revision != expected:
		return store.Record{}, &store.ConflictError{Expected: expected, Current: cur.Revision}
	default:
		r.Revision, r.Created = cur.Revision+1, cur.Created
	}
	r.Updated = now
	if _, err := tx.ExecContext(ctx, `INSERT INTO records (kind, id, data, revision, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data, revision = excluded.revision, updated_ms = excluded.updated_ms`,
		r.Kind, r.ID, []byte(r.Data), int64(r.Revision), r.Created.UnixMilli(), r.Updated.UnixMilli()); err != nil {
		return store.Record{}, wrap("put record", err)
	}
	if err := tx.Commit(); err != nil {
		return store.Record{}, wrap("put record", err)
	}
	return r, nil
}

func getRecord(ctx context.Context, q querier, kind, id string) (store.Record, error) {
	r, err := scanRecord(q.QueryRowContext(ctx, `SELECT kind, id, data, revision, created_ms, updated_ms FROM records WHERE kind = ? AND id = ?`, kind, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Record{}, fmt.Errorf("%w: %s %s", store.ErrNotFound, kind, id)
	}
	return r, wrap("read record", err)
}

func scanRecord(row interface{ Scan(...any) error }) (store.Record, error) {
	var (
		r                 store.Record
		data              []byte
		rev, created, upd int64
	)
	if err := row.Scan(&r.Kind, &r.ID, &data, &rev, &created, &upd); err != nil {
		return store.Record{}, err
	}
	r.Data, r.Revision, r.Created, r.Updated = json.RawMessage(data), uint64(rev), time.UnixMilli(created), time.UnixMilli(upd)
	return r, nil
}

// Record implements store.Records.
func (s *Store) Record(ctx context.Context, kind, id string) (store.Record, error) {
	if err := s.check(); err != nil {
		return store.Record{}, err
	}
	return getRecord(ctx, s.r, kind, id)
}

// RecordsOf implements store.Records.
func (s *Store) RecordsOf(ctx context.Context, kind string) ([]store.Record, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT kind, id, data, revision, created_ms, updated_ms FROM records WHERE kind = ? ORDER BY id`, kind)
	if err != nil {
		return nil, wrap("list records", err)
	}
	defer rows.Close()
	out := []store.Record{}
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, wrap("list records", err)
		}
		out = append(out, r)
	}
	return out, wrap("list records", rows.Err())
}

// DeleteRecord implements store.Records.
func (s *Store) DeleteRecord(ctx context.Context, kind, id string, expected uint64) (uint64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, wrap("delete record", err)
	}
	defer tx.Rollback()
	cur, err := getRecord(ctx, tx, kind, id)
	if err != nil {
		return 0, err
	}
	if expected != 0 && cur.Revision != expected {
		return 0, &store.ConflictError{Expected: expected, Current: cur.Revision}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE kind = ? AND id = ?`, kind, id); err != nil {
		return 0, wrap("delete record", err)
	}
	return cur.Revision, wrap("delete record", tx.Commit())
}

// Append implements store.Records.
func (s *Store) Append(ctx context.Context, log string, data json.RawMessage) (uint64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if err := store.ValidateLog(log, data); err != nil {
		return 0, err
	}
	var cursor int64
	err := s.w.QueryRowContext(ctx, `INSERT INTO logs (log, cursor, data, created_ms)
		VALUES (?, (SELECT COALESCE(MAX(cursor), 0) + 1 FROM logs WHERE log = ?), ?, ?) RETURNING cursor`,
		log, log, []byte(data), time.Now().UnixMilli()).Scan(&cursor)
	return uint64(cursor), wrap("append log", err)
}

// Log implements store.Records.
func (s *Store) Log(ctx context.Context, log string, after uint64, limit int) ([]store.LogEntry, uint64, error) {
	if err := s.check(); err != nil {
		return nil, 0, err
	}
	if limit < 0 {
		return nil, 0, fmt.Errorf("%w: negative limit", store.ErrInvalid)
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, wrap("read log", err)
	}
	defer tx.Rollback()
	var water int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(cursor), 0) FROM logs WHERE log = ?`, log).Scan(&water); err != nil {
		return nil, 0, wrap("read log", err)
	}
	q := `SELECT cursor, data, created_ms FROM logs WHERE log = ? AND cursor > ? ORDER BY cursor`
	args := []any{log, int64(after)}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, wrap("read log", err)
	}
	defer rows.Close()
	out := []store.LogEntry{}
	for rows.Next() {
		var (
			c, created int64
			data       []byte
		)
		if err := rows.Scan(&c, &data, &created); err != nil {
			return nil, 0, wrap("read log", err)
		}
		out = append(out, store.LogEntry{Cursor: uint64(c), Data: json.RawMessage(data), Created: time.UnixMilli(created)})
	}
	return out, uint64(water), wrap("read log", rows.Err())
}
