package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rkat-dev/rkat/store"
)

// defaultLeaseTTL is how long a turn's store lease lasts without renewal:
// the longest a crashed process keeps its sessions busy for the others.
const defaultLeaseTTL = 10 * time.Second

// turnLease is the store lease a running turn holds on its session, so that
// no other process runs a turn there at the same time. A goroutine renews it
// every third of its TTL until end; if the store reports it fenced off
// (it expired and another owner claimed the session) the turn is cancelled,
// and its commit, carrying the stale token, is refused.
type turnLease struct {
	st    store.Store
	lease store.Lease
	svc   *Service
	e     *entry // the turn's, whose lease this is until end
	stop  chan struct{}
	done  chan struct{}
}

// claimLease leases session id for the turn running on its entry e (begin
// marked it running) and records the lease in e.lease until end; a lease
// held elsewhere is ErrBusy. A renewal that finds the lease lost cancels
// the turn.
func (s *Service) claimLease(ctx context.Context, e *entry, id string) (*turnLease, error) {
	l, err := s.cfg.Store.Claim(ctx, id, s.cfg.LeaseOwner, s.cfg.LeaseTTL)
	switch {
	case errors.Is(err, store.ErrLeased):
		return nil, fmt.Errorf("%w: %s (a turn runs in another process)", ErrBusy, id)
	case errors.Is(err, store.ErrNotFound):
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	case err != nil:
		return nil, fmt.Errorf("session: lease %s: %w", id, err)
	}
	tl := &turnLease{st: s.cfg.Store, lease: l, svc: s, e: e, stop: make(chan struct{}), done: make(chan struct{})}
	s.mu.Lock()
	e.lease = tl
	s.mu.Unlock()
	go tl.renew(s.cfg.LeaseTTL)
	return tl, nil
}

// renew extends the lease until stop is closed. Transient store errors are
// retried at the next tick; the lease is lost only when fenced off.
func (tl *turnLease) renew(ttl time.Duration) {
	defer close(tl.done)
	tick := time.NewTicker(ttl / 3)
	defer tick.Stop()
	for {
		select {
		case <-tl.stop:
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), ttl/3)
			_, err := tl.st.Renew(ctx, tl.lease, ttl)
			cancel()
			if errors.Is(err, store.ErrFenced) {
				tl.svc.cancelTurn(tl.e)
				return
			}
		}
	}
}

// token is the fencing token commits of the turn carry (0 without a lease).
func (tl *turnLease) token() uint64 {
	if tl == nil {
		return 0
	}
	return tl.lease.Token
}

// end stops the renewals and releases the lease.
func (tl *turnLease) end(ctx context.Context) error {
	close(tl.stop)
	<-tl.done
	tl.svc.mu.Lock()
	tl.e.lease = nil
	tl.svc.mu.Unlock()
	if err := tl.st.Release(ctx, tl.lease); err != nil {
		return fmt.Errorf("session: release lease of %s: %w", tl.lease.SessionID, err)
	}
	return nil
}
