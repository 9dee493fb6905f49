package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/rkat-dev/rkat/store"
)

// eventChannel is the NOTIFY channel of every realm; each notice names its
// realm.
const eventChannel = "rkat_events"

// Limits of the notices that carry a payload. Postgres takes NOTIFY
// payloads of fewer than 8000 bytes; a payload that does not fit in one
// notice is cut into parts, all sent by one statement (so in one
// transaction: every part is queued, or none is), and joined again by the
// listener.
const (
	maxNotice = 7999
	// minPart is the least payload a part must carry; a realm name so long
	// that its header leaves less is refused.
	minPart = 1024
	// maxParts bounds the parts of one payload.
	maxParts = store.MaxEventPayload/(minPart-utf8.UTFMax) + 1
	// maxPartial bounds the payloads a listener joins at once: past it the
	// oldest incomplete one is dropped. A transaction's notices reach a
	// listener one after another, and all parts of a payload are sent by
	// one statement, so one payload at most is in progress unless notices
	// are malformed or forged; the bound keeps those from piling up.
	maxPartial = 4
)

// header precedes a notice's payload, separated from it by a newline (its
// JSON encoding holds none). The payload text follows verbatim: it is
// valid UTF-8 JSON, which holds no NUL byte, so NOTIFY takes it as is.
type header struct {
	Realm string `json:"r"`
	// ID, Index and Count are set on the parts of a payload cut in several.
	ID    string `json:"m,omitempty"`
	Index int    `json:"i,omitempty"`
	Count int    `json:"n,omitempty"`
}

var _ store.EventBus = (*Store)(nil)

// PublishEvent implements store.EventBus with pg_notify.
func (s *Store) PublishEvent(ctx context.Context, payload []byte) error {
	if err := s.check(); err != nil {
		return err
	}
	if len(payload) > store.MaxEventPayload || !utf8.Valid(payload) || !json.Valid(payload) {
		return fmt.Errorf("%w: event payload must be JSON of at most %d bytes", store.ErrInvalid, store.MaxEventPayload)
	}
	notices, err := s.notices(payload)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `SELECT pg_notify($1, n) FROM unnest($2::text[]) AS n`, eventChannel, notices)
	return wrap("publish event", err)
}

// notices frames payload as one notice, or as parts cut at UTF-8 rune
// boundaries when it does not fit in one.
func (s *Store) notices(payload []byte) ([]string, error) {
	if whole := frame(header{Realm: s.realm}, payload); len(whole) <= maxNotice {
		return []string{whole}, nil
	}
	id := uuid.NewString()
	// No header is longer than one with both numbers at len(payload).
	room := maxNotice - len(frame(header{Realm: s.realm, ID: id, Index: len(payload), Count: len(payload)}, nil))
	if room < minPart {
		return nil, fmt.Errorf("%w: realm name too long for the event bus", store.ErrInvalid)
	}
	var parts [][]byte
	for rest := payload; len(rest) > 0; {
		n := min(room, len(rest))
		for n < len(rest) && !utf8.RuneStart(rest[n]) {
			n--
		}
		parts = append(parts, rest[:n])
		rest = rest[n:]
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = frame(header{Realm: s.realm, ID: id, Index: i, Count: len(parts)}, p)
	}
	return out, nil
}

func frame(h header, body []byte) string {
	b, _ := json.Marshal(h) // strings and ints only
	b = append(b, '\n')
	return string(append(b, body...))
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
	j := joiner{partial: map[string]*partial{}}
	defer func() {
		s.dropped(len(j.partial), "the listener stopped")
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
		head, body, ok := bytes.Cut([]byte(n.Payload), []byte{'\n'})
		var h header
		if !ok || json.Unmarshal(head, &h) != nil || h.Realm != s.realm {
			continue
		}
		if h.Count <= 1 {
			fn(body)
			continue
		}
		payload, evicted := j.add(h, body)
		s.dropped(evicted, "too many incomplete at once")
		if payload != nil {
			fn(payload)
		}
	}
}

// DroppedEvents returns the number of payloads published in parts that a
// listener of this store dropped incomplete.
func (s *Store) DroppedEvents() uint64 { return s.droppedEvents.Load() }

func (s *Store) dropped(n int, why string) {
	if n > 0 {
		total := s.droppedEvents.Add(uint64(n))
		s.log.Warn("event bus: dropped incomplete events", "count", n, "reason", why, "total", total)
	}
}

// joiner joins the parts of payloads for one listener.
type joiner struct {
	partial map[string]*partial
	order   []string // ids of partial, oldest first
}

type partial struct {
	parts [][]byte
	got   int // parts received
	size  int // their bytes
}

// add records one part. It returns the payload once its last part
// arrived, and the number of incomplete payloads it dropped to stay within
// maxPartial. Malformed parts and repeated ones are ignored.
func (j *joiner) add(h header, body []byte) (payload []byte, evicted int) {
	if h.ID == "" || h.Count > maxParts || h.Index < 0 || h.Index >= h.Count {
		return nil, 0
	}
	p := j.partial[h.ID]
	if p == nil {
		if len(j.order) == maxPartial {
			j.remove(j.order[0])
			evicted = 1
		}
		p = &partial{parts: make([][]byte, h.Count)}
		j.partial[h.ID] = p
		j.order = append(j.order, h.ID)
	}
	if len(p.parts) != h.Count || p.parts[h.Index] != nil {
		return nil, evicted
	}
	if p.size+len(body) > store.MaxEventPayload {
		j.remove(h.ID)
		return nil, evicted + 1
	}
	p.parts[h.Index] = append([]byte{}, body...) // non-nil, also when empty
	p.got++
	p.size += len(body)
	if p.got < h.Count {
		return nil, evicted
	}
	j.remove(h.ID)
	return bytes.Join(p.parts, nil), evicted
}

func (j *joiner) remove(id string) {
	delete(j.partial, id)
	for i, x := range j.order {
		if x == id {
			j.order = append(j.order[:i], j.order[i+1:]...)
			break
		}
	}
}
