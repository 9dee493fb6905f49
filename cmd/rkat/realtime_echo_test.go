package main

import (
	"bufio"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/realtime"
	"github.com/rkat-dev/rkat/realtime/peer"
	"github.com/rkat-dev/rkat/realtime/signalling"
)

// TestRealtimeEchoCommand runs the built `rkat realtime echo` against an
// in-process server and checks each echo from a Go peer: data channel text
// and binary, a directed message, and an audio track sent back.
func TestRealtimeEchoCommand(t *testing.T) {
	srv, err := realtime.New(realtime.Config{Keys: []realtime.KeyConfig{{
		Key: "pk_echo", Channels: []string{"**"}, Permissions: []string{"subscribe", "publish", "presence", "send"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	wsURL := strings.Replace(hs.URL, "http://", "ws://", 1)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, rkatBin, "realtime", "echo", "--url", wsURL, "--key", "pk_echo", "--channel", "echo/test")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.Contains(line, "joined echo/test") {
		t.Fatalf("echo banner %q: %v", line, err)
	}

	p, err := peer.New(peer.Config{Signalling: signalling.Config{URL: wsURL, Key: "pk_echo"}})
	if err != nil {
		t.Fatal(err)
	}
	src, err := peer.NewAudioSource(peer.AudioSourceConfig{MaxBuffered: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	defer func() {
		_ = p.Close()
		src.Close()
		wg.Wait()
	}()
	wg.Go(func() {
		tone := make([]byte, 3200)
		for i := range tone {
			tone[i] = byte(i * 37) // noise-like, clearly not silence
		}
		for src.Push(ctx, tone) == nil {
		}
	})
	if err := p.AddTrack(src.Track(), nil); err != nil {
		t.Fatal(err)
	}
	joined := signalling.Events[peer.PeerJoined](p, 2)
	data := signalling.Events[peer.Data](p, 2)
	if err := p.Join(ctx, "echo/test", peer.JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	remote := mustNext(ctx, t, joined).Peer
	tracks := signalling.Events[peer.Track](remote, 2)
	dc, err := remote.CreateDataChannel("check", nil, peer.DataChannelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	msgs := signalling.Events[peer.DCMessage](dc, 4)
	if err := dc.SendText(ctx, "ping"); err != nil {
		t.Fatal(err)
	}
	if err := dc.Send(ctx, []byte{9, 8}); err != nil {
		t.Fatal(err)
	}
	if m := mustNext(ctx, t, msgs); !m.IsString || string(m.Data) != "ping" {
		t.Errorf("text echo %+v", m)
	}
	if m := mustNext(ctx, t, msgs); m.IsString || string(m.Data) != "\x09\x08" {
		t.Errorf("binary echo %+v", m)
	}
	if err := p.SendTo(ctx, remote.ID(), map[string]string{"q": "direct"}); err != nil {
		t.Fatal(err)
	}
	if d := mustNext(ctx, t, data); d.Kind != peer.KindDirect || string(d.Data) != `{"q":"direct"}` {
		t.Errorf("direct echo %+v", d)
	}
	tr := mustNext(ctx, t, tracks)
	if !strings.HasPrefix(tr.Track.ID(), "echo-") {
		t.Errorf("echoed track id %q", tr.Track.ID())
	}
	reader, err := peer.NewPCMReader(tr.Track)
	if err != nil {
		t.Fatal(err)
	}
	if f, err := reader.ReadFrame(); err != nil || len(f.Samples) == 0 {
		t.Errorf("echoed audio frame %+v: %v", f, err)
	}

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("echo exited with %v", err)
	}
}

// mustNext waits for the next event of s.
func mustNext[E any](ctx context.Context, t *testing.T, s *signalling.Stream[E]) E {
	t.Helper()
	ev, err := s.Next(ctx)
	if err != nil {
		t.Fatalf("waiting for %T: %v", ev, err)
	}
	return ev
}
