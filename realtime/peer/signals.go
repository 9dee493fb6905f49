package peer

import (
	"bytes"
	"encoding/json"

	"github.com/pion/webrtc/v4"
)

// Signal type strings carried in direct.data.type (spec §8.3).
const (
	sigDescription = "rtc-description"
	sigICE         = "rtc-ice"
	trackMetaKey   = "__meteredTrackMeta"
)

// Inbound caps of the JS SDK (spec §8.3, §8.4).
const (
	maxCandidatesPerGeneration = 200
	maxCandidateLen            = 1000
	maxTrackMetaEntries        = 512
	maxPeers                   = 256
)

// signal is a parsed rtc-description or rtc-ice message.
type signal struct {
	desc      *webrtc.SessionDescription // rtc-description
	candidate *webrtc.ICECandidateInit   // rtc-ice; nil for end-of-candidates
}

// parseSignal recognizes an RTC signal exactly as the JS SDK's isRtcSignal.
func parseSignal(data json.RawMessage) (signal, bool) {
	var m struct {
		Type        string          `json:"type"`
		Description json.RawMessage `json:"description"`
		Candidate   json.RawMessage `json:"candidate"`
	}
	if !isObject(data) || json.Unmarshal(data, &m) != nil {
		return signal{}, false
	}
	switch m.Type {
	case sigDescription:
		var d struct {
			Type string  `json:"type"`
			SDP  *string `json:"sdp"`
		}
		if !isObject(m.Description) || json.Unmarshal(m.Description, &d) != nil || d.SDP == nil {
			return signal{}, false
		}
		var t webrtc.SDPType
		switch d.Type {
		case "offer":
			t = webrtc.SDPTypeOffer
		case "answer":
			t = webrtc.SDPTypeAnswer
		default:
			return signal{}, false
		}
		return signal{desc: &webrtc.SessionDescription{Type: t, SDP: *d.SDP}}, true
	case sigICE:
		if isNull(m.Candidate) {
			return signal{}, true
		}
		if !isObject(m.Candidate) {
			return signal{}, false
		}
		var c webrtc.ICECandidateInit
		if json.Unmarshal(m.Candidate, &c) != nil {
			// Odd field types: still a signal (the JS SDK would hand it to
			// addIceCandidate, which rejects it); treat it as unusable.
			return signal{candidate: &webrtc.ICECandidateInit{}}, true
		}
		return signal{candidate: &c}, true
	}
	return signal{}, false
}

// trackMeta is a parsed __meteredTrackMeta control message; metadata nil
// clears the entry.
type trackMeta struct {
	trackID  string
	metadata json.RawMessage
}

// parseTrackMeta recognizes a track-metadata control message exactly as the
// JS SDK: a non-empty trackId and, if present, an object metadata.
func parseTrackMeta(data json.RawMessage) (trackMeta, bool) {
	var m map[string]json.RawMessage
	if !isObject(data) || json.Unmarshal(data, &m) != nil {
		return trackMeta{}, false
	}
	wrapper, ok := m[trackMetaKey]
	if !ok || !isObject(wrapper) {
		return trackMeta{}, false
	}
	var w struct {
		TrackID  *string         `json:"trackId"`
		Metadata json.RawMessage `json:"metadata"`
	}
	if json.Unmarshal(wrapper, &w) != nil || w.TrackID == nil || *w.TrackID == "" {
		return trackMeta{}, false
	}
	if w.Metadata != nil && !isObject(w.Metadata) {
		return trackMeta{}, false
	}
	return trackMeta{trackID: *w.TrackID, metadata: w.Metadata}, true
}

// descriptionMessage builds {"type":"rtc-description","description":{...}}
// with the JS SDK's key order.
func descriptionMessage(d webrtc.SessionDescription) any {
	type desc struct {
		Type string `json:"type"`
		SDP  string `json:"sdp"`
	}
	return struct {
		Type        string `json:"type"`
		Description desc   `json:"description"`
	}{sigDescription, desc{d.Type.String(), d.SDP}}
}

// trackMetaMessage builds the control message announcing (or, with nil
// metadata, clearing) a local track's metadata.
func trackMetaMessage(trackID string, metadata json.RawMessage) any {
	type inner struct {
		TrackID  string          `json:"trackId"`
		Metadata json.RawMessage `json:"metadata,omitempty"`
	}
	return map[string]inner{trackMetaKey: {trackID, metadata}}
}

// isReservedPayload reports user data that remote SDKs would consume as
// a signal or a track-metadata message.
func isReservedPayload(data json.RawMessage) bool {
	if _, ok := parseSignal(data); ok {
		return true
	}
	var m map[string]json.RawMessage
	if !isObject(data) || json.Unmarshal(data, &m) != nil {
		return false
	}
	_, ok := m[trackMetaKey]
	return ok
}

func isObject(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '{'
}

func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}
