package session

import (
	"context"
	"fmt"
	"time"
)

// Input states reported by InputStatus.
const (
	// InputQueued: held while a turn runs; the next turn boundary commits it.
	InputQueued = "queued"
	// InputApplied: committed to the session's history.
	InputApplied = "applied"
)

// InputState is what InputStatus knows of one input.
type InputState struct {
	Key     string // the input's id or idempotency key
	State   string // InputQueued or InputApplied
	Created time.Time
}

// InputStatus finds an input of a session by key: the id ExternalEvent
// returned, or the idempotency key given to InjectContext. It returns nil
// when no input of the session carries the key.
func (s *Service) InputStatus(ctx context.Context, id, key string) (*InputState, error) {
	if key == "" {
		return nil, fmt.Errorf("%w: empty input key", ErrInvalid)
	}
	if _, err := s.load(ctx, id); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if e := s.live[id]; e != nil {
		if at, ok := e.pendingKeys[key]; ok {
			s.mu.Unlock()
			return &InputState{Key: key, State: InputQueued, Created: at}, nil
		}
	}
	s.mu.Unlock()
	found, err := s.cfg.Store.HasKey(ctx, id, key)
	if err != nil || !found {
		return nil, err
	}
	for offset := 0; ; offset += defaultPageLimit * 10 {
		rows, total, err := s.cfg.Store.Rows(ctx, id, offset, defaultPageLimit*10)
		if err != nil {
			return nil, fmt.Errorf("session: input status: %w", err)
		}
		for _, r := range rows {
			if r.IdempotencyKey == key {
				return &InputState{Key: key, State: InputApplied, Created: r.Created}, nil
			}
		}
		if len(rows) == 0 || offset+len(rows) >= total {
			return nil, fmt.Errorf("session: input %s is recorded but not in the history of %s", key, id)
		}
	}
}
