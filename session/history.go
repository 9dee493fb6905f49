package session

import (
	"context"
	"fmt"
	"sync"

	"github.com/rkat-dev/rkat/store"
)

// historyCache keeps the committed rows of recently used sessions, so that
// a turn reads only the rows committed since the session's last turn
// instead of reloading and decoding the whole history. Rows are only ever
// appended, so a cached prefix stays valid; a session whose cache holds
// more rows than the store counts (never expected) is reloaded.
type historyCache struct {
	mu       sync.Mutex
	sessions map[string][]store.Row
}

// rows returns the first total committed rows of session id. The returned
// slice is shared: callers must not modify it (appending is safe, it is
// clipped).
func (c *historyCache) rows(ctx context.Context, st store.Store, id string, total int) ([]store.Row, error) {
	c.mu.Lock()
	rows := c.sessions[id]
	c.mu.Unlock()
	if len(rows) > total {
		rows = nil
	}
	if len(rows) < total {
		more, _, err := st.Rows(ctx, id, len(rows), 0)
		if err != nil {
			return nil, fmt.Errorf("session: history of %s: %w", id, err)
		}
		rows = append(rows[:len(rows):len(rows)], more...)
		c.mu.Lock()
		if c.sessions == nil {
			c.sessions = map[string][]store.Row{}
		}
		makeRoom(c.sessions, id)
		c.sessions[id] = rows
		c.mu.Unlock()
	}
	return rows[:len(rows):len(rows)], nil
}

// view returns the rows that make up the model's transcript: from the
// last compaction summary on, the summary first, then the rows it keeps.
func view(rows []store.Row) []store.Row {
	k := lastSummary(rows)
	if k < 0 {
		return rows
	}
	r := rows[k]
	out := make([]store.Row, 0, len(rows)-r.Replaces)
	out = append(out, r)
	out = append(out, rows[r.Replaces:k]...)
	return append(out, rows[k+1:]...)
}

// lastSummary returns the index of the last compaction summary row of rows
// (one that replaces rows before it), or -1.
func lastSummary(rows []store.Row) int {
	for k := len(rows) - 1; k >= 0; k-- {
		if r := rows[k]; r.TranscriptRole == store.TranscriptCompactionSummary && r.Replaces <= k {
			return k
		}
	}
	return -1
}
