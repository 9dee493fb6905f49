package session

// LiveCount reports how many sessions hold in-memory state (tests only).
func (s *Service) LiveCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}
