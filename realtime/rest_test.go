package realtime

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// rest calls the REST API with the test secret key.
func rest(t testing.TB, method, url, secret string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: non-JSON body %q", method, url, raw)
		}
	}
	return resp.StatusCode, out
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func TestRESTAPI(t *testing.T) {
	_, base, httpBase := startServer(t, testConfig())

	// Mint a token and connect with it.
	status, body := rest(t, "POST", httpBase+"/v1/tokens", testSecret, wire.MintRequest{
		Sub: "minted", Channels: []string{"room/**"}, Permissions: []string{"subscribe", "presence", "send", "publish"},
		TTLSeconds: 600, PeerMetadata: json.RawMessage(`{"name":"M"}`),
	})
	if status != 200 {
		t.Fatalf("mint: %d %v", status, body)
	}
	c, w := dialToken(t, base, body["token"].(string))
	if w.PeerID != "minted" || w.ExpiresAt == nil || float64(*w.ExpiresAt) != body["expiresAt"].(float64) {
		t.Fatalf("welcome %+v vs %v", w, body)
	}
	c.subscribe("room/r", true)

	// List peers.
	status, body = rest(t, "GET", httpBase+"/v1/channels/room/r", testSecret, nil)
	peers, _ := body["peers"].([]any)
	if status != 200 || len(peers) != 1 || peers[0].(map[string]any)["peerId"] != "minted" {
		t.Fatalf("peers: %d %v", status, body)
	}
	// Publish from the server.
	status, body = rest(t, "POST", httpBase+"/v1/channels/room/r", testSecret, map[string]any{"data": map[string]int{"n": 1}})
	if status != 200 {
		t.Fatalf("publish: %d %v", status, body)
	}
	if m := c.expect(wire.TypeMessage); m.From != serverPeerID || string(m.Data) != `{"n":1}` {
		t.Fatalf("message %+v", m)
	}
	// Kick.
	if status, body = rest(t, "DELETE", httpBase+"/v1/peers/minted", testSecret, nil); status != 204 {
		t.Fatalf("kick: %d %v", status, body)
	}
	c.expectClose(4020)

	errorsTable := []struct {
		name, method, path, secret string
		body                       any
		status                     int
		code                       string
	}{
		{"no secret", "POST", "/v1/tokens", "", wire.MintRequest{}, 401, "unauthorized"},
		{"wrong secret", "GET", "/v1/channels/room/r", "sk_nope", nil, 401, "unauthorized"},
		{"bad json", "POST", "/v1/tokens", testSecret, "{", 400, "invalid_json"},
		{"trailing json", "POST", "/v1/tokens", testSecret, "{} {}", 400, "invalid_json"},
		{"invalid claims", "POST", "/v1/tokens", testSecret, wire.MintRequest{Sub: "x", Channels: []string{"a"}, Permissions: []string{"fly"}}, 400, "invalid_token_request"},
		{"ttl over 24h", "POST", "/v1/tokens", testSecret, wire.MintRequest{Sub: "x", Channels: []string{"a"}, Permissions: []string{}, TTLSeconds: 90000}, 400, "invalid_token_request"},
		{"publish without data", "POST", "/v1/channels/room/r", testSecret, map[string]any{}, 400, wire.ErrMissingData},
		{"kick unknown", "DELETE", "/v1/peers/ghost", testSecret, nil, 404, wire.ErrPeerNotFound},
	}
	for _, tt := range errorsTable {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rest(t, tt.method, httpBase+tt.path, tt.secret, tt.body)
			if status != tt.status || errCode(body) != tt.code {
				t.Fatalf("got %d %v, want %d %s", status, body, tt.status, tt.code)
			}
			if msg, _ := body["error"].(map[string]any)["message"].(string); msg == "" {
				t.Fatal("error without message")
			}
		})
	}
}

func TestMetricsEndpoint(t *testing.T) {
	_, base, httpBase := startServer(t, testConfig())
	c, _ := dialKey(t, base, testKey)
	c.subscribe("room/m", true)
	dialRaw(t, base, "key=pk_nope").expectClose(4001)
	resp, err := http.Get(httpBase + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, want := range []string{"rkat_realtime_connections 1", "rkat_realtime_subscriptions 1",
		`rkat_realtime_messages_in_total{type="subscribe"} 1`, `rkat_realtime_closes_total{code="4001"} 1`, "rkat_realtime_messages_out_total"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(string(b), "go_goroutines") {
		t.Error("metrics must come from the server's own registry, not the default one")
	}
}

func TestPerIPConnectRate(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.ConnectsPerIP = 2
	_, base, httpBase := startServer(t, cfg)
	dialKey(t, base, testKey)
	dialKey(t, base, testKey)
	resp, err := http.Get(httpBase + "/v1?key=" + testKey)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", resp.StatusCode)
	}
}

// testutilCounter reads one labelled series from the server's registry.
func testutilCounter(t *testing.T, srv *Server, name, labels string) float64 {
	t.Helper()
	mfs, err := srv.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			var sb strings.Builder
			for i, lp := range m.GetLabel() {
				if i > 0 {
					sb.WriteByte(',')
				}
				sb.WriteString(lp.GetName() + `="` + lp.GetValue() + `"`)
			}
			if sb.String() == labels {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
