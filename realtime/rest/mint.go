package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/rkat-dev/rkat/realtime/wire"
)

// MintToken asks the server at origin for a JWT through its REST API
// (POST /v1/tokens, authorised by secretKey). origin is the server's base
// URL, http(s) or ws(s) (a ws origin is reached over http, wss over https).
// A nil client means http.DefaultClient. Any reply but 200 with a token is
// an error carrying the status and the server's body.
func MintToken(ctx context.Context, client *http.Client, origin, secretKey string, req wire.MintRequest) (wire.MintResponse, error) {
	if client == nil {
		client = http.DefaultClient
	}
	if strings.HasPrefix(origin, "ws") {
		origin = "http" + strings.TrimPrefix(origin, "ws")
	}
	body, err := json.Marshal(req)
	if err != nil {
		return wire.MintResponse{}, fmt.Errorf("mint token: %w", err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, origin+"/v1/tokens", bytes.NewReader(body))
	if err != nil {
		return wire.MintResponse{}, fmt.Errorf("mint token: %w", err)
	}
	hreq.Header.Set("Authorization", "Bearer "+secretKey)
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(hreq)
	if err != nil {
		return wire.MintResponse{}, fmt.Errorf("mint token: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return wire.MintResponse{}, fmt.Errorf("mint token: %w", err)
	}
	var out wire.MintResponse
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &out) != nil || out.Token == "" {
		return wire.MintResponse{}, fmt.Errorf("mint token: %s: %s", resp.Status, bytes.TrimSpace(raw))
	}
	return out, nil
}
