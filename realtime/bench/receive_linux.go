//go:build linux

package bench

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/rkat-dev/rkat/realtime/internal/wsframe"
)

// The subscribers are read by a few receive workers (one per GOMAXPROCS),
// each polling its share of the sockets with its own epoll instance and one
// non-blocking recvmsg per ready socket, instead of 5,000 goroutines parked
// in the runtime poller: the load generator shares the machine's cores with
// the server, so every microsecond it spends per delivery is taken from the
// server. For the same reason no thread of the generator sleeps in a wait
// that a delivery would end: the sockets are detached from the Go runtime's
// poller, and a worker polls without blocking, then sleeps pollInterval when
// it found less than a full batch. Otherwise, at rates the generator keeps up
// with, nearly every server write would wake a generator thread, which costs
// the writer an inter-processor interrupt and a context switch (several µs
// on this VM) that 5,000 subscribers on other machines would not cost.
//
// Each socket has SO_TIMESTAMPNS on, so a delivery is timed at the moment the
// kernel queued it on the subscriber's socket (the latest of the segments one
// read returns), independent of polling and of the generator's own backlog;
// the time the generator read it is reported beside it.

// pollInterval is how long a receive worker sleeps after a poll that found
// less than a full batch of ready sockets.
const pollInterval = time.Millisecond

// rxConn is one subscriber socket in a receive worker.
type rxConn struct {
	fd      int
	partial []byte // bytes of an incomplete frame
	got     int    // messages received
	want    int    // messages expected
	done    bool   // no longer polled
}

// receive reads total messages from every subscriber until all have
// arrived, deadline passes or stop is closed, and returns the merged
// measurements.
func receive(subs []*wsClient, total int, deadline time.Time, stop <-chan struct{}) (rxStats, error) {
	workers := min(runtime.GOMAXPROCS(0), max(len(subs), 1))
	parts := make([][]*rxConn, workers)
	defer func() {
		for _, part := range parts {
			for _, rc := range part {
				_ = syscall.Close(rc.fd)
			}
		}
	}()
	for i, c := range subs {
		fd, buffered, err := c.detach()
		if err != nil {
			return rxStats{}, err
		}
		rc := &rxConn{fd: fd, want: total, partial: buffered}
		parts[i%workers] = append(parts[i%workers], rc)
		if err := syscall.SetsockoptInt(rc.fd, syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1); err != nil {
			return rxStats{}, fmt.Errorf("bench: SO_TIMESTAMPNS: %w", err)
		}
	}
	stats := make([]rxStats, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range parts {
		wg.Go(func() { stats[w], errs[w] = receiveWorker(parts[w], total, deadline, stop) })
	}
	wg.Wait()
	var out rxStats
	for _, s := range stats {
		out.arrival = append(out.arrival, s.arrival...)
		out.read = append(out.read, s.read...)
		out.early += s.early
		if s.last.After(out.last) {
			out.last = s.last
		}
	}
	return out, errors.Join(errs...)
}

// receiveWorker polls conns with one epoll instance.
func receiveWorker(conns []*rxConn, total int, deadline time.Time, stop <-chan struct{}) (rxStats, error) {
	st := rxStats{arrival: make([]time.Duration, 0, len(conns)*total), read: make([]time.Duration, 0, len(conns)*total)}
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return st, fmt.Errorf("bench: epoll: %w", err)
	}
	defer syscall.Close(ep)
	open := 0
	for i, rc := range conns {
		if err := syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, rc.fd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(i)}); err != nil {
			return st, fmt.Errorf("bench: epoll add: %w", err)
		}
		open++
		// Frames buffered before polling started.
		if b := rc.partial; len(b) > 0 {
			rc.partial = nil
			now := time.Now()
			if !rc.consume(b, now, now, &st) {
				rc.finish(ep, &st)
				open--
			}
		}
	}
	events := make([]syscall.EpollEvent, 256)
	rd := newReader(64 << 10)
	for open > 0 && time.Now().Before(deadline) && !closed(stop) {
		n, err := epollPoll(ep, events)
		if err != nil {
			return st, fmt.Errorf("bench: epoll wait: %w", err)
		}
		for _, ev := range events[:n] {
			rc := conns[ev.Fd]
			if rc.done {
				continue
			}
			b, arrived, rerr := rd.recv(rc.fd)
			now := time.Now()
			if errors.Is(rerr, syscall.EAGAIN) || errors.Is(rerr, syscall.EINTR) {
				continue
			}
			if arrived.IsZero() {
				arrived = now
			}
			if len(rc.partial) > 0 {
				b = append(rc.partial, b...)
				rc.partial = nil
			}
			if rerr != nil || len(b) == 0 || !rc.consume(b, arrived, now, &st) {
				rc.finish(ep, &st)
				open--
			}
		}
		if n < len(events) {
			time.Sleep(pollInterval)
		}
	}
	for _, rc := range conns {
		if !rc.done {
			rc.finish(ep, &st)
		}
	}
	return st, nil
}

// consume parses the frames in b, records each message's latencies and
// keeps an incomplete tail. It returns false when the socket is finished:
// every message received, closed or broken.
func (rc *rxConn) consume(b []byte, arrived, now time.Time, st *rxStats) bool {
	for {
		opcode, payload, size, err := parseFrame(b)
		if err != nil {
			return false
		}
		if size == 0 {
			if len(b) > 0 {
				rc.partial = append(rc.partial[:0], b...)
			}
			return true
		}
		b = b[size:]
		switch opcode {
		case wsframe.OpText:
			sent, ok := sentAt(payload)
			if !ok {
				continue
			}
			st.arrival = append(st.arrival, arrived.Sub(time.Unix(0, sent)))
			st.read = append(st.read, now.Sub(time.Unix(0, sent)))
			st.last = now
			rc.got++
			if rc.got >= rc.want {
				return false
			}
		case wsframe.OpClose:
			return false
		case wsframe.OpPing:
			if _, err := syscall.Write(rc.fd, maskedFrame(wsframe.OpPong, payload)); err != nil {
				return false
			}
		}
	}
}

// finish stops polling the socket, counting it as ended early unless every
// message arrived.
func (rc *rxConn) finish(ep int, st *rxStats) {
	if rc.got < rc.want {
		st.early++
	}
	rc.done = true
	_ = syscall.EpollCtl(ep, syscall.EPOLL_CTL_DEL, rc.fd, nil)
}

// reader makes non-blocking recvmsg calls into one buffer, with room for the
// SCM_TIMESTAMPNS control message. Its calls never block, so (except on 386)
// they are made as raw system calls: the Go runtime is not told, and does not
// hand the worker's P to another thread meanwhile.
type reader struct {
	buf []byte
	oob []byte
	iov syscall.Iovec
	msg syscall.Msghdr
}

func newReader(size int) *reader {
	r := &reader{buf: make([]byte, size), oob: make([]byte, syscall.CmsgSpace(16))}
	r.iov.Base = &r.buf[0]
	r.iov.SetLen(size)
	r.msg.Iov = &r.iov
	r.msg.Iovlen = 1
	r.msg.Control = &r.oob[0]
	return r
}

// recv reads what fd has queued without waiting. It returns the bytes
// (valid until the next call) and the kernel's arrival time of the latest
// segment among them (zero when the kernel gave none); a closed socket
// returns no bytes and no error.
func (r *reader) recv(fd int) ([]byte, time.Time, error) {
	n, oobn, err := r.recvmsg(fd)
	if err != nil {
		return nil, time.Time{}, err
	}
	return r.buf[:n], rxTimestamp(r.oob[:oobn]), nil
}

// epollPoll returns the ready events of ep without waiting (a raw system
// call, like reader.recv).
func epollPoll(ep int, events []syscall.EpollEvent) (int, error) {
	for {
		n, _, errno := syscall.RawSyscall6(syscall.SYS_EPOLL_PWAIT, uintptr(ep), uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
		switch errno {
		case 0:
			return int(n), nil
		case syscall.EINTR:
			continue
		default:
			return 0, errno
		}
	}
}

// rxTimestamp returns the SCM_TIMESTAMPNS time in a recvmsg control
// buffer, or the zero time when there is none. It allocates nothing.
func rxTimestamp(oob []byte) time.Time {
	hdr := syscall.CmsgLen(0)
	for len(oob) >= hdr {
		h := (*syscall.Cmsghdr)(unsafe.Pointer(&oob[0]))
		size := int(h.Len)
		if size < hdr || size > len(oob) {
			return time.Time{}
		}
		if h.Level == syscall.SOL_SOCKET && h.Type == syscall.SCM_TIMESTAMPNS && size >= hdr+16 {
			sec := int64(binary.NativeEndian.Uint64(oob[hdr:]))
			nsec := int64(binary.NativeEndian.Uint64(oob[hdr+8:]))
			return time.Unix(sec, nsec)
		}
		oob = oob[min(syscall.CmsgSpace(size-hdr), len(oob)):]
	}
	return time.Time{}
}

// closed reports whether ch is closed.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// detach hands the socket over as a descriptor of its own (the caller
// closes it), with the bytes the client had already buffered, and closes the
// client. The socket leaves the Go runtime's poller, so data arriving on it
// wakes only whoever polls the descriptor.
func (c *wsClient) detach() (int, []byte, error) {
	sc, ok := c.conn.(syscall.Conn)
	if !ok {
		return -1, nil, fmt.Errorf("bench: %T has no socket descriptor", c.conn)
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return -1, nil, fmt.Errorf("bench: socket descriptor: %w", err)
	}
	fd, dupErr := -1, error(nil)
	if err := raw.Control(func(s uintptr) { fd, dupErr = syscall.Dup(int(s)) }); err != nil || dupErr != nil {
		return -1, nil, fmt.Errorf("bench: detach socket: %w", errors.Join(err, dupErr))
	}
	buffered, _ := c.br.Peek(c.br.Buffered()) // never more than Buffered: no error
	buffered = bytes.Clone(buffered)
	_ = c.conn.Close()
	return fd, buffered, nil
}
