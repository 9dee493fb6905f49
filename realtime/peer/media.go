package peer

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// G.711 framing: 8 kHz mono, 20 ms packets of 160 samples.
const (
	g711Rate      = 8000
	frameDuration = 20 * time.Millisecond
	frameSamples  = g711Rate / 50
)

// ErrUnsupportedCodec is returned for a remote track that is not G.711.
var ErrUnsupportedCodec = errors.New("peer: codec is not PCMU or PCMA")

// resampler converts a mono stream to 8 kHz by linear interpolation after a
// box low-pass filter (when downsampling); it keeps state across chunks.
type resampler struct {
	step float64 // input samples per output sample
	t    float64 // position of the next output sample; -1 ≤ t refers to last
	last float64
	box  []float64 // low-pass history
	sum  float64
	bi   int
}

func newResampler(inRate int) *resampler {
	r := &resampler{step: float64(inRate) / g711Rate}
	if n := int(r.step); n > 1 {
		r.box = make([]float64, n)
	}
	return r
}

func (r *resampler) filter(x float64) float64 {
	if r.box == nil {
		return x
	}
	r.sum += x - r.box[r.bi]
	r.box[r.bi] = x
	r.bi = (r.bi + 1) % len(r.box)
	return r.sum / float64(len(r.box))
}

// process appends the 8 kHz samples produced by in to out.
func (r *resampler) process(in []float64, out []int16) []int16 {
	if len(in) == 0 {
		return out
	}
	for i, x := range in {
		in[i] = r.filter(x)
	}
	at := func(i int) float64 {
		if i < 0 {
			return r.last
		}
		return in[i]
	}
	for {
		i := int(math.Floor(r.t))
		if i+1 >= len(in) {
			break
		}
		a, b := at(i), at(i+1)
		v := a + (b-a)*(r.t-float64(i))
		out = append(out, int16(max(-32768, min(32767, math.Round(v)))))
		r.t += r.step
	}
	r.t -= float64(len(in))
	r.last = in[len(in)-1]
	return out
}

// rtpOrigin is the process's random RTP origin (RFC 3550 asks for
// unpredictable initial values); it is set once and only read.
var rtpOrigin = func() (o struct {
	epoch time.Time
	seq   uint16
	ts    uint32
}) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	o.epoch = time.Now()
	o.seq = binary.BigEndian.Uint16(b[:2])
	o.ts = binary.BigEndian.Uint32(b[2:])
	return o
}()

// frameSlot numbers the 20 ms frame that t falls in since rtpOrigin.epoch.
// Every AudioSource of the process numbers its packets (and timestamps them)
// by the slot they are sent in, so two sources agree, and a sender switched
// from one to the other (Peer.ReplaceTrack) keeps a continuous sequence; a
// jump to an unrelated, random one (as separate pion sample tracks make) is
// dropped by receivers whose SRTP replay protection sees older numbers.
func frameSlot(t time.Time) int64 { return int64(t.Sub(rtpOrigin.epoch) / frameDuration) }

// AudioSourceConfig configures an AudioSource.
type AudioSourceConfig struct {
	InputRate   int           // Hz of the pushed PCM (default 16000)
	Channels    int           // 1 (default) or 2, interleaved
	MaxBuffered time.Duration // Push waits above this much queued audio (default 5 s)
	MimeType    string        // webrtc.MimeTypePCMU (default) or webrtc.MimeTypePCMA
	TrackID     string        // default "audio-<uuid>"
	StreamID    string        // default "stream-<uuid>"
}

// AudioSource turns pushed PCM16 (little-endian, any rate, mono or stereo)
// into a real-time paced G.711 audio track. While nothing is queued it sends
// silence, so the track keeps its timing. Its packets are numbered by the
// wall clock (see frameSlot), so that Peer.ReplaceTrack from one source to
// another continues the sequence the remote was receiving.
type AudioSource struct {
	track    *webrtc.TrackLocalStaticRTP
	encode   func(int16) byte
	channels int
	maxBuf   int // in 8 kHz samples

	mu    sync.Mutex
	rs    *resampler
	buf   []int16
	space chan struct{} // closed (and replaced) when the pacer consumed audio
	ended bool

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// NewAudioSource validates cfg, creates the track and starts pacing. Stop it
// with End (drain) or Close.
func NewAudioSource(cfg AudioSourceConfig) (*AudioSource, error) {
	if cfg.InputRate == 0 {
		cfg.InputRate = 16000
	}
	if cfg.Channels == 0 {
		cfg.Channels = 1
	}
	if cfg.MaxBuffered <= 0 {
		cfg.MaxBuffered = 5 * time.Second
	}
	if cfg.InputRate < 1000 || cfg.InputRate > 384000 || (cfg.Channels != 1 && cfg.Channels != 2) {
		return nil, fmt.Errorf("peer: audio source: unsupported input %d Hz × %d channels", cfg.InputRate, cfg.Channels)
	}
	encode := MuLawEncode
	switch {
	case cfg.MimeType == "" || strings.EqualFold(cfg.MimeType, webrtc.MimeTypePCMU):
		cfg.MimeType = webrtc.MimeTypePCMU
	case strings.EqualFold(cfg.MimeType, webrtc.MimeTypePCMA):
		cfg.MimeType, encode = webrtc.MimeTypePCMA, ALawEncode
	default:
		return nil, fmt.Errorf("peer: audio source: %w: %s", ErrUnsupportedCodec, cfg.MimeType)
	}
	if cfg.TrackID == "" {
		cfg.TrackID = "audio-" + uuid.NewString()
	}
	if cfg.StreamID == "" {
		cfg.StreamID = "stream-" + uuid.NewString()
	}
	track, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: cfg.MimeType, ClockRate: g711Rate, Channels: 1}, cfg.TrackID, cfg.StreamID)
	if err != nil {
		return nil, fmt.Errorf("peer: audio source: %w", err)
	}
	a := &AudioSource{
		track:    track,
		encode:   encode,
		channels: cfg.Channels,
		maxBuf:   int(cfg.MaxBuffered.Seconds() * g711Rate),
		rs:       newResampler(cfg.InputRate),
		space:    make(chan struct{}),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	go a.pace()
	return a, nil
}

// Track returns the track to pass to Peer.AddTrack.
func (a *AudioSource) Track() *webrtc.TrackLocalStaticRTP { return a.track }

// Buffered returns how much audio is queued.
func (a *AudioSource) Buffered() time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	return time.Duration(len(a.buf)) * time.Second / g711Rate
}

// Push queues PCM16 little-endian samples, waiting while more than
// MaxBuffered is queued (backpressure).
func (a *AudioSource) Push(ctx context.Context, pcm []byte) error {
	frame := 2 * a.channels
	if len(pcm)%frame != 0 {
		return fmt.Errorf("peer: audio source: %d bytes is not a whole number of %d-byte frames", len(pcm), frame)
	}
	in := make([]float64, len(pcm)/frame)
	for i := range in {
		var sum float64
		for ch := range a.channels {
			sum += float64(int16(binary.LittleEndian.Uint16(pcm[i*frame+2*ch:])))
		}
		in[i] = sum / float64(a.channels)
	}
	for {
		a.mu.Lock()
		if a.ended {
			a.mu.Unlock()
			return errors.New("peer: audio source ended")
		}
		if len(a.buf) <= a.maxBuf {
			a.buf = a.rs.process(in, a.buf)
			a.mu.Unlock()
			return nil
		}
		space := a.space
		a.mu.Unlock()
		select {
		case <-space:
		case <-a.stop:
			return errors.New("peer: audio source closed")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// End stops accepting audio; the queued audio is still sent, then pacing
// stops.
func (a *AudioSource) End() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ended = true
}

// Close stops pacing at once and waits for the pacer to exit.
func (a *AudioSource) Close() {
	a.once.Do(func() { close(a.stop) })
	<-a.done
}

// pace writes one 20 ms G.711 frame per tick.
func (a *AudioSource) pace() {
	defer close(a.done)
	tick := time.NewTicker(frameDuration)
	defer tick.Stop()
	payload := make([]byte, frameSamples)
	last := int64(-1)
	for {
		select {
		case <-a.stop:
			return
		case <-tick.C:
		}
		a.mu.Lock()
		n := min(len(a.buf), frameSamples)
		for i := range frameSamples {
			s := int16(0)
			if i < n {
				s = a.buf[i]
			}
			payload[i] = a.encode(s)
		}
		a.buf = a.buf[n:]
		finished := a.ended && len(a.buf) == 0
		close(a.space)
		a.space = make(chan struct{})
		a.mu.Unlock()
		last = max(last+1, frameSlot(time.Now()))
		pkt := rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: uint16(last) + rtpOrigin.seq, Timestamp: uint32(last)*frameSamples + rtpOrigin.ts}, Payload: payload}
		if err := a.track.WriteRTP(&pkt); err != nil && !errors.Is(err, io.ErrClosedPipe) {
			return
		}
		if finished {
			return
		}
	}
}

// PCMFrame is one decoded RTP packet of a G.711 track.
type PCMFrame struct {
	Samples        []int16
	SampleRate     int
	Timestamp      uint32
	SequenceNumber uint16
}

// PCMReader reads a remote G.711 audio track as PCM frames.
type PCMReader struct {
	track  *webrtc.TrackRemote
	decode func(byte) int16
}

// NewPCMReader returns a reader for a PCMU or PCMA remote track.
func NewPCMReader(t *webrtc.TrackRemote) (*PCMReader, error) {
	switch mime := t.Codec().MimeType; {
	case strings.EqualFold(mime, webrtc.MimeTypePCMU):
		return &PCMReader{track: t, decode: MuLawDecode}, nil
	case strings.EqualFold(mime, webrtc.MimeTypePCMA):
		return &PCMReader{track: t, decode: ALawDecode}, nil
	default:
		return nil, fmt.Errorf("%w: %s", ErrUnsupportedCodec, mime)
	}
}

// ReadFrame blocks for the next packet and decodes it; io.EOF (or another
// error) once the track ends.
func (r *PCMReader) ReadFrame() (PCMFrame, error) {
	pkt, _, err := r.track.ReadRTP()
	if err != nil {
		return PCMFrame{}, err
	}
	f := PCMFrame{
		Samples:        make([]int16, len(pkt.Payload)),
		SampleRate:     g711Rate,
		Timestamp:      pkt.Timestamp,
		SequenceNumber: pkt.SequenceNumber,
	}
	for i, b := range pkt.Payload {
		f.Samples[i] = r.decode(b)
	}
	return f, nil
}

// Relay forwards a remote track's RTP packets, undecoded, to a local track
// with the same codec (echo or fan-out).
type Relay struct {
	src *webrtc.TrackRemote
	dst *webrtc.TrackLocalStaticRTP
}

// NewRelay creates the local track for src with the given ids.
func NewRelay(src *webrtc.TrackRemote, trackID, streamID string) (*Relay, error) {
	dst, err := webrtc.NewTrackLocalStaticRTP(src.Codec().RTPCodecCapability, trackID, streamID)
	if err != nil {
		return nil, fmt.Errorf("peer: relay: %w", err)
	}
	return &Relay{src: src, dst: dst}, nil
}

// Track returns the local track to attach (e.g. RemotePeer.AddTrack).
func (r *Relay) Track() *webrtc.TrackLocalStaticRTP { return r.dst }

// Run copies packets until the source track ends; it returns nil then.
func (r *Relay) Run() error {
	for {
		pkt, _, err := r.src.ReadRTP()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("peer: relay read: %w", err)
		}
		if err := r.dst.WriteRTP(pkt); err != nil && !errors.Is(err, io.ErrClosedPipe) {
			return fmt.Errorf("peer: relay write: %w", err)
		}
	}
}
