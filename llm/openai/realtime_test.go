package openai_test

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/llmtest"
	"github.com/rkat-dev/rkat/llm/openai"
)

func TestRealtimeStream(t *testing.T) {
	tests := []struct {
		name     string
		reply    llmtest.RealtimeReply
		key      string
		wantText string
		wantCall string
		wantStop llm.StopReason
		wantKind llm.ErrorKind
	}{
		{name: "text", reply: llmtest.RealtimeReply{Text: "hello there friend"}, key: "sk-test",
			wantText: "hello there friend", wantStop: llm.StopEndTurn},
		{name: "tool call", reply: llmtest.RealtimeReply{ToolCall: &llmtest.RealtimeToolCall{Name: "lookup", Arguments: `{"q":"x"}`}},
			key: "sk-test", wantCall: "lookup", wantStop: llm.StopToolUse},
		{name: "rate limited", reply: llmtest.RealtimeReply{Error: &llmtest.RealtimeError{Type: "invalid_request_error",
			Code: "rate_limit_exceeded", Message: "slow down"}}, key: "sk-test", wantKind: llm.KindRateLimited},
		{name: "rate limits exhausted: the turn still completes", reply: llmtest.RealtimeReply{Text: "fine", RateLimited: true},
			key: "sk-test", wantText: "fine", wantStop: llm.StopEndTurn},
		{name: "socket dropped", reply: llmtest.RealtimeReply{Text: "one two three four", Drop: true}, key: "sk-test",
			wantKind: llm.KindRetryable},
		{name: "bad key", reply: llmtest.RealtimeReply{Text: "x"}, key: "sk-wrong", wantKind: llm.KindAuth},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := llmtest.NewRealtime(t, llmtest.RealtimeConfig{APIKey: "sk-test",
				Reply: func([]llmtest.RealtimeItem) llmtest.RealtimeReply { return tc.reply }})
			p := openai.NewRealtime(openai.Config{APIKey: tc.key, BaseURL: fake.URL()})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			res, err := llmtest.Collect(ctx, p, &llm.Request{Model: "gpt-realtime-2", System: "be brief",
				Messages: []llm.Message{llm.UserText("hi")}, Tools: []llm.ToolDef{{Name: "lookup", Description: "look"}}})
			if tc.wantKind != "" {
				le, ok := llm.AsError(err)
				if !ok || le.Kind != tc.wantKind {
					t.Fatalf("err = %v, want kind %s", err, tc.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Text != tc.wantText || res.Stop != tc.wantStop {
				t.Errorf("text %q stop %s, want %q %s", res.Text, res.Stop, tc.wantText, tc.wantStop)
			}
			if tc.wantCall != "" && (len(res.Calls) != 1 || res.Calls[0].Name != tc.wantCall || string(res.Calls[0].Args) != `{"q":"x"}`) {
				t.Errorf("calls = %+v", res.Calls)
			}
			if res.Usage.InputTokens != 20 {
				t.Errorf("usage = %+v", res.Usage)
			}
			want := []string{"session.update", "conversation.item.create", "response.create"}
			if got := fake.EventTypes(); !slices.Equal(got, want) {
				t.Errorf("client events = %v, want %v", got, want)
			}
			ev := fake.Events()
			sess := ev[0]["session"].(map[string]any)
			if sess["instructions"] != "be brief" || sess["output_modalities"].([]any)[0] != "text" || len(sess["tools"].([]any)) != 1 {
				t.Errorf("session.update = %v", sess)
			}
		})
	}
}

// TestRealtimeSession drives a live session: audio in, commit, audio
// response with transcript, truncate, and cancel of a slow response.
func TestRealtimeSession(t *testing.T) {
	fake := llmtest.NewRealtime(t, llmtest.RealtimeConfig{DeltaDelay: 20 * time.Millisecond})
	p := openai.NewRealtime(openai.Config{BaseURL: fake.URL()})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := p.OpenRealtime(ctx, llm.RealtimeConfig{Model: "gpt-realtime-2", Instructions: "hi",
		History: []llm.Message{llm.UserText("earlier"), {Role: llm.RoleAssistant, Content: []llm.Block{llm.Text("ok")}}}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	next := func(want llm.RealtimeEventType) llm.RealtimeEvent {
		t.Helper()
		for {
			ev, err := conn.Recv(ctx)
			if err != nil {
				t.Fatalf("waiting for %d: %v", want, err)
			}
			if ev.Type == want {
				return ev
			}
		}
	}
	next(llm.RTReady)
	send := func(cmd llm.RealtimeCommand) {
		t.Helper()
		if err := conn.Send(ctx, cmd); err != nil {
			t.Fatal(err)
		}
	}
	send(llm.RealtimeCommand{Type: llm.RTAppendAudio, Audio: make([]byte, 4800)})
	send(llm.RealtimeCommand{Type: llm.RTCommitAudio})
	committed := next(llm.RTInputCommitted)
	if tr := next(llm.RTUserTranscript); tr.ItemID != committed.ItemID || tr.Text != "audio of 100 ms" {
		t.Errorf("transcript = %+v", tr)
	}
	send(llm.RealtimeCommand{Type: llm.RTRespond})
	audio := next(llm.RTAudioDelta)
	if len(audio.Audio) != 960 || audio.ItemID == "" {
		t.Errorf("audio delta: %d bytes, item %q", len(audio.Audio), audio.ItemID)
	}
	var transcript strings.Builder
	var done llm.RealtimeEvent
	for done.Type != llm.RTResponseDone {
		ev, err := conn.Recv(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Type == llm.RTTranscriptDelta {
			transcript.WriteString(ev.Text)
		}
		done = ev
	}
	if done.Text != "Echo: audio of 100 ms" || done.StopReason != llm.StopEndTurn {
		t.Errorf("done = %+v (transcript deltas %q)", done, transcript.String())
	}
	send(llm.RealtimeCommand{Type: llm.RTTruncate, ItemID: audio.ItemID, AudioEndMS: 10})
	if tr := next(llm.RTTruncated); tr.ItemID != audio.ItemID || tr.AudioEndMS != 10 {
		t.Errorf("truncated = %+v", tr)
	}
	send(llm.RealtimeCommand{Type: llm.RTUserText, Text: "a long answer please"})
	send(llm.RealtimeCommand{Type: llm.RTRespond, TextOnly: true})
	next(llm.RTTextDelta)
	send(llm.RealtimeCommand{Type: llm.RTCancel})
	if d := next(llm.RTResponseDone); d.StopReason != llm.StopCancelled {
		t.Errorf("cancelled response stop = %s", d.StopReason)
	}
	send(llm.RealtimeCommand{Type: llm.RTCommitAudio}) // empty buffer: the API's own error
	if e := next(llm.RTError); e.Err == nil || !strings.Contains(e.Err.Message, "input_audio_buffer_commit_empty") || e.Err.Kind != llm.KindInvalid {
		t.Errorf("error = %+v", e.Err)
	}
	var seeded int
	for _, ev := range fake.Events() {
		if ev["type"] == "conversation.item.create" {
			seeded++
		}
		if ev["type"] == "input_audio_buffer.append" {
			if b, _ := base64.StdEncoding.DecodeString(ev["audio"].(string)); len(b) != 4800 {
				t.Errorf("appended %d bytes", len(b))
			}
		}
	}
	if seeded != 3 || fake.AudioBytes() != 4800 {
		t.Errorf("seeded %d items, audio %d bytes", seeded, fake.AudioBytes())
	}
	conn.Close()
	if _, err := conn.Recv(ctx); !errors.As(err, new(*llm.Error)) {
		t.Errorf("Recv after Close = %v", err)
	}
}
