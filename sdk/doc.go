// Package sdk is the Go client of the rkat agent runtime. It spawns the
// rkat-rpc binary and speaks the JSON-RPC contract with it over stdio, or
// (Options.URL) connects to the /rpc WebSocket of a running `rkat serve`, so
// Go programs get sessions, turns, streamed typed events, callback tools and
// configuration without linking the runtime. Both transports carry the same
// messages and pass the same test suite.
//
//	client, err := sdk.Connect(ctx, sdk.Options{})
//	defer client.Close()
//	s, err := client.CreateSession(ctx, "What is the capital of France?", nil)
//	fmt.Println(s.Last.Text)
//	stream := s.Stream(ctx, "And Germany?", nil)
//	for ev := range stream.Events() {
//		if d, ok := ev.(event.TextDelta); ok {
//			fmt.Print(d.Delta)
//		}
//	}
//	res, err := stream.Result()
//
// The binary is found, in order: Options.BinaryPath, $RKAT_BIN_PATH,
// $MEERKAT_BIN_PATH, rkat-rpc on PATH. Errors are *Error values; match them
// with errors.Is against ErrSessionNotFound, ErrSessionBusy and the other
// sentinels.
package sdk
