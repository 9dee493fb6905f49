package agent

import (
	"context"
	"errors"
	"fmt"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
)

// Compactor shortens a run's committed history. The session layer
// implements it: it summarises older rows with the session's model into a
// durable summary row.
type Compactor interface {
	// Limit is the estimated history size, in tokens, above which the
	// history is compacted before a model call; zero never compacts early.
	Limit() int64
	// Compact summarises the committed history and returns the shorter
	// history that replaces it (ending before the run's input) and the
	// summary's estimated size in tokens.
	Compact(ctx context.Context) (history []llm.Message, summaryTokens int64, err error)
}

// ErrNothingToCompact is returned by a Compactor whose history has nothing
// old enough to summarise.
var ErrNothingToCompact = errors.New("agent: nothing to compact")

// EstimateTokens estimates the tokens of msgs: about four characters each.
func EstimateTokens(msgs []llm.Message) int64 {
	var n int64
	for _, m := range msgs {
		for _, b := range m.Content {
			n += int64(len(b.Text) + len(b.Args) + len(b.Name))
		}
	}
	return n / 4
}

// compactIfLarge compacts the history once per run, before a model call,
// when it has grown past the compactor's limit. A failure is reported and
// the run goes on with the history as it was.
func (r *runner) compactIfLarge() {
	c := r.cfg.Compactor
	if c == nil || r.compacted || c.Limit() <= 0 || EstimateTokens(r.msgs) <= c.Limit() {
		return
	}
	_ = r.compact()
}

// compact replaces the committed part of the transcript (r.msgs[:r.base])
// with the compactor's shorter history. It runs at most once per run.
func (r *runner) compact() error {
	r.compacted = true
	before := r.msgs[:r.base]
	r.emit(event.CompactionStarted{InputTokens: r.res.Usage.InputTokens, EstimatedHistoryTokens: EstimateTokens(before),
		MessageCount: len(before)})
	hist, summary, err := r.cfg.Compactor.Compact(r.ctx)
	if err != nil {
		kind := "summary_failed"
		if errors.Is(err, ErrNothingToCompact) {
			kind = "nothing_to_compact"
		}
		r.emit(event.CompactionFailed{Reason: event.CompactionReason{Kind: kind, Message: err.Error()}})
		return fmt.Errorf("compaction: %w", err)
	}
	r.msgs = append(hist[:len(hist):len(hist)], r.msgs[r.base:]...)
	r.base = len(hist)
	r.emit(event.CompactionCompleted{SummaryTokens: summary, MessagesBefore: len(before), MessagesAfter: len(hist)})
	return nil
}

// recoverContextLength compacts after a provider said the request is too
// long, so the call can be tried once more; it reports whether to retry.
func (r *runner) recoverContextLength(le *llm.Error) bool {
	if le.Kind != llm.KindContextLength || r.cfg.Compactor == nil || r.compacted {
		return false
	}
	return r.compact() == nil
}
