package comms_test

import (
	"errors"
	"testing"

	"github.com/rkat-dev/rkat/comms"
)

func TestConfigHub(t *testing.T) {
	origin := func() (string, error) { return "ws://127.0.0.1:9", nil }
	notYet := func() (string, error) { return "", errors.New("not listening yet") }
	for _, tc := range []struct {
		name    string
		cfg     comms.Config
		wantErr bool   // from New
		url     string // from URL, "" when it fails
	}{
		{"url and key", comms.Config{URL: "ws://127.0.0.1:8", SecretKey: "sk"}, false, "ws://127.0.0.1:8"},
		{"origin and key", comms.Config{Origin: origin, SecretKey: "sk"}, false, "ws://127.0.0.1:9"},
		{"origin not ready", comms.Config{Origin: notYet, SecretKey: "sk"}, false, ""},
		{"url without key", comms.Config{URL: "ws://127.0.0.1:8"}, true, ""},
		{"origin without key", comms.Config{Origin: origin}, true, ""},
		{"key alone", comms.Config{SecretKey: "sk"}, true, ""},
		{"url and origin", comms.Config{URL: "ws://127.0.0.1:8", Origin: origin, SecretKey: "sk"}, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := comms.New(tc.cfg)
			if tc.wantErr {
				if !errors.Is(err, comms.ErrConfig) {
					t.Fatalf("New: %v, want ErrConfig", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer n.Close()
			got, err := n.URL()
			if got != tc.url || (err == nil) != (tc.url != "") {
				t.Fatalf("URL() = %q, %v; want %q", got, err, tc.url)
			}
		})
	}
}
