package live

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestParseChunk(t *testing.T) {
	b64 := func(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }
	tests := []struct {
		name, raw, kind string // kind: "" accepted, else the reason kind
	}{
		{"text", `{"kind":"text","text":"hi"}`, ""},
		{"audio", `{"kind":"audio","data":"` + b64(960) + `","sample_rate_hz":24000,"channels":1}`, ""},
		{"stereo 48k", `{"kind":"audio","data":"` + b64(960) + `","sample_rate_hz":48000,"channels":2}`, ""},
		{"not json", `{kind`, "other"},
		{"unknown key", `{"kind":"text","text":"x","extra":1}`, "other"},
		{"text missing", `{"kind":"text"}`, "other"},
		{"text too large", `{"kind":"text","text":"` + strings.Repeat("a", MaxTextBytes+1) + `"}`, "input_too_large"},
		{"bad base64", `{"kind":"audio","data":"!!!","sample_rate_hz":24000,"channels":1}`, "other"},
		{"audio too large", `{"kind":"audio","data":"` + b64(MaxAudioBytes+2) + `","sample_rate_hz":24000,"channels":1}`, "input_too_large"},
		{"rate", `{"kind":"audio","data":"` + b64(4) + `","sample_rate_hz":96000,"channels":1}`, "audio_input_format_mismatch"},
		{"channels", `{"kind":"audio","data":"` + b64(4) + `","sample_rate_hz":24000,"channels":0}`, "audio_input_format_mismatch"},
		{"odd bytes", `{"kind":"audio","data":"` + b64(3) + `","sample_rate_hz":24000,"channels":1}`, "other"},
		{"image", `{"kind":"image","idempotency_key":"k","mime":"image/png","data":"AA=="}`, "image_input_not_implemented"},
		{"video", `{"kind":"video_frame","codec":"vp8","data":"AA==","timestamp_ms":1}`, "video_frame_input_not_implemented"},
		{"unknown kind", `{"kind":"smell"}`, "unsupported_input_chunk_variant"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseChunk([]byte(tc.raw))
			if tc.kind == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.Kind == ChunkAudio && len(c.Audio) != 960 {
					t.Errorf("audio %d bytes", len(c.Audio))
				}
				return
			}
			var re *RejectError
			if !errors.As(err, &re) || re.Reason["kind"] != tc.kind {
				t.Fatalf("err = %v, want reason %s", err, tc.kind)
			}
		})
	}
}

// FuzzParseChunk: any frame is accepted as a valid chunk or rejected with a
// RejectError; accepted audio is whole frames within the limits.
func FuzzParseChunk(f *testing.F) {
	f.Add([]byte(`{"kind":"text","text":"hi"}`))
	f.Add([]byte(`{"kind":"audio","data":"AAAA","sample_rate_hz":24000,"channels":1}`))
	f.Add([]byte(`{"kind":"image","idempotency_key":"k","mime":"image/png","data":"AA=="}`))
	f.Add([]byte(`{"kind":"audio","data":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		c, err := ParseChunk(raw)
		if err != nil {
			var re *RejectError
			if !errors.As(err, &re) || re.Reason["kind"] == nil {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		switch c.Kind {
		case ChunkText:
			if len(c.Text) > MaxTextBytes {
				t.Fatal("text over the limit accepted")
			}
		case ChunkAudio:
			if len(c.Audio) > MaxAudioBytes || len(c.Audio)%(2*c.Channels) != 0 || c.SampleRateHz < MinSampleRate || c.SampleRateHz > MaxSampleRate {
				t.Fatalf("bad audio accepted: %d bytes %d Hz %d ch", len(c.Audio), c.SampleRateHz, c.Channels)
			}
		default:
			t.Fatalf("kind %q accepted", c.Kind)
		}
	})
}
