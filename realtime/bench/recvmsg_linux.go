//go:build linux && !386

package bench

import (
	"syscall"
	"unsafe"
)

// recvmsg makes one non-blocking recvmsg into r's buffers and returns the
// byte and control-message lengths.
func (r *reader) recvmsg(fd int) (n, oobn int, err error) {
	r.msg.SetControllen(len(r.oob))
	nn, _, errno := syscall.RawSyscall(syscall.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(&r.msg)), syscall.MSG_DONTWAIT)
	if errno != 0 {
		return 0, 0, errno
	}
	return int(nn), int(r.msg.Controllen), nil
}
