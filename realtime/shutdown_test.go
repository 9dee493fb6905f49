package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// frameLog is everything one client read until its connection closed.
type frameLog struct {
	frames []wire.ServerFrame
	code   websocket.StatusCode
}

// collect reads c until it closes; firstAck, when not nil, is closed at the
// first ack.
func collect(ctx context.Context, c *client, out *frameLog, firstAck chan<- struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		_, b, err := c.ws.Read(ctx)
		if err != nil {
			out.code = websocket.CloseStatus(err)
			return
		}
		var f wire.ServerFrame
		_ = json.Unmarshal(b, &f)
		out.frames = append(out.frames, f)
		if f.Type == wire.TypeAck && firstAck != nil {
			close(firstAck)
			firstAck = nil
		}
	}
}

func TestGracefulShutdownDeliversAckedMessages(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.RatePerSecond, cfg.Limits.RateBurst = 100000, 100000
	srv, base, _ := startServer(t, cfg)
	shutdownDeliversAcked(t, srv, base, "room/g", 2000)
}

// TestClusterGracefulShutdownDeliversAckedMessages: the same on a channel
// with history in a cluster, where a publish is acked once the stream has
// it and reaches the node's subscribers when the node reads it back. Its
// acks come in bursts as the stream answers, so fewer publishes than the
// outbound queue holds keep the publisher from being a slow consumer.
func TestClusterGracefulShutdownDeliversAckedMessages(t *testing.T) {
	nodes := startCluster(t, historyConfig(), 2)
	shutdownDeliversAcked(t, nodes[0].srv, nodes[0].ws, "room/h/g", 1000)
}

// shutdownDeliversAcked shuts srv down while a client publishes to channel
// and checks that every subscriber on srv got every acked message before
// going_away.
func shutdownDeliversAcked(t *testing.T, srv *Server, base, channel string, publishes int) {
	const subscribers = 5
	subs := make([]*client, subscribers)
	for i := range subs {
		subs[i], _ = dialKey(t, base, testKey)
		subs[i].subscribe(channel, false)
	}
	pub, _ := dialKey(t, base, testKey)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	logs := make([]frameLog, subscribers+1)
	firstAck := make(chan struct{})
	for i, c := range subs {
		wg.Add(1)
		go collect(ctx, c, &logs[i], nil, &wg)
	}
	wg.Add(1)
	go collect(ctx, pub, &logs[subscribers], firstAck, &wg)
	// Publish without waiting for acks; shut down mid-stream, once the
	// server has acked something (with one P it may not have read a thing
	// by the time a quarter of the publishes is written).
	shutdownDone := make(chan struct{})
	for i := range publishes {
		err := pub.ws.Write(ctx, websocket.MessageText, fmt.Appendf(nil, `{"type":"publish","channel":%q,"data":%d,"requestId":"%d"}`, channel, i, i))
		if err != nil {
			break
		}
		if i == publishes/4 {
			go func() {
				defer close(shutdownDone)
				select {
				case <-firstAck:
				case <-ctx.Done():
				}
				_ = srv.Shutdown(ctx)
			}()
		}
	}
	<-shutdownDone
	wg.Wait()

	acked := map[string]bool{}
	pubLog := logs[subscribers]
	for _, f := range pubLog.frames {
		if f.Type == wire.TypeAck {
			acked[f.RequestID] = true
		}
	}
	if len(acked) == 0 {
		t.Fatal("nothing was acked before shutdown")
	}
	t.Logf("acked %d of %d publishes before shutdown", len(acked), publishes)
	for i, l := range logs {
		if l.code != websocket.StatusGoingAway {
			t.Errorf("client %d closed with %d, want 1001", i, l.code)
		}
		if n := len(l.frames); n == 0 || l.frames[n-1].Type != wire.TypeGoingAway {
			t.Errorf("client %d: last frame is not going_away", i)
		}
		if i == subscribers {
			continue
		}
		got := map[string]bool{}
		for _, f := range l.frames {
			if f.Type == wire.TypeMessage {
				got[string(f.Data)] = true
			}
		}
		for rid := range acked {
			if !got[rid] {
				t.Fatalf("subscriber %d missed acked message %s (got %d, acked %d)", i, rid, len(got), len(acked))
			}
		}
	}
	for _, f := range pubLog.frames {
		if f.Type == wire.TypeGoingAway && f.RetryAfterMs != 1000 {
			t.Errorf("retryAfterMs %d", f.RetryAfterMs)
		}
	}
}
