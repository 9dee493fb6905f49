package rpccmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/rkat-dev/rkat/live"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
)

// startLive starts the live channel manager of --live-ws or --live-webrtc
// and the /live/ws listener of --live-ws (loopback only); without either
// flag it returns a nil manager. stop closes the channels and the listener.
func startLive(o options, open func(context.Context) (*session.Service, store.Store, error), logger *slog.Logger) (*live.Manager, func(), error) {
	sessions := func(ctx context.Context) (*session.Service, error) {
		svc, _, err := open(ctx)
		return svc, err
	}
	if o.liveWS == "" {
		if !o.liveWebRTC {
			return nil, func() {}, nil
		}
		m, err := live.New(live.Config{Sessions: sessions, Logger: logger})
		return m, func() { m.Close() }, err
	}
	host, _, err := net.SplitHostPort(o.liveWS)
	if err != nil {
		return nil, nil, fmt.Errorf("--live-ws: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, nil, errors.New("--live-ws must be a loopback address such as 127.0.0.1:0")
	}
	ln, err := net.Listen("tcp", o.liveWS)
	if err != nil {
		return nil, nil, fmt.Errorf("--live-ws: %w", err)
	}
	m, err := live.New(live.Config{Sessions: sessions, WSURL: o.liveWSScheme + "://" + ln.Addr().String(), Logger: logger})
	if err != nil {
		ln.Close()
		return nil, nil, err
	}
	hs := &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = hs.Serve(ln)
	}()
	return m, func() {
		m.Close()
		_ = hs.Close()
		<-done
	}, nil
}
