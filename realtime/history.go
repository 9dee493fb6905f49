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
// full replay must fit an empty outbound queue).
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

// keeps reports whether channel keeps a history.
func (ps historyPolicies) keeps(channel string) bool {
	_, ok := ps.lookup(channel)
	return ok
}

// keepsAny reports whether any table keeps history.
func (ps historyPolicies) keepsAny() bool {
	return slices.ContainsFunc(ps, func(p historyPolicy) bool { return p.size > 0 })
}

// maxTTL is the longest TTL of the tables.
func (ps historyPolicies) maxTTL() (ttl time.Duration) {
	for _, p := range ps {
		ttl = max(ttl, p.ttl)
	}
	return ttl
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
// within an epoch. On a single node they count from 1 and the epoch is a
// random string chosen when the history is created: when it is dropped (or
// the process ends) the next one has a new epoch. In a cluster the offsets
// are the positions of the publications in the JetStream stream that
// orders them (history_jetstream.go), and the epoch is the stream's. Its
// lock is held across recording a publication and queueing it to the
// subscribers, so every subscriber sees offsets in order.
type history struct {
	policy historyPolicy
	epoch  string

	mu    sync.Mutex
	last  uint64        // offset of the last publication, 0 before any
	floor uint64        // every publication after floor is in ring (or after last)
	ring  []publication // len ≤ policy.size, oldest at start
	start int
}

// newEpoch returns a random single-node epoch.
func newEpoch() string {
	return randhex.String(8)
}

// appendLocked records pub, whose Offset is past every recorded one.
func (hs *history) appendLocked(pub publication) {
	hs.last = pub.Offset
	if len(hs.ring) < hs.policy.size {
		hs.ring = append(hs.ring, pub)
		return
	}
	hs.floor = hs.ring[hs.start].Offset
	hs.ring[hs.start] = pub
	hs.start = (hs.start + 1) % len(hs.ring)
}

// pruneLocked forgets publications older than the TTL. The ring wraps
// only when full, so start is 0 whenever len(ring) < size.
func (hs *history) pruneLocked(now time.Time) {
	n := 0
	for n < len(hs.ring) && now.Sub(hs.ring[(hs.start+n)%len(hs.ring)].at) > hs.policy.ttl {
		n++
	}
	if n > 0 {
		all := hs.retainedLocked()
		hs.floor = all[n-1].Offset
		hs.ring, hs.start = all[n:], 0
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
	if offset >= hs.last { // nothing after offset; in a cluster the floor may be past last
		return []publication{}, offset >= hs.floor
	}
	all := hs.retainedLocked()
	complete = offset >= hs.floor
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
// "", or nil and the reason recovery failed. The caller has checked that
// since is not beyond the channel's position.
func (hs *history) recoverLocked(since wire.Since, now time.Time) ([]publication, string) {
	if since.Epoch != hs.epoch {
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

// historyFor returns the history of a channel of a, creating it when
// create is set; nil when the channel keeps no history (or has none yet
// and create is false). a.mu is held (read or write) when create is set.
func (h *hub) historyFor(a *app, name string, create bool) *history {
	p, ok := h.srv.history.lookup(name)
	if !ok {
		return nil
	}
	a.histMu.RLock()
	hs := a.histories[name]
	a.histMu.RUnlock()
	if hs != nil || !create {
		return hs
	}
	a.histMu.Lock()
	defer a.histMu.Unlock()
	if hs = a.histories[name]; hs == nil {
		if len(a.histories) >= maxIdleHistories {
			a.dropIdleHistoryLocked()
		}
		hs = &history{policy: p}
		if h.journal != nil {
			hs.epoch, hs.floor = h.journal.epoch.Load().(string), h.journal.floorForNew()
		} else {
			hs.epoch = newEpoch()
		}
		if a.histories == nil {
			a.histories = map[string]*history{}
		}
		a.histories[name] = hs
	}
	return hs
}

// position is where a subscriber of the channel of hs stands once acked:
// the last offset of the channel on a single node; in a cluster, the last
// stream position this node applied, which may lie past the channel's last
// publication. a.mu is held.
func (h *hub) position(hs *history) uint64 {
	if h.journal != nil {
		return h.journal.applied.Load()
	}
	return hs.last
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

// expireHistories prunes every history of a and, on a single node, drops
// those left empty on channels without local subscribers: their epoch ends
// with them. In a cluster the epoch is the stream's, and an empty history
// is kept so that it still knows how far it is complete (its floor).
func (a *app) expireHistories(now time.Time, keepEmpty bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.histMu.Lock()
	defer a.histMu.Unlock()
	for name, hs := range a.histories {
		hs.mu.Lock()
		hs.pruneLocked(now)
		empty := len(hs.ring) == 0
		hs.mu.Unlock()
		if empty && !keepEmpty && a.channels[name] == nil {
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
	a := h.app(appID)
	a.mu.RLock()
	defer a.mu.RUnlock()
	hs := h.historyFor(a, name, false)
	if hs == nil {
		if h.journal != nil { // nothing yet, at this position of the stream
			page.Epoch, page.Offset = h.journal.epoch.Load().(string), h.journal.applied.Load()
			page.Complete = since >= h.journal.floorForNew()
		}
		return page, true
	}
	hs.mu.Lock()
	defer hs.mu.Unlock()
	page.Epoch, page.Offset = hs.epoch, h.position(hs)
	page.Publications, page.Complete = hs.sinceLocked(since, limit, time.Now())
	return page, true
}
