package serve_test

import (
	"context"
	"net"
	"testing"

	"github.com/rkat-dev/rkat/serve"
)

// BenchmarkStartToReady measures serve.New through Serve answering /readyz,
// in process, with the default configuration (a fresh SQLite realm and the
// lobby agent), then a graceful shutdown that is not timed.
func BenchmarkStartToReady(b *testing.B) {
	res := scriptedResolver(b)
	for b.Loop() {
		f := serve.Default()
		srv, err := serve.New(context.Background(), serve.Config{File: f, StateRoot: b.TempDir(), Resolver: res})
		if err != nil {
			b.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- srv.Serve(ctx, ln) }()
		waitReady(b, "http://"+ln.Addr().String())
		b.StopTimer()
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
