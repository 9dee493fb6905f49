package bench

import (
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/realtime"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunSmall(t *testing.T) {
	srv, err := realtime.New(realtime.Config{
		Keys:   []realtime.KeyConfig{{Key: "pk_bench", Channels: []string{"bench/**"}, Permissions: []string{"subscribe", "publish"}}},
		Limits: realtime.Limits{ConnectsPerIP: 10000},
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer func() {
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
		ts.Close()
	}()
	res, err := Run(t.Context(), Options{
		URL: "ws" + strings.TrimPrefix(ts.URL, "http"), Key: "pk_bench", ServerPID: os.Getpid(),
		Conns: 20, Subscribers: 10, Channel: "bench/x", Rate: 100, Duration: 200 * time.Millisecond,
		Payload: 16, DialConcurrency: 4, Settle: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Published != 20 || res.Expected != 200 || res.Deliveries != 200 || res.DisconnectedEarly != 0 {
		t.Fatalf("result %+v", res)
	}
	if res.P50 <= 0 || res.P99 < res.P50 || res.Max < res.P99 || res.DeliveriesPerSec <= 0 || res.RSSIdleKB <= 0 {
		t.Fatalf("figures %+v", res)
	}
	// Each message reached its socket before the generator read it, so the
	// socket-arrival order statistics cannot exceed the read ones.
	if res.ReadP50 < res.P50 || res.ReadP99 < res.P99 || res.ReadMax < res.Max || res.ClientRunQueueWait < 0 {
		t.Fatalf("arrival after read: %+v", res)
	}
	if res.String() == "" {
		t.Fatal("empty report")
	}
}

func TestRunRejectsMoreSubscribersThanConns(t *testing.T) {
	if _, err := Run(t.Context(), Options{Conns: 1, Subscribers: 2}); err == nil {
		t.Fatal("accepted")
	}
}

func TestSentAt(t *testing.T) {
	tests := map[string]int64{`{"data":{"t":42,"pad":"x"}}`: 42, `{"data":{"t":7}}`: 7}
	for in, want := range tests {
		if got, ok := sentAt([]byte(in)); !ok || got != want {
			t.Errorf("sentAt(%s) = %d %v", in, got, ok)
		}
	}
	for _, in := range []string{`{}`, `{"t":`, `{"t":x}`} {
		if _, ok := sentAt([]byte(in)); ok {
			t.Errorf("sentAt(%s) accepted", in)
		}
	}
}

func TestParseFrame(t *testing.T) {
	long := make([]byte, 300)
	tests := []struct {
		name    string
		in      []byte
		opcode  byte
		payload int
		size    int
		err     bool
	}{
		{"empty", nil, 0, 0, 0, false},
		{"short header", []byte{0x81}, 0, 0, 0, false},
		{"text", []byte{0x81, 2, 'h', 'i', 0x81}, 0x1, 2, 4, false},
		{"incomplete payload", []byte{0x81, 3, 'h'}, 0, 0, 0, false},
		{"ping", []byte{0x89, 0}, 0x9, 0, 2, false},
		{"16-bit length", append([]byte{0x81, 126, 1, 44}, long...), 0x1, 300, 304, false},
		{"16-bit length incomplete", []byte{0x81, 126, 1}, 0, 0, 0, false},
		{"64-bit length incomplete", []byte{0x81, 127, 0, 0}, 0, 0, 0, false},
		{"oversized", []byte{0x81, 127, 0, 0, 0, 0, 0x10, 0, 0, 0}, 0, 0, 0, true},
		{"masked", []byte{0x81, 0x82, 0, 0, 0, 0, 'h', 'i'}, 0, 0, 0, true},
		{"fragment", []byte{0x01, 1, 'h'}, 0, 0, 0, true},
		{"continuation", []byte{0x80, 1, 'h'}, 0, 0, 0, true},
	}
	for _, tt := range tests {
		opcode, payload, size, err := parseFrame(tt.in)
		if (err != nil) != tt.err || opcode != tt.opcode || len(payload) != tt.payload || size != tt.size {
			t.Errorf("%s: got %#x %d %d %v", tt.name, opcode, len(payload), size, err)
		}
	}
}

func FuzzParseFrame(f *testing.F) {
	for _, seed := range [][]byte{{0x81, 2, 'h', 'i'}, {0x89, 0}, {0x81, 126, 0, 3, 1, 2, 3}, {0x81, 127, 0, 0, 0, 0, 0, 0, 0, 1, 9}, {0x81, 0x82}} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, payload, size, err := parseFrame(b)
		if size < 0 || size > len(b) || (err != nil && size != 0) || len(payload) > size {
			t.Fatalf("size %d payload %d err %v for %d bytes", size, len(payload), err, len(b))
		}
	})
}
