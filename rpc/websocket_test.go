package rpc

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/coder/websocket"
)

func TestWebSocketTransport(t *testing.T) {
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		wg.Add(1)
		defer wg.Done()
		conn := New(Config{Transport: NewWebSocket(r.Context(), c, 1024), Handler: func(ctx context.Context, req *Request) (any, error) {
			if err := req.Conn.Notify("note", map[string]string{"before": "response"}); err != nil {
				return nil, err
			}
			return req.Params, nil
		}})
		_ = conn.Serve(context.Background())
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	client := New(Config{Transport: NewWebSocket(ctx, c, 0), OnNotification: func(method string, _ json.RawMessage) {
		notes = append(notes, method)
	}})
	served := make(chan error, 1)
	go func() { served <- client.Serve(ctx) }()
	res, err := client.Call(ctx, "echo", map[string]int{"n": 7})
	if err != nil || string(res) != `{"n":7}` || len(notes) != 1 {
		t.Fatalf("Call = %s, %v; notes %v", res, err, notes)
	}
	// A message over the server's 1 KiB limit ends that connection.
	if _, err := client.Call(ctx, "echo", map[string]string{"pad": strings.Repeat("x", 2048)}); err == nil {
		t.Fatal("oversized message answered")
	}
	cancel()
	<-served
	wg.Wait()
}
