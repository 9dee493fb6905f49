package realtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/internal/randhex"
	"github.com/rkat-dev/rkat/realtime/wire"
)

// ErrChannelsChanged reports a Reload whose [[channels]] differ from the
// running server's; history configuration applies from New only.
var ErrChannelsChanged = errors.New("realtime: channel history cannot change while the server runs; restart it")

// historyPolicy is one compiled [[channels]] table.
type historyPolicy struct {
	pattern *wire.Pattern
	size    int
	ttl     time.Duration
}

// historyPolicies are the [[channels]] tables in order.
type historyPolicies []historyPolicy

// compileHistory validates the [[channels]] tables against the limits (a
// full replay must fit an empty outbound queue) and the cluster setting
// (history is kept by one node only).
func compileHistory(cfg Config, lim Limits) (historyPolicies, error) {
	out := make(historyPolicies, 0, len(cfg.Channels))
	for i, c := range cfg.Channels {
		p, err := wire.CompilePattern(c.Pattern)
		if err != nil {
			return nil, fmt.Errorf("%w: channels[%d]: %w", ErrConfig, i, err)
		}
		switch {
		case c.HistorySize < 0 || c.HistorySize > lim.QueueFrames:
			return nil, fmt.Errorf("%w: channels[%d]: history_size must be 0 to limits.queue_frames (%d)", ErrConfig, i, lim.QueueFrames)
		case c.HistorySize > 0 && c.HistoryTTL <= 0:
			return nil, fmt.Errorf("%w: channels[%d]: history_ttl must be positive", ErrConfig, i)
		case c.HistorySize > 0 && cfg.Cluster.enabled():
			return nil, fmt.Errorf("%w: channels[%d]: channel history is not available in a cluster yet; remove history_size or [cluster]", ErrConfig, i)
		}
		out = append(out, historyPolicy{pattern: p, size: c.HistorySize, ttl: time.Duration(c.HistoryTTL)})
	}
	return out, nil
}

// lookup returns the policy of the first table matching channel; ok is
// false when none matches or it keeps no history.
func (ps historyPolicies) lookup(channel string) (historyPolicy, bool) {
	for _, p := range ps {
		if p.pattern.Match(channel) {
			return p, p.size > 0
		}
	}
	return historyPolicy{}, false
}

// equal reports whether ps and o are the same tables.
func (ps historyPolicies) equal(o historyPolicies) bool {
	return slices.EqualFunc(ps, o, func(a, b historyPolicy) bool {
		return a.pattern.String() == b.pattern.String() && a.size == b.size && a.ttl == b.ttl
	})
}

// publication is one message kept in a channel's history.
type publication struct {
	Offset       uint64          `json:"offset"`
	From         string          `json:"from"`
	Data         json.RawMessage `json:"data"`
	FromMetadata json.RawMessage `json:"fromMetadata,omitempty"`
	at           time.Time
}

// history is one channel's ring of recent publications. Offsets increase
// by one from 1 within an epoch, a random string chosen when the history is
// created; when it is dropped (or the process ends) the next one has a new
// epoch. Its lock is held across assigning an offset and queueing the
// message to the subscribers, so every subscriber sees offsets in order.
type history struct {
	policy historyPolicy
	epoch  string

	mu    sync.Mutex
	last  uint64        // last assigned offset, 0 before any
	ring  []publication // len ≤ policy.size, oldest at start
	start int
}

func newHistory(p historyPolicy) *history {
	return &history{policy: p, epoch: randhex.String(8)}
}

// appendLocked records pub under the next offset, which it returns.
func (hs *history) appendLocked(pub publication) uint64 {
	hs.last++
	pub.Offset = hs.last
	if len(hs.ring) < hs.policy.size {
		hs.ring = append(hs.ring, pub)
	} else {
		hs.ring[hs.start] = pub
		hs.start = (hs.start + 1) % len(hs.ring)
	}
	return hs.last
}

// pruneLocked forgets publications older than the TTL. The ring wraps
// only when full, so start is 0 whenever len(ring) < size.
func (hs *history) pruneLocked(now time.Time) {
	n := 0
	for n < len(hs.ring) && now.Sub(hs.ring[(hs.start+n)%len(hs.ring)].at) > hs.policy.ttl {
		n++
	}
	if n > 0 {
		hs.ring, hs.start = hs.retainedLocked()[n:], 0
	}
}

// retainedLocked returns the publications in offset order.
func (hs *history) retainedLocked() []publication {
	return append(slices.Clone(hs.ring[hs.start:]), hs.ring[:hs.start]...)
}

// sinceLocked returns the retained publications after offset, at most
// limit (0 = all), and whether they follow offset with no gap.
func (hs *history) sinceLocked(offset uint64, limit int, now time.Time) (pubs []publication, complete bool) {
	hs.pruneLocked(now)
	if offset >= hs.last {
		return []publication{}, true
	}
	all := hs.retainedLocked()
	oldest := hs.last + 1
	if len(all) > 0 {
		oldest = all[0].Offset
	}
	complete = offset+1 >= oldest
	i, _ := slices.BinarySearchFunc(all, offset+1, func(p publication, o uint64) int {
		switch {
		case p.Offset < o:
			return -1
		case p.Offset > o:
			return 1
		}
		return 0
	})
	pubs = all[i:]
	if limit > 0 && len(pubs) > limit {
		pubs = pubs[:limit]
	}
	return pubs, complete
}

// recoverLocked answers a subscribe's since: the publications to replay and
// "", or nil and the reason recovery failed. An offset beyond the last one
// cannot come from this epoch and counts as epoch_changed.
func (hs *history) recoverLocked(since wire.Since, now time.Time) ([]publication, string) {
	if since.Epoch != hs.epoch || since.Offset > hs.last {
		return nil, wire.ReasonEpochChanged
	}
	pubs, complete := hs.sinceLocked(since.Offset, 0, now)
	if !complete {
		return nil, wire.ReasonTooFarBehind
	}
	return pubs, ""
}

// maxIdleHistories bounds the histories of an app's channels that have no
// local subscriber: creating one more drops one of them (its epoch ends).
const maxIdleHistories = 10000

// historyFor returns the history of a channel, creating it when create is
// set; nil when the channel keeps no history (or has none yet and create
// is false). a.mu is held (read or write) when create is set.
func (a *app) historyFor(ps historyPolicies, name string, create bool) *history {
	p, ok := ps.lookup(name)
	if !ok {
		return nil
	}
	a.histMu.Lock()
	defer a.histMu.Unlock()
	hs := a.histories[name]
	if hs == nil && create {
		if len(a.histories) >= maxIdleHistories {
			a.dropIdleHistoryLocked()
		}
		hs = newHistory(p)
		if a.histories == nil {
			a.histories = map[string]*history{}
		}
		a.histories[name] = hs
	}
	return hs
}

// dropIdleHistoryLocked forgets the history of one channel without local
// subscribers, if any (the app is at maxIdleHistories: histories of
// subscribed channels are bounded by the connection caps, so the idle ones
// never exceed maxIdleHistories). a.mu and a.histMu are held.
func (a *app) dropIdleHistoryLocked() {
	for name := range a.histories {
		if a.channels[name] == nil {
			delete(a.histories, name)
			return
		}
	}
}

// expireHistories prunes every history of a and drops those left empty on
// channels without local subscribers: their epoch ends with them.
func (a *app) expireHistories(now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.histMu.Lock()
	defer a.histMu.Unlock()
	for name, hs := range a.histories {
		hs.mu.Lock()
		hs.pruneLocked(now)
		empty := len(hs.ring) == 0
		hs.mu.Unlock()
		if empty && a.channels[name] == nil {
			delete(a.histories, name)
		}
	}
}

// HistoryPage is the answer of GET /v1/channels/{channel}/history: the
// channel's epoch and last offset (empty and 0 before any publication),
// the retained publications after since (at most limit), and whether they
// follow since with no gap.
type HistoryPage struct {
	Channel      string        `json:"channel"`
	Epoch        string        `json:"epoch"`
	Offset       uint64        `json:"offset"`
	Complete     bool          `json:"complete"`
	Publications []publication `json:"publications"`
}

// historyPage reads a channel's history; ok is false when the channel
// keeps none.
func (h *hub) historyPage(appID, name string, since uint64, limit int) (HistoryPage, bool) {
	page := HistoryPage{Channel: name, Complete: since == 0, Publications: []publication{}}
	if _, ok := h.srv.history.lookup(name); !ok {
		return page, false
	}
	hs := h.app(appID).historyFor(h.srv.history, name, false)
	if hs == nil {
		return page, true
	}
	hs.mu.Lock()
	defer hs.mu.Unlock()
	page.Epoch, page.Offset = hs.epoch, hs.last
	page.Publications, page.Complete = hs.sinceLocked(since, limit, time.Now())
	return page, true
}
