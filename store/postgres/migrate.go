package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations are applied in order; schema_migrations holds the version of
// each applied one. Every table is keyed by realm first.
var migrations = []string{
	`CREATE TABLE sessions (
		realm TEXT NOT NULL,
		id TEXT NOT NULL,
		session_realm TEXT NOT NULL,
		model TEXT NOT NULL,
		provider TEXT NOT NULL,
		labels JSONB,
		created_ms BIGINT NOT NULL,
		updated_ms BIGINT NOT NULL,
		archived BOOLEAN NOT NULL DEFAULT false,
		message_count INTEGER NOT NULL DEFAULT 0,
		runs INTEGER NOT NULL DEFAULT 0,
		input_tokens BIGINT NOT NULL DEFAULT 0,
		output_tokens BIGINT NOT NULL DEFAULT 0,
		cache_creation_tokens BIGINT NOT NULL DEFAULT 0,
		cache_read_tokens BIGINT NOT NULL DEFAULT 0,
		last_assistant_text TEXT NOT NULL DEFAULT '',
		last_seq BIGINT NOT NULL DEFAULT 0,
		settings BYTEA,
		deferred BYTEA,
		lease_owner TEXT NOT NULL DEFAULT '',
		lease_token BIGINT NOT NULL DEFAULT 0,
		lease_expires_ms BIGINT NOT NULL DEFAULT 0,
		PRIMARY KEY (realm, id)
	);
	CREATE INDEX sessions_by_created ON sessions (realm, created_ms DESC, id COLLATE "C" DESC);
	CREATE TABLE history (
		realm TEXT NOT NULL,
		session_id TEXT NOT NULL,
		idx INTEGER NOT NULL,
		created_ms BIGINT NOT NULL,
		data BYTEA NOT NULL,
		PRIMARY KEY (realm, session_id, idx)
	);
	CREATE TABLE idempotency (
		realm TEXT NOT NULL,
		session_id TEXT NOT NULL,
		key TEXT NOT NULL,
		created_ms BIGINT NOT NULL,
		PRIMARY KEY (realm, session_id, key)
	);
	CREATE TABLE realm_config (
		realm TEXT PRIMARY KEY,
		data TEXT NOT NULL,
		generation BIGINT NOT NULL
	);`,
	// 2: schedules and their occurrences (one occurrence per schedule,
	// revision and ordinal, so concurrent planners store each once).
	`CREATE TABLE schedules (
		realm TEXT NOT NULL,
		id TEXT NOT NULL,
		phase TEXT NOT NULL,
		revision BIGINT NOT NULL,
		version BIGINT NOT NULL,
		labels JSONB,
		created_ms BIGINT NOT NULL,
		plan_at_ms BIGINT,
		data BYTEA NOT NULL,
		PRIMARY KEY (realm, id)
	);
	CREATE INDEX schedules_by_created ON schedules (realm, created_ms, id COLLATE "C");
	CREATE INDEX schedules_to_plan ON schedules (realm, plan_at_ms) WHERE plan_at_ms IS NOT NULL AND phase = 'active';
	CREATE TABLE occurrences (
		realm TEXT NOT NULL,
		id TEXT NOT NULL,
		schedule_id TEXT NOT NULL,
		revision BIGINT NOT NULL,
		ordinal BIGINT NOT NULL,
		phase TEXT NOT NULL,
		due_ms BIGINT NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		owner TEXT NOT NULL DEFAULT '',
		lease_ms BIGINT NOT NULL DEFAULT 0,
		fence BIGINT NOT NULL DEFAULT 0,
		superseded_by BIGINT NOT NULL DEFAULT 0,
		data BYTEA NOT NULL,
		PRIMARY KEY (realm, id),
		UNIQUE (realm, schedule_id, revision, ordinal),
		FOREIGN KEY (realm, schedule_id) REFERENCES schedules (realm, id)
	);
	CREATE INDEX occurrences_of_schedule ON occurrences (realm, schedule_id, due_ms, ordinal);
	CREATE INDEX occurrences_pending ON occurrences (realm, due_ms) WHERE phase = 'pending';
	CREATE INDEX occurrences_leased ON occurrences (realm, lease_ms) WHERE phase IN ('claimed', 'dispatching');`,
	// 3: the tasks of sessions.
	`CREATE TABLE tasks (
		realm TEXT NOT NULL,
		session_id TEXT NOT NULL,
		id TEXT NOT NULL,
		created_ms BIGINT NOT NULL,
		updated_ms BIGINT NOT NULL,
		data BYTEA NOT NULL,
		PRIMARY KEY (realm, session_id, id)
	);`,
	// 4: versioned records and append-only logs (mob state). log_heads
	// holds each log's last cursor; Append bumps it and inserts the entry in
	// one statement, so cursors of a log have neither gaps nor twins.
	`CREATE TABLE records (
		realm TEXT NOT NULL,
		kind TEXT NOT NULL,
		id TEXT COLLATE "C" NOT NULL,
		data BYTEA NOT NULL,
		revision BIGINT NOT NULL,
		created_ms BIGINT NOT NULL,
		updated_ms BIGINT NOT NULL,
		PRIMARY KEY (realm, kind, id)
	);
	CREATE TABLE log_heads (
		realm TEXT NOT NULL,
		log TEXT NOT NULL,
		last_cursor BIGINT NOT NULL,
		PRIMARY KEY (realm, log)
	);
	CREATE TABLE log_entries (
		realm TEXT NOT NULL,
		log TEXT NOT NULL,
		cursor BIGINT NOT NULL,
		created_ms BIGINT NOT NULL,
		data BYTEA NOT NULL,
		PRIMARY KEY (realm, log, cursor),
		FOREIGN KEY (realm, log) REFERENCES log_heads (realm, log)
	);`,
}

// SchemaVersion is the number of migrations this binary applies.
func SchemaVersion() int { return len(migrations) }

// migrationLock is the advisory lock key held while migrating ("rkat").
const migrationLock = 0x726b6174

// migrate applies the migrations the database has not seen yet, in one
// transaction under an advisory lock, so concurrent starters apply each
// exactly once.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var version int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
			return err
		}
		if version > len(migrations) {
			return fmt.Errorf("database schema version %d is newer than this binary's %d", version, len(migrations))
		}
		for v := version; v < len(migrations); v++ {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migration %d: %w", v+1, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v+1); err != nil {
				return fmt.Errorf("migration %d: %w", v+1, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	return nil
}
