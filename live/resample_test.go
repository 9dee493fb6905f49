package live

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

func TestResampler(t *testing.T) {
	tests := []struct {
		name     string
		from, to int
		in       []int16
		want     []int16
	}{
		{"identity", 24000, 24000, []int16{1, 2, 3}, []int16{1, 2, 3}},
		{"upsample x2 interpolates", 12000, 24000, []int16{0, 100, 200}, []int16{0, 50, 100, 150}},
		{"downsample x2 picks every other", 48000, 24000, []int16{0, 10, 20, 30, 40}, []int16{0, 20}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewResampler(tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Process(nil, tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := NewResampler(4000, 24000); err == nil {
		t.Error("4 kHz accepted")
	}
}

// TestResamplerChunking: a stream cut into chunks resamples like one piece.
func TestResamplerChunking(t *testing.T) {
	in := make([]int16, 4800)
	for i := range in {
		in[i] = int16(10000 * math.Sin(float64(i)/7))
	}
	whole, _ := NewResampler(16000, 24000)
	want := whole.Process(nil, in)
	for _, size := range []int{1, 3, 160, 999} {
		r, _ := NewResampler(16000, 24000)
		var got []int16
		for i := 0; i < len(in); i += size {
			got = r.Process(got, in[i:min(i+size, len(in))])
		}
		if !slices.Equal(got, want) {
			t.Errorf("chunks of %d: %d samples differ from the whole (%d)", size, len(got), len(want))
		}
	}
	if n := len(want); n < 7198 || n > 7200 {
		t.Errorf("16 kHz -> 24 kHz: %d samples from 4800", n)
	}
}

// FuzzResampler: any rates and chunking never panic, give the expected
// number of samples, and never leave the range of the input (linear
// interpolation cannot overshoot).
func FuzzResampler(f *testing.F) {
	f.Add(uint16(16000), uint16(24000), []byte{1, 2, 3, 4, 5, 6, 7, 8}, uint8(3))
	f.Add(uint16(48000), uint16(24000), []byte{0xff, 0x7f, 0x00, 0x80}, uint8(1))
	f.Add(uint16(8000), uint16(48000), []byte{}, uint8(0))
	f.Fuzz(func(t *testing.T, from, to uint16, data []byte, chunk uint8) {
		r, err := NewResampler(int(from), int(to))
		if err != nil {
			return
		}
		in := make([]int16, len(data)/2)
		for i := range in {
			in[i] = int16(binary.LittleEndian.Uint16(data[2*i:]))
		}
		size := int(chunk) + 1
		var out []int16
		for i := 0; i < len(in); i += size {
			out = r.Process(out, in[i:min(i+size, len(in))])
		}
		if len(in) == 0 {
			if len(out) != 0 {
				t.Fatalf("output from no input")
			}
			return
		}
		expect := float64(len(in)) * float64(to) / float64(from)
		if math.Abs(float64(len(out))-expect) > float64(to)/float64(from)+1 {
			t.Fatalf("%d samples at %d->%d gave %d, want about %.1f", len(in), from, to, len(out), expect)
		}
		lo, hi := slices.Min(in), slices.Max(in)
		for _, v := range out {
			if v < lo || v > hi {
				t.Fatalf("sample %d outside input range %d..%d", v, lo, hi)
			}
		}
	})
}
