package gemini

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

// BenchmarkTextDelta measures decoding one GenerateContentResponse chunk
// with a text part and usage metadata, as the API streams them.
func BenchmarkTextDelta(b *testing.B) {
	llmtest.BenchDecoder(b, decode, "",
		"data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" streamed tokens\"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":19,\"candidatesTokenCount\":5,\"totalTokenCount\":24,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":19}]},\"modelVersion\":\"gemini-3.1-pro-preview\",\"responseId\":\"J2yvaJ3fLpOz1MkPx9-W6Ac\"}\r\n\r\n",
		"data: {\"candidates\":[{\"content\":{\"parts\":[],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}\r\n\r\n", 1000)
}

func FuzzFastPath(f *testing.F) {
	llmtest.FuzzFastPath(f, Name,
		func(data []byte) ([]llm.Event, bool) { return textChunk(data, nil) },
		func(data []byte) ([]llm.Event, error) { return new(decoder).full(data, nil) },
		`{"candidates":[{"content":{"parts":[{"text":"caf\u00e9"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":3,"cachedContentTokenCount":5}}`)
}
