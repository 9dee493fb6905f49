package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/live"
	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
)

// TestLiveMethodsRegistration: live/* is served only with a live manager.
func TestLiveMethodsRegistration(t *testing.T) {
	open := func(context.Context) (*session.Service, store.Store, error) { return nil, nil, errors.New("unused") }
	mgr, err := live.New(live.Config{Sessions: func(context.Context) (*session.Service, error) { return nil, errors.New("unused") }})
	if err != nil {
		t.Fatal(err)
	}
	defer mgr.Close()
	want := []string{"live/close", "live/commit_input", "live/interrupt", "live/open", "live/refresh", "live/send_input", "live/status", "live/truncate"}
	withAnswer := append(slices.Clone(want), "live/webrtc/answer")
	slices.Sort(withAnswer)
	for _, tc := range []struct {
		name   string
		live   *live.Manager
		webrtc bool
		want   []string
	}{{"without a manager", nil, false, nil}, {"--live-ws", mgr, false, want}, {"--live-webrtc", mgr, true, withAnswer}} {
		srv, err := New(Config{Open: open, Live: tc.live, LiveWS: !tc.webrtc, LiveWebRTC: tc.webrtc})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range srv.Methods() {
			if strings.HasPrefix(m, "live/") {
				got = append(got, m)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

// TestLiveErrors: live input errors are -32602 with data.error_code as the
// contract says, next to the semantic code every error carries.
func TestLiveErrors(t *testing.T) {
	_, rejected := live.ParseChunk([]byte(`{"kind":"image","idempotency_key":"k","mime":"image/png","data":"AA=="}`))
	tests := []struct {
		err  error
		code int
		kind string
	}{
		{rejected, rpc.CodeInvalidParams, "image_input_not_implemented"},
		{fmt.Errorf("%w: gpt-5.5", live.ErrNotRealtime), rpc.CodeInvalidParams, "non_realtime_resolution"},
		{fmt.Errorf("%w: ch_x", live.ErrNotFound), rpc.CodeInvalidParams, ""},
	}
	for _, tc := range tests {
		e := wireError(tc.err)
		if e.Code != tc.code {
			t.Errorf("%v: code %d", tc.err, e.Code)
		}
		var data struct {
			Code      string `json:"code"`
			ErrorCode *struct {
				Code   string         `json:"code"`
				Reason map[string]any `json:"reason"`
			} `json:"error_code"`
		}
		if err := json.Unmarshal(e.Data, &data); err != nil {
			t.Fatal(err)
		}
		if data.Code != "INVALID_PARAMS" {
			t.Errorf("%v: semantic code %q", tc.err, data.Code)
		}
		if tc.kind == "" {
			continue
		}
		if data.ErrorCode == nil || data.ErrorCode.Code != "config_rejected" || data.ErrorCode.Reason["kind"] != tc.kind {
			t.Errorf("%v: data %s", tc.err, e.Data)
		}
	}
}
