package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
)

// Labels put on a session created for an occurrence, so recovery finds it.
const (
	LabelSchedule   = "rkat.schedule_id"
	LabelOccurrence = "rkat.occurrence_id"
)

// Start runs the executor until Close: every Tick (or at once after a
// mutation) it plans due schedules and claims due occurrences for free
// delivery slots. It is a no-op without Config.Sessions or when started.
func (s *Service) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.cfg.Sessions == nil {
		return
	}
	s.started = true
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.loop.Add(1)
	go func() {
		defer s.loop.Done()
		t := time.NewTicker(s.cfg.Tick)
		defer t.Stop()
		for {
			if err := s.tick(ctx); err != nil && ctx.Err() == nil {
				s.cfg.Logger.Warn("schedule: tick failed", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-s.wake:
			}
		}
	}()
}

// Close stops the executor and waits for its deliveries to stop. A delivery
// cut short stays claimed in the store; another executor (or this realm's
// next process) takes it over when its lease expires.
func (s *Service) Close() error {
	s.mu.Lock()
	cancel := s.cancel
	s.cancel = nil
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	s.loop.Wait()
	s.work.Wait()
	return nil
}

// RunOnce plans and executes what is due now, synchronously: the
// executor's tick for tests and benchmarks that drive the clock. It
// returns the number of occurrences it claimed.
func (s *Service) RunOnce(ctx context.Context) (int, error) {
	if s.cfg.Sessions == nil {
		return 0, fmt.Errorf("%w: no session service to deliver to", ErrInvalid)
	}
	if err := s.planDue(ctx); err != nil {
		return 0, err
	}
	claimed, err := s.claim(ctx, s.cfg.MaxInFlight)
	for _, o := range claimed {
		s.execute(ctx, o)
	}
	return len(claimed), err
}

// tick is one bounded round of the executor: plan, then claim up to the
// free delivery slots and hand each claim to its own goroutine.
func (s *Service) tick(ctx context.Context) error {
	if err := s.planDue(ctx); err != nil {
		return err
	}
	free := cap(s.sem) - len(s.sem)
	if free == 0 {
		return nil
	}
	claimed, err := s.claim(ctx, free)
	for _, o := range claimed {
		s.sem <- struct{}{}
		s.work.Add(1)
		go func() {
			defer s.work.Done()
			s.execute(ctx, o)
			<-s.sem
			s.poke() // a slot is free: claim what is waiting without waiting for the tick
		}()
	}
	return err
}

func (s *Service) claim(ctx context.Context, limit int) ([]Occurrence, error) {
	rows, err := s.cfg.Store.ClaimOccurrences(ctx, store.Claim{Owner: s.cfg.Owner, Now: s.now(), Lease: s.cfg.Lease, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("schedule: claim: %w", err)
	}
	out := make([]Occurrence, 0, len(rows))
	for _, row := range rows {
		o, err := occurrenceOf(row)
		if err != nil {
			s.cfg.Logger.Warn("schedule: unreadable occurrence", "occurrence_id", row.ID, "err", err)
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

// execute takes one claimed occurrence to its outcome. Every write is fenced
// by the claim; losing it (another executor took over after the lease
// expired) abandons the occurrence to that executor.
func (s *Service) execute(ctx context.Context, o Occurrence) {
	now := s.now()
	if o.ClaimedAt == nil {
		o.ClaimedAt = &now
	}
	o.DeliveryCorrelationID = "schedule-occurrence:" + o.OccurrenceID
	d, err := parseTarget(o.TargetSnapshot)
	if err != nil {
		s.finish(ctx, o, store.OccurrenceDeliveryFailed, FailureRuntime, err.Error(), nil)
		return
	}
	if o.Phase == store.OccurrenceDispatching {
		// A previous executor died mid-delivery: finish what it delivered,
		// retry (below, under the misfire policy) what it did not.
		out, done, err := s.delivered(ctx, o, d)
		switch {
		case err != nil:
			s.cfg.Logger.Warn("schedule: recovery check failed", "occurrence_id", o.OccurrenceID, "err", err)
			return // lease expires; tried again later
		case done:
			s.finish(ctx, o, store.OccurrenceCompleted, "", "", out)
			return
		}
	}
	if late := now.Sub(o.DueAt); late > o.MisfirePolicy.window() {
		s.finish(ctx, o, store.OccurrenceMisfired, FailureLate,
			fmt.Sprintf("missed its time by %s (misfire policy %s allows %s)", late.Round(time.Millisecond),
				o.MisfirePolicy.Type, o.MisfirePolicy.window()), nil)
		return
	}
	if o.OverlapPolicy == OverlapSkipIfRunning {
		busy, err := s.otherRunning(ctx, o)
		if err != nil {
			s.cfg.Logger.Warn("schedule: overlap check failed", "occurrence_id", o.OccurrenceID, "err", err)
			return
		}
		if busy {
			s.finish(ctx, o, store.OccurrenceSkipped, FailureOverlap, "an earlier occurrence is still running", nil)
			return
		}
	}
	if d.Type != TargetMaterialize {
		if _, err := s.cfg.Sessions.Read(ctx, d.SessionID); errors.Is(err, session.ErrNotFound) || errors.Is(err, session.ErrArchived) ||
			errors.Is(err, session.ErrInvalid) {
			phase := store.OccurrenceMisfired
			if o.MissingTargetPolicy == MissingTargetSkip {
				phase = store.OccurrenceSkipped
			}
			s.finish(ctx, o, phase, FailureTargetMissing, err.Error(), nil)
			return
		}
	}
	o.Phase, o.DispatchedAt = store.OccurrenceDispatching, &now
	if err = s.save(ctx, o); err != nil {
		return
	}
	dctx, cancel := context.WithCancel(ctx)
	stopRenewal := s.renew(dctx, cancel, o)
	out, err := s.deliver(dctx, o, d)
	stopRenewal()
	if err = s.settle(ctx, o, out, err); err != nil {
		s.cfg.Logger.Info("schedule: occurrence left to lease expiry", "occurrence_id", o.OccurrenceID, "err", err)
	}
}

// settle records a delivery's result. A delivery cut short by shutdown is
// left claimed for recovery; a busy session puts the occurrence back.
func (s *Service) settle(ctx context.Context, o Occurrence, out *RuntimeOutcome, err error) error {
	switch {
	case err == nil:
		return s.finish(ctx, o, store.OccurrenceCompleted, "", "", out)
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, session.ErrBusy):
		// The session runs someone else's turn: back to pending, retried
		// next tick until the misfire window closes.
		o.Phase, o.ClaimedBy, o.LeaseExpiresAt = store.OccurrencePending, "", nil
		return s.save(ctx, o)
	default:
		return s.finish(ctx, o, store.OccurrenceDeliveryFailed, FailureRuntime, err.Error(), out)
	}
}

// renew extends the claim every Lease/3 while the delivery runs; losing it
// to another claim cancels the delivery through lost. The returned stop ends the renewal
// and waits for it, so no renewal lands after the final write.
func (s *Service) renew(ctx context.Context, lost context.CancelFunc, o Occurrence) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	s.work.Add(1)
	go func() {
		defer s.work.Done()
		defer close(done)
		t := time.NewTicker(s.cfg.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				exp := s.now().Add(s.cfg.Lease)
				o.LeaseExpiresAt = &exp
				// Another executor took the occurrence over: stop. Any other
				// failure is retried at the next renewal.
				if err := s.save(context.WithoutCancel(ctx), o); errors.Is(err, store.ErrLeaseLost) {
					lost()
					return
				}
			}
		}
	}()
	return func() {
		close(quit)
		<-done
		lost()
	}
}

// save writes o under its claim.
func (s *Service) save(ctx context.Context, o Occurrence) error {
	row, err := o.row()
	if err != nil {
		return fmt.Errorf("schedule: encode occurrence: %w", err)
	}
	if _, err := s.cfg.Store.UpdateOccurrence(ctx, s.cfg.Owner, row); err != nil {
		if !errors.Is(err, store.ErrLeaseLost) {
			s.cfg.Logger.Warn("schedule: occurrence write failed", "occurrence_id", o.OccurrenceID, "err", err)
		}
		return err
	}
	return nil
}

// finish moves o to a final phase and releases its claim.
func (s *Service) finish(ctx context.Context, o Occurrence, phase, class, detail string, out *RuntimeOutcome) error {
	now := s.now()
	o.Phase, o.FailureClass, o.FailureDetail, o.CompletedAt = phase, class, detail, &now
	if out != nil {
		o.RuntimeOutcome = out
	}
	o.LeaseExpiresAt = nil
	return s.save(context.WithoutCancel(ctx), o)
}

// otherRunning reports whether another occurrence of o's schedule is in
// flight.
func (s *Service) otherRunning(ctx context.Context, o Occurrence) (bool, error) {
	rows, err := s.cfg.Store.Occurrences(ctx, store.OccurrenceQuery{ScheduleID: o.ScheduleID,
		Phases: []string{store.OccurrenceDispatching, store.OccurrenceAwaitingCompletion}})
	if err != nil {
		return false, err
	}
	for _, r := range rows {
		if r.ID != o.OccurrenceID {
			return true, nil
		}
	}
	return false, nil
}

// deliver runs the occurrence's action through the session service, keyed
// by its delivery correlation id so that a retry after a crash can tell
// whether the first attempt committed.
func (s *Service) deliver(ctx context.Context, o Occurrence, d delivery) (*RuntimeOutcome, error) {
	key := o.DeliveryCorrelationID
	sid := d.SessionID
	if d.Type == TargetMaterialize {
		var err error
		if sid, err = s.materialize(ctx, o, d); err != nil {
			return nil, err
		}
	}
	if d.Action.Type == ActionEvent {
		_, err := s.cfg.Sessions.ExternalEvent(ctx, session.ExternalEventRequest{SessionID: sid,
			EventType: d.Action.EventType, Payload: d.Action.Payload, IdempotencyKey: key})
		if err != nil {
			return nil, err
		}
		return &RuntimeOutcome{Kind: "event_accepted", SessionID: sid}, nil
	}
	res, err := s.cfg.Sessions.Turn(ctx, session.TurnRequest{SessionID: sid, Prompt: d.prompt, InjectedContext: d.injected,
		SystemPrompt: d.Action.SystemPrompt, AdditionalInstructions: d.Action.AdditionalInstructions, IdempotencyKey: key})
	out := &RuntimeOutcome{Kind: "turn_completed", SessionID: sid, Text: res.Text}
	if err != nil {
		out.Kind = "turn_failed"
	}
	return out, err
}

// materialize returns the session a materialize target delivers to: the
// one bound to the schedule, or the occurrence's own (session_per_occurrence),
// creating and binding it at the first firing. A session a crashed attempt
// created is found again by its labels.
func (s *Service) materialize(ctx context.Context, o Occurrence, d delivery) (string, error) {
	sid, err := s.materialized(ctx, o, d)
	if err != nil || sid != "" {
		return sid, err
	}
	c := d.Create
	labels := map[string]string{LabelSchedule: o.ScheduleID}
	if d.SessionPerOccurrence {
		labels[LabelOccurrence] = o.OccurrenceID
	}
	for k, v := range c.Labels {
		labels[k] = v
	}
	res, err := s.cfg.Sessions.Create(ctx, session.CreateRequest{Deferred: true, Model: c.Model, Provider: c.Provider,
		SystemPrompt: c.SystemPrompt, MaxTokens: c.MaxTokens, AdditionalInstructions: c.AdditionalInstructions, Labels: labels})
	if err != nil || d.SessionPerOccurrence {
		return res.SessionID, err
	}
	return s.bind(ctx, o.ScheduleID, res.SessionID)
}

// bind records sid as the schedule's materialized session (the revision
// stays). If another firing bound one first, that one is used.
func (s *Service) bind(ctx context.Context, scheduleID, sid string) (string, error) {
	bound := sid
	_, err := s.mutate(ctx, scheduleID, func(r *Record, _ time.Time) (bool, error) {
		t, err := ParseTarget(r.Target)
		if err != nil || t.Type != TargetMaterialize || t.SessionPerOccurrence {
			return false, errNoBinding
		}
		if t.BoundSessionID != "" {
			bound = t.BoundSessionID
			return false, errNoBinding
		}
		t.BoundSessionID = sid
		r.Target, err = json.Marshal(t)
		return false, err
	})
	if err != nil && !errors.Is(err, errNoBinding) {
		return "", err
	}
	return bound, nil
}

// errNoBinding stops a binding that is not needed (already bound, target
// replaced meanwhile).
var errNoBinding = errors.New("schedule: no binding needed")

// materialized finds the session of a materialize target without creating
// one: the snapshot's or the schedule's binding, or a session a previous
// attempt created (by its labels).
func (s *Service) materialized(ctx context.Context, o Occurrence, d delivery) (string, error) {
	if d.BoundSessionID != "" {
		return d.BoundSessionID, nil
	}
	labels := map[string]string{LabelOccurrence: o.OccurrenceID}
	if !d.SessionPerOccurrence {
		if r, err := s.Get(ctx, o.ScheduleID); err == nil {
			if t, err := ParseTarget(r.Target); err == nil && t.BoundSessionID != "" {
				return t.BoundSessionID, nil
			}
		}
		labels = map[string]string{LabelSchedule: o.ScheduleID}
	}
	list, err := s.cfg.Sessions.List(ctx, session.ListRequest{Labels: labels, IncludeArchived: true, Limit: 1})
	if err != nil || len(list.Sessions) == 0 {
		return "", err
	}
	return list.Sessions[0].ID, nil
}

// delivered reports whether a previous attempt of o committed its delivery.
func (s *Service) delivered(ctx context.Context, o Occurrence, d delivery) (*RuntimeOutcome, bool, error) {
	sid := d.SessionID
	if d.Type == TargetMaterialize {
		var err error
		if sid, err = s.materialized(ctx, o, d); err != nil || sid == "" {
			return nil, false, err
		}
	}
	done, err := s.cfg.Store.HasKey(ctx, sid, o.DeliveryCorrelationID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil || !done {
		return nil, false, err
	}
	return &RuntimeOutcome{Kind: "recovered_completed", SessionID: sid}, true, nil
}
