// Package browser_test drives the published @metered-ca/realtime SDK in
// headless Chromium against our realtime server and Go peers.
package browser_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/realtime/peer"
	"github.com/rkat-dev/rkat/realtime/signalling"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	chromium = "/usr/bin/chromium"
	sdkDir   = "../js/node_modules/@metered-ca/realtime/dist"
	pwDir    = "../js/node_modules/playwright-core"
	key      = realtimetest.Key
)

// requireTools fails under CI=true and skips otherwise when Chromium, node
// or the npm modules are missing.
func requireTools(t *testing.T) {
	t.Helper()
	var missing []string
	for _, p := range []string{chromium, sdkDir, pwDir} {
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, p)
		}
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing = append(missing, "node")
	}
	if len(missing) == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("browser interop needs %v (apt-get install -y chromium; npm ci in interop/js)", missing)
	}
	t.Skipf("browser interop needs %v", missing)
}

// startServers runs the realtime server and the page server on loopback:
// this directory's pages (index.html at /) and the SDK under /sdk/.
func startServers(t *testing.T) (wsURL, pageURL string) {
	t.Helper()
	rt := realtimetest.Start(t, realtimetest.WithHistory(realtimetest.Config()))
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServer(http.Dir(".")))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.Handle("GET /sdk/", http.StripPrefix("/sdk/", http.FileServer(http.Dir(sdkDir))))
	pages := httptest.NewServer(mux)
	t.Cleanup(pages.Close)
	return rt.URL(), pages.URL
}

// browserAPI lets pion reach Chromium's loopback candidates.
func browserAPI(t *testing.T) *webrtc.API {
	t.Helper()
	se := &webrtc.SettingEngine{}
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	api, err := peer.NewAPI(se)
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// runPage drives Chromium through the page at pageURL and returns its results.
func runPage(t *testing.T, pageURL, wsURL, channel string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	u := pageURL + "?" + url.Values{"url": {wsURL}, "key": {key}, "channel": {channel}}.Encode()
	cmd := exec.CommandContext(ctx, "node", "drive.mjs", u)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	t.Logf("driver stderr:\n%s", stderr.String())
	if err != nil {
		t.Fatalf("driver: %v", err)
	}
	var res map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("driver output %q: %v", stdout.String(), err)
	}
	return res
}

func assertPage(t *testing.T, res map[string]any) {
	t.Helper()
	if f, ok := res["fatal"]; ok {
		t.Fatalf("page failed: %v", f)
	}
	for _, check := range []string{"dcText", "dcBinary", "direct", "audioIn", "audioOut"} {
		if res[check] != "ok" {
			t.Errorf("page check %s: %v", check, res[check])
		}
	}
}

// TestBrowserWithGoPeer: a Go peer with an AudioSource echoes the page's
// data-channel and directed messages and reads the browser's audio as PCM.
func TestBrowserWithGoPeer(t *testing.T) {
	requireTools(t)
	wsURL, pageURL := startServers(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()

	p, err := peer.New(peer.Config{Signalling: signalling.Config{URL: wsURL, Key: key}, API: browserAPI(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	src, err := peer.NewAudioSource(peer.AudioSourceConfig{InputRate: 24000, MaxBuffered: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	wg.Go(func() { pushTone(ctx, src) })
	if err := p.AddTrack(src.Track(), json.RawMessage(`{"role":"go-voice"}`)); err != nil {
		t.Fatal(err)
	}
	var frames, loud atomic.Int64
	var meta atomic.Value
	var dcMessages atomic.Int64
	signalling.On(p, func(ev peer.PeerJoined) {
		signalling.On(ev.Peer, func(e peer.DataChannelOpened) {
			dc := e.Channel
			signalling.On(dc, func(m peer.DCMessage) {
				dcMessages.Add(1)
				if m.IsString {
					_ = dc.SendText(ctx, string(m.Data))
					return
				}
				_ = dc.Send(ctx, m.Data)
			})
		})
		signalling.On(ev.Peer, func(e peer.Track) {
			meta.Store(string(e.Metadata))
			r, err := peer.NewPCMReader(e.Track)
			if err != nil {
				t.Errorf("browser track: %v", err)
				return
			}
			wg.Go(func() { countFrames(r, &frames, &loud) })
		})
	})
	var directs atomic.Int64
	signalling.On(p, func(ev peer.Data) {
		if ev.Kind == peer.KindDirect {
			directs.Add(1)
			_ = p.SendTo(ctx, ev.SenderPeerID, ev.Data)
		}
	})
	if err := p.Join(ctx, "interop/go", peer.JoinOptions{}); err != nil {
		t.Fatal(err)
	}
	assertPage(t, runPage(t, pageURL+"/", wsURL, "interop/go"))
	if frames.Load() < 20 || loud.Load() == 0 {
		t.Errorf("Go peer read %d PCM frames from the browser, %d with signal", frames.Load(), loud.Load())
	}
	if m, _ := meta.Load().(string); m != `{"role":"browser-mic"}` {
		t.Errorf("browser track metadata %q", m)
	}
	if dcMessages.Load() != 2 || directs.Load() != 1 {
		t.Errorf("Go peer got %d data-channel and %d direct messages, want 2 and 1 (no control messages)", dcMessages.Load(), directs.Load())
	}
}

// TestBrowserWithEcho runs the `rkat realtime echo` peer against the page.
func TestBrowserWithEcho(t *testing.T) {
	requireTools(t)
	wsURL, pageURL := startServers(t)
	ctx, cancel := context.WithCancel(context.Background())
	joined := make(chan struct{})
	done := make(chan error, 1)
	cfg := peer.Config{Signalling: signalling.Config{URL: wsURL, Key: key}, API: browserAPI(t)}
	go func() {
		done <- peer.Echo(ctx, cfg, "interop/echo", func(string) { close(joined) })
	}()
	select {
	case <-joined:
	case err := <-done:
		t.Fatalf("echo: %v", err)
	case <-time.After(20 * time.Second):
		cancel()
		<-done
		t.Fatal("echo peer did not join within 20 s")
	}
	assertPage(t, runPage(t, pageURL+"/", wsURL, "interop/echo"))
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("echo returned %v", err)
	}
}

// pushTone feeds a 440 Hz tone until ctx ends.
func pushTone(ctx context.Context, src *peer.AudioSource) {
	const rate = 24000
	buf := make([]byte, rate/10*2)
	for n := 0; ctx.Err() == nil; n++ {
		for i := range rate / 10 {
			v := int16(6000 * math.Sin(2*math.Pi*440*float64(n*rate/10+i)/rate))
			buf[2*i], buf[2*i+1] = byte(v), byte(uint16(v)>>8)
		}
		if src.Push(ctx, buf) != nil {
			return
		}
	}
}

// countFrames reads PCM frames until the track ends.
func countFrames(r *peer.PCMReader, frames, loud *atomic.Int64) {
	for {
		f, err := r.ReadFrame()
		if err != nil {
			return
		}
		frames.Add(1)
		var sum float64
		for _, s := range f.Samples {
			sum += float64(s) * float64(s)
		}
		if len(f.Samples) > 0 && math.Sqrt(sum/float64(len(f.Samples))) > 100 {
			loud.Add(1)
		}
	}
}
