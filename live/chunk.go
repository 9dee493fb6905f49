package live

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// Input limits.
const (
	// MaxTextBytes bounds one text chunk.
	MaxTextBytes = 64 << 10
	// MaxAudioBytes bounds the decoded PCM of one audio chunk.
	MaxAudioBytes = 1 << 20
)

// ChunkKind names an input chunk variant.
type ChunkKind string

// Input chunk variants of the contract.
const (
	ChunkText       ChunkKind = "text"
	ChunkAudio      ChunkKind = "audio"
	ChunkImage      ChunkKind = "image"
	ChunkVideoFrame ChunkKind = "video_frame"
)

// Chunk is one validated input chunk. Audio holds decoded PCM16 LE.
type Chunk struct {
	Kind         ChunkKind
	Text         string
	Audio        []byte
	SampleRateHz int
	Channels     int
}

// wireChunk is the chunk object of live/send_input and of /live/ws text
// frames.
type wireChunk struct {
	Kind           ChunkKind `json:"kind"`
	Text           *string   `json:"text"`
	Data           *string   `json:"data"`
	SampleRateHz   *int      `json:"sample_rate_hz"`
	Channels       *int      `json:"channels"`
	IdempotencyKey *string   `json:"idempotency_key"`
	Mime           *string   `json:"mime"`
	Codec          *string   `json:"codec"`
	TimestampMS    *int64    `json:"timestamp_ms"`
}

// ParseChunk decodes and validates a chunk object. Errors are *RejectError
// with the contract's reason.
func ParseChunk(raw []byte) (Chunk, error) {
	var w wireChunk
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Chunk{}, reject(Reason{"kind": "other", "detail": "malformed chunk: " + err.Error()})
	}
	if dec.More() {
		return Chunk{}, reject(Reason{"kind": "other", "detail": "malformed chunk: trailing data"})
	}
	switch w.Kind {
	case ChunkText:
		if w.Text == nil {
			return Chunk{}, reject(Reason{"kind": "other", "detail": "text chunk needs text"})
		}
		if n := len(*w.Text); n > MaxTextBytes {
			return Chunk{}, tooLarge(MaxTextBytes, n)
		}
		return Chunk{Kind: ChunkText, Text: *w.Text}, nil
	case ChunkAudio:
		if w.Data == nil || w.SampleRateHz == nil || w.Channels == nil {
			return Chunk{}, reject(Reason{"kind": "other", "detail": "audio chunk needs data, sample_rate_hz and channels"})
		}
		if n := base64.StdEncoding.DecodedLen(len(*w.Data)); n > MaxAudioBytes+3 {
			return Chunk{}, tooLarge(MaxAudioBytes, n)
		}
		pcm, err := base64.StdEncoding.DecodeString(*w.Data)
		if err != nil {
			return Chunk{}, reject(Reason{"kind": "other", "detail": "audio data is not valid base64"})
		}
		c := Chunk{Kind: ChunkAudio, Audio: pcm, SampleRateHz: *w.SampleRateHz, Channels: *w.Channels}
		return c, c.checkAudio()
	case ChunkImage:
		return Chunk{}, reject(Reason{"kind": "image_input_not_implemented"})
	case ChunkVideoFrame:
		return Chunk{}, reject(Reason{"kind": "video_frame_input_not_implemented"})
	}
	return Chunk{}, reject(Reason{"kind": "unsupported_input_chunk_variant"})
}

// checkAudio validates an audio chunk's size and format.
func (c Chunk) checkAudio() error {
	if len(c.Audio) > MaxAudioBytes {
		return tooLarge(MaxAudioBytes, len(c.Audio))
	}
	if c.SampleRateHz < MinSampleRate || c.SampleRateHz > MaxSampleRate || c.Channels < 1 || c.Channels > MaxChannels {
		return reject(Reason{"kind": "audio_input_format_mismatch", "expected_sample_rate_hz": 24000, "expected_channels": 1,
			"actual_sample_rate_hz": max(c.SampleRateHz, 0), "actual_channels": max(c.Channels, 0)})
	}
	if len(c.Audio)%(2*c.Channels) != 0 {
		return reject(Reason{"kind": "other", "detail": fmt.Sprintf("audio of %d bytes is not whole PCM16 frames of %d channel(s)", len(c.Audio), c.Channels)})
	}
	return nil
}

// Reason is the contract's config_rejected reason: {"kind": ..., fields}.
type Reason map[string]any

// RejectError is input or a command the channel refused; the channel stays
// open. On the wire it is error_code {"code":"config_rejected","reason":R}.
type RejectError struct {
	Reason Reason
}

func (e *RejectError) Error() string {
	if d, ok := e.Reason["detail"].(string); ok {
		return fmt.Sprintf("live: input rejected (%v): %s", e.Reason["kind"], d)
	}
	return fmt.Sprintf("live: input rejected (%v)", e.Reason["kind"])
}

// ErrorCode is the contract's error_code object.
func (e *RejectError) ErrorCode() map[string]any {
	return map[string]any{"code": "config_rejected", "reason": e.Reason}
}

func reject(r Reason) *RejectError { return &RejectError{Reason: r} }

func tooLarge(limit, actual int) *RejectError {
	return reject(Reason{"kind": "input_too_large", "max_bytes": limit, "actual_bytes": actual})
}
