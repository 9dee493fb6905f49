package realtime

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// FuzzVerifyToken feeds arbitrary token strings to the JWT verifier: it
// must never panic and must reject with one of the connect-time codes.
func FuzzVerifyToken(f *testing.F) {
	a, err := newAuthenticator(testConfig(), Limits{}.withDefaults())
	if err != nil {
		f.Fatal(err)
	}
	sign := func(cl jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, cl)
		tok.Header["kid"] = testKid
		s, _ := tok.SignedString([]byte("secret-one"))
		return s
	}
	f.Add(sign(claims("alice")))
	f.Add(sign(jwt.MapClaims{"sub": 5, "exp": "soon", "channels": "x", "permissions": []int{1}, "metadata": []string{}}))
	f.Add("e30.e30.")
	f.Add("..")
	f.Add("")
	now := time.Now()
	f.Fuzz(func(t *testing.T, token string) {
		id, aerr := a.verifyToken(token, now)
		if aerr == nil {
			if wire.ValidateSubject(id.peerID) != nil || id.expiresAt == nil {
				t.Fatalf("accepted identity %+v", id)
			}
			return
		}
		switch aerr.code {
		case wire.CloseInvalidToken, wire.CloseTokenExpired, wire.CloseChannelNotAuth, wire.CloseAccountSuspended:
		default:
			t.Fatalf("unexpected close code %d", aerr.code)
		}
		if len(aerr.reason) > 123 {
			t.Fatalf("close reason over 123 bytes: %q", aerr.reason)
		}
	})
}
