package peer

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"

	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/realtime/signalling"
)

// muxAPI is loopbackAPI on one UDP socket with 4 MiB buffers: the default
// 208 KiB receive buffer drops bursts on loopback, and pion's SCTP then
// stalls on retransmission timeouts.
func muxAPI(b *testing.B) *webrtc.API {
	b.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	_ = conn.SetReadBuffer(4 << 20)
	_ = conn.SetWriteBuffer(4 << 20)
	mux := ice.NewUDPMuxDefault(ice.UDPMuxParams{UDPConn: conn})
	b.Cleanup(func() { _ = mux.Close() })
	return loopbackAPI(b, mux)
}

// connectedPair joins two peers on channel and returns a's data channel to
// b and b's view of it (both open).
func connectedPair(b *testing.B, srv *realtimetest.Server, channel string, opts DataChannelOptions) (*Peer, *Peer, *DataChannel, *DataChannel) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	mk := func() *Peer {
		p, err := New(Config{Signalling: signalling.Config{URL: srv.URL(), Key: testKey}, API: muxAPI(b)})
		if err != nil {
			b.Fatal(err)
		}
		return p
	}
	a, c := mk(), mk()
	aJoined := signalling.Events[PeerJoined](a, 2)
	cJoined := signalling.Events[PeerJoined](c, 2)
	if err := a.Join(ctx, channel, JoinOptions{}); err != nil {
		b.Fatal(err)
	}
	if err := c.Join(ctx, channel, JoinOptions{}); err != nil {
		b.Fatal(err)
	}
	ra := next(b, aJoined, nil).Peer
	rc := next(b, cJoined, nil).Peer
	opened := signalling.Events[DataChannelOpened](rc, 2)
	dc, err := ra.CreateDataChannel("bench", nil, opts)
	if err != nil {
		b.Fatal(err)
	}
	in := next(b, opened, nil).Channel
	return a, c, dc, in
}

// BenchmarkDataChannelThroughput sends 16 KiB binary messages Go to Go over
// loopback through the backpressured DataChannel.
func BenchmarkDataChannelThroughput(b *testing.B) {
	srv := startTestServer(b)
	a, c, dc, in := connectedPair(b, srv, "bench/throughput", DataChannelOptions{MaxBufferedAmount: 256 << 10})
	defer func() {
		_ = a.Close()
		_ = c.Close()
	}()
	const size = 16 << 10
	got := make(chan struct{}, 1)
	var received int
	signalling.On(in, func(m DCMessage) {
		received += len(m.Data)
		if received >= b.N*size {
			got <- struct{}{}
		}
	})
	msg := make([]byte, size)
	ctx := context.Background()
	b.SetBytes(size)
	b.ResetTimer()
	for i := range b.N {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		if err := dc.Send(sctx, msg); err != nil {
			b.Fatalf("send %d: %v (buffered %d)", i, err, dc.BufferedAmount())
		}
		cancel()
	}
	select {
	case <-got:
	case <-time.After(60 * time.Second):
		b.Fatalf("received %d of %d bytes", received, b.N*size)
	}
}

// BenchmarkJoinToFirstMessage measures from the second peer's Join to the
// first data-channel message arriving at the first peer: presence,
// negotiation (SDP over the server), ICE, DTLS, SCTP and the message.
func BenchmarkJoinToFirstMessage(b *testing.B) {
	srv := startTestServer(b)
	ctx := context.Background()
	for i := range b.N {
		first, err := New(Config{Signalling: signalling.Config{URL: srv.URL(), Key: testKey}, API: muxAPI(b)})
		if err != nil {
			b.Fatal(err)
		}
		channel := fmt.Sprintf("bench/join-%d", i)
		opened := make(chan *DataChannel, 1)
		signalling.On(first, func(ev PeerJoined) {
			signalling.On(ev.Peer, func(e DataChannelOpened) { opened <- e.Channel })
		})
		if err := first.Join(ctx, channel, JoinOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		second, err := New(Config{Signalling: signalling.Config{URL: srv.URL(), Key: testKey}, API: muxAPI(b)})
		if err != nil {
			b.Fatal(err)
		}
		signalling.On(second, func(ev PeerJoined) {
			dc, err := ev.Peer.CreateDataChannel("hello", nil, DataChannelOptions{})
			if err == nil {
				_ = dc.SendText(ctx, "first")
			}
		})
		if err := second.Join(ctx, channel, JoinOptions{}); err != nil {
			b.Fatal(err)
		}
		var ch *DataChannel
		select {
		case ch = <-opened:
		case <-time.After(20 * time.Second):
			b.Fatal("no data channel")
		}
		msgs := signalling.Events[DCMessage](ch, 1)
		next(b, msgs, nil)
		b.StopTimer()
		_ = second.Close()
		_ = first.Close()
	}
}
