package realtime

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// TestCredential: what a request to a neighbouring endpoint authenticates
// as, and which permissions it holds; the rpc permission is an ordinary
// permission name of keys and tokens.
func TestCredential(t *testing.T) {
	cfg := testConfig()
	cfg.Keys = append(cfg.Keys, KeyConfig{Key: "pk_rpc", Channels: []string{"**"}, Permissions: []string{"subscribe", "rpc"}})
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(t.Context())
	claims := func(perms ...string) jwt.MapClaims {
		return jwt.MapClaims{"sub": "u1", "exp": time.Now().Add(time.Hour).Unix(), "channels": []string{"room/a"}, "permissions": perms}
	}
	rpcToken := token(t, testKid, "secret-one", claims("subscribe", wire.PermRPC))
	plainToken := token(t, testKid, "secret-one", claims("subscribe"))
	expired := token(t, testKid, "secret-one", jwt.MapClaims{"sub": "u1", "exp": time.Now().Add(-time.Minute).Unix(), "channels": []string{}, "permissions": []string{"rpc"}})
	for _, tc := range []struct {
		name, target, bearer string
		wantErr              bool
		secret, rpc, publish bool
	}{
		{name: "nothing", target: "/x", wantErr: true},
		{name: "unknown key", target: "/x?key=pk_nope", wantErr: true},
		{name: "unknown bearer", target: "/x", bearer: "sk_nope", wantErr: true},
		{name: "expired token", target: "/x?token=" + expired, wantErr: true},
		{name: "secret key as bearer", target: "/x", bearer: testSecret, secret: true, rpc: true, publish: true},
		{name: "secret key in the query", target: "/x?key=" + testSecret, secret: true, rpc: true, publish: true},
		{name: "publishable key", target: "/x?key=" + testKey, publish: true},
		{name: "publishable key with rpc", target: "/x?key=pk_rpc", rpc: true},
		{name: "publishable key as bearer", target: "/x", bearer: "pk_rpc", rpc: true},
		{name: "token with rpc", target: "/x?token=" + rpcToken, rpc: true},
		{name: "token with rpc as bearer", target: "/x", bearer: rpcToken, rpc: true},
		{name: "token without rpc", target: "/x?token=" + plainToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", tc.target, nil)
			if tc.bearer != "" {
				r.Header.Set("Authorization", "Bearer "+tc.bearer)
			}
			c, err := srv.Credential(r)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Credential = %+v, %v", c, err)
			}
			if c.Secret != tc.secret || c.Allows(wire.PermRPC) != tc.rpc || c.Allows(wire.PermPublish) != tc.publish {
				t.Fatalf("Credential = %+v: secret %v, rpc %v, publish %v", c, c.Secret, c.Allows(wire.PermRPC), c.Allows(wire.PermPublish))
			}
		})
	}
}

// TestChannelList: GET /v1/channels lists the app's channels with members
// and their visible peers, and needs a secret key.
func TestChannelList(t *testing.T) {
	_, ws, base := startServer(t, testConfig())
	if code, _ := rest(t, "GET", base+"/v1/channels", "", nil); code != 401 {
		t.Fatalf("without a key: %d", code)
	}
	c, welcome := dialKey(t, ws, testKey)
	c.send(map[string]any{"type": "subscribe", "channel": "room/b", "requestId": "r1"})
	c.expectAck("r1")
	code, body := rest(t, "GET", base+"/v1/channels", testSecret, nil)
	list, _ := body["channels"].([]any)
	if code != 200 || len(list) != 1 || body["truncated"] != false {
		t.Fatalf("channels = %d %v", code, body)
	}
	ch := list[0].(map[string]any)
	peers, _ := ch["peers"].([]any)
	if ch["channel"] != "room/b" || len(peers) != 1 || peers[0].(map[string]any)["peerId"] != welcome.PeerID {
		t.Fatalf("channel entry %v", ch)
	}
}
