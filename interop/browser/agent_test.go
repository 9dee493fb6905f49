package browser_test

import (
	"context"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/agentpeer"
	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store/memory"
)

// TestBrowserChatsWithAgent: a page with the published SDK chats with an
// agent peer (scripted provider) by text on the channel and directly, and
// a microphone track gets the text-only chat.error (issue 13, acceptance 2,
// text half).
func TestBrowserChatsWithAgent(t *testing.T) {
	requireTools(t)
	wsURL, pageURL := startServers(t)
	startAgent(t, wsURL, "interop/agent", "")

	res := runPage(t, pageURL+"/agent.html", wsURL, "interop/agent")
	t.Logf("page results: %v", res)
	if f, ok := res["fatal"]; ok {
		t.Fatalf("page failed: %v", f)
	}
	for _, check := range []string{"channelChat", "directChat", "audioRefused"} {
		if res[check] != "ok" {
			t.Errorf("page check %s: %v", check, res[check])
		}
	}
	if meta, _ := res["agentMetadata"].(map[string]any); meta["kind"] != "agent" || meta["name"] != "helper" {
		t.Errorf("agent metadata in the browser: %v", res["agentMetadata"])
	}
}

// TestBrowserTalksWithAgent: a page with the published SDK adds Chromium's
// fake microphone to its connection with a realtime agent (scripted
// provider, gpt-realtime-2) and gets audio back on the agent's track plus
// both transcripts as chat messages (issue 13, acceptance 2, voice half).
func TestBrowserTalksWithAgent(t *testing.T) {
	requireTools(t)
	wsURL, pageURL := startServers(t)
	startAgent(t, wsURL, "interop/voice", "gpt-realtime-2")

	res := runPage(t, pageURL+"/voice.html", wsURL, "interop/voice")
	t.Logf("page results: %v", res)
	if f, ok := res["fatal"]; ok {
		t.Fatalf("page failed: %v", f)
	}
	for _, check := range []string{"agentTrack", "transcripts", "audioBack", "voiceEnds"} {
		if res[check] != "ok" {
			t.Errorf("page check %s: %v", check, res[check])
		}
	}
	// The agent's track metadata ({"kind":"agent-voice"}) is not asserted
	// here: pion answers on the microphone's transceiver, whose receiver
	// track Chromium created with an id of its own, so the SDK's lookup of
	// metadata by track id misses it (the Go test checks it).
	if errs, ok := res["chatErrors"]; ok {
		t.Errorf("chat.error during the call: %v", errs)
	}
}

// startAgent runs an agent peer with the scripted provider (and model, if
// not "") in channel until the test ends.
func startAgent(t *testing.T, wsURL, channel, model string) {
	t.Helper()
	resolver, err := providers.New(providers.Config{})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := session.New(context.Background(), session.Config{Store: memory.New(), Resolver: resolver, Realm: "browser"})
	if err != nil {
		t.Fatal(err)
	}
	joined := make(chan string, 1)
	a, err := agentpeer.New(context.Background(), agentpeer.Config{
		Sessions: svc, URL: wsURL, Channel: channel, SecretKey: realtimetest.Secret,
		Name: "helper", Provider: "scripted", Model: model, API: browserAPI(t), Joined: func(id string) { joined <- id },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("agent Run: %v", err)
		}
		svc.Close()
	})
	select {
	case <-joined:
	case err := <-done:
		t.Fatalf("agent Run: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("agent did not join")
	}
}
