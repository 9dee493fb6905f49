package mcp

import (
	"encoding/base64"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/rkat-dev/rkat/llm"
)

func TestResultOf(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\nxxxx")
	b64 := base64.StdEncoding.EncodeToString(png)
	cases := []struct {
		name    string
		in      sdk.CallToolResult
		limit   int
		want    []llm.Block
		isError bool
	}{
		{name: "text", in: sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "hi"}}},
			want: []llm.Block{llm.Text("hi")}},
		{name: "error", in: sdk.CallToolResult{IsError: true, Content: []sdk.Content{&sdk.TextContent{Text: "bad"}}},
			want: []llm.Block{llm.Text("bad")}, isError: true},
		{name: "image", in: sdk.CallToolResult{Content: []sdk.Content{&sdk.ImageContent{MIMEType: "image/png", Data: png}}},
			want: []llm.Block{{Type: llm.BlockImage, MediaType: "image/png", Data: b64}}},
		{name: "text resource", in: sdk.CallToolResult{Content: []sdk.Content{&sdk.EmbeddedResource{
			Resource: &sdk.ResourceContents{URI: "file:///a.txt", MIMEType: "text/plain", Text: "body"}}}},
			want: []llm.Block{llm.Text("[resource file:///a.txt]\nbody")}},
		{name: "image resource", in: sdk.CallToolResult{Content: []sdk.Content{&sdk.EmbeddedResource{
			Resource: &sdk.ResourceContents{URI: "x:/i", MIMEType: "image/png", Blob: png}}}},
			want: []llm.Block{{Type: llm.BlockImage, MediaType: "image/png", Data: b64}}},
		{name: "binary resource", in: sdk.CallToolResult{Content: []sdk.Content{&sdk.EmbeddedResource{
			Resource: &sdk.ResourceContents{URI: "x:/z", MIMEType: "application/gzip", Blob: []byte{1, 2}}}}},
			want: []llm.Block{llm.Text("[resource x:/z (application/gzip, 2 bytes), binary, not shown]")}},
		{name: "link and audio", in: sdk.CallToolResult{Content: []sdk.Content{
			&sdk.ResourceLink{URI: "x:/l", Name: "l"}, &sdk.AudioContent{MIMEType: "audio/wav", Data: []byte{1}}}},
			want: []llm.Block{llm.Text(`[resource link x:/l "l" ]`), llm.Text("[audio audio/wav, 1 bytes, not shown]")}},
		{name: "structured only", in: sdk.CallToolResult{StructuredContent: map[string]any{"sum": 3}},
			want: []llm.Block{llm.Text(`{"sum":3}`)}},
		{name: "empty", in: sdk.CallToolResult{}, want: []llm.Block{llm.Text("")}},
		{name: "text over the cap", limit: 4, in: sdk.CallToolResult{Content: []sdk.Content{
			&sdk.TextContent{Text: "abcdefgh"}, &sdk.TextContent{Text: "dropped"}}},
			want: []llm.Block{llm.Text("abcd\n[... output truncated by rkat: the MCP result exceeded 4 bytes]")}},
		{name: "svg image", in: sdk.CallToolResult{Content: []sdk.Content{&sdk.ImageContent{MIMEType: "image/svg+xml", Data: []byte("<svg/>")}}},
			want: []llm.Block{llm.Text(`[image (image/svg+xml, 6 bytes) left out: invalid image: media_type "image/svg+xml" is not one of image/png, image/jpeg, image/gif, image/webp]`)}},
		{name: "not a png", in: sdk.CallToolResult{Content: []sdk.Content{&sdk.ImageContent{MIMEType: "image/png", Data: []byte("GIF89a....")}}},
			want: []llm.Block{llm.Text("[image (image/png, 10 bytes) left out: invalid image: data is not a image/png image]")}},
		{name: "image over the cap", limit: 8, in: sdk.CallToolResult{Content: []sdk.Content{
			&sdk.ImageContent{MIMEType: "image/png", Data: png}}},
			want: []llm.Block{llm.Text("[image (image/png, 12 bytes) left out: over the result size cap of 8 bytes]")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			limit := tc.limit
			if limit == 0 {
				limit = DefaultMaxResultBytes
			}
			got := resultOf(&tc.in, limit)
			if got.IsError != tc.isError || len(got.Content) != len(tc.want) {
				t.Fatalf("got %+v", got)
			}
			for i := range tc.want {
				if got.Content[i].Type != tc.want[i].Type || got.Content[i].Text != tc.want[i].Text ||
					got.Content[i].Data != tc.want[i].Data || got.Content[i].MediaType != tc.want[i].MediaType {
					t.Fatalf("block %d = %+v, want %+v", i, got.Content[i], tc.want[i])
				}
			}
		})
	}
	// A cut never splits a UTF-8 sequence.
	got := resultOf(&sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "ééé"}}}, 3)
	if !strings.HasPrefix(got.Content[0].Text, "é\n[...") {
		t.Fatalf("cut = %q", got.Content[0].Text)
	}
}
