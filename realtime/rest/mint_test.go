package rest_test

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/internal/realtimetest"
	"github.com/rkat-dev/rkat/realtime/rest"
	"github.com/rkat-dev/rkat/realtime/wire"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestMintToken(t *testing.T) {
	srv := realtimetest.Start(t, realtimetest.Config())
	good := wire.MintRequest{Sub: "minter", Channels: []string{"room"}, Permissions: []string{"subscribe"}, TTLSeconds: 60}
	bad := good
	bad.Permissions = []string{"fly"}
	for _, tc := range []struct {
		name, origin, secret string
		req                  wire.MintRequest
		wantErr              string // empty: a token is expected
	}{
		{"http origin", srv.HTTPURL(), realtimetest.Secret, good, ""},
		{"ws origin", srv.URL(), realtimetest.Secret, good, ""},
		{"wrong secret", srv.HTTPURL(), "sk_wrong", good, "401"},
		{"refused claims", srv.HTTPURL(), realtimetest.Secret, bad, "invalid_token_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := rest.MintToken(context.Background(), nil, tc.origin, tc.secret, tc.req)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("MintToken = %+v, %v; want an error with %q", out, err, tc.wantErr)
				}
				return
			}
			if err != nil || strings.Count(out.Token, ".") != 2 || out.ExpiresAt == 0 {
				t.Fatalf("MintToken = %+v, %v; want a JWT and its expiry", out, err)
			}
		})
	}
}
