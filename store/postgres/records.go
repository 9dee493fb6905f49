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

const recordColumns = `kind, id, data, revision, created_ms, updated_ms`

func scanRecord(row pgx.Row) (store.Record, error) {
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

// getRecord reads a record; lock is "" or a locking clause.
func (s *Store) getRecord(ctx context.Context, q querier, kind, id, lock string) (store.Record, error) {
	r, err := scanRecord(q.QueryRow(ctx, `SELECT `+recordColumns+` FROM records WHERE realm = $1 AND kind = $2 AND id = $3`+lock,
		s.realm, kind, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Record{}, fmt.Errorf("%w: %s %s", store.ErrNotFound, kind, id)
	}
	return r, wrap("read record", err)
}

// PutRecord implements store.Records: a create is one INSERT that does
// nothing on a taken key; a replace locks the row, checks its revision and
// rewrites it in one transaction.
func (s *Store) PutRecord(ctx context.Context, r store.Record, expected uint64) (store.Record, error) {
	if err := s.check(); err != nil {
		return store.Record{}, err
	}
	if err := store.ValidateRecord(r); err != nil {
		return store.Record{}, err
	}
	now := time.UnixMilli(time.Now().UnixMilli())
	r.Updated = now
	if expected == 0 {
		r.Revision, r.Created = 1, now
		tag, err := s.pool.Exec(ctx, `INSERT INTO records (realm, kind, id, data, revision, created_ms, updated_ms)
			VALUES ($1, $2, $3, $4, 1, $5, $5) ON CONFLICT DO NOTHING`, s.realm, r.Kind, r.ID, []byte(r.Data), now.UnixMilli())
		if err != nil {
			return store.Record{}, wrap("put record", err)
		}
		if tag.RowsAffected() == 0 {
			return store.Record{}, fmt.Errorf("%w: %s %s", store.ErrExists, r.Kind, r.ID)
		}
		return r, nil
	}
	err := s.inTx(ctx, "put record", func(tx pgx.Tx) error {
		cur, err := s.getRecord(ctx, tx, r.Kind, r.ID, " FOR UPDATE")
		if err != nil {
			return err
		}
		if cur.Revision != expected {
			return &store.ConflictError{Expected: expected, Current: cur.Revision}
		}
		r.Revision, r.Created = cur.Revision+1, cur.Created
		_, err = tx.Exec(ctx, `UPDATE records SET data = $4, revision = $5, updated_ms = $6 WHERE realm = $1 AND kind = $2 AND id = $3`,
			s.realm, r.Kind, r.ID, []byte(r.Data), int64(r.Revision), now.UnixMilli())
		return err
	})
	if err != nil {
		return store.Record{}, err
	}
	return r, nil
}

// Record implements store.Records.
func (s *Store) Record(ctx context.Context, kind, id string) (store.Record, error) {
	if err := s.check(); err != nil {
		return store.Record{}, err
	}
	return s.getRecord(ctx, s.pool, kind, id, "")
}

// RecordsOf implements store.Records; ids compare bytewise (COLLATE "C"),
// as in the other backends.
func (s *Store) RecordsOf(ctx context.Context, kind string) ([]store.Record, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+recordColumns+` FROM records WHERE realm = $1 AND kind = $2 ORDER BY id`, s.realm, kind)
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
	var rev uint64
	err := s.inTx(ctx, "delete record", func(tx pgx.Tx) error {
		cur, err := s.getRecord(ctx, tx, kind, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if expected != 0 && cur.Revision != expected {
			return &store.ConflictError{Expected: expected, Current: cur.Revision}
		}
		rev = cur.Revision
		_, err = tx.Exec(ctx, `DELETE FROM records WHERE realm = $1 AND kind = $2 AND id = $3`, s.realm, kind, id)
		return err
	})
	return rev, err
}

// Append implements store.Records. One statement bumps the log's head row
// (created at 1 by the first append) and inserts the entry at the new
// cursor: the head's row lock orders concurrent appends, and an entry that
// fails to insert rolls its bump back, so cursors have no gaps.
func (s *Store) Append(ctx context.Context, log string, data json.RawMessage) (uint64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if err := store.ValidateLog(log, data); err != nil {
		return 0, err
	}
	var cursor int64
	err := s.pool.QueryRow(ctx, `WITH head AS (
			INSERT INTO log_heads (realm, log, last_cursor) VALUES ($1, $2, 1)
			ON CONFLICT (realm, log) DO UPDATE SET last_cursor = log_heads.last_cursor + 1
			RETURNING last_cursor)
		INSERT INTO log_entries (realm, log, cursor, created_ms, data)
		SELECT $1, $2, last_cursor, $3, $4 FROM head RETURNING cursor`,
		s.realm, log, time.Now().UnixMilli(), []byte(data)).Scan(&cursor)
	return uint64(cursor), wrap("append log", err)
}

// Log implements store.Records. One statement reads the watermark and the
// page, so both come from one snapshot.
func (s *Store) Log(ctx context.Context, log string, after uint64, limit int) ([]store.LogEntry, uint64, error) {
	if err := s.check(); err != nil {
		return nil, 0, err
	}
	if limit < 0 {
		return nil, 0, fmt.Errorf("%w: negative limit", store.ErrInvalid)
	}
	rows, err := s.pool.Query(ctx, `SELECT h.last_cursor, e.cursor, e.created_ms, e.data FROM log_heads h
		LEFT JOIN LATERAL (SELECT cursor, created_ms, data FROM log_entries
			WHERE realm = h.realm AND log = h.log AND cursor > $3 ORDER BY cursor LIMIT $4) e ON true
		WHERE h.realm = $1 AND h.log = $2 ORDER BY e.cursor`, s.realm, log, int64(after), noLimit(limit))
	if err != nil {
		return nil, 0, wrap("read log", err)
	}
	defer rows.Close()
	out := []store.LogEntry{}
	var water int64
	for rows.Next() {
		var (
			cursor, created *int64
			data            []byte
		)
		if err := rows.Scan(&water, &cursor, &created, &data); err != nil {
			return nil, 0, wrap("read log", err)
		}
		if cursor != nil {
			out = append(out, store.LogEntry{Cursor: uint64(*cursor), Data: json.RawMessage(data), Created: time.UnixMilli(*created)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, wrap("read log", err)
	}
	return out, uint64(water), nil
}
