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
