package realtime

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
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

// FuzzTokenClaims signs arbitrary claim sets with a configured key, so
// every input reaches claims parsing: the verifier must never panic, must
// answer with a connect-time code, and may accept only a subject other than
// the server's, an integer exp in (now, now+24h+skew] and an nbf (if any)
// that has come.
func FuzzTokenClaims(f *testing.F) {
	a, err := newAuthenticator(testConfig(), Limits{}.withDefaults())
	if err != nil {
		f.Fatal(err)
	}
	now := time.Now()
	exp := strconv.FormatInt(now.Add(time.Hour).Unix(), 10)
	for _, seed := range []string{
		`{"sub":"alice","exp":` + exp + `,"channels":["room/**"],"permissions":["subscribe"]}`,
		`{"sub":"alice","exp":` + exp + `,"nbf":` + exp + `,"channels":[],"permissions":[]}`,
		`{"sub":"alice","exp":1e20,"channels":[],"permissions":[]}`,
		`{"sub":"alice","exp":9223372036854775808,"channels":[],"permissions":[]}`,
		`{"sub":"alice","exp":"` + exp + `","channels":[],"permissions":[]}`,
		`{"sub":"alice","exp":` + exp + `.5,"channels":[],"permissions":[]}`,
		`{"sub":"server","exp":` + exp + `,"channels":[],"permissions":[]}`,
		`{"sub":"alice","exp":` + exp + `,"iat":-1,"channels":["a"],"permissions":["send"],"metadata":{"a":1},"peerMetadata":null}`,
		`[]`, `null`, `{}`, `{"exp":null}`,
	} {
		f.Add([]byte(seed))
	}
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"HS256","kid":"` + testKid + `","typ":"JWT"}`))
	maxExp := now.Unix() + int64((wire.MaxTokenLifetime+time.Duration(a.limits.TokenClockSkew))/time.Second)
	f.Fuzz(func(t *testing.T, payload []byte) {
		signing := head + "." + enc.EncodeToString(payload)
		sig, err := jwt.SigningMethodHS256.Sign(signing, []byte("secret-one"))
		if err != nil {
			t.Fatal(err)
		}
		id, aerr := a.verifyToken(signing+"."+enc.EncodeToString(sig), now)
		if aerr != nil {
			switch aerr.code {
			case wire.CloseInvalidToken, wire.CloseTokenExpired, wire.CloseChannelNotAuth, wire.CloseAccountSuspended:
			default:
				t.Fatalf("unexpected close code %d", aerr.code)
			}
			return
		}
		var cl struct {
			Exp, Nbf json.Number
		}
		d := json.NewDecoder(bytes.NewReader(payload))
		d.UseNumber()
		if err := d.Decode(&cl); err != nil {
			t.Fatalf("accepted claims that do not decode: %v", err)
		}
		e, err := strconv.ParseInt(cl.Exp.String(), 10, 64)
		if err != nil || e <= now.Unix() || e > maxExp || id.expiresAt == nil || *id.expiresAt != e {
			t.Fatalf("accepted exp %q (identity %v)", cl.Exp, id.expiresAt)
		}
		if cl.Nbf != "" {
			if n, err := strconv.ParseInt(cl.Nbf.String(), 10, 64); err != nil || n > now.Unix()+5 {
				t.Fatalf("accepted nbf %q", cl.Nbf)
			}
		}
		if id.peerID == serverPeerID || wire.ValidateSubject(id.peerID) != nil {
			t.Fatalf("accepted sub %q", id.peerID)
		}
	})
}
