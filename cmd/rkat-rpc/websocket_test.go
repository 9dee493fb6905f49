package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/internal/servetest"
)

// startWS starts rkat serve and returns a peer on its /rpc WebSocket: each
// line written is one text message, each message read is one line.
func startWS(t *testing.T) *peer {
	t.Helper()
	srv := servetest.Start(t, rkatBin, servetest.Options{Config: servetest.Config(""),
		Env: []string{"RKAT_TEST_SCRIPT=" + filepath.Join(filepath.Dir(rkatBin), "script.json")}})
	ctx, cancel := context.WithCancel(context.Background())
	ws, _, err := websocket.Dial(ctx, srv.WS()+"/rpc", &websocket.DialOptions{HTTPHeader: map[string][]string{"Authorization": {"Bearer " + servetest.Key}}})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ws.SetReadLimit(64 << 20)
	p := &peer{t: t, in: &wsLines{ctx: ctx, ws: ws}, lines: make(chan []byte, 1024), stderr: &strings.Builder{}, nextID: 100}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(p.lines)
		for {
			_, b, err := ws.Read(ctx)
			if err != nil {
				return
			}
			select {
			case p.lines <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		ws.CloseNow()
		<-done
	})
	return p
}

// wsLines writes each newline-terminated line as one WebSocket message.
type wsLines struct {
	ctx context.Context
	ws  *websocket.Conn
}

func (w *wsLines) Write(b []byte) (int, error) {
	return len(b), w.ws.Write(w.ctx, websocket.MessageText, bytes.TrimSuffix(b, []byte("\n")))
}

func (w *wsLines) Close() error { return w.ws.Close(websocket.StatusNormalClosure, "") }
