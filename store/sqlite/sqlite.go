// Package sqlite is the durable store.Store: one SQLite database file per
// realm (modernc.org/sqlite, pure Go), in WAL mode with synchronous=NORMAL,
// a busy timeout, versioned migrations and a single writer connection. Each
// Commit is one transaction, so a crash loses at most the commit in flight.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/rkat-dev/rkat/store"
)

// Config configures a Store.
type Config struct {
	// Path is the database file; its directory is created if missing.
	Path string
	// BusyTimeout is how long a write waits for another process's lock;
	// zero means 5 s.
	BusyTimeout time.Duration
	// Readers is the size of the read connection pool; zero means 4.
	Readers int
}

// Store is a SQLite-backed store.Store.
type Store struct {
	w      *sql.DB // single writer connection
	r      *sql.DB // read-only pool
	closed atomic.Bool
}

var _ store.Store = (*Store)(nil)

// migrations are applied in order; PRAGMA user_version counts the applied ones.
var migrations = []string{
	`CREATE TABLE sessions (
		id TEXT PRIMARY KEY,
		realm TEXT NOT NULL,
		model TEXT NOT NULL,
		provider TEXT NOT NULL,
		labels TEXT,
		created_ms INTEGER NOT NULL,
		updated_ms INTEGER NOT NULL,
		archived INTEGER NOT NULL DEFAULT 0,
		message_count INTEGER NOT NULL DEFAULT 0,
		runs INTEGER NOT NULL DEFAULT 0,
		input_tokens INTEGER NOT NULL DEFAULT 0,
		output_tokens INTEGER NOT NULL DEFAULT 0,
		cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
		cache_read_tokens INTEGER NOT NULL DEFAULT 0,
		last_assistant_text TEXT NOT NULL DEFAULT '',
		last_seq INTEGER NOT NULL DEFAULT 0,
		settings BLOB,
		deferred BLOB
	);
	CREATE INDEX sessions_by_created ON sessions (created_ms DESC, id DESC);
	CREATE TABLE history (
		session_id TEXT NOT NULL,
		idx INTEGER NOT NULL,
		created_ms INTEGER NOT NULL,
		data BLOB NOT NULL,
		PRIMARY KEY (session_id, idx)
	) WITHOUT ROWID;
	CREATE TABLE idempotency (
		session_id TEXT NOT NULL,
		key TEXT NOT NULL,
		created_ms INTEGER NOT NULL,
		PRIMARY KEY (session_id, key)
	) WITHOUT ROWID;
	CREATE TABLE realm_config (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		data TEXT NOT NULL,
		generation INTEGER NOT NULL
	);`,
	scheduleMigration,
	`CREATE TABLE tasks (
		session_id TEXT NOT NULL,
		id TEXT NOT NULL,
		created_ms INTEGER NOT NULL,
		updated_ms INTEGER NOT NULL,
		data BLOB NOT NULL,
		PRIMARY KEY (session_id, id)
	) WITHOUT ROWID;`,
	// 4: turn leases. lease_owner is empty when the session is not leased;
	// lease_token only grows.
	`ALTER TABLE sessions ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
	ALTER TABLE sessions ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE sessions ADD COLUMN lease_expires_ms INTEGER NOT NULL DEFAULT 0;`,
	// 5: versioned records and append-only logs (mobs, mob profiles, mob events).
	`CREATE TABLE records (
		kind TEXT NOT NULL,
		id TEXT NOT NULL,
		data BLOB NOT NULL,
		revision INTEGER NOT NULL,
		created_ms INTEGER NOT NULL,
		updated_ms INTEGER NOT NULL,
		PRIMARY KEY (kind, id)
	) WITHOUT ROWID;
	CREATE TABLE logs (
		log TEXT NOT NULL,
		cursor INTEGER NOT NULL,
		data BLOB NOT NULL,
		created_ms INTEGER NOT NULL,
		PRIMARY KEY (log, cursor)
	) WITHOUT ROWID;`,
}

// Open opens (creating if needed) the database at cfg.Path and migrates it.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Path == "" || strings.ContainsAny(cfg.Path, "?#") {
		return nil, fmt.Errorf("sqlite: invalid path %q", cfg.Path)
	}
	if cfg.BusyTimeout <= 0 {
		cfg.BusyTimeout = 5 * time.Second
	}
	if cfg.Readers <= 0 {
		cfg.Readers = 4
	}
	if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	params := fmt.Sprintf("?_busy_timeout=%d&_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=1", cfg.BusyTimeout.Milliseconds())
	w, err := sql.Open("sqlite", cfg.Path+params+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", cfg.Path+params+"&_query_only=1")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	r.SetMaxOpenConns(cfg.Readers)
	r.SetMaxIdleConns(cfg.Readers)
	return &Store{w: w, r: r}, nil
}

// migrate applies the migrations the database has not seen yet.
func migrate(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("sqlite: read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("sqlite: database schema version %d is newer than this binary's %d", version, len(migrations))
	}
	for v := version; v < len(migrations); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("sqlite: migrate: %w", err)
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: migration %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("sqlite: migration %d: %w", v+1, err)
		}
	}
	return nil
}

// Close implements store.Store.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	return errors.Join(s.r.Close(), s.w.Close())
}

// check fails with store.ErrClosed once the store is closed.
func (s *Store) check() error {
	if s.closed.Load() {
		return store.ErrClosed
	}
	return nil
}

// wrap annotates a database error with the operation.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}

const sessionColumns = `id, realm, model, provider, labels, created_ms, updated_ms, archived, message_count, runs,
	input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, last_assistant_text, last_seq, settings, deferred`

type scanner interface{ Scan(dest ...any) error }

func scanSession(row scanner) (store.Session, error) {
	var s store.Session
	var labels sql.NullString
	var created, updated, lastSeq int64
	var settings, deferred []byte
	var leaseToken, leaseExpires int64
	err := row.Scan(&s.ID, &s.Realm, &s.Model, &s.Provider, &labels, &created, &updated, &s.Archived,
		&s.MessageCount, &s.Runs, &s.Usage.InputTokens, &s.Usage.OutputTokens, &s.Usage.CacheCreationTokens,
		&s.Usage.CacheReadTokens, &s.LastAssistantText, &lastSeq, &settings, &deferred,
		&s.Lease.Owner, &leaseToken, &leaseExpires)
	if err != nil {
		return s, err
	}
	if labels.Valid && labels.String != "" {
		if err := json.Unmarshal([]byte(labels.String), &s.Labels); err != nil {
			return s, fmt.Errorf("labels of %s: %w", s.ID, err)
		}
	}
	s.Created, s.Updated, s.LastSeq = time.UnixMilli(created), time.UnixMilli(updated), uint64(lastSeq)
	if s.Lease.Owner != "" {
		s.Lease.SessionID, s.Lease.Token, s.Lease.Expires = s.ID, uint64(leaseToken), time.UnixMilli(leaseExpires)
	}
	if settings != nil {
		s.Settings = json.RawMessage(settings)
	}
	if deferred != nil {
		s.Deferred = json.RawMessage(deferred)
	}
	return s, nil
}

func labelsJSON(m map[string]string) (any, error) {
	if len(m) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(m)
	return string(b), err
}

func blob(b json.RawMessage) any {
	if b == nil {
		return nil
	}
	return []byte(b)
}

// CreateSession implements store.Store.
func (s *Store) CreateSession(ctx context.Context, sess store.Session) error {
	if err := s.check(); err != nil {
		return err
	}
	if sess.ID == "" {
		return fmt.Errorf("%w: empty session id", store.ErrInvalid)
	}
	labels, err := labelsJSON(sess.Labels)
	if err != nil {
		return fmt.Errorf("%w: labels: %w", store.ErrInvalid, err)
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		sess.ID, sess.Realm, sess.Model, sess.Provider, labels, sess.Created.UnixMilli(), sess.Updated.UnixMilli(),
		sess.Archived, sess.Runs, sess.Usage.InputTokens, sess.Usage.OutputTokens, sess.Usage.CacheCreationTokens,
		sess.Usage.CacheReadTokens, sess.LastAssistantText, int64(sess.LastSeq), blob(sess.Settings), blob(sess.Deferred))
	if err != nil {
		return wrap("create session", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %s", store.ErrExists, sess.ID)
	}
	return nil
}

// Session implements store.Store.
func (s *Store) Session(ctx context.Context, id string) (store.Session, error) {
	if err := s.check(); err != nil {
		return store.Session{}, err
	}
	return getSession(ctx, s.r, id)
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getSession(ctx context.Context, q querier, id string) (store.Session, error) {
	sess, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionColumns+`, lease_owner, lease_token, lease_expires_ms FROM sessions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sess, fmt.Errorf("%w: %s", store.ErrNotFound, id)
	}
	return sess, wrap("read session", err)
}

// ListSessions implements store.Store.
func (s *Store) ListSessions(ctx context.Context, q store.ListQuery) ([]store.Session, int, error) {
	if err := s.check(); err != nil {
		return nil, 0, err
	}
	if err := store.ValidatePage(q.Offset, q.Limit); err != nil {
		return nil, 0, err
	}
	cond, args := whereLabels("sessions", !q.IncludeArchived, "archived = 0", q.Labels)
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sessions`+cond, args...).Scan(&total); err != nil {
		return nil, 0, wrap("count sessions", err)
	}
	limit := int64(q.Limit)
	if limit == 0 {
		limit = -1
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+sessionColumns+`, lease_owner, lease_token, lease_expires_ms FROM sessions`+cond+
		` ORDER BY created_ms DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, q.Offset)...)
	if err != nil {
		return nil, 0, wrap("list sessions", err)
	}
	defer rows.Close()
	var out []store.Session
	for rows.Next() {
		sess, err := scanSession(rows)
		if err != nil {
			return nil, 0, wrap("list sessions", err)
		}
		out = append(out, sess)
	}
	return out, total, wrap("list sessions", rows.Err())
}

// Commit implements store.Store.
func (s *Store) Commit(ctx context.Context, c store.Commit) (store.Session, error) {
	if err := s.check(); err != nil {
		return store.Session{}, err
	}
	if err := store.ValidateKeys(c.Keys); err != nil {
		return store.Session{}, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return store.Session{}, wrap("commit", err)
	}
	sess, err := commitTx(ctx, tx, c)
	if err != nil {
		tx.Rollback()
		return store.Session{}, err
	}
	if err := tx.Commit(); err != nil {
		return store.Session{}, wrap("commit", err)
	}
	return sess, nil
}

func commitTx(ctx context.Context, tx *sql.Tx, c store.Commit) (store.Session, error) {
	sess, err := getSession(ctx, tx, c.SessionID)
	if err != nil {
		return sess, err
	}
	if c.Fence != 0 && sess.Lease.Token != c.Fence { // getSession read the token in this transaction
		return sess, fmt.Errorf("%w: %s", store.ErrFenced, c.SessionID)
	}
	now := time.Now().UnixMilli()
	for _, k := range c.Keys {
		res, err := tx.ExecContext(ctx, `INSERT INTO idempotency (session_id, key, created_ms) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, c.SessionID, k, now)
		if err != nil {
			return sess, wrap("record key", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return sess, fmt.Errorf("%w: %q", store.ErrDuplicateKey, k)
		}
	}
	if len(c.Rows) > 0 {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO history (session_id, idx, created_ms, data) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return sess, wrap("append rows", err)
		}
		defer stmt.Close()
		for i, r := range c.Rows {
			data, err := json.Marshal(r)
			if err != nil {
				return sess, fmt.Errorf("%w: row %d: %w", store.ErrInvalid, i, err)
			}
			created := r.Created
			if created.IsZero() {
				created = time.UnixMilli(now)
			}
			if _, err := stmt.ExecContext(ctx, c.SessionID, sess.MessageCount+i, created.UnixMilli(), data); err != nil {
				return sess, wrap("append rows", err)
			}
		}
	}
	c.Update.Apply(&sess)
	sess.MessageCount += len(c.Rows)
	labels, err := labelsJSON(sess.Labels)
	if err != nil {
		return sess, fmt.Errorf("%w: labels: %w", store.ErrInvalid, err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE sessions SET model = ?, provider = ?, labels = ?, updated_ms = ?, archived = ?,
		message_count = ?, runs = ?, input_tokens = ?, output_tokens = ?, cache_creation_tokens = ?, cache_read_tokens = ?,
		last_assistant_text = ?, last_seq = ?, settings = ?, deferred = ? WHERE id = ?`,
		sess.Model, sess.Provider, labels, sess.Updated.UnixMilli(), sess.Archived, sess.MessageCount, sess.Runs,
		sess.Usage.InputTokens, sess.Usage.OutputTokens, sess.Usage.CacheCreationTokens, sess.Usage.CacheReadTokens,
		sess.LastAssistantText, int64(sess.LastSeq), blob(sess.Settings), blob(sess.Deferred), sess.ID)
	if err != nil {
		return sess, wrap("update session", err)
	}
	return sess, nil
}

// Rows implements store.Store.
func (s *Store) Rows(ctx context.Context, id string, offset, limit int) ([]store.Row, int, error) {
	if err := s.check(); err != nil {
		return nil, 0, err
	}
	if err := store.ValidatePage(offset, limit); err != nil {
		return nil, 0, err
	}
	var total int
	err := s.r.QueryRowContext(ctx, `SELECT message_count FROM sessions WHERE id = ?`, id).Scan(&total)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, fmt.Errorf("%w: %s", store.ErrNotFound, id)
	}
	if err != nil {
		return nil, 0, wrap("read rows", err)
	}
	if offset >= total {
		return nil, total, nil
	}
	end := total
	if limit > 0 && limit < total-offset {
		end = offset + limit
	}
	rs, err := s.r.QueryContext(ctx, `SELECT created_ms, data FROM history WHERE session_id = ? AND idx >= ? AND idx < ? ORDER BY idx`,
		id, offset, end)
	if err != nil {
		return nil, 0, wrap("read rows", err)
	}
	defer rs.Close()
	out := make([]store.Row, 0, end-offset)
	for rs.Next() {
		var created int64
		var data []byte
		if err := rs.Scan(&created, &data); err != nil {
			return nil, 0, wrap("read rows", err)
		}
		var r store.Row
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, 0, fmt.Errorf("sqlite: row of %s: %w", id, err)
		}
		r.Created = time.UnixMilli(created)
		out = append(out, r)
	}
	return out, total, wrap("read rows", rs.Err())
}

// HasKey implements store.Store.
func (s *Store) HasKey(ctx context.Context, id, key string) (bool, error) {
	if err := s.check(); err != nil {
		return false, err
	}
	var found, exists int
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM idempotency WHERE session_id = ? AND key = ?),
		(SELECT count(*) FROM sessions WHERE id = ?)`, id, key, id).Scan(&found, &exists)
	if err != nil {
		return false, wrap("read key", err)
	}
	if exists == 0 {
		return false, fmt.Errorf("%w: %s", store.ErrNotFound, id)
	}
	return found > 0, nil
}

// Config implements store.Store.
func (s *Store) Config(ctx context.Context) (store.RealmConfig, error) {
	if err := s.check(); err != nil {
		return store.RealmConfig{}, err
	}
	return readConfig(ctx, s.r)
}

func readConfig(ctx context.Context, q querier) (store.RealmConfig, error) {
	var data string
	var gen int64
	err := q.QueryRowContext(ctx, `SELECT data, generation FROM realm_config WHERE id = 1`).Scan(&data, &gen)
	if errors.Is(err, sql.ErrNoRows) {
		return store.RealmConfig{Data: json.RawMessage("{}")}, nil
	}
	if err != nil {
		return store.RealmConfig{}, wrap("read config", err)
	}
	return store.RealmConfig{Data: json.RawMessage(data), Generation: uint64(gen)}, nil
}

// SetConfig implements store.Store.
func (s *Store) SetConfig(ctx context.Context, data json.RawMessage, expected *uint64) (store.RealmConfig, error) {
	if err := s.check(); err != nil {
		return store.RealmConfig{}, err
	}
	data, err := store.ValidateConfig(data)
	if err != nil {
		return store.RealmConfig{}, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return store.RealmConfig{}, wrap("write config", err)
	}
	defer tx.Rollback()
	cur, err := readConfig(ctx, tx)
	if err != nil {
		return store.RealmConfig{}, err
	}
	if expected != nil && *expected != cur.Generation {
		return store.RealmConfig{}, &store.ConflictError{Expected: *expected, Current: cur.Generation}
	}
	next := store.RealmConfig{Data: data, Generation: cur.Generation + 1}
	if _, err := tx.ExecContext(ctx, `INSERT INTO realm_config (id, data, generation) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data, generation = excluded.generation`,
		string(data), int64(next.Generation)); err != nil {
		return store.RealmConfig{}, wrap("write config", err)
	}
	if err := tx.Commit(); err != nil {
		return store.RealmConfig{}, wrap("write config", err)
	}
	return next, nil
}

// Claim implements store.Store. The conditional UPDATE runs in an immediate
// transaction, so two processes on one file never both win.
func (s *Store) Claim(ctx context.Context, id, owner string, ttl time.Duration) (store.Lease, error) {
	if err := s.check(); err != nil {
		return store.Lease{}, err
	}
	if err := store.ValidateLease(id, owner, ttl); err != nil {
		return store.Lease{}, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return store.Lease{}, wrap("claim", err)
	}
	defer tx.Rollback()
	now := time.Now()
	l := store.Lease{SessionID: id, Owner: owner, Expires: now.Add(ttl).Truncate(time.Millisecond)}
	var token int64
	err = tx.QueryRowContext(ctx, `UPDATE sessions SET lease_owner = ?, lease_token = lease_token + 1, lease_expires_ms = ?
		WHERE id = ? AND (lease_owner = '' OR lease_expires_ms <= ?) RETURNING lease_token`,
		owner, l.Expires.UnixMilli(), id, now.UnixMilli()).Scan(&token)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := getSession(ctx, tx, id); err != nil {
			return store.Lease{}, err
		}
		return store.Lease{}, fmt.Errorf("%w: %s", store.ErrLeased, id)
	}
	if err != nil {
		return store.Lease{}, wrap("claim", err)
	}
	if err := tx.Commit(); err != nil {
		return store.Lease{}, wrap("claim", err)
	}
	l.Token = uint64(token)
	return l, nil
}

// Renew implements store.Store.
func (s *Store) Renew(ctx context.Context, l store.Lease, ttl time.Duration) (store.Lease, error) {
	if err := s.check(); err != nil {
		return store.Lease{}, err
	}
	if err := store.ValidateLease(l.SessionID, l.Owner, ttl); err != nil {
		return store.Lease{}, err
	}
	l.Expires = time.Now().Add(ttl).Truncate(time.Millisecond)
	res, err := s.w.ExecContext(ctx, `UPDATE sessions SET lease_expires_ms = ? WHERE id = ? AND lease_token = ? AND lease_owner != ''`,
		l.Expires.UnixMilli(), l.SessionID, int64(l.Token))
	if err != nil {
		return store.Lease{}, wrap("renew", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.Lease{}, fmt.Errorf("%w: %s", store.ErrFenced, l.SessionID)
	}
	return l, nil
}

// Release implements store.Store.
func (s *Store) Release(ctx context.Context, l store.Lease) error {
	if err := s.check(); err != nil {
		return err
	}
	_, err := s.w.ExecContext(ctx, `UPDATE sessions SET lease_owner = '', lease_expires_ms = 0 WHERE id = ? AND lease_token = ?`,
		l.SessionID, int64(l.Token))
	return wrap("release", err)
}

// PutTask implements store.Store.
func (s *Store) PutTask(ctx context.Context, t store.Task) error {
	if err := s.check(); err != nil {
		return err
	}
	data, err := store.ValidateTask(t)
	if err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap("write task", err)
	}
	defer tx.Rollback()
	if _, err := getSession(ctx, tx, t.SessionID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO tasks (session_id, id, created_ms, updated_ms, data) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (session_id, id) DO UPDATE SET updated_ms = excluded.updated_ms, data = excluded.data`,
		t.SessionID, t.ID, t.Created.UnixMilli(), t.Updated.UnixMilli(), []byte(data)); err != nil {
		return wrap("write task", err)
	}
	return wrap("write task", tx.Commit())
}

// Task implements store.Store.
func (s *Store) Task(ctx context.Context, sessionID, id string) (store.Task, error) {
	if err := s.check(); err != nil {
		return store.Task{}, err
	}
	t := store.Task{SessionID: sessionID, ID: id}
	var created, updated int64
	err := s.r.QueryRowContext(ctx, `SELECT created_ms, updated_ms, data FROM tasks WHERE session_id = ? AND id = ?`,
		sessionID, id).Scan(&created, &updated, &t.Data)
	if errors.Is(err, sql.ErrNoRows) {
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
	if _, err := getSession(ctx, s.r, sessionID); err != nil {
		return nil, err
	}
	rs, err := s.r.QueryContext(ctx, `SELECT id, created_ms, updated_ms, data FROM tasks WHERE session_id = ?
		ORDER BY created_ms, id`, sessionID)
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

// whereLabels builds the WHERE clause (with its leading space, or "") of a
// listing of table: live when only is set, and every label in labels.
func whereLabels(table string, only bool, live string, labels map[string]string) (string, []any) {
	var where []string
	var args []any
	if only {
		where = append(where, live)
	}
	for k, v := range labels {
		where = append(where, "EXISTS (SELECT 1 FROM json_each("+table+".labels) WHERE key = ? AND value = ?)")
		args = append(args, k, v)
	}
	if len(where) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(where, " AND "), args
}
