package bench

import "syscall"

// recvmsg makes one non-blocking recvmsg into r's buffers and returns the
// byte and control-message lengths. 386 has no recvmsg system call of its
// own (it goes through socketcall), so this takes the syscall package's way.
func (r *reader) recvmsg(fd int) (n, oobn int, err error) {
	n, oobn, _, _, err = syscall.Recvmsg(fd, r.buf, r.oob, syscall.MSG_DONTWAIT)
	return n, oobn, err
}
