// Command sdk-tools registers a Go function as a callback tool: when the
// model calls it, rkat-rpc asks this process to run it (tool/execute).
//
// Offline, with a script that makes the scripted model call the tool:
//
//	go build -o /tmp/rkat-rpc ./cmd/rkat-rpc
//	echo '{"rules":[{"match":"weather","responses":[{"tool_calls":[{"name":"get_weather","args":{"city":"Paris"}}]},{"text":"It is sunny."}]}]}' > /tmp/weather.json
//	RKAT_TEST_CLIENT=1 RKAT_TEST_SCRIPT=/tmp/weather.json RKAT_BIN_PATH=/tmp/rkat-rpc go run ./examples/sdk-tools
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/sdk"
)

type weatherArgs struct {
	City string `json:"city"`
}

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "tools:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	weather := sdk.FuncTool("get_weather", "Current weather of a city",
		json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`),
		func(ctx context.Context, a weatherArgs) (string, error) {
			return fmt.Sprintf("sunny and 21°C in %s", a.City), nil
		})
	client, err := sdk.Connect(ctx, sdk.Options{Tools: []sdk.Tool{weather}})
	if err != nil {
		return err
	}
	defer client.Close()

	stream, err := client.CreateSessionStreaming(ctx, "What is the weather in Paris?", nil)
	if err != nil {
		return err
	}
	for ev := range stream.Events() {
		switch e := ev.(type) {
		case event.ToolCallRequested:
			fmt.Printf("model calls %s(%s)\n", e.Name, e.Args)
		case event.ToolResultReceived:
			fmt.Printf("tool answered: %s\n", e.Content[0].Text)
		case event.TextDelta:
			fmt.Print(e.Delta)
		}
	}
	fmt.Println()
	res, err := stream.Result()
	if err != nil {
		return err
	}
	fmt.Printf("session %s: %d tool call(s), %d tokens\n", res.SessionID, res.ToolCalls, res.Usage.TotalTokens)
	return nil
}
