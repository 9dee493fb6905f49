// Package postgres is the shared store.Store: many rkat processes on many
// nodes keep their realms in one Postgres database (github.com/jackc/pgx/v5),
// each realm a value of the realm column of every table.
//
// Open applies the embedded migrations (schema_migrations records the
// applied versions; an advisory lock keeps concurrent starters from racing).
// The pgxpool pool is bounded by Config.MaxConns, every statement by
// Config.StatementTimeout, and transactions that fail with a serialization
// failure or deadlock are retried a bounded number of times. Lease times use
// the database's clock, so nodes with skewed clocks agree on expiry.
// Records (mob state) are replaced under a row lock after a revision check;
// each append-only log has a head row whose upsert numbers its entries, so
// concurrent appends from any node get consecutive cursors.
//
// Goroutines: none of its own beyond pgxpool's; ListenEvents holds one
// connection, hijacked from the pool, for its caller's goroutine until its
// context ends. Cross-node events use NOTIFY on one channel; each notice
// names its realm. A payload (up to store.MaxEventPayload) too large for one
// notice is cut into parts sent by one statement, so queued all or none, and
// the listener joins them, holding at most maxPartial incomplete payloads;
// those it drops are counted (DroppedEvents) and logged to Config.Logger
// (realm.Open passes the logger of its caller: rkat serve's and rkat-rpc's
// host logger; none for rkat run and the other commands).
package postgres
