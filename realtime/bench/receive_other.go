//go:build !linux

package bench

import (
	"errors"
	"time"
)

// receive needs epoll and SO_TIMESTAMPNS; see receive_linux.go.
func receive([]*wsClient, int, time.Time, <-chan struct{}) (rxStats, error) {
	return rxStats{}, errors.New("bench: the fan-out receiver needs Linux (epoll, SO_TIMESTAMPNS)")
}
