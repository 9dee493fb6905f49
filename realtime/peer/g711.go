package peer

// G.711 (ITU-T) μ-law and A-law codecs: pure Go, 8 kHz, one byte a sample.

const (
	muBias = 0x84
	muClip = 32635
)

// MuLawEncode converts a linear 16-bit sample to μ-law.
func MuLawEncode(s int16) byte {
	v := int(s)
	sign := 0
	if v < 0 {
		v = -v
		sign = 0x80
	}
	v = min(v, muClip) + muBias
	exp := 7
	for mask := 0x4000; v&mask == 0 && exp > 0; mask >>= 1 {
		exp--
	}
	mant := (v >> (exp + 3)) & 0x0F
	return ^byte(sign | exp<<4 | mant)
}

// MuLawDecode converts a μ-law byte to a linear 16-bit sample.
func MuLawDecode(u byte) int16 {
	u = ^u
	exp := int(u>>4) & 7
	v := ((int(u&0x0F) << 3) + muBias) << exp
	v -= muBias
	if u&0x80 != 0 {
		return int16(-v)
	}
	return int16(v)
}

// aLawSegEnd are the upper bounds of the A-law segments (13-bit magnitude).
var aLawSegEnd = [8]int{0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF}

// ALawEncode converts a linear 16-bit sample to A-law.
func ALawEncode(s int16) byte {
	v := int(s) >> 3
	mask := byte(0xD5)
	if v < 0 {
		mask = 0x55
		v = -v - 1
	}
	seg := 0
	for seg < 8 && v > aLawSegEnd[seg] {
		seg++
	}
	if seg >= 8 {
		return 0x7F ^ mask
	}
	a := byte(seg << 4)
	if seg < 2 {
		a |= byte(v>>1) & 0x0F
	} else {
		a |= byte(v>>seg) & 0x0F
	}
	return a ^ mask
}

// ALawDecode converts an A-law byte to a linear 16-bit sample.
func ALawDecode(a byte) int16 {
	a ^= 0x55
	t := int(a&0x0F) << 4
	switch seg := int(a&0x70) >> 4; seg {
	case 0:
		t += 8
	case 1:
		t += 0x108
	default:
		t = (t + 0x108) << (seg - 1)
	}
	if a&0x80 != 0 {
		return int16(t)
	}
	return int16(-t)
}
