package llm_test

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/rkat-dev/rkat/llm"
)

func TestValidateImage(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString
	png := b64([]byte("\x89PNG\r\n\x1a\n rest of the image"))
	tests := []struct {
		name, mediaType, data string
		ok                    bool
	}{
		{"png", "image/png", png, true},
		{"jpeg", "image/jpeg", b64([]byte("\xff\xd8\xff\xe0 jfif")), true},
		{"gif87a", "image/gif", b64([]byte("GIF87a....")), true},
		{"gif89a", "image/gif", b64([]byte("GIF89a")), true},
		{"webp", "image/webp", b64([]byte("RIFF\x10\x00\x00\x00WEBPVP8 ")), true},
		{"bmp", "image/bmp", b64([]byte("BM......")), false},
		{"svg", "image/svg+xml", b64([]byte("<svg/>")), false},
		{"upper-case type", "IMAGE/PNG", png, false},
		{"type mismatch", "image/jpeg", png, false},
		{"riff but not webp", "image/webp", b64([]byte("RIFF\x10\x00\x00\x00WAVEfmt ")), false},
		{"too short for its magic", "image/png", b64([]byte("\x89PN")), false},
		{"empty", "image/png", "", false},
		{"no padding", "image/png", png[:len(png)-1], false},
		{"url-safe alphabet", "image/jpeg", b64([]byte("\xff\xd8\xff\xfb\xff")) + "", true},
		{"url-safe chars", "image/png", "iVBORw0KGgo-_A==", false},
		{"line break", "image/png", png[:8] + "\n" + png[9:], false},
		{"padding inside", "image/png", "iVBO=w0KGgo=", false},
		{"stray bits", "image/png", "iVBORw0KGgp=", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := llm.ValidateImage(tt.mediaType, tt.data)
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, llm.ErrInvalidImage)) {
				t.Fatalf("ValidateImage(%q, %q) = %v", tt.mediaType, tt.data, err)
			}
		})
	}
}
