package realtime

import (
	"encoding/json"
	"time"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// broker carries what a hub does to its own connections to the hubs of the
// other nodes of a cluster, after centrifuge's Node/Broker split. The hub
// calls send under its app lock, in the order things happened; send must
// not block on the network. Events from other nodes come back through
// hub.receive, in the order their node sent them.
type broker interface {
	// send hands ev to the other nodes. ev is a value so that a single
	// node's publish path allocates nothing for it.
	send(ev event)
	// close stops sending and receiving; graceful says whether the other
	// nodes are told this node's peers are gone (false: they find out when
	// its heartbeats stop).
	close(graceful bool)
}

// localBroker is the broker of a single node: there is nobody to tell.
type localBroker struct{}

func (localBroker) send(event) {}
func (localBroker) close(bool) {}

// Event kinds. Node liveness (heartbeat, state, bye) is the NATS broker's
// own business; the rest change hubs.
const (
	evOnline    = "online"  // Peer connected (Meta, Presence)
	evOffline   = "offline" // Peer disconnected
	evJoin      = "join"    // Peer subscribed to Channel
	evLeave     = "leave"   // Peer left Channel
	evPublish   = "publish" // Peer (or "server") published Data to Channel
	evDirect    = "direct"  // Peer sent Data to To
	evKick      = "kick"    // close To's connection with 4020 (REST kick)
	evHeartbeat = "hb"      // the node is alive
	evState     = "state"   // Roster: every peer of the node, sent to a node first seen
	evBye       = "bye"     // the node shuts down: its peers are gone
)

// event is one message between nodes. Node and Boot (a random id per
// process) name the sender; the broker fills them in.
type event struct {
	Kind     string          `json:"k"`
	Node     string          `json:"n,omitempty"`
	Boot     string          `json:"b,omitempty"`
	App      string          `json:"a,omitempty"`
	Channel  string          `json:"c,omitempty"`
	Peer     string          `json:"p,omitempty"`
	Meta     json.RawMessage `json:"m,omitempty"`
	Presence bool            `json:"pr,omitempty"`
	To       string          `json:"t,omitempty"`
	Data     json.RawMessage `json:"d,omitempty"`
	Roster   []rosterEntry   `json:"r,omitempty"`
}

// rosterEntry is one peer of a node with its channels.
type rosterEntry struct {
	App      string          `json:"a"`
	Peer     string          `json:"p"`
	Meta     json.RawMessage `json:"m,omitempty"`
	Presence bool            `json:"pr,omitempty"`
	Channels []string        `json:"c,omitempty"`
}

// remoteRoster is an app's view of the peers connected to other nodes,
// guarded by the app's mu.
type remoteRoster struct {
	peers    map[string]*remotePeer            // by peer id
	channels map[string]map[string]*remotePeer // channel -> peer id -> peer
}

// remotePeer is one peer connected to another node.
type remotePeer struct {
	node     string
	entry    wire.PresenceEntry
	presence bool
	channels map[string]struct{}
}

func newRemoteRoster() remoteRoster {
	return remoteRoster{peers: map[string]*remotePeer{}, channels: map[string]map[string]*remotePeer{}}
}

// receive applies an event from another node.
func (h *hub) receive(ev *event) {
	a := h.app(ev.App)
	switch ev.Kind {
	case evPublish:
		if ev.Peer != serverPeerID { // REST publishes are outside the quota
			a.quota.count(time.Now(), true)
		}
		msg := wire.Message{Type: wire.TypeMessage, Channel: ev.Channel, From: ev.Peer, Data: ev.Data}
		frame, err := encodeFrame(msg)
		if err != nil {
			return
		}
		a.mu.RLock()
		fanOutLocked(a, nil, frame, msg, ev.Meta)
		a.mu.RUnlock()
	case evDirect:
		a.quota.count(time.Now(), true)
		a.mu.RLock()
		if c := a.peers[ev.To]; c != nil {
			c.enqueueJSON(wire.Direct{Type: wire.TypeDirect, From: ev.Peer, Data: ev.Data, FromMetadata: ev.Meta})
		}
		a.mu.RUnlock()
	case evOnline:
		a.mu.Lock()
		if old := a.peers[ev.Peer]; old != nil {
			h.detachLocked(a, old)
			old.closeAfterFlush(wire.CloseAdminDisconnect, "replaced by newer connection")
		}
		h.onlineLocked(a, ev.Node, rosterEntry{Peer: ev.Peer, Meta: ev.Meta, Presence: ev.Presence})
		a.mu.Unlock()
	case evOffline:
		a.mu.Lock()
		if p := a.remote.peers[ev.Peer]; p != nil && p.node == ev.Node {
			h.dropRemoteLocked(a, p)
		}
		a.mu.Unlock()
	case evJoin, evLeave:
		a.mu.Lock()
		if p := a.remote.peers[ev.Peer]; p != nil && p.node == ev.Node {
			h.moveRemoteLocked(a, p, ev.Channel, ev.Kind == evJoin)
		}
		a.mu.Unlock()
	case evKick:
		a.mu.Lock()
		h.kickLocked(a, ev.Peer)
		a.mu.Unlock()
	}
}

// onlineLocked records a peer of another node (idempotent: a roster entry
// may repeat what events already said).
func (h *hub) onlineLocked(a *app, node string, e rosterEntry) {
	p := a.remote.peers[e.Peer]
	if p != nil && p.node != node {
		h.dropRemoteLocked(a, p) // it moved: the old node's offline may still come
		p = nil
	}
	if p == nil {
		p = &remotePeer{node: node, entry: wire.PresenceEntry{PeerID: e.Peer, Metadata: e.Meta}, presence: e.Presence, channels: map[string]struct{}{}}
		a.remote.peers[e.Peer] = p
	}
	for _, name := range e.Channels {
		h.moveRemoteLocked(a, p, name, true)
	}
}

// moveRemoteLocked joins (or leaves) a remote peer to a channel and tells
// the local members; a repeated join or leave changes nothing.
func (h *hub) moveRemoteLocked(a *app, p *remotePeer, name string, join bool) {
	if _, in := p.channels[name]; in == join {
		return
	}
	id := p.entry.PeerID
	pres := wire.Presence{Type: wire.TypePresence, Channel: name}
	if join {
		p.channels[name] = struct{}{}
		if a.remote.channels[name] == nil {
			a.remote.channels[name] = map[string]*remotePeer{}
		}
		a.remote.channels[name][id] = p
		pres.Joined = []wire.PresenceEntry{p.entry}
	} else {
		delete(p.channels, name)
		delete(a.remote.channels[name], id)
		if len(a.remote.channels[name]) == 0 {
			delete(a.remote.channels, name)
		}
		pres.Left = []wire.PresenceEntry{p.entry}
	}
	if p.presence && !h.srv.draining.Load() && a.peers[id] == nil {
		announceLocked(a.channels[name], pres)
	}
}

// dropRemoteLocked forgets a remote peer, reporting it left its channels.
func (h *hub) dropRemoteLocked(a *app, p *remotePeer) {
	for name := range p.channels {
		h.moveRemoteLocked(a, p, name, false)
	}
	delete(a.remote.peers, p.entry.PeerID)
}

// dropNode forgets every peer of a node that left or died.
func (h *hub) dropNode(node string) {
	for _, a := range h.allApps() {
		a.mu.Lock()
		for _, p := range a.remote.peers {
			if p.node == node {
				h.dropRemoteLocked(a, p)
			}
		}
		a.mu.Unlock()
	}
}

// applyRoster records the peers another node listed in its state.
func (h *hub) applyRoster(node string, roster []rosterEntry) {
	for _, e := range roster {
		a := h.app(e.App)
		a.mu.Lock()
		h.onlineLocked(a, node, e)
		a.mu.Unlock()
	}
}

// roster lists this node's peers and their channels.
func (h *hub) roster() []rosterEntry {
	var out []rosterEntry
	for _, a := range h.allApps() {
		a.mu.RLock()
		for id, c := range a.peers {
			e := rosterEntry{App: a.id, Peer: id, Meta: c.id.peerMetadata, Presence: c.id.perms&permPresence != 0}
			for name := range c.subs {
				e.Channels = append(e.Channels, name)
			}
			out = append(out, e)
		}
		a.mu.RUnlock()
	}
	return out
}
