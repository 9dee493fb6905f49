package peer

import (
	"context"
	"log/slog"
	"sync"

	"github.com/pion/webrtc/v4"

	"github.com/rkat-dev/rkat/realtime/signalling"
)

// Echo joins channel and, until ctx ends, echoes every data-channel message
// back on the same channel (text as text, binary as binary), every directed
// application message back to its sender, and every received audio track
// back to its sender as a new audio track (RTP relay, no decoding). joined,
// if not nil, is called with the local peer id once joined.
func Echo(ctx context.Context, cfg Config, channel string, joined func(peerID string)) error {
	p, err := New(cfg)
	if err != nil {
		return err
	}
	log := p.log
	var relays sync.WaitGroup
	signalling.On(p, func(ev PeerJoined) { echoRemote(ctx, ev.Peer, log, &relays) })
	signalling.On(p, func(ev Data) {
		if ev.Kind != KindDirect {
			return
		}
		if err := p.SendTo(ctx, ev.SenderPeerID, ev.Data); err != nil {
			log.Warn("echo: direct reply failed", "to", ev.SenderPeerID, "err", err)
		}
	})
	if err := p.Join(ctx, channel, JoinOptions{}); err != nil {
		_ = p.Close()
		return err
	}
	if joined != nil {
		joined(p.PeerID())
	}
	<-ctx.Done()
	err = p.Close() // ends every remote track, so the relays return
	relays.Wait()
	return err
}

// echoRemote wires the data-channel and audio echo for one remote.
func echoRemote(ctx context.Context, r *RemotePeer, log *slog.Logger, relays *sync.WaitGroup) {
	signalling.On(r, func(ev DataChannelOpened) {
		dc := ev.Channel
		signalling.On(dc, func(m DCMessage) {
			var err error
			if m.IsString {
				err = dc.SendText(ctx, string(m.Data))
			} else {
				err = dc.Send(ctx, m.Data)
			}
			if err != nil {
				log.Warn("echo: data channel reply failed", "remote", r.ID(), "err", err)
			}
		})
	})
	signalling.On(r, func(ev Track) {
		if ev.Track.Kind() != webrtc.RTPCodecTypeAudio {
			return
		}
		relay, err := NewRelay(ev.Track, "echo-"+ev.Track.ID(), "echo-"+ev.StreamID)
		if err == nil {
			err = r.AddTrack(relay.Track(), nil)
		}
		if err != nil {
			log.Warn("echo: cannot relay track", "remote", r.ID(), "err", err)
			return
		}
		relays.Go(func() {
			if err := relay.Run(); err != nil {
				log.Debug("echo: relay ended", "remote", r.ID(), "err", err)
			}
		})
	})
}
