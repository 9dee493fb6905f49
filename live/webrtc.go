package live

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/rkat-dev/rkat/realtime/peer"
)

// ErrBadToken: a connect token that is unknown, used, expired or bound to
// another channel.
var ErrBadToken = errors.New("live: invalid token")

// answerTimeout bounds ICE gathering of an answer.
const answerTimeout = 10 * time.Second

// AnswerWebRTC answers a browser's SDP offer for a channel (live/webrtc/
// answer): the browser's microphone track (G.711, decoded and resampled to
// 24 kHz) feeds the channel, and the channel's assistant audio goes back on
// a paced G.711 μ-law track (realtime/peer's PCMReader and AudioSource).
// ICE uses loopback addresses only. The connection closes with the channel.
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
	src, err := peer.NewAudioSource(peer.AudioSourceConfig{InputRate: 24000, TrackID: "assistant", StreamID: c.id})
	if err != nil {
		pc.Close()
		return "", err
	}
	b := &bridge{c: c, pc: pc, src: src}
	fail := func(err error) (string, error) {
		b.close()
		return "", fmt.Errorf("live: webrtc answer: %w", err)
	}
	if _, err := pc.AddTrack(src.Track()); err != nil {
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
	c   *Channel
	pc  *webrtc.PeerConnection
	src *peer.AudioSource

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
	for o := range sub.C() {
		if len(o.Audio) > 0 && b.src.Push(b.c.ctx, o.Audio) != nil {
			return
		}
	}
}

func (b *bridge) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	_ = b.pc.Close()
	b.src.Close()
	b.wg.Wait()
}
