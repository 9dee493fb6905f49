package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/store/blob"
)

// ErrContent reports a ContentInput this runtime cannot take.
var ErrContent = errors.New("wire: invalid content")

// ContentBlock is one block of a ContentInput array.
type ContentBlock struct {
	Type      string `json:"type"`
	Text      string `json:"text,omitempty"`
	MediaType string `json:"media_type,omitempty"`
	Source    string `json:"source,omitempty"`
	Data      string `json:"data,omitempty"`
	// BlobID names an image's payload for blob/get (history output only).
	BlobID string `json:"blob_id,omitempty"`
}

// ParseContent decodes a ContentInput: a string, one block object or an
// array of text and inline image blocks. Empty input yields no blocks.
func ParseContent(raw json.RawMessage) ([]llm.Block, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrContent, err)
		}
		if s == "" {
			return nil, nil
		}
		return []llm.Block{llm.Text(s)}, nil
	case '{':
		raw = append(append([]byte{'['}, raw...), ']')
	case '[':
	default:
		return nil, fmt.Errorf("%w: content must be a string or an array of blocks", ErrContent)
	}
	var in []ContentBlock
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrContent, err)
	}
	out := make([]llm.Block, 0, len(in))
	for i, b := range in {
		switch {
		case b.Type == "text":
			out = append(out, llm.Text(b.Text))
		case b.Type == "image" && (b.Source == "" || b.Source == "inline") && b.MediaType != "" && b.Data != "":
			if err := llm.ValidateImage(b.MediaType, b.Data); err != nil {
				return nil, fmt.Errorf("%w: block %d: %w", ErrContent, i, err)
			}
			out = append(out, llm.Block{Type: llm.BlockImage, MediaType: b.MediaType, Data: b.Data})
		case b.Type == "image":
			return nil, fmt.Errorf("%w: block %d: images need media_type and inline base64 data", ErrContent, i)
		default:
			return nil, fmt.Errorf("%w: block %d: unsupported type %q", ErrContent, i, b.Type)
		}
	}
	return out, nil
}

// Content encodes blocks as a ContentInput: a plain string when they are a
// single text block, else an array of blocks.
func Content(blocks []llm.Block) json.RawMessage {
	if len(blocks) == 1 && blocks[0].Type == llm.BlockText {
		b, _ := json.Marshal(blocks[0].Text)
		return b
	}
	out := make([]ContentBlock, 0, len(blocks))
	for _, b := range blocks {
		out = append(out, ContentBlockOf(b))
	}
	raw, _ := json.Marshal(out)
	return raw
}

// ContentBlockOf is the wire form of one content block: an inline image
// with the blob id of its payload, or text for every other kind.
func ContentBlockOf(b llm.Block) ContentBlock {
	if b.Type == llm.BlockImage {
		return ContentBlock{Type: "image", MediaType: b.MediaType, Source: "inline", Data: b.Data, BlobID: blob.ID(b.MediaType, b.Data)}
	}
	return ContentBlock{Type: "text", Text: b.Text}
}

// PlainText concatenates the text of blocks.
func PlainText(blocks []llm.Block) string {
	return llm.Message{Content: blocks}.PlainText()
}
