package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Record is a versioned JSON document of a realm, keyed by kind and id
// (a mob, a realm mob profile). Revision is 1 when created and grows by
// one with every write.
type Record struct {
	Kind, ID string
	Data     json.RawMessage
	Revision uint64
	Created  time.Time
	Updated  time.Time
}

// LogEntry is one entry of an append-only log of a realm (a mob's events).
// Cursors of one log start at 1 and grow by one.
type LogEntry struct {
	Cursor  uint64
	Data    json.RawMessage
	Created time.Time
}

// Records is the store of versioned documents and append-only logs (mob
// state); every Store keeps them.
type Records interface {
	// PutRecord writes r.Data. expected 0 creates the record (ErrExists if
	// it exists); expected N replaces it only at revision N (ErrNotFound
	// when missing, *ConflictError when stale). It returns the record
	// written.
	PutRecord(ctx context.Context, r Record, expected uint64) (Record, error)
	// Record returns one record, or ErrNotFound.
	Record(ctx context.Context, kind, id string) (Record, error)
	// RecordsOf returns every record of kind, ordered by id.
	RecordsOf(ctx context.Context, kind string) ([]Record, error)
	// DeleteRecord removes a record and returns its last revision: at
	// revision expected, or whatever its revision with expected 0.
	// ErrNotFound when missing, *ConflictError when stale.
	DeleteRecord(ctx context.Context, kind, id string, expected uint64) (uint64, error)
	// Append adds data to log and returns its cursor.
	Append(ctx context.Context, log string, data json.RawMessage) (uint64, error)
	// Log returns up to limit entries (0 = all) after cursor after, oldest
	// first, and the log's watermark (its last cursor, 0 when empty).
	Log(ctx context.Context, log string, after uint64, limit int) ([]LogEntry, uint64, error)
}

// ValidateRecord checks a record's key and data before a write.
func ValidateRecord(r Record) error {
	if r.Kind == "" || r.ID == "" {
		return fmt.Errorf("%w: record kind and id are required", ErrInvalid)
	}
	if !json.Valid(r.Data) {
		return fmt.Errorf("%w: record data is not JSON", ErrInvalid)
	}
	return nil
}

// ValidateLog checks an append before it is written.
func ValidateLog(log string, data json.RawMessage) error {
	if log == "" {
		return fmt.Errorf("%w: log name is required", ErrInvalid)
	}
	if !json.Valid(data) {
		return fmt.Errorf("%w: log entry is not JSON", ErrInvalid)
	}
	return nil
}
