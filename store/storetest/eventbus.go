package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/rkat-dev/rkat/store"
)

// BusFactory returns one store.EventBus per realm, all on one fresh shared
// backend (as processes on several nodes share it). The factory closes them
// when the test ends.
type BusFactory func(t *testing.T, realms ...string) []store.EventBus

// RunEventBus runs the conformance suite of store.EventBus.
func RunEventBus(t *testing.T, newBuses BusFactory) {
	for _, tt := range []struct {
		name string
		fn   func(t *testing.T, newBuses BusFactory)
	}{
		{"RealmsAndOrder", testBusRealmsAndOrder},
		{"Invalid", testBusInvalid},
		{"ConcurrentPublishers", testBusConcurrentPublishers},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newBuses) })
	}
}

// jsonString returns a JSON string of exactly n bytes whose content repeats
// unit (multi-byte runes exercise any cutting of the payload).
func jsonString(n int, unit string) string {
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('"')
	for b.Len()+len(unit) <= n-1 {
		b.WriteString(unit)
	}
	b.WriteString(strings.Repeat("x", n-1-b.Len()))
	b.WriteByte('"')
	return b.String()
}

// listen starts a listener on bus and waits until it listens; the returned
// function stops it and returns its error.
func listen(t *testing.T, bus store.EventBus, got chan<- string) func() error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	listened := make(chan error, 1)
	go func() {
		listened <- bus.ListenEvents(ctx, func() { close(ready) }, func(p []byte) { got <- string(p) })
	}()
	select {
	case <-ready:
	case err := <-listened:
		cancel()
		t.Fatalf("ListenEvents: %v", err)
	}
	return func() error {
		cancel()
		return <-listened
	}
}

// testBusRealmsAndOrder: a listener gets every payload of its own realm
// whole and in order, the largest ones included, and none of another realm
// on the same backend; cancelling it ends ListenEvents with the context's
// error.
func testBusRealmsAndOrder(t *testing.T, newBuses BusFactory) {
	ctx := context.Background()
	buses := newBuses(t, "alpha", "beta")
	a, other := buses[0], buses[1]
	got := make(chan string, 16)
	stop := listen(t, a, got)
	want := []string{
		`{"n":1}`,
		jsonString(100_000, "é€😀x"),
		`{"n":2}`,
		jsonString(store.MaxEventPayload, "aé€😀"),
		`{"n":3}`,
	}
	if err := other.PublishEvent(ctx, []byte(`{"n":0}`)); err != nil {
		t.Fatal(err)
	}
	for _, p := range want {
		if err := a.PublishEvent(ctx, []byte(p)); err != nil {
			t.Fatalf("PublishEvent (%d bytes): %v", len(p), err)
		}
	}
	for _, w := range want {
		select {
		case p := <-got:
			if p != w {
				t.Fatalf("listener got %.40s... (%d bytes), want %.40s... (%d bytes)", p, len(p), w, len(w))
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("no event %.40s... (%d bytes)", w, len(w))
		}
	}
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("ListenEvents after cancel = %v", err)
	}
}

// testBusInvalid: payloads that are not JSON or exceed MaxEventPayload are
// refused with ErrInvalid.
func testBusInvalid(t *testing.T, newBuses BusFactory) {
	bus := newBuses(t, "alpha")[0]
	for _, bad := range []string{"not json", jsonString(store.MaxEventPayload+1, "x"), "\"\xff\""} {
		if err := bus.PublishEvent(context.Background(), []byte(bad)); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("PublishEvent(%.20q...) = %v, want ErrInvalid", bad, err)
		}
	}
}

// testBusConcurrentPublishers: payloads of several parts published at once
// by 8 goroutines on two stores of one realm reach a listener on each
// store whole, each publisher's in its order.
func testBusConcurrentPublishers(t *testing.T, newBuses BusFactory) {
	const publishers, each = 8, 3
	buses := newBuses(t, "alpha", "alpha")
	gots := make([]chan string, len(buses))
	for i, bus := range buses {
		gots[i] = make(chan string, publishers*each)
		stop := listen(t, bus, gots[i])
		defer stop()
	}
	payload := func(p, k int) string {
		return fmt.Sprintf(`{"p":%d,"k":%d,"s":%s}`, p, k, jsonString(200_000+p*1000+k, "é€😀x"))
	}
	var g errgroup.Group
	for p := range publishers {
		g.Go(func() error {
			for k := range each {
				if err := buses[p%len(buses)].PublishEvent(context.Background(), []byte(payload(p, k))); err != nil {
					return fmt.Errorf("publisher %d, payload %d: %w", p, k, err)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	for i, got := range gots {
		next := make([]int, publishers) // each publisher's next payload
		for range publishers * each {
			var p string
			select {
			case p = <-got:
			case <-time.After(30 * time.Second):
				t.Fatalf("listener %d: payloads missing after %v of %d each", i, next, each)
			}
			var from, k int
			if _, err := fmt.Sscanf(p, `{"p":%d,"k":%d,`, &from, &k); err != nil || from < 0 || from >= publishers ||
				k != next[from] || p != payload(from, k) {
				t.Fatalf("listener %d got %.40s... (%d bytes); want whole payloads, in order per publisher (next %v)", i, p, len(p), next)
			}
			next[from]++
		}
	}
}
