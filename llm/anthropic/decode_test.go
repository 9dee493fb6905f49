package anthropic

import (
	"context"
	"io"
	"testing"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/internal/wire"
	"github.com/rkat-dev/rkat/llm/llmtest"
)

func decode(body io.ReadCloser) llm.Stream {
	return wire.NewStream(context.Background(), Name, body, &decoder{})
}

func FuzzDecoder(f *testing.F) { llmtest.FuzzDecoder(f, Name, decode) }

// BenchmarkTextDelta measures decoding one content_block_delta text event
// as the API sends it.
func BenchmarkTextDelta(b *testing.B) {
	llmtest.BenchDecoder(b, decode,
		"event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-5-5\",\"usage\":{\"input_tokens\":19,\"output_tokens\":1}}}\n\n"+
			"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
		"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" streamed tokens\"}}\n\n",
		"event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"+
			"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":1000}}\n\n"+
			"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", 1000)
}

func FuzzFastPath(f *testing.F) {
	llmtest.FuzzFastPath(f, Name,
		func(data []byte) ([]llm.Event, bool) {
			ev, ok := textDelta(data)
			return []llm.Event{ev}, ok
		},
		func(data []byte) ([]llm.Event, error) { return new(decoder).full(data, nil) },
		`{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"caf\u00e9 \"q\""}}`)
}
