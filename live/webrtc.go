package live

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/realtime/peer"
)

// ErrBadToken: a connect token that is unknown, used, expired or bound to
// another channel.
var ErrBadToken = errors.New("live: invalid token")

// answerTimeout bounds ICE gathering of an answer.
const answerTimeout = 10 * time.Second

// AnswerWebRTC answers a browser's SDP offer for a channel (live/webrtc/
// answer): the browser's G.711 microphone track feeds the channel and the
// assistant audio goes back on a paced G.711 μ-law track. On a G.711
// channel (OpenRequest.G711 with a provider that takes μ-law) the RTP
// payloads pass through both ways untranscoded; otherwise they are decoded
// and resampled to and from 24 kHz PCM16 (realtime/peer's PCMReader and
// AudioSource). ICE uses loopback addresses only. The connection closes
// with the channel.
func (m *Manager) AnswerWebRTC(ctx context.Context, channelID, tok, offerSDP string) (string, error) {
	c, err := m.claim(channelID, tok)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadToken, err)
	}
	pc, err := m.rtc.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return "", fmt.Errorf("live: webrtc: %w", err)
	}
	b, err := NewBridge(c, c.id)
	if err != nil {
		pc.Close()
		return "", err
	}
	a := &answered{pc: pc, b: b}
	fail := func(err error) (string, error) {
		a.close()
		return "", fmt.Errorf("live: webrtc answer: %w", err)
	}
	if _, err := pc.AddTrack(b.Track()); err != nil {
		return fail(err)
	}
	pc.OnTrack(a.readTrack)
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offerSDP}); err != nil {
		return fail(err)
	}
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		return fail(err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(answer); err != nil {
		return fail(err)
	}
	select {
	case <-gathered:
	case <-time.After(answerTimeout):
		return fail(errors.New("ICE gathering timed out"))
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	sdp := pc.LocalDescription().SDP
	m.bridges.Add(1)
	go func() {
		defer m.bridges.Done()
		<-c.done
		a.close()
	}()
	return sdp, nil
}

// newWebRTCAPI returns the pion API of a Manager's answers: ICE on loopback
// addresses only. One serves every answer (pion copies its media engine and
// builds the interceptors per connection).
func newWebRTCAPI() (*webrtc.API, error) {
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	return peer.NewAPI(&se)
}

// answered is one answered browser connection: the peer connection, its
// bridge, and pion's OnTrack callbacks reading the microphone; close stops
// all of them.
type answered struct {
	pc *webrtc.PeerConnection
	b  *Bridge

	mu      sync.Mutex
	closed  bool
	readers sync.WaitGroup
}

func (a *answered) readTrack(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return
	}
	a.readers.Add(1)
	a.mu.Unlock()
	defer a.readers.Done()
	_ = a.b.ReadTrack(t) // the browser's other tracks (video) are not for the channel
}

func (a *answered) close() {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	_ = a.pc.Close() // ends the remote tracks
	a.readers.Wait()
	a.b.Close()
}

// Bridge carries a channel's audio over WebRTC: Track is the assistant's
// outbound G.711 track, fed by a goroutine of the bridge from a
// subscription to the channel; ReadTrack feeds a remote G.711 microphone
// track into the channel. It does not own a peer connection (AnswerWebRTC
// and agentpeer attach it to theirs). Close stops the outbound goroutine;
// ReadTrack returns when its track ends or the channel closes.
type Bridge struct {
	c    *Channel
	g711 bool
	src  *peer.AudioSource              // PCM16 channels
	raw  *webrtc.TrackLocalStaticSample // G.711 channels
	sub  *Subscription
	stop chan struct{} // closed by Close
	once sync.Once
	wg   sync.WaitGroup
}

// NewBridge creates the outbound track (with the given stream id) and
// starts feeding it the channel's assistant audio: μ-law as is on a G.711
// channel, else 24 kHz PCM16 encoded to μ-law by a paced AudioSource.
func NewBridge(c *Channel, streamID string) (*Bridge, error) {
	b := &Bridge{c: c, g711: c.G711(), stop: make(chan struct{})}
	var err error
	if b.g711 {
		b.raw, err = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMU, ClockRate: 8000, Channels: 1}, "assistant", streamID)
	} else {
		b.src, err = peer.NewAudioSource(peer.AudioSourceConfig{InputRate: llm.RealtimeSampleRate, TrackID: "assistant", StreamID: streamID})
	}
	if err != nil {
		return nil, fmt.Errorf("live: webrtc: %w", err)
	}
	b.sub = c.Subscribe(1024)
	b.wg.Add(1)
	go b.writeAudio()
	return b, nil
}

// Track returns the outbound track carrying the assistant's audio.
func (b *Bridge) Track() webrtc.TrackLocal {
	if b.g711 {
		return b.raw
	}
	return b.src.Track()
}

// ReadTrack feeds a remote PCMU (on a G.711 channel) or G.711 track to the
// channel until the track ends or the channel closes, and then returns
// nil; a track it cannot read is refused at once with an error wrapping
// peer.ErrUnsupportedCodec. A full input queue drops the packet
// (input_backpressured), as on /live/ws.
func (b *Bridge) ReadTrack(t *webrtc.TrackRemote) error {
	if b.g711 {
		if mime := t.Codec().MimeType; !strings.EqualFold(mime, webrtc.MimeTypePCMU) {
			return fmt.Errorf("live: %w: %s on a μ-law channel", peer.ErrUnsupportedCodec, mime)
		}
		for {
			pkt, _, err := t.ReadRTP()
			if err != nil || errors.Is(b.c.SendULaw(pkt.Payload), ErrClosed) {
				return nil
			}
		}
	}
	r, err := peer.NewPCMReader(t)
	if err != nil {
		return fmt.Errorf("live: %w", err)
	}
	for {
		f, err := r.ReadFrame()
		if err != nil || errors.Is(b.c.SendAudio(pcmBytes(f.Samples), f.SampleRate, 1), ErrClosed) {
			return nil
		}
	}
}

// writeAudio pushes the channel's assistant audio to the outbound track.
func (b *Bridge) writeAudio() {
	defer b.wg.Done()
	defer b.sub.Close()
	if b.g711 {
		b.writeULaw(b.sub)
		return
	}
	for o := range b.sub.C() {
		if len(o.Audio) > 0 && b.src.Push(b.c.ctx, o.Audio) != nil {
			return
		}
	}
}

// maxULawQueue bounds the μ-law audio waiting to be paced out (60 s).
const maxULawQueue = 60 * 8000

// writeULaw paces μ-law assistant audio out in 20 ms samples, silence while
// none is queued; it stops reading observations while the queue is full.
func (b *Bridge) writeULaw(sub *Subscription) {
	const frame = 160 // 20 ms at 8 kHz
	silence := bytes.Repeat([]byte{0xFF}, frame)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var queue []byte
	for {
		in := sub.C()
		if len(queue) >= maxULawQueue {
			in = nil
		}
		select {
		case <-b.stop:
			return
		case o, ok := <-in:
			if !ok {
				return
			}
			queue = append(queue, o.Audio...)
		case <-tick.C:
			data := silence
			if len(queue) > 0 {
				n := min(frame, len(queue))
				data, queue = queue[:n], queue[n:]
			}
			if err := b.raw.WriteSample(media.Sample{Data: data, Duration: 20 * time.Millisecond}); err != nil {
				return
			}
		}
	}
}

// Close stops feeding the outbound track and waits for it; it may be
// called more than once.
func (b *Bridge) Close() {
	b.once.Do(func() { close(b.stop) })
	b.sub.Close()
	if b.src != nil {
		b.src.Close()
	}
	b.wg.Wait()
}
