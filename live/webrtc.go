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
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	api, err := peer.NewAPI(&se)
	if err != nil {
		return "", err
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return "", fmt.Errorf("live: webrtc: %w", err)
	}
	b := &bridge{c: c, pc: pc, g711: c.G711()}
	var out webrtc.TrackLocal
	if b.g711 {
		b.raw, err = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMU, ClockRate: 8000, Channels: 1}, "assistant", c.id)
		out = b.raw
	} else if b.src, err = peer.NewAudioSource(peer.AudioSourceConfig{InputRate: 24000, TrackID: "assistant", StreamID: c.id}); err == nil {
		out = b.src.Track()
	}
	if err != nil {
		pc.Close()
		return "", fmt.Errorf("live: webrtc: %w", err)
	}
	fail := func(err error) (string, error) {
		b.close()
		return "", fmt.Errorf("live: webrtc answer: %w", err)
	}
	if _, err := pc.AddTrack(out); err != nil {
		return fail(err)
	}
	pc.OnTrack(b.readTrack)
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
	sub := c.Subscribe(1024)
	b.wg.Add(1)
	go b.writeAudio(sub)
	m.bridges.Add(1)
	go func() {
		defer m.bridges.Done()
		<-c.done
		b.close()
	}()
	return sdp, nil
}

// bridge joins one peer connection to a channel. Its goroutines: pion's
// OnTrack callback reading the microphone, writeAudio feeding the
// AudioSource; close stops both.
type bridge struct {
	c    *Channel
	pc   *webrtc.PeerConnection
	g711 bool
	src  *peer.AudioSource              // PCM16 channels
	raw  *webrtc.TrackLocalStaticSample // G.711 channels

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// readTrack feeds a remote G.711 track to the channel until it ends.
func (b *bridge) readTrack(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.wg.Add(1)
	b.mu.Unlock()
	defer b.wg.Done()
	if b.g711 {
		if !strings.EqualFold(t.Codec().MimeType, webrtc.MimeTypePCMU) {
			return
		}
		for {
			pkt, _, err := t.ReadRTP()
			if err != nil {
				return
			}
			_ = b.c.SendULaw(pkt.Payload) // dropped when the queue is full, as on /live/ws
		}
	}
	r, err := peer.NewPCMReader(t)
	if err != nil {
		return
	}
	for {
		f, err := r.ReadFrame()
		if err != nil {
			return
		}
		// A full queue drops the frame (input_backpressured), as on /live/ws.
		_ = b.c.SendAudio(pcmBytes(f.Samples), f.SampleRate, 1)
	}
}

// writeAudio pushes the channel's assistant audio to the outbound track.
func (b *bridge) writeAudio(sub *Subscription) {
	defer b.wg.Done()
	defer sub.Close()
	if b.g711 {
		b.writeULaw(sub)
		return
	}
	for o := range sub.C() {
		if len(o.Audio) > 0 && b.src.Push(b.c.ctx, o.Audio) != nil {
			return
		}
	}
}

// maxULawQueue bounds the μ-law audio waiting to be paced out (60 s).
const maxULawQueue = 60 * 8000

// writeULaw paces μ-law assistant audio out in 20 ms samples, silence while
// none is queued; it stops reading observations while the queue is full.
func (b *bridge) writeULaw(sub *Subscription) {
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

func (b *bridge) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	_ = b.pc.Close()
	if b.src != nil {
		b.src.Close()
	}
	b.wg.Wait()
}
