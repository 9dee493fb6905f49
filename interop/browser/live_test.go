package browser_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/internal/testbin"
	"github.com/rkat-dev/rkat/llm/llmtest"
)

// rpcPeer speaks JSON-RPC to a spawned rkat-rpc, one call at a time.
type rpcPeer struct {
	mu  sync.Mutex
	in  io.Writer
	out *bufio.Scanner
	id  int
}

func (p *rpcPeer) call(method string, params any) (json.RawMessage, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.id++
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": p.id, "method": method, "params": params})
	if _, err := p.in.Write(append(b, '\n')); err != nil {
		return nil, err
	}
	for p.out.Scan() {
		var m struct {
			ID     *int            `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if json.Unmarshal(p.out.Bytes(), &m) != nil || m.ID == nil || *m.ID != p.id {
			continue // notifications
		}
		if m.Error != nil {
			return nil, fmt.Errorf("%s: %s", method, m.Error)
		}
		return m.Result, nil
	}
	return nil, fmt.Errorf("%s: rkat-rpc ended: %v", method, p.out.Err())
}

// livePage offers the fake microphone to the live channel through the test
// server's /answer (which calls live/webrtc/answer) and reports the audio
// it receives back once its energy shows the reply (the track idles with
// silence until then).
const livePage = `<!doctype html><script>
(async () => {
  try {
    const mic = await navigator.mediaDevices.getUserMedia({audio: true});
    const pc = new RTCPeerConnection();
    mic.getTracks().forEach((t) => pc.addTrack(t, mic));
    pc.ontrack = (e) => { const a = new Audio(); a.srcObject = e.streams[0] || new MediaStream([e.track]); a.play().catch(() => {}); };
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((ok) => { if (pc.iceGatheringState === "complete") ok(); pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && ok(); });
    const res = await fetch("/answer", {method: "POST", body: pc.localDescription.sdp});
    if (!res.ok) throw new Error("answer: " + await res.text());
    await pc.setRemoteDescription({type: "answer", sdp: await res.text()});
    for (let i = 0; i < 300; i++) {
      await new Promise((ok) => setTimeout(ok, 100));
      const stats = await pc.getStats();
      for (const s of stats.values()) {
        if (s.type === "inbound-rtp" && s.kind === "audio" && s.totalAudioEnergy > 0) {
          window.__result = {bytesReceived: s.bytesReceived, totalAudioEnergy: s.totalAudioEnergy, state: pc.connectionState};
          return;
        }
      }
    }
    window.__result = {fatal: "no reply audio within 30 s"};
  } catch (e) { window.__result = {fatal: String(e)}; }
})();
</script>`

// TestBrowserLiveWebRTC: headless Chromium with a fake microphone joins a
// live channel of rkat-rpc --live-webrtc; the OpenAI Realtime fake receives
// its audio, and the page receives the reply audio.
func TestBrowserLiveWebRTC(t *testing.T) {
	requireTools(t)
	dir := t.TempDir()
	bin, err := testbin.Build(dir, "github.com/rkat-dev/rkat/cmd/rkat-rpc")
	if err != nil {
		t.Fatal(err)
	}
	fake := llmtest.NewRealtime(t, llmtest.RealtimeConfig{APIKey: "sk-live"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--live-webrtc", "--isolated", "--state-root", filepath.Join(dir, "state"))
	cmd.Env = append(os.Environ(), "OPENAI_API_KEY=sk-live", "OPENAI_BASE_URL="+fake.URL(), "RKAT_TEST_CLIENT=", "HOME="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		_ = cmd.Wait()
	}()
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	p := &rpcPeer{in: stdin, out: sc}
	var created struct {
		SessionID string `json:"session_id"`
	}
	var opened struct {
		ChannelID string            `json:"channel_id"`
		T         map[string]string `json:"transport"`
	}
	for _, step := range []struct {
		method string
		params any
		out    any
	}{
		{"initialize", map[string]any{}, nil},
		{"session/create", map[string]any{"prompt": "hello", "model": "gpt-realtime-2", "provider": "openai"}, &created},
		// The pointer is read when the call marshals it, after session/create.
		{"live/open", map[string]any{"session_id": &created.SessionID, "transport": "webrtc", "turning_mode": "explicit_commit"}, &opened},
	} {
		res, err := p.call(step.method, step.params)
		if err != nil {
			t.Fatal(err)
		}
		if step.out != nil {
			if err := json.Unmarshal(res, step.out); err != nil {
				t.Fatal(err)
			}
		}
	}
	if opened.T["transport"] != "webrtc" || opened.T["answer_method"] != "live/webrtc/answer" || opened.T["token"] == "" {
		t.Fatalf("live/open transport %v", opened.T)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, livePage) })
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("POST /answer", func(w http.ResponseWriter, r *http.Request) {
		offer, _ := io.ReadAll(r.Body)
		res, err := p.call("live/webrtc/answer", map[string]any{"channel_id": opened.ChannelID, "token": opened.T["token"], "offer_sdp": string(offer)})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		var a struct {
			AnswerSDP string `json:"answer_sdp"`
		}
		_ = json.Unmarshal(res, &a)
		io.WriteString(w, a.AnswerSDP)
	})
	pages := httptest.NewServer(mux)
	defer pages.Close()

	// Commit once the provider has half a second of the microphone (G.711
	// μ-law passed through: 8000 bytes a second).
	committed := make(chan error, 1)
	var commitAt time.Time
	go func() {
		for fake.AudioBytes() < 4000 { // half a second of μ-law
			select {
			case <-ctx.Done():
				committed <- ctx.Err()
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
		commitAt = time.Now()
		_, err := p.call("live/commit_input", map[string]any{"channel_id": opened.ChannelID})
		committed <- err
	}()
	drive := exec.CommandContext(ctx, "node", "drive.mjs", pages.URL+"/")
	var out, stderr bytes.Buffer
	drive.Stdout, drive.Stderr = &out, &stderr
	err = drive.Run()
	driven := time.Now()
	t.Logf("driver stderr:\n%s", stderr.String())
	if err != nil {
		t.Fatalf("driver: %v", err)
	}
	if err := <-committed; err != nil {
		t.Fatal(err)
	}
	if !commitAt.Before(driven) {
		t.Fatal("the page heard audio before any reply was asked for")
	}
	var res map[string]any
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("driver output %q: %v", out.String(), err)
	}
	if res["fatal"] != nil {
		t.Fatalf("page: %v (the provider got %d audio bytes)", res["fatal"], fake.AudioBytes())
	}
	if b, _ := res["bytesReceived"].(float64); b <= 0 {
		t.Errorf("page result %v", res)
	}
	passthrough := false // the channel configured G.711 μ-law input: the browser's RTP payloads went through as is
	for _, ev := range fake.Events() {
		if b, _ := json.Marshal(ev); ev["type"] == "session.update" && bytes.Contains(b, []byte(`"input":{"format":{"type":"audio/pcmu"}`)) {
			passthrough = true
		}
	}
	if !passthrough {
		t.Error("the provider was not configured for G.711 μ-law input")
	}
	t.Logf("page: %v; the provider got %d audio bytes", res, fake.AudioBytes())
}
