package llm

import (
	"errors"
	"fmt"
	"time"
)

// ErrorKind classifies a provider failure.
type ErrorKind string

// Error kinds. Retryable and RateLimited are worth retrying; the others are not.
const (
	KindRetryable     ErrorKind = "retryable"
	KindRateLimited   ErrorKind = "rate_limited"
	KindContextLength ErrorKind = "context_length"
	KindAuth          ErrorKind = "auth"
	KindInvalid       ErrorKind = "invalid_request"
	KindFatal         ErrorKind = "fatal"
)

// Error is a classified provider failure.
type Error struct {
	Provider   string
	Kind       ErrorKind
	Status     int           // HTTP status when there was one
	RetryAfter time.Duration // server-advised wait, 0 when none
	Message    string
	Err        error // underlying cause, may be nil
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s", e.Provider, e.Kind)
	if e.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Err != nil && e.Message == "" {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether the call may succeed if repeated.
func (e *Error) Retryable() bool { return e.Kind == KindRetryable || e.Kind == KindRateLimited }

// AsError returns err as a *Error when it is (or wraps) one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsRetryable reports whether err is a provider error worth retrying.
func IsRetryable(err error) bool {
	e, ok := AsError(err)
	return ok && e.Retryable()
}

// ClassifyStatus maps an HTTP status to an error kind: 429 is rate_limited,
// 408, 409 and 5xx (including 529 overloaded) are retryable, 401 and 403 are
// auth, other 4xx are invalid requests.
func ClassifyStatus(status int) ErrorKind {
	switch {
	case status == 429:
		return KindRateLimited
	case status == 408 || status == 409 || status >= 500:
		return KindRetryable
	case status == 401 || status == 403:
		return KindAuth
	case status >= 400:
		return KindInvalid
	}
	return KindFatal
}
