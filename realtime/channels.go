package realtime

import (
	"maps"
	"net/http"
	"slices"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// maxListedChannels bounds one GET /v1/channels answer.
const maxListedChannels = 1000

// ChannelInfo is one entry of GET /v1/channels: a channel with members and
// its visible peers (those connected with the presence permission).
type ChannelInfo struct {
	Channel string               `json:"channel"`
	Peers   []wire.PresenceEntry `json:"peers"`
}

// channels lists the app's channels that have members, sorted by name, at
// most maxListedChannels; truncated reports whether more exist.
func (h *hub) channels(appID string) (out []ChannelInfo, truncated bool) {
	a := h.app(appID)
	a.mu.RLock()
	defer a.mu.RUnlock()
	names := slices.Sorted(maps.Keys(a.channels)) // a channel is deleted when its last member leaves
	if len(names) > maxListedChannels {
		names, truncated = names[:maxListedChannels], true
	}
	out = make([]ChannelInfo, 0, len(names))
	for _, name := range names {
		out = append(out, ChannelInfo{Channel: name, Peers: membersLocked(a, name, "")})
	}
	return out, truncated
}

// handleChannelList serves GET /v1/channels: {"channels":[ChannelInfo],
// "truncated":bool}.
func (s *Server) handleChannelList(w http.ResponseWriter, _ *http.Request, call restCall) {
	list, truncated := s.hub.channels(call.app)
	WriteJSON(w, http.StatusOK, map[string]any{"channels": list, "truncated": truncated})
}
