package agent

import (
	"math/rand/v2"
	"time"
)

// resolved returns p with defaults filled in.
func (p RetryPolicy) resolved() RetryPolicy {
	switch {
	case p.MaxRetries == 0:
		p.MaxRetries = DefaultMaxRetries
	case p.MaxRetries < 0:
		p.MaxRetries = 0
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	return p
}

// delay is the wait before retry number n (0 for the first retry):
// exponential backoff from BaseDelay with "equal jitter" (a random point in
// the upper half), at least retryAfter, at most MaxDelay.
func (p RetryPolicy) delay(n int, retryAfter time.Duration) time.Duration {
	d := p.MaxDelay
	if n < 32 && p.BaseDelay<<n > 0 && p.BaseDelay<<n < p.MaxDelay {
		d = p.BaseDelay << n
	}
	d = d/2 + rand.N(d/2+1)
	return min(max(d, retryAfter), p.MaxDelay)
}

// sleep waits for d or until the run stops.
func (r *runner) sleep(d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-r.ctx.Done():
		return r.stopped()
	}
}
