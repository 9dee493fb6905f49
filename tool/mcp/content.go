package mcp

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// truncatedMarker ends a text cut to fit the result size cap.
const truncatedMarker = "\n[... output truncated by rkat: the MCP result exceeded %d bytes]"

// resultOf maps an MCP tool result to rkat content blocks: text stays text,
// images (and image blobs of embedded resources) become image blocks, text
// resources become text headed by their URI, other blobs, audio and resource
// links are described in text. Structured content is given as JSON text when
// the server sent no content. The total size of text and image data is
// capped at limit bytes: text is cut with a marker, images that do not fit
// are replaced by a note.
func resultOf(r *sdk.CallToolResult, limit int) tool.Result {
	c := capper{left: limit, limit: limit}
	for _, item := range r.Content {
		switch v := item.(type) {
		case *sdk.TextContent:
			c.text(v.Text)
		case *sdk.ImageContent:
			c.image(v.MIMEType, v.Data, "image")
		case *sdk.AudioContent:
			c.text(fmt.Sprintf("[audio %s, %d bytes, not shown]", v.MIMEType, len(v.Data)))
		case *sdk.ResourceLink:
			c.text(fmt.Sprintf("[resource link %s %q %s]", v.URI, v.Name, v.MIMEType))
		case *sdk.EmbeddedResource:
			res := v.Resource
			switch {
			case res == nil:
				c.text("[empty embedded resource]")
			case res.Blob != nil && strings.HasPrefix(res.MIMEType, "image/"):
				c.image(res.MIMEType, res.Blob, "resource "+res.URI)
			case res.Blob != nil:
				c.text(fmt.Sprintf("[resource %s (%s, %d bytes), binary, not shown]", res.URI, res.MIMEType, len(res.Blob)))
			default:
				c.text("[resource " + res.URI + "]\n" + res.Text)
			}
		default:
			c.text(fmt.Sprintf("[unsupported MCP content %T]", item))
		}
	}
	if len(r.Content) == 0 && r.StructuredContent != nil {
		b, err := json.Marshal(r.StructuredContent)
		if err == nil {
			c.text(string(b))
		}
	}
	if len(c.blocks) == 0 {
		c.blocks = []llm.Block{llm.Text("")}
	}
	return tool.Result{Content: c.blocks, IsError: r.IsError}
}

// capper collects blocks within a byte budget.
type capper struct {
	blocks    []llm.Block
	left      int
	limit     int
	truncated bool
}

func (c *capper) text(s string) {
	if c.truncated {
		return
	}
	if len(s) > c.left {
		s = strings.ToValidUTF8(s[:max(c.left, 0)], "") + fmt.Sprintf(truncatedMarker, c.limit)
		c.truncated = true
	}
	c.left -= len(s)
	c.blocks = append(c.blocks, llm.Text(s))
}

// image keeps an image that fits the cap and that every provider takes
// (llm.ValidateImage); others are named in a note, which is small and kept
// even past the cap.
func (c *capper) image(mediaType string, data []byte, what string) {
	enc := base64.StdEncoding.EncodedLen(len(data))
	if c.truncated || enc > c.left {
		c.blocks = append(c.blocks, llm.Text(fmt.Sprintf("[%s (%s, %d bytes) left out: over the result size cap of %d bytes]", what, mediaType, len(data), c.limit)))
		return
	}
	b64 := base64.StdEncoding.EncodeToString(data)
	if err := llm.ValidateImage(mediaType, b64); err != nil {
		c.blocks = append(c.blocks, llm.Text(fmt.Sprintf("[%s (%s, %d bytes) left out: %v]", what, mediaType, len(data), err)))
		return
	}
	c.left -= enc
	c.blocks = append(c.blocks, llm.Block{Type: llm.BlockImage, MediaType: mediaType, Data: b64})
}
