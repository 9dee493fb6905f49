package scripted_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/scripted"
)

func TestRealtimeSession(t *testing.T) {
	s, err := scripted.Parse([]byte(`{"rules":[
		{"match":"weather","responses":[{"tool_calls":[{"name":"weather","args":{"city":"Oslo"}}]},{"text":"it is cold"}]},
		{"match":"slow","responses":[{"text":"a b c d e f g h","chunks":8,"delay_ms":50}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	p := scripted.New(scripted.Config{Script: s})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := p.OpenRealtime(ctx, llm.RealtimeConfig{Model: "gpt-realtime-2", ServerVAD: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// collect reads events up to the next response.done.
	collect := func() (types []llm.RealtimeEventType, text string, audio int, done llm.RealtimeEvent) {
		t.Helper()
		for {
			ev, err := conn.Recv(ctx)
			if err != nil {
				t.Fatal(err)
			}
			types = append(types, ev.Type)
			switch ev.Type {
			case llm.RTTextDelta, llm.RTTranscriptDelta:
				text += ev.Text
			case llm.RTAudioDelta:
				audio += len(ev.Audio)
			case llm.RTResponseDone:
				return types, text, audio, ev
			}
		}
	}
	send := func(cmd llm.RealtimeCommand) {
		t.Helper()
		if err := conn.Send(ctx, cmd); err != nil {
			t.Fatal(err)
		}
	}
	loud := make([]byte, 4800)
	for i := 0; i < len(loud); i += 2 {
		loud[i+1] = 0x20 // 8192
	}
	send(llm.RealtimeCommand{Type: llm.RTAppendAudio, Audio: loud})
	send(llm.RealtimeCommand{Type: llm.RTAppendAudio, Audio: make([]byte, 4800)}) // silence: VAD commits and answers
	types, text, audio, done := collect()
	want := []llm.RealtimeEventType{llm.RTReady, llm.RTSpeechStarted, llm.RTSpeechStopped, llm.RTInputCommitted, llm.RTUserTranscript}
	if len(types) < len(want) || !equal(types[:len(want)], want) {
		t.Errorf("events = %v", types)
	}
	if text != "Scripted reply: audio of 200 ms" || audio != 9600 || done.StopReason != llm.StopEndTurn {
		t.Errorf("reply %q, %d audio bytes (want the 9600 echoed), stop %s", text, audio, done.StopReason)
	}

	send(llm.RealtimeCommand{Type: llm.RTUserText, Text: "weather please"})
	send(llm.RealtimeCommand{Type: llm.RTRespond, TextOnly: true})
	var call *llm.ToolCall
	for call == nil {
		ev, err := conn.Recv(ctx)
		if err != nil {
			t.Fatal(err)
		}
		call = ev.ToolCall
	}
	if call.Name != "weather" || string(call.Args) != `{"city":"Oslo"}` {
		t.Errorf("call = %+v", call)
	}
	if _, _, _, d := collect(); d.StopReason != llm.StopToolUse {
		t.Errorf("stop = %s", d.StopReason)
	}
	send(llm.RealtimeCommand{Type: llm.RTToolResult, CallID: call.ID, Text: "-3C"})
	send(llm.RealtimeCommand{Type: llm.RTRespond, TextOnly: true})
	if _, text, _, _ := collect(); text != "it is cold" {
		t.Errorf("after tool: %q", text)
	}

	send(llm.RealtimeCommand{Type: llm.RTUserText, Text: "slow"})
	send(llm.RealtimeCommand{Type: llm.RTRespond, TextOnly: true})
	if ev, _ := conn.Recv(ctx); ev.Type != llm.RTTextDelta {
		t.Fatalf("first event %v", ev.Type)
	}
	send(llm.RealtimeCommand{Type: llm.RTCancel})
	if _, text, _, d := collect(); d.StopReason != llm.StopCancelled || strings.Count(text, " ") > 6 {
		t.Errorf("cancelled: stop %s text %q", d.StopReason, text)
	}
	send(llm.RealtimeCommand{Type: llm.RTTruncate, ItemID: "nope"})
	if ev, _ := conn.Recv(ctx); ev.Type != llm.RTError || !strings.Contains(ev.Err.Message, "item_truncate_invalid_item_id") {
		t.Errorf("truncate of an unknown item: %+v", ev)
	}
	conn.Close()
	if err := conn.Send(ctx, llm.RealtimeCommand{Type: llm.RTCommitAudio}); err == nil {
		t.Error("Send after Close succeeded")
	}
}

func equal(a, b []llm.RealtimeEventType) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}
