package session

import "context"

// LiveCount reports how many sessions hold in-memory state (tests only).
func (s *Service) LiveCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}

// InterruptRemote sends the relay's interrupt of session id's turn holding
// lease token to process owner (tests only).
func (s *Service) InterruptRemote(ctx context.Context, owner, id string, token uint64) error {
	return s.relay.interrupt(ctx, owner, id, token)
}
