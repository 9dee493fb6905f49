package wsframe

import (
	"errors"
	"testing"
)

func TestHeaderRoundTrip(t *testing.T) {
	key := [4]byte{1, 2, 3, 4}
	for _, n := range []int{0, 1, 125, 126, 127, 0xFFFF, 0x10000, 1 << 20} {
		for _, mask := range []*[4]byte{nil, &key} {
			b := AppendHeader(nil, OpText, n, mask)
			wantLen := map[bool]int{true: 2, false: 4}[n < 126]
			if n > 0xFFFF {
				wantLen = 10
			}
			if mask != nil {
				wantLen += 4
			}
			h, err := ParseHeader(b)
			if err != nil || h != (Header{Fin: true, Opcode: OpText, Masked: mask != nil, Len: wantLen, Size: uint64(n)}) {
				t.Fatalf("n=%d mask=%v: %+v %v", n, mask != nil, h, err)
			}
			for cut := range len(b) {
				short, err := ParseHeader(b[:cut])
				if !errors.Is(err, ErrShort) || short.Len <= cut || short.Len > wantLen {
					t.Fatalf("n=%d mask=%v cut=%d: %+v %v", n, mask != nil, cut, short, err)
				}
			}
		}
	}
}

func TestMask(t *testing.T) {
	key := [4]byte{0xA, 0xB, 0xC, 0xD}
	p := []byte("hello, world")
	Mask(p, key)
	if string(p) == "hello, world" {
		t.Fatal("Mask changed nothing")
	}
	Mask(p, key)
	if string(p) != "hello, world" {
		t.Fatalf("masking twice gave %q", p)
	}
}

// FuzzParseHeader: any input parses or asks for more bytes; a parsed header
// never claims more bytes than it was given, and what AppendHeader writes
// parses back.
func FuzzParseHeader(f *testing.F) {
	f.Add([]byte{0x81, 0x05}, uint16(5), true)
	f.Add([]byte{0x81, 0xFE, 0x01, 0x00}, uint16(300), false)
	f.Add([]byte{0x88, 0xFF}, uint16(0), true)
	f.Fuzz(func(t *testing.T, b []byte, n uint16, masked bool) {
		if h, err := ParseHeader(b); err == nil && h.Len > len(b) {
			t.Fatalf("header of %d bytes from %d", h.Len, len(b))
		} else if err != nil && (!errors.Is(err, ErrShort) || h.Len <= len(b)) {
			t.Fatalf("%v asking for %d bytes of %d", err, h.Len, len(b))
		}
		var key *[4]byte
		if masked {
			key = &[4]byte{9, 8, 7, 6}
		}
		h, err := ParseHeader(AppendHeader(nil, OpPing, int(n), key))
		if err != nil || h.Size != uint64(n) || h.Opcode != OpPing || !h.Fin || h.Masked != masked {
			t.Fatalf("round trip of %d: %+v %v", n, h, err)
		}
	})
}
