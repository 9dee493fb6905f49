package server

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/rkat-dev/rkat/live"
	"github.com/rkat-dev/rkat/session"
)

// Live method names (spec/agent-rpc.md 2.6); served only when Config.Live
// is set (rkat-rpc --live-ws).
const (
	methodLiveOpen      = "live/open"
	methodLiveStatus    = "live/status"
	methodLiveSendInput = "live/send_input"
	methodLiveCommit    = "live/commit_input"
	methodLiveInterrupt = "live/interrupt"
	methodLiveTruncate  = "live/truncate"
	methodLiveRefresh   = "live/refresh"
	methodLiveClose     = "live/close"
	methodLiveAnswer    = "live/webrtc/answer"
)

type liveOpenParams struct {
	SessionID    string           `json:"session_id"`
	TurningMode  live.TurningMode `json:"turning_mode"`
	Transport    *string          `json:"transport"`
	SeedMaxChars *int             `json:"seed_max_chars"`
}

type liveAnswerParams struct {
	ChannelID string `json:"channel_id"`
	Token     string `json:"token"`
	OfferSDP  string `json:"offer_sdp"`
}

type liveChannelParams struct {
	ChannelID string `json:"channel_id"`
}

type liveSendParams struct {
	ChannelID string          `json:"channel_id"`
	Chunk     json.RawMessage `json:"chunk"`
}

type liveCommitParams struct {
	ChannelID        string `json:"channel_id"`
	ResponseModality *struct {
		Modality string `json:"modality"`
	} `json:"response_modality"`
}

type liveTruncateParams struct {
	ChannelID    string `json:"channel_id"`
	ItemID       string `json:"item_id"`
	ContentIndex int    `json:"content_index"`
	AudioPlayed  int    `json:"audio_played_ms"`
}

type liveStatus struct {
	Status string `json:"status"`
}

// liveCapabilities is what every live channel of this build supports.
var liveCapabilities = map[string]bool{
	"audio_in": true, "audio_out": true, "text_in": true, "text_out": true, "image_in": false, "video_in": false,
	"transcript_supported": true, "barge_in_supported": true, "provider_native_resume": false,
}

// liveMethods returns the live/* methods (live/webrtc/answer only with
// Config.LiveWebRTC).
func (s *Server) liveMethods() map[string]method {
	ms := map[string]method{
		methodLiveOpen:      s.liveOpen,
		methodLiveStatus:    s.liveStatus,
		methodLiveSendInput: s.liveSendInput,
		methodLiveCommit: withChannel(s, func(_ context.Context, ch *live.Channel, p liveCommitParams) (any, error) {
			textOnly := false
			if m := p.ResponseModality; m != nil {
				if m.Modality != "text" && m.Modality != "audio" {
					return nil, invalidParams("response_modality.modality must be audio or text")
				}
				textOnly = m.Modality == "text"
			}
			return liveStatus{"committed"}, ch.Commit(textOnly)
		}),
		methodLiveInterrupt: withChannel(s, func(_ context.Context, ch *live.Channel, _ liveChannelParams) (any, error) {
			return liveStatus{"interrupted"}, ch.Interrupt()
		}),
		methodLiveTruncate: withChannel(s, func(_ context.Context, ch *live.Channel, p liveTruncateParams) (any, error) {
			return liveStatus{"truncated"}, ch.Truncate(p.ItemID, p.ContentIndex, p.AudioPlayed)
		}),
		methodLiveRefresh: withChannel(s, func(ctx context.Context, ch *live.Channel, _ liveChannelParams) (any, error) {
			return liveStatus{"queued"}, ch.Refresh(ctx)
		}),
		methodLiveClose: withChannel(s, func(_ context.Context, ch *live.Channel, _ liveChannelParams) (any, error) {
			ch.Close("")
			return liveStatus{"closed"}, nil
		}),
	}
	if s.cfg.LiveWebRTC {
		ms[methodLiveAnswer] = s.liveAnswer
	}
	return ms
}

func (s *Server) liveAnswer(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[liveAnswerParams](params)
	if err != nil {
		return nil, err
	}
	if p.OfferSDP == "" {
		return nil, invalidParams("offer_sdp is required")
	}
	sdp, err := s.cfg.Live.AnswerWebRTC(ctx, p.ChannelID, p.Token, p.OfferSDP)
	if err != nil {
		return nil, err
	}
	return map[string]string{"answer_sdp": sdp}, nil
}

// withChannel decodes params of type P, finds their channel_id's channel
// and calls fn; a result is returned only when fn's error is nil.
func withChannel[P any](s *Server, fn func(ctx context.Context, ch *live.Channel, p P) (any, error)) method {
	return func(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
		p, err := decode[P](params)
		if err != nil {
			return nil, err
		}
		var id struct {
			ChannelID string `json:"channel_id"`
		}
		_ = json.Unmarshal(params, &id)
		ch, err := s.cfg.Live.Channel(id.ChannelID)
		if err != nil {
			return nil, err
		}
		res, err := fn(ctx, ch, p)
		if err != nil {
			return nil, err
		}
		return res, nil
	}
}

func (s *Server) liveOpen(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
	p, err := decode[liveOpenParams](params)
	if err != nil {
		return nil, err
	}
	switch {
	case p.SessionID == "":
		return nil, invalidParams("session_id is required")
	case p.Transport != nil && *p.Transport != "websocket" && (*p.Transport != "webrtc" || !s.cfg.LiveWebRTC),
		(p.Transport == nil || *p.Transport == "websocket") && !s.cfg.LiveWS:
		return nil, invalidParams("this live transport is not served (rkat-rpc --live-ws serves websocket, --live-webrtc webrtc)")
	case p.SeedMaxChars != nil && *p.SeedMaxChars <= 0:
		return nil, invalidParams("seed_max_chars must be positive")
	}
	webRTC := p.Transport != nil && *p.Transport == "webrtc"
	req := live.OpenRequest{SessionID: p.SessionID, Turning: p.TurningMode, Tools: c.newRun(s, s.externalToolsOf(p.SessionID)).tools,
		G711: webRTC}
	if p.SeedMaxChars != nil {
		req.SeedMaxChars = *p.SeedMaxChars
	}
	o, err := s.cfg.Live.Open(ctx, req)
	if errors.Is(err, session.ErrNotFound) {
		return nil, invalidParams("session %s not found", p.SessionID) // as the reference: -32602 on live/open
	}
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.channels = append(c.channels, o.Channel)
	c.mu.Unlock()
	transport := map[string]any{"transport": "websocket", "url": o.URL, "token": o.Token}
	if webRTC {
		transport = map[string]any{"transport": "webrtc", "token": o.Token, "answer_method": methodLiveAnswer}
	}
	return map[string]any{
		"channel_id":   o.Channel.ID(),
		"transport":    transport,
		"capabilities": liveCapabilities,
		"continuity":   map[string]any{"mode": o.Continuity},
	}, nil
}

func (s *Server) liveStatus(_ context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[liveChannelParams](params)
	if err != nil {
		return nil, err
	}
	ch, err := s.cfg.Live.Channel(p.ChannelID)
	if err != nil {
		return nil, err
	}
	return map[string]any{"channel_id": ch.ID(), "status": ch.State()}, nil
}

func (s *Server) liveSendInput(_ context.Context, _ *connState, params json.RawMessage) (any, error) {
	p, err := decode[liveSendParams](params)
	if err != nil {
		return nil, err
	}
	ch, err := s.cfg.Live.Channel(p.ChannelID)
	if err != nil {
		return nil, err
	}
	chunk, err := live.ParseChunk(p.Chunk)
	if err != nil {
		return nil, err
	}
	if err := ch.Send(chunk); err != nil {
		return nil, err
	}
	return liveStatus{"sent"}, nil
}

// closeChannels closes the live channels a connection opened: their
// callback tools die with it.
func (c *connState) closeChannels() {
	c.mu.Lock()
	chans := slices.Clone(c.channels)
	c.channels = nil
	c.mu.Unlock()
	for _, ch := range chans {
		ch.Close("the rpc connection that opened the channel ended")
	}
}
