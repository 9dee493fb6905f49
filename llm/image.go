package llm

import (
	"encoding/base64"
	"errors"
	"fmt"
)

// ErrInvalidImage reports an inline image a provider would refuse.
var ErrInvalidImage = errors.New("invalid image")

// imageSignatures are the media types every provider adapter takes inline
// (the intersection of Anthropic's, OpenAI's and Gemini's), each with the
// leading bytes its images start with; "?" bytes match anything.
var imageSignatures = []struct {
	mediaType string
	magic     []string
}{
	{"image/png", []string{"\x89PNG\r\n\x1a\n"}},
	{"image/jpeg", []string{"\xff\xd8\xff"}},
	{"image/gif", []string{"GIF87a", "GIF89a"}},
	{"image/webp", []string{"RIFF????WEBP"}},
}

// ValidateImage checks an inline image block: mediaType is one of
// image/png, image/jpeg, image/gif and image/webp, data is standard padded
// base64 (no line breaks), and the decoded bytes start like an image of
// that type. It decodes only the first bytes, so it costs one pass over
// data and no allocation proportional to it.
func ValidateImage(mediaType, data string) error {
	var magic []string
	for _, s := range imageSignatures {
		if s.mediaType == mediaType {
			magic = s.magic
		}
	}
	if magic == nil {
		return fmt.Errorf("%w: media_type %q is not one of image/png, image/jpeg, image/gif, image/webp", ErrInvalidImage, mediaType)
	}
	if err := checkBase64(data); err != nil {
		return fmt.Errorf("%w: data is not standard base64: %w", ErrInvalidImage, err)
	}
	head, _ := base64.StdEncoding.DecodeString(data[:min(len(data), 16)]) // whole quanta, checked above
	for _, m := range magic {
		if matchMagic(head, m) {
			return nil
		}
	}
	return fmt.Errorf("%w: data is not a %s image", ErrInvalidImage, mediaType)
}

// checkBase64 checks that s is non-empty, padded, standard-alphabet base64
// whose last quantum has no stray bits (what a strict decoder accepts).
func checkBase64(s string) error {
	if s == "" || len(s)%4 != 0 {
		return errors.New("length is not a positive multiple of 4")
	}
	body := len(s) - 4 // the last quantum may hold padding
	for i := 0; i < body; i++ {
		if !isBase64Char(s[i]) {
			return fmt.Errorf("byte %d is %q", i, s[i])
		}
	}
	_, err := base64.StdEncoding.Strict().DecodeString(s[body:])
	return err
}

func isBase64Char(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/'
}

func matchMagic(b []byte, magic string) bool {
	if len(b) < len(magic) {
		return false
	}
	for i := 0; i < len(magic); i++ {
		if magic[i] != '?' && b[i] != magic[i] {
			return false
		}
	}
	return true
}
