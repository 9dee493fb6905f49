// Command sdk-quickstart is the Go SDK's quick start: create a session, run a
// turn, stream a turn's text as it arrives, archive the session.
//
// Offline, with the scripted provider:
//
//	go build -o /tmp/rkat-rpc ./cmd/rkat-rpc
//	RKAT_TEST_CLIENT=1 RKAT_BIN_PATH=/tmp/rkat-rpc go run ./examples/sdk-quickstart
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/sdk"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	client, err := sdk.Connect(ctx, sdk.Options{})
	if err != nil {
		return err
	}
	defer client.Close()

	session, err := client.CreateSession(ctx, "What is the capital of France?", nil)
	if err != nil {
		return err
	}
	fmt.Println(session.Last.Text)

	result, err := session.Turn(ctx, "And Germany?", nil)
	if err != nil {
		return err
	}
	fmt.Println(result.Text)

	stream := session.Stream(ctx, "Give one extra fact.", nil)
	for ev := range stream.Events() {
		if d, ok := ev.(event.TextDelta); ok {
			fmt.Print(d.Delta)
		}
	}
	fmt.Println()
	if _, err := stream.Result(); err != nil {
		return err
	}
	return session.Archive(ctx)
}
