package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rkat-dev/rkat/store"
)

// eventChannel is the NOTIFY channel of every realm; the payload names the
// realm.
const eventChannel = "rkat_events"

type notice struct {
	Realm   string          `json:"r"`
	Payload json.RawMessage `json:"p"`
}

var _ store.EventBus = (*Store)(nil)

// PublishEvent implements store.EventBus with pg_notify. payload must be
// JSON.
func (s *Store) PublishEvent(ctx context.Context, payload []byte) error {
	if err := s.check(); err != nil {
		return err
	}
	if len(payload) > store.MaxEventPayload || !json.Valid(payload) {
		return fmt.Errorf("%w: event payload must be JSON of at most %d bytes", store.ErrInvalid, store.MaxEventPayload)
	}
	b, err := json.Marshal(notice{Realm: s.realm, Payload: payload})
	if err != nil {
		return fmt.Errorf("%w: %w", store.ErrInvalid, err)
	}
	_, err = s.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, eventChannel, string(b))
	return wrap("publish event", err)
}

// ListenEvents implements store.EventBus: it takes one connection out of
// the pool, LISTENs on it until ctx ends, then closes it.
func (s *Store) ListenEvents(ctx context.Context, ready func(), fn func(payload []byte)) error {
	if err := s.check(); err != nil {
		return err
	}
	pc, err := s.pool.Acquire(ctx)
	if err != nil {
		return wrap("listen", err)
	}
	conn := pc.Hijack()
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+eventChannel); err != nil {
		return wrap("listen", err)
	}
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return wrap("listen", err)
		}
		var msg notice
		if json.Unmarshal([]byte(n.Payload), &msg) != nil || msg.Realm != s.realm {
			continue
		}
		fn(msg.Payload)
	}
}
