package openai

import (
	"context"
	"io"
	"testing"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/internal/wire"
	"github.com/rkat-dev/rkat/llm/llmtest"
)

func decodeResponses(body io.ReadCloser) llm.Stream {
	return wire.NewStream(context.Background(), Name, body, &respDecoder{name: Name})
}

func decodeChat(body io.ReadCloser) llm.Stream {
	return wire.NewStream(context.Background(), "self_hosted", body, &chatDecoder{name: "self_hosted"})
}

func FuzzResponsesDecoder(f *testing.F) { llmtest.FuzzDecoder(f, "openai", decodeResponses) }

func FuzzChatDecoder(f *testing.F) { llmtest.FuzzDecoder(f, "chat", decodeChat) }

// BenchmarkResponsesTextDelta measures decoding one response.output_text.delta
// event as the API sends it.
func BenchmarkResponsesTextDelta(b *testing.B) {
	llmtest.BenchDecoder(b, decodeResponses,
		"event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}\n\n",
		"event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":7,\"item_id\":\"msg_68af4033b6f08193bfcd3d9fc6d5e1b2\",\"output_index\":0,\"content_index\":0,\"delta\":\" streamed tokens\",\"logprobs\":[],\"obfuscation\":\"x1Yz\"}\n\n",
		"event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":9,\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"usage\":{\"input_tokens\":19,\"output_tokens\":1000,\"input_tokens_details\":{\"cached_tokens\":0}}}}\n\n", 1000)
}

// BenchmarkChatTextDelta measures decoding one chat.completion.chunk with a
// content delta as compatible servers send it.
func BenchmarkChatTextDelta(b *testing.B) {
	llmtest.BenchDecoder(b, decodeChat, "",
		"data: {\"id\":\"chatcmpl-9f8e7d6c\",\"object\":\"chat.completion.chunk\",\"created\":1756315696,\"model\":\"qwen3:8b\",\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" streamed tokens\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n",
		"data: {\"id\":\"chatcmpl-9f8e7d6c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n", 1000)
}

func FuzzResponsesFastPath(f *testing.F) {
	llmtest.FuzzFastPath(f, "openai",
		func(data []byte) ([]llm.Event, bool) {
			ev, ok := respTextDelta(data)
			return []llm.Event{ev}, ok
		},
		func(data []byte) ([]llm.Event, error) { return (&respDecoder{name: Name}).full(data, nil) },
		`{"type":"response.output_text.delta","output_index":3,"delta":"caf\u00e9 \"q\""}`)
}

func FuzzChatFastPath(f *testing.F) {
	llmtest.FuzzFastPath(f, "chat",
		func(data []byte) ([]llm.Event, bool) {
			ev, ok := chatTextDelta(data)
			return []llm.Event{ev}, ok
		},
		func(data []byte) ([]llm.Event, error) { return (&chatDecoder{name: "self_hosted"}).full(data, nil) },
		`{"choices":[{"index":0,"delta":{"role":"assistant","content":"caf\u00e9"},"finish_reason":null}],"usage":null}`)
}
