package anthropic

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/packages/ssestream"
)

// BenchmarkSDKTextDelta decodes the same stream as BenchmarkTextDelta with
// the official anthropic-sdk-go stream decoder, the figure behind the choice
// to speak the wire directly (see llm/internal/wire).
func BenchmarkSDKTextDelta(b *testing.B) {
	head := "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-5-5\",\"usage\":{\"input_tokens\":19,\"output_tokens\":1}}}\n\n" +
		"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
	delta := "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" streamed tokens\"}}\n\n"
	tail := "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
	body := []byte(head + strings.Repeat(delta, 1000) + tail)
	b.ReportAllocs()
	for range b.N {
		res := &http.Response{Header: http.Header{"Content-Type": {"text/event-stream"}}, Body: io.NopCloser(bytes.NewReader(body))}
		st := ssestream.NewStream[sdk.MessageStreamEventUnion](ssestream.NewDecoder(res), nil)
		n := 0
		for st.Next() {
			ev := st.Current()
			if d, ok := ev.AsAny().(sdk.ContentBlockDeltaEvent); ok {
				if t, ok := d.Delta.AsAny().(sdk.TextDelta); ok {
					n += len(t.Text)
				}
			}
		}
		if st.Err() != nil || n == 0 {
			b.Fatal(st.Err())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/delta")
}
