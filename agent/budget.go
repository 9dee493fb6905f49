package agent

import (
	"fmt"
	"time"

	"github.com/rkat-dev/rkat/agent/event"
)

// Budget kinds that warn, indexes of runner.warned.
const (
	budgetTokens = iota
	budgetTime
	budgetToolCalls
	budgetKinds
)

var budgetNames = [budgetKinds]string{"tokens", "time", "tool_calls"}

// warnAt is the fraction of a budget at which BudgetWarning is emitted.
const warnAt = 0.8

// beforeModelCall returns the error that ends the run when a budget leaves
// no room for another model call, and emits due warnings.
func (r *runner) beforeModelCall() error {
	if err := r.checkTime(); err != nil {
		return err
	}
	b := &r.cfg.Budget
	if b.MaxTurns > 0 && r.res.Turns >= b.MaxTurns {
		return &RunError{Cause: CauseTurnLimitReached,
			Err: fmt.Errorf("%w: turn limit %d reached", ErrBudgetExhausted, b.MaxTurns)}
	}
	return r.checkTokens()
}

// checkTokens fails once the run used its token budget.
func (r *runner) checkTokens() error {
	if limit := r.cfg.Budget.MaxTokens; limit > 0 && r.res.Usage.Total() >= limit {
		return &RunError{Cause: CauseBudgetExhausted,
			Err: fmt.Errorf("%w: used %d of %d tokens", ErrBudgetExhausted, r.res.Usage.Total(), limit)}
	}
	return nil
}

// checkTime fails once the run is stopped or out of wall time, and warns
// when the time budget is nearly used.
func (r *runner) checkTime() error {
	if err := r.stopped(); err != nil {
		return err
	}
	if limit := r.cfg.Budget.MaxDuration; limit > 0 {
		used := time.Since(r.start)
		r.warn(budgetTime, used.Milliseconds(), limit.Milliseconds())
		if used >= limit {
			return timeBudgetError(limit)
		}
	}
	return nil
}

// warn emits one BudgetWarning per kind once used reaches warnAt of limit.
func (r *runner) warn(kind int, used, limit int64) {
	if limit <= 0 || r.warned[kind] || float64(used) < warnAt*float64(limit) {
		return
	}
	r.warned[kind] = true
	r.emit(event.BudgetWarning{
		BudgetType: budgetNames[kind],
		Used:       used,
		Limit:      limit,
		Percent:    float64(used) * 100 / float64(limit),
	})
}
