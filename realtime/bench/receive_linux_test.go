//go:build linux

package bench

import (
	"bytes"
	"encoding/binary"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

func TestRxTimestamp(t *testing.T) {
	cmsg := make([]byte, syscall.CmsgSpace(16))
	h := (*syscall.Cmsghdr)(unsafe.Pointer(&cmsg[0]))
	h.Level, h.Type = syscall.SOL_SOCKET, syscall.SCM_TIMESTAMPNS
	h.SetLen(syscall.CmsgLen(16))
	binary.NativeEndian.PutUint64(cmsg[syscall.CmsgLen(0):], 42)
	binary.NativeEndian.PutUint64(cmsg[syscall.CmsgLen(0)+8:], 7)
	other := bytes.Clone(cmsg)
	(*syscall.Cmsghdr)(unsafe.Pointer(&other[0])).Type = syscall.SCM_RIGHTS
	tests := []struct {
		name string
		oob  []byte
		want time.Time
	}{
		{"timestamp", cmsg, time.Unix(42, 7)},
		{"none", nil, time.Time{}},
		{"other message", other, time.Time{}},
		{"truncated", cmsg[:5], time.Time{}},
		{"after another message", append(bytes.Clone(other), cmsg...), time.Unix(42, 7)},
	}
	for _, tt := range tests {
		if got := rxTimestamp(tt.oob); !got.Equal(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
