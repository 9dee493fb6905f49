package live

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Supported client sample rates and channel counts for audio input.
const (
	MinSampleRate = 8000
	MaxSampleRate = 48000
	MaxChannels   = 2
)

// Resampler converts a mono PCM16 stream from one sample rate to another by
// linear interpolation. It keeps the last sample and the fractional read
// position between calls, so a stream cut into chunks of any size resamples
// exactly like one piece. It is not safe for concurrent use.
type Resampler struct {
	from, to int
	step     float64 // input samples per output sample
	pos      float64 // next output position, in input samples relative to the chunk's first sample
	last     int16   // the previous chunk's last sample (position -1)
	have     bool    // last is valid
}

// NewResampler returns a resampler from rate from to rate to (Hz, each
// within MinSampleRate..MaxSampleRate).
func NewResampler(from, to int) (*Resampler, error) {
	for _, r := range []int{from, to} {
		if r < MinSampleRate || r > MaxSampleRate {
			return nil, fmt.Errorf("live: sample rate %d Hz outside %d..%d", r, MinSampleRate, MaxSampleRate)
		}
	}
	return &Resampler{from: from, to: to, step: float64(from) / float64(to)}, nil
}

// Process appends the resampled samples of in to dst and returns it.
func (r *Resampler) Process(dst, in []int16) []int16 {
	if r.from == r.to {
		return append(dst, in...)
	}
	n := len(in)
	if n == 0 {
		return dst
	}
	at := func(i int) float64 {
		if i < 0 {
			return float64(r.last)
		}
		return float64(in[i])
	}
	for r.pos < float64(n-1) {
		i := int(math.Floor(r.pos))
		if i < 0 && !r.have {
			i = 0
			r.pos = 0
		}
		frac := r.pos - float64(i)
		a, b := at(i), at(i+1)
		dst = append(dst, int16(math.Round(a+(b-a)*frac)))
		r.pos += r.step
	}
	r.pos -= float64(n)
	r.last, r.have = in[n-1], true
	return dst
}

// pcmSamples decodes PCM16 little-endian bytes, mixing channels down to
// mono. len(b) must be a multiple of 2*channels.
func pcmSamples(b []byte, channels int) []int16 {
	frames := len(b) / (2 * channels)
	out := make([]int16, frames)
	for f := range frames {
		sum := 0
		for c := range channels {
			sum += int(int16(binary.LittleEndian.Uint16(b[2*(f*channels+c):])))
		}
		out[f] = int16(sum / channels)
	}
	return out
}

// pcmBytes encodes samples as PCM16 little-endian.
func pcmBytes(s []int16) []byte {
	out := make([]byte, 2*len(s))
	for i, v := range s {
		binary.LittleEndian.PutUint16(out[2*i:], uint16(v))
	}
	return out
}
