package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rkat-dev/rkat/store"
)

// Config configures a Store.
type Config struct {
	// URL is the connection string (postgres://user:pass@host:port/db?...).
	URL string
	// Realm is the realm this store holds; required.
	Realm string
	// MaxConns bounds the connection pool; zero means the URL's
	// pool_max_conns, else 8.
	MaxConns int32
	// StatementTimeout bounds every statement on the server; zero means the
	// URL's statement_timeout (milliseconds), else 10 s.
	StatementTimeout time.Duration
	// Logger receives warnings of the event bus (events dropped
	// incomplete); nil discards them.
	Logger *slog.Logger
}

// Defaults of Config.
const (
	defaultMaxConns         = 8
	defaultStatementTimeout = 10 * time.Second
)

// Store is a Postgres-backed store.Store for one realm.
type Store struct {
	pool          *pgxpool.Pool
	realm         string
	log           *slog.Logger
	closed        atomic.Bool
	droppedEvents atomic.Uint64 // see DroppedEvents
}

var _ store.Store = (*Store)(nil)

// maxAttempts bounds the retries of a transaction that hit a serialization
// failure or a deadlock.
const maxAttempts = 5

// Open connects, migrates the schema and returns the store of cfg.Realm.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Realm == "" {
		return nil, fmt.Errorf("postgres: %w: a realm is required", store.ErrInvalid)
	}
	pc, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w: %w", store.ErrInvalid, err)
	}
	if cfg.MaxConns > 0 {
		pc.MaxConns = cfg.MaxConns
	} else if !strings.Contains(cfg.URL, "pool_max_conns") {
		pc.MaxConns = defaultMaxConns
	}
	pc.MaxConnIdleTime = 5 * time.Minute
	if cfg.StatementTimeout > 0 || pc.ConnConfig.RuntimeParams["statement_timeout"] == "" {
		if cfg.StatementTimeout <= 0 {
			cfg.StatementTimeout = defaultStatementTimeout
		}
		pc.ConnConfig.RuntimeParams["statement_timeout"] = fmt.Sprint(cfg.StatementTimeout.Milliseconds())
	}
	pc.ConnConfig.RuntimeParams["application_name"] = "rkat"
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Store{pool: pool, realm: cfg.Realm, log: log}, nil
}

// Close implements store.Store.
func (s *Store) Close() error {
	if !s.closed.Swap(true) {
		s.pool.Close()
	}
	return nil
}

func (s *Store) check() error {
	if s.closed.Load() {
		return store.ErrClosed
	}
	return nil
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// retryable reports a serialization failure or deadlock.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// inTx runs fn in a transaction, retrying on serialization failures.
func (s *Store) inTx(ctx context.Context, op string, fn func(pgx.Tx) error) error {
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		err = pgx.BeginFunc(ctx, s.pool, fn)
		if !retryable(err) {
			break
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return wrap(op, err)
	}
	return err
}

const sessionColumns = `id, session_realm, model, provider, labels, created_ms, updated_ms, archived, message_count, runs,
	input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, last_assistant_text, last_seq, settings, deferred`

func scanSession(row pgx.Row) (store.Session, error) {
	var s store.Session
	var labels, settings, deferred []byte
	var created, updated, lastSeq, leaseToken, leaseExpires int64
	err := row.Scan(&s.ID, &s.Realm, &s.Model, &s.Provider, &labels, &created, &updated, &s.Archived,
		&s.MessageCount, &s.Runs, &s.Usage.InputTokens, &s.Usage.OutputTokens, &s.Usage.CacheCreationTokens,
		&s.Usage.CacheReadTokens, &s.LastAssistantText, &lastSeq, &settings, &deferred,
		&s.Lease.Owner, &leaseToken, &leaseExpires)
	if err != nil {
		return s, err
	}
	if len(labels) > 0 {
		if err := json.Unmarshal(labels, &s.Labels); err != nil {
			return s, fmt.Errorf("labels of %s: %w", s.ID, err)
		}
		if len(s.Labels) == 0 {
			s.Labels = nil
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

func labelsJSON(m map[string]string) ([]byte, error) {
	if len(m) == 0 {
		return nil, nil
	}
	return json.Marshal(m)
}

func blob(b json.RawMessage) []byte {
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
	tag, err := s.pool.Exec(ctx, `INSERT INTO sessions (realm, `+sessionColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11, $12, $13, $14, $15, $16, $17, $18)
		ON CONFLICT (realm, id) DO NOTHING`,
		s.realm, sess.ID, sess.Realm, sess.Model, sess.Provider, labels, sess.Created.UnixMilli(), sess.Updated.UnixMilli(),
		sess.Archived, sess.Runs, sess.Usage.InputTokens, sess.Usage.OutputTokens, sess.Usage.CacheCreationTokens,
		sess.Usage.CacheReadTokens, sess.LastAssistantText, int64(sess.LastSeq), blob(sess.Settings), blob(sess.Deferred))
	if err != nil {
		return wrap("create session", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: %s", store.ErrExists, sess.ID)
	}
	return nil
}

// Session implements store.Store.
func (s *Store) Session(ctx context.Context, id string) (store.Session, error) {
	if err := s.check(); err != nil {
		return store.Session{}, err
	}
	return s.getSession(ctx, s.pool, id, "")
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// getSession reads a session; lock is "" or a locking clause.
func (s *Store) getSession(ctx context.Context, q querier, id, lock string) (store.Session, error) {
	sess, err := scanSession(q.QueryRow(ctx, `SELECT `+sessionColumns+`, lease_owner, lease_token, lease_expires_ms FROM sessions WHERE realm = $1 AND id = $2`+lock, s.realm, id))
	if errors.Is(err, pgx.ErrNoRows) {
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
	where := []string{"realm = $1"}
	args := []any{s.realm}
	if !q.IncludeArchived {
		where = append(where, "NOT archived")
	}
	if len(q.Labels) > 0 {
		want, err := json.Marshal(q.Labels)
		if err != nil {
			return nil, 0, fmt.Errorf("%w: labels: %w", store.ErrInvalid, err)
		}
		args = append(args, want)
		where = append(where, fmt.Sprintf("labels @> $%d::jsonb", len(args)))
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM sessions`+cond, args...).Scan(&total); err != nil {
		return nil, 0, wrap("count sessions", err)
	}
	var limit any // NULL: no limit
	if q.Limit > 0 {
		limit = q.Limit
	}
	args = append(args, limit, q.Offset)
	rows, err := s.pool.Query(ctx, `SELECT `+sessionColumns+`, lease_owner, lease_token, lease_expires_ms FROM sessions`+cond+
		fmt.Sprintf(` ORDER BY created_ms DESC, id COLLATE "C" DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
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

// Commit implements store.Store. The session row is locked for the
// transaction, so commits of one session are serialized across nodes.
func (s *Store) Commit(ctx context.Context, c store.Commit) (store.Session, error) {
	if err := s.check(); err != nil {
		return store.Session{}, err
	}
	if err := store.ValidateKeys(c.Keys); err != nil {
		return store.Session{}, err
	}
	var out store.Session
	err := s.inTx(ctx, "commit", func(tx pgx.Tx) error {
		var err error
		out, err = s.commitTx(ctx, tx, c)
		return err
	})
	return out, err
}

func (s *Store) commitTx(ctx context.Context, tx pgx.Tx, c store.Commit) (store.Session, error) {
	sess, err := s.getSession(ctx, tx, c.SessionID, " FOR UPDATE")
	if err != nil {
		return sess, err
	}
	if c.Fence != 0 && sess.Lease.Token != c.Fence { // getSession read the token, locked FOR UPDATE
		return sess, fmt.Errorf("%w: %s", store.ErrFenced, c.SessionID)
	}
	now := time.Now().UnixMilli()
	for _, k := range c.Keys {
		tag, err := tx.Exec(ctx, `INSERT INTO idempotency (realm, session_id, key, created_ms) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, s.realm, c.SessionID, k, now)
		if err != nil {
			return sess, err
		}
		if tag.RowsAffected() == 0 {
			return sess, fmt.Errorf("%w: %q", store.ErrDuplicateKey, k)
		}
	}
	if len(c.Rows) > 0 {
		batch := &pgx.Batch{}
		for i, r := range c.Rows {
			data, err := json.Marshal(r)
			if err != nil {
				return sess, fmt.Errorf("%w: row %d: %w", store.ErrInvalid, i, err)
			}
			created := r.Created
			if created.IsZero() {
				created = time.UnixMilli(now)
			}
			batch.Queue(`INSERT INTO history (realm, session_id, idx, created_ms, data) VALUES ($1, $2, $3, $4, $5)`,
				s.realm, c.SessionID, sess.MessageCount+i, created.UnixMilli(), data)
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return sess, err
		}
	}
	c.Update.Apply(&sess)
	sess.MessageCount += len(c.Rows)
	labels, err := labelsJSON(sess.Labels)
	if err != nil {
		return sess, fmt.Errorf("%w: labels: %w", store.ErrInvalid, err)
	}
	_, err = tx.Exec(ctx, `UPDATE sessions SET model = $3, provider = $4, labels = $5, updated_ms = $6, archived = $7,
		message_count = $8, runs = $9, input_tokens = $10, output_tokens = $11, cache_creation_tokens = $12, cache_read_tokens = $13,
		last_assistant_text = $14, last_seq = $15, settings = $16, deferred = $17 WHERE realm = $1 AND id = $2`,
		s.realm, sess.ID, sess.Model, sess.Provider, labels, sess.Updated.UnixMilli(), sess.Archived, sess.MessageCount, sess.Runs,
		sess.Usage.InputTokens, sess.Usage.OutputTokens, sess.Usage.CacheCreationTokens, sess.Usage.CacheReadTokens,
		sess.LastAssistantText, int64(sess.LastSeq), blob(sess.Settings), blob(sess.Deferred))
	return sess, err
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
	err := s.pool.QueryRow(ctx, `SELECT message_count FROM sessions WHERE realm = $1 AND id = $2`, s.realm, id).Scan(&total)
	if errors.Is(err, pgx.ErrNoRows) {
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
	rs, err := s.pool.Query(ctx, `SELECT created_ms, data FROM history WHERE realm = $1 AND session_id = $2 AND idx >= $3 AND idx < $4 ORDER BY idx`,
		s.realm, id, offset, end)
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
			return nil, 0, fmt.Errorf("postgres: row of %s: %w", id, err)
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
	var found, exists bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM idempotency WHERE realm = $1 AND session_id = $2 AND key = $3),
		EXISTS (SELECT 1 FROM sessions WHERE realm = $1 AND id = $2)`, s.realm, id, key).Scan(&found, &exists)
	if err != nil {
		return false, wrap("read key", err)
	}
	if !exists {
		return false, fmt.Errorf("%w: %s", store.ErrNotFound, id)
	}
	return found, nil
}

// Config implements store.Store.
func (s *Store) Config(ctx context.Context) (store.RealmConfig, error) {
	if err := s.check(); err != nil {
		return store.RealmConfig{}, err
	}
	return s.readConfig(ctx, s.pool, "")
}

func (s *Store) readConfig(ctx context.Context, q querier, lock string) (store.RealmConfig, error) {
	var data string
	var gen int64
	err := q.QueryRow(ctx, `SELECT data, generation FROM realm_config WHERE realm = $1`+lock, s.realm).Scan(&data, &gen)
	if errors.Is(err, pgx.ErrNoRows) {
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
	var next store.RealmConfig
	err = s.inTx(ctx, "write config", func(tx pgx.Tx) error {
		// The generation-0 row exists before it is locked, so two first
		// writers serialize on it too.
		if _, err := tx.Exec(ctx, `INSERT INTO realm_config (realm, data, generation) VALUES ($1, '{}', 0)
			ON CONFLICT (realm) DO NOTHING`, s.realm); err != nil {
			return err
		}
		cur, err := s.readConfig(ctx, tx, " FOR UPDATE")
		if err != nil {
			return err
		}
		if expected != nil && *expected != cur.Generation {
			return &store.ConflictError{Expected: *expected, Current: cur.Generation}
		}
		next = store.RealmConfig{Data: data, Generation: cur.Generation + 1}
		_, err = tx.Exec(ctx, `UPDATE realm_config SET data = $2, generation = $3 WHERE realm = $1`,
			s.realm, string(data), int64(next.Generation))
		return err
	})
	if err != nil {
		return store.RealmConfig{}, err
	}
	return next, nil
}

// nowMS is the database clock in Unix milliseconds.
const nowMS = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`

// Claim implements store.Store with one conditional UPDATE, atomic across
// nodes.
func (s *Store) Claim(ctx context.Context, id, owner string, ttl time.Duration) (store.Lease, error) {
	if err := s.check(); err != nil {
		return store.Lease{}, err
	}
	if err := store.ValidateLease(id, owner, ttl); err != nil {
		return store.Lease{}, err
	}
	l := store.Lease{SessionID: id, Owner: owner}
	var token, expires int64
	err := s.pool.QueryRow(ctx, `UPDATE sessions SET lease_owner = $3, lease_token = lease_token + 1, lease_expires_ms = `+nowMS+` + $4
		WHERE realm = $1 AND id = $2 AND (lease_owner = '' OR lease_expires_ms <= `+nowMS+`) RETURNING lease_token, lease_expires_ms`,
		s.realm, id, owner, ttl.Milliseconds()).Scan(&token, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		if _, err := s.getSession(ctx, s.pool, id, ""); err != nil {
			return store.Lease{}, err
		}
		return store.Lease{}, fmt.Errorf("%w: %s", store.ErrLeased, id)
	}
	if err != nil {
		return store.Lease{}, wrap("claim", err)
	}
	l.Token, l.Expires = uint64(token), time.UnixMilli(expires)
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
	var expires int64
	err := s.pool.QueryRow(ctx, `UPDATE sessions SET lease_expires_ms = `+nowMS+` + $4
		WHERE realm = $1 AND id = $2 AND lease_token = $3 AND lease_owner != '' RETURNING lease_expires_ms`,
		s.realm, l.SessionID, int64(l.Token), ttl.Milliseconds()).Scan(&expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Lease{}, fmt.Errorf("%w: %s", store.ErrFenced, l.SessionID)
	}
	if err != nil {
		return store.Lease{}, wrap("renew", err)
	}
	l.Expires = time.UnixMilli(expires)
	return l, nil
}

// Release implements store.Store.
func (s *Store) Release(ctx context.Context, l store.Lease) error {
	if err := s.check(); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `UPDATE sessions SET lease_owner = '', lease_expires_ms = 0 WHERE realm = $1 AND id = $2 AND lease_token = $3`,
		s.realm, l.SessionID, int64(l.Token))
	return wrap("release", err)
}
