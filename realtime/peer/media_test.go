package peer

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
)

func TestG711RoundTrip(t *testing.T) {
	codecs := []struct {
		name   string
		enc    func(int16) byte
		dec    func(byte) int16
		zeroes []byte
	}{
		{"mulaw", MuLawEncode, MuLawDecode, []byte{0xFF, 0x7F}},
		{"alaw", ALawEncode, ALawDecode, []byte{0xD5, 0x55}},
	}
	for _, c := range codecs {
		t.Run(c.name, func(t *testing.T) {
			for _, z := range c.zeroes {
				if v := c.dec(z); v < -8 || v > 8 {
					t.Errorf("decode(%#x) = %d, want ≈0", z, v)
				}
			}
			for s := -32768; s <= 32767; s += 7 {
				got := c.dec(c.enc(int16(s)))
				// G.711 keeps about 4 mantissa bits: error ≤ 1/16 of the
				// magnitude plus the small-signal step.
				if limit := math.Abs(float64(s))/16 + 40; math.Abs(float64(got)-float64(s)) > limit {
					t.Fatalf("%d -> %d (limit %.0f)", s, got, limit)
				}
			}
			for b := range 256 { // every code decodes and re-encodes to itself
				if c.enc(c.dec(byte(b))) != byte(b) && c.dec(byte(b)) != 0 {
					t.Fatalf("code %#x not stable", b)
				}
			}
		})
	}
}

func TestResampler(t *testing.T) {
	for _, rate := range []int{8000, 16000, 44100, 48000, 11025} {
		r := newResampler(rate)
		var out []int16
		chunk := rate / 10
		want := 10 * chunk * 8000 / rate
		for c := range 10 {
			in := make([]float64, chunk)
			for i := range in {
				in[i] = 10000 * math.Sin(2*math.Pi*300*float64(c*len(in)+i)/float64(rate))
			}
			out = r.process(in, out)
		}
		if d := len(out) - want; d < -2 || d > 2 {
			t.Errorf("%d Hz: %d samples, want %d", rate, len(out), want)
		}
		var sum float64
		for _, s := range out[100:] {
			sum += float64(s) * float64(s)
		}
		if rms := math.Sqrt(sum / float64(len(out)-100)); rms < 6000 || rms > 7500 {
			t.Errorf("%d Hz: rms %.0f, want ≈7071 (a 300 Hz tone passes)", rate, rms)
		}
	}
}

func TestAudioSourceBackpressureAndEnd(t *testing.T) {
	if _, err := NewAudioSource(AudioSourceConfig{Channels: 3}); err == nil {
		t.Fatal("3 channels accepted")
	}
	if _, err := NewAudioSource(AudioSourceConfig{MimeType: "audio/opus"}); !errors.Is(err, ErrUnsupportedCodec) {
		t.Fatalf("opus: %v", err)
	}
	src, err := NewAudioSource(AudioSourceConfig{InputRate: 8000, MaxBuffered: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := src.Push(context.Background(), []byte{1}); err == nil {
		t.Fatal("odd byte count accepted")
	}
	second := make([]byte, 16000) // one second at 8 kHz mono
	if err := src.Push(context.Background(), second); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := src.Push(ctx, second); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Push over MaxBuffered = %v, want to wait until the deadline", err)
	}
	if src.Buffered() > time.Second {
		t.Fatalf("buffered %s after a refused push", src.Buffered())
	}
	src.End()
	if err := src.Push(context.Background(), second[:2]); err == nil {
		t.Fatal("Push after End accepted")
	}
}

func TestDataChannelOverflow(t *testing.T) {
	pc, err := loopbackAPI(t).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := pc.CreateDataChannel("never-open", nil)
	if err != nil {
		t.Fatal(err)
	}
	dc := WrapDataChannel(raw, DataChannelOptions{MaxBufferedAmount: 100, MaxQueuedSends: 1})
	defer func() {
		_ = dc.Close()
		_ = pc.Close()
	}()
	var coder interface{ Code() string }
	if err := dc.Send(context.Background(), make([]byte, 101)); !errors.As(err, &coder) || coder.Code() != CodeChannelClosed {
		t.Fatalf("oversized payload: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	waiting := make(chan error, 1)
	go func() { waiting <- dc.SendText(ctx, "queued") }() // waits for open
	for queued := 0; queued == 0; time.Sleep(time.Millisecond) {
		dc.mu.Lock()
		queued = dc.queued
		dc.mu.Unlock()
	}
	var overflow *DataChannelOverflowError
	if err := dc.SendText(context.Background(), "one too many"); !errors.As(err, &overflow) || overflow.Cap != 1 || overflow.Code() != CodeChannelOverflow {
		t.Fatalf("second send: %v", err)
	}
	cancel()
	if err := <-waiting; !errors.Is(err, context.Canceled) {
		t.Fatalf("queued send: %v", err)
	}
}
