package peer

import (
	"context"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/realtime/signalling"
)

// TestGoToGoAcrossNodes connects two peers on different nodes of a cluster:
// their offers, answers and candidates travel as directed messages between
// nodes, and a data channel and a server-routed message work end to end.
func TestGoToGoAcrossNodes(t *testing.T) {
	nodes := realtimetest.StartCluster(t, realtimetest.Config(), 2)
	a := newTestPeer(t, signalling.Config{URL: nodes[0].URL(), Key: testKey})
	b := newTestPeer(t, signalling.Config{URL: nodes[1].URL(), Key: testKey})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	aJoined := signalling.Events[PeerJoined](a, 4)
	bJoined := signalling.Events[PeerJoined](b, 4)
	bData := signalling.Events[Data](b, 4)
	if err := a.Join(ctx, "room/nodes", JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := b.Join(ctx, "room/nodes", JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	ra := next(t, aJoined, nil).Peer
	rb := next(t, bJoined, nil).Peer
	if ra.ID() != b.PeerID() || rb.ID() != a.PeerID() {
		t.Fatalf("a sees %s, b sees %s", ra.ID(), rb.ID())
	}
	opened := signalling.Events[DataChannelOpened](ra, 2)
	dc, err := rb.CreateDataChannel("chat", nil, DataChannelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in := next(t, opened, nil).Channel
	msgs := signalling.Events[DCMessage](in, 2)
	if err := dc.SendText(ctx, "across nodes"); err != nil {
		t.Fatal(err)
	}
	if m := next(t, msgs, nil); !m.IsString || string(m.Data) != "across nodes" {
		t.Fatalf("data channel message %+v", m)
	}
	if err := a.SendTo(ctx, b.PeerID(), map[string]int{"x": 1}); err != nil {
		t.Fatal(err)
	}
	if d := next(t, bData, nil); d.Kind != KindDirect || string(d.Data) != `{"x":1}` || d.SenderPeerID != a.PeerID() {
		t.Fatalf("b got %+v", d)
	}
}
