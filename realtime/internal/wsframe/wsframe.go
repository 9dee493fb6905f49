// Package wsframe encodes and decodes WebSocket frame headers (RFC 6455
// §5.2) for the code that writes frames itself: the server's ready-made
// broadcast frames and the load generator's minimal client. Neither uses
// extensions, so the RSV bits are always zero.
package wsframe

import (
	"encoding/binary"
	"errors"
)

// Opcodes used by this module.
const (
	OpContinuation = 0x0
	OpText         = 0x1
	OpClose        = 0x8
	OpPing         = 0x9
	OpPong         = 0xA
)

// MaxHeader is the longest header: 2 bytes, an 8-byte length and a 4-byte
// mask key.
const MaxHeader = 14

// AppendHeader appends the header of a final frame with opcode and a
// payload of n ≥ 0 bytes; mask, when not nil, is the client's masking key
// (the caller masks the payload with Mask).
func AppendHeader(dst []byte, opcode byte, n int, mask *[4]byte) []byte {
	var maskBit byte
	if mask != nil {
		maskBit = 0x80
	}
	dst = append(dst, 0x80|opcode)
	switch {
	case n < 126:
		dst = append(dst, maskBit|byte(n))
	case n <= 0xFFFF:
		dst = append(dst, maskBit|126)
		dst = binary.BigEndian.AppendUint16(dst, uint16(n))
	default:
		dst = append(dst, maskBit|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	if mask != nil {
		dst = append(dst, mask[:]...)
	}
	return dst
}

// Mask XORs p with the masking key, in place.
func Mask(p []byte, key [4]byte) {
	for i := range p {
		p[i] ^= key[i&3]
	}
}

// Header is a decoded frame header. RSV bits are not reported.
type Header struct {
	Fin    bool
	Opcode byte
	Masked bool
	Len    int    // header length in bytes, mask key included
	Size   uint64 // payload length as sent: bound it before using it as an int
}

// ErrShort reports a buffer that does not hold a whole header yet.
var ErrShort = errors.New("wsframe: incomplete header")

// ParseHeader decodes the header at the front of b. When b is too short to
// hold it, it returns ErrShort and a Header whose Len is the number of bytes
// needed to know more (2, then the whole header).
func ParseHeader(b []byte) (Header, error) {
	if len(b) < 2 {
		return Header{Len: 2}, ErrShort
	}
	h := Header{Fin: b[0]&0x80 != 0, Opcode: b[0] & 0x0F, Masked: b[1]&0x80 != 0, Len: 2, Size: uint64(b[1] & 0x7F)}
	switch h.Size {
	case 126:
		h.Len = 4
	case 127:
		h.Len = 10
	}
	if h.Masked {
		h.Len += 4
	}
	if len(b) < h.Len {
		return Header{Len: h.Len}, ErrShort
	}
	switch h.Size {
	case 126:
		h.Size = uint64(binary.BigEndian.Uint16(b[2:4]))
	case 127:
		h.Size = binary.BigEndian.Uint64(b[2:10])
	}
	return h, nil
}
