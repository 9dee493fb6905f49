package session

// Running returns the number of turns running now, so that a server
// shutting down can let them finish before Close interrupts the rest.
func (s *Service) Running() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, e := range s.live {
		if e.running {
			n++
		}
	}
	return n
}
