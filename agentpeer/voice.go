package agentpeer

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/pion/webrtc/v4"

	"github.com/rkat-dev/rkat/live"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/realtime/peer"
	"github.com/rkat-dev/rkat/realtime/signalling"
)

const (
	// voiceTrackQueue bounds the microphone tracks of one person waiting for
	// their voice to read them; more are ignored.
	voiceTrackQueue = 4
	// voiceObservations bounds the observations a voice holds for its
	// transcript reader (the channel drops a reader that falls behind).
	voiceObservations = 1024
	// maxVoiceItems bounds the remembered turn ids of committed user audio.
	maxVoiceItems = 16
)

// voiceTrackMetadata announces the agent's outbound audio track.
var voiceTrackMetadata = json.RawMessage(`{"kind":"agent-voice"}`)

// voice is one person's live channel bridged to their peer connection. The
// run's mu guards streams and the sending side of tracks; its speak
// goroutine owns the rest.
type voice struct {
	rp      *peer.RemotePeer
	tracks  chan peer.Track // microphone tracks to read
	streams map[string]bool // the microphone tracks' stream ids
	stop    chan struct{}   // closed by end
	once    sync.Once
	prev    *voice        // the person's previous call, still ending
	done    chan struct{} // closed when speak has returned
}

func (v *voice) end() { v.once.Do(func() { close(v.stop) }) }

func (v *voice) ended() bool {
	select {
	case <-v.stop:
		return true
	default:
		return false
	}
}

// watchTracks bridges a remote's audio to a live channel (a realtime
// agent) or answers it with chat.error (a text-only agent).
func (r *run) watchTracks(rp *peer.RemotePeer) {
	id := rp.ID()
	signalling.On(rp, func(ev peer.Track) {
		if ev.Track.Kind() != webrtc.RTPCodecTypeAudio {
			return
		}
		if r.live == nil {
			r.reply(id, ChatError{Type: TypeChatError, Turn: newTurnID(), Error: "this agent takes text only: send a string or {\"type\":\"chat\",\"text\":\"...\"}", InReplyTo: id})
			return
		}
		r.hear(rp, ev)
	})
	signalling.On(rp, func(ev peer.StreamRemoved) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if v := r.voices[id]; v != nil && v.streams[ev.StreamID] {
			v.end()
		}
	})
	// A reconciled connection drops the agent's track: its voice ends, and
	// the remote's tracks on the new connection start a new one.
	signalling.On(rp, func(peer.ConnectionReset) { r.endVoice(id) })
}

// hear hands a microphone track to the remote's voice, starting one.
func (r *run) hear(rp *peer.RemotePeer, ev peer.Track) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	v := r.voices[rp.ID()]
	if v == nil || v.ended() {
		// A call still ending (the person left and came back) hands over
		// once its channel has closed.
		v = &voice{rp: rp, tracks: make(chan peer.Track, voiceTrackQueue), streams: map[string]bool{},
			stop: make(chan struct{}), prev: v, done: make(chan struct{})}
		r.voices[rp.ID()] = v
		r.voiceWG.Go(func() { r.speak(v) })
	}
	select {
	case v.tracks <- ev:
		v.streams[ev.StreamID] = true
	default:
		r.a.log.Warn("agentpeer: too many microphone tracks; track ignored", "peer", rp.ID())
	}
}

// endVoice ends the voice of a peer, if it has one.
func (r *run) endVoice(peerID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if v := r.voices[peerID]; v != nil {
		v.end()
	}
}

// speak runs one voice until it ends and tells the person why when it
// fails.
func (r *run) speak(v *voice) {
	defer close(v.done)
	id := v.rp.ID()
	if v.prev != nil {
		<-v.prev.done
		v.prev = nil
	}
	err := r.bridge(v)
	r.mu.Lock()
	if r.voices[id] == v {
		delete(r.voices, id) // tracks still queued in v are dropped with it
	}
	r.mu.Unlock()
	if err != nil && r.ctx.Err() == nil {
		r.a.log.Warn("agentpeer: voice ended", "peer", id, "err", err)
		r.reply(id, ChatError{Type: TypeChatError, Turn: newTurnID(), Error: "voice: " + err.Error(), InReplyTo: id, Voice: true})
	}
}

// bridge opens a live channel on the person's direct conversation, sends
// its audio back on a track of their connection, feeds it their
// microphone tracks and relays its transcripts, until the tracks end, the
// voice is ended, the channel closes or the run stops.
func (r *run) bridge(v *voice) error {
	id := v.rp.ID()
	sid, err := r.voiceSession(v.rp)
	if err != nil {
		return err
	}
	opened, err := r.live.Open(r.ctx, live.OpenRequest{SessionID: sid, G711: true})
	if err != nil {
		return err
	}
	ch := opened.Channel
	defer ch.Close("")
	sub := ch.Subscribe(voiceObservations)
	defer sub.Close()
	br, err := live.NewBridge(ch, "agent-"+ch.ID())
	if err != nil {
		return err
	}
	defer br.Close()
	if err := v.rp.AddTrack(br.Track(), voiceTrackMetadata); err != nil {
		return fmt.Errorf("add the agent's track: %w", err)
	}
	defer v.rp.RemoveTrack(br.Track())

	done := make(chan struct{})
	defer close(done)
	ended := make(chan error)
	readers := 0
	tr := transcripts{r: r, to: id, items: map[string]string{}}
	for {
		select {
		case <-r.ctx.Done():
			return nil
		case <-v.stop:
			return nil
		case ev := <-v.tracks:
			readers++
			// The reader returns when the track ends (at the latest when
			// the run closes the peer) or the channel has closed.
			r.voiceWG.Go(func() {
				err := br.ReadTrack(ev.Track)
				select {
				case ended <- err:
				case <-done:
				}
			})
		case err := <-ended:
			if readers--; readers == 0 {
				return err // the call ends with its last track
			}
			if err != nil { // another track still speaks
				r.reply(id, ChatError{Type: TypeChatError, Turn: newTurnID(), Error: "voice: " + err.Error(), InReplyTo: id, Voice: true})
			}
		case o, ok := <-sub.C():
			if !ok {
				if st := ch.State(); st.Status == live.StatusClosed || st.Status == live.StatusClosing {
					return fmt.Errorf("the live channel closed (%v)", st.Reason)
				}
				return errors.New("the transcript reader fell behind")
			}
			tr.observe(o)
		}
	}
}

// voiceSession returns the session of the person's direct conversation,
// creating it (a live channel needs a session that has run) with a first
// turn that notes the call.
func (r *run) voiceSession(rp *peer.RemotePeer) (string, error) {
	key := "direct:" + rp.ID()
	sid, err := r.findSession(key)
	if err != nil || sid != "" {
		return sid, err
	}
	name := infoOf(rp.Metadata()).Name
	if name == "" {
		name = rp.ID()
	}
	cr, err := r.createSession(key, []llm.Block{llm.Text(name + " started a voice call.")}, nil)
	if err != nil {
		return "", fmt.Errorf("start the conversation: %w", err)
	}
	return cr.SessionID, nil
}

// transcripts turns a voice's observations into chat messages to the
// person: their transcribed words (role user), the agent's spoken answer
// (role assistant) and errors. A user transcript and the answer to it
// share a turn id.
type transcripts struct {
	r     *run
	to    string
	turn  string            // of the exchange in progress
	items map[string]string // committed user audio item → turn
}

func (t *transcripts) observe(o live.Observation) {
	switch o.Kind {
	case live.ObsUserCommitted:
		t.turn = newTurnID()
		if len(t.items) >= maxVoiceItems {
			clear(t.items)
		}
		t.items[o.ItemID] = t.turn
	case live.ObsUserTranscript:
		turn := t.items[o.ProviderItemID]
		if turn == "" {
			turn = newTurnID()
		}
		t.r.reply(t.to, Chat{Type: TypeChat, Turn: turn, Text: o.Text, Role: RoleUser, Voice: true})
	case live.ObsTranscriptFinal:
		if t.turn == "" {
			t.turn = newTurnID()
		}
		t.r.reply(t.to, Chat{Type: TypeChat, Turn: t.turn, Text: o.Text, Role: RoleAssistant, Voice: true, InReplyTo: t.to})
	case live.ObsTurnCompleted, live.ObsTurnInterrupted:
		t.turn = ""
	case live.ObsError:
		t.r.reply(t.to, ChatError{Type: TypeChatError, Turn: newTurnID(), Error: fmt.Sprintf("voice: %v: %s", o.Code, o.Message), InReplyTo: t.to, Voice: true})
	}
}
