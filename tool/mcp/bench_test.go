package mcp

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/rkat-dev/rkat/internal/mcptest"
)

// BenchmarkStdioEcho measures one tool call round trip through the MCP
// client to server-everything's echo over stdio: request encoding, the pipe
// both ways, the Node server's handling and the result mapping.
func BenchmarkStdioEcho(b *testing.B) {
	bin := mcptest.Bin(b, mcptest.Everything)
	s := NewSessions(Config{Servers: []ServerConfig{{Name: "everything", Command: bin, Args: []string{"stdio"}}}})
	defer s.Close()
	set, events := s.TurnTools(context.Background(), "bench", 1)
	if len(events) != 0 {
		b.Fatalf("start: %v", events)
	}
	echo, ok := set.Lookup("everything__echo")
	if !ok {
		b.Fatal("no echo tool")
	}
	args := json.RawMessage(`{"message":"ping"}`)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := echo.Call(ctx, args)
		if err != nil || res.IsError || res.Content[0].Text != "Echo: ping" {
			b.Fatalf("echo = %+v, %v", res, err)
		}
	}
}
