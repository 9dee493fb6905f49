package event

import (
	"strconv"
	"unicode/utf8"
)

// MinKeep is the shortest a string gets when Bound cuts it: strings up to
// MinKeep bytes (plus the marker) are never cut.
const MinKeep = 64

// markerMax bounds the length of a cut marker, "...[truncated N bytes]".
const markerMax = len("...[truncated  bytes]") + 20

// Bound returns payload, an encoded event (any JSON value), made to fit in
// limit bytes by cutting its longest strings to a common length, each cut
// string ending in "...[truncated N bytes]" (N counts bytes of its JSON
// encoding). Only string contents change: keys, numbers and order stay as
// they are, and the result is valid JSON. It reports false, with payload
// unchanged, when even strings cut to MinKeep bytes would not fit, or when
// payload is not a well-formed encoding.
func Bound(payload []byte, limit int) ([]byte, bool) {
	if len(payload) <= limit {
		return payload, true
	}
	spans, ok := stringSpans(payload)
	if !ok {
		return payload, false
	}
	// size(keep) is an upper bound of the result's length when every string
	// longer than keep+markerMax is cut to keep bytes plus its marker; it
	// grows with keep. Find the largest keep that fits.
	size := func(keep int) int {
		n := len(payload)
		for _, s := range spans {
			if l := s.end - s.start; l > keep+markerMax {
				n -= l - keep - markerMax
			}
		}
		return n
	}
	lo, hi := MinKeep, 0
	for _, s := range spans {
		hi = max(hi, s.end-s.start)
	}
	if size(lo) > limit {
		return payload, false
	}
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if size(mid) <= limit {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	out := make([]byte, 0, size(lo))
	prev := 0
	for _, s := range spans {
		c := payload[s.start:s.end]
		if len(c) <= lo+markerMax {
			continue
		}
		j := cutPoint(c, lo)
		out = append(out, payload[prev:s.start+j]...)
		out = append(out, "...[truncated "...)
		out = strconv.AppendInt(out, int64(len(c)-j), 10)
		out = append(out, " bytes]"...)
		prev = s.end
	}
	return append(out, payload[prev:]...), true
}

// span is the content of one string literal, between its quotes.
type span struct{ start, end int }

// stringSpans finds the string literals of an encoded JSON value. Outside
// a string, a quote can only open one.
func stringSpans(b []byte) ([]span, bool) {
	var spans []span
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		start := i + 1
		for i = start; i < len(b) && b[i] != '"'; i++ {
			if b[i] == '\\' {
				i++
			}
		}
		if i >= len(b) {
			return nil, false
		}
		spans = append(spans, span{start, i})
	}
	return spans, true
}

// cutPoint returns the largest prefix length of string content c, at most
// keep, that ends neither inside an escape sequence (a surrogate pair counts
// as one) nor inside a UTF-8 sequence.
func cutPoint(c []byte, keep int) int {
	j := 0
	for j < len(c) {
		w := 1
		switch {
		case c[j] == '\\' && j+1 < len(c) && c[j+1] == 'u':
			w = 6
			if j+12 <= len(c) && highSurrogate(c[j+2:j+4]) && c[j+6] == '\\' && c[j+7] == 'u' {
				w = 12 // a surrogate pair stays whole
			}
		case c[j] == '\\':
			w = 2
		case c[j] >= utf8.RuneSelf:
			_, w = utf8.DecodeRune(c[j:])
		}
		if j+w > keep {
			break
		}
		j += w
	}
	return j
}

// highSurrogate reports whether the first two hex digits of a \u escape
// are those of a high surrogate (D800-DBFF).
func highSurrogate(h []byte) bool {
	switch h[1] {
	case '8', '9', 'a', 'b', 'A', 'B':
		return h[0] == 'd' || h[0] == 'D'
	}
	return false
}

// Fit returns payload, an encoded event of sequence number seq, made to fit
// in limit bytes: cut by Bound, or, when that is not enough, replaced by an
// encoded StreamTruncated of the same seq naming it, which reports replaced.
// The RPC edge and the cross-process relay both fit events with it, each to
// its own limit.
func Fit(payload []byte, limit int, seq uint64) (fitted []byte, replaced bool) {
	if bounded, ok := Bound(payload, limit); ok {
		return bounded, false
	}
	trunc, _ := Marshal(StreamTruncated{Reason: TruncationReason{ // a StreamTruncated always encodes
		Kind: TruncationOversizedEvent, DurableSeq: seq, EncodedBytes: len(payload), MaxBytes: limit}})
	return trunc, true
}
