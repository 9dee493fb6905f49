package signalling

import (
	"math"
	"time"
)

// Reconnect defaults (spec §4.2, mirroring the JS and Python SDKs).
const (
	DefaultInitialDelay = 500 * time.Millisecond
	DefaultMultiplier   = 2.0
	DefaultMaxDelay     = 30 * time.Second
	DefaultJitterRatio  = 0.2
	DefaultMaxAttempts  = 100
	// OverConcurrentFloor is the minimum delay before jitter after a 4010 close.
	OverConcurrentFloor = 30 * time.Second
)

// ReconnectOptions shapes the reconnect schedule: attempt n waits
// min(InitialDelay * Multiplier^(n-1), MaxDelay), then ± JitterRatio uniform
// jitter; at most MaxAttempts consecutive attempts (reset on each welcome).
type ReconnectOptions struct {
	InitialDelay time.Duration
	Multiplier   float64
	MaxDelay     time.Duration
	JitterRatio  float64
	MaxAttempts  int
}

// DefaultReconnectOptions returns the SDK defaults: 0.5 s ×2 up to 30 s,
// ±20 %, 100 attempts.
func DefaultReconnectOptions() ReconnectOptions {
	return ReconnectOptions{
		InitialDelay: DefaultInitialDelay,
		Multiplier:   DefaultMultiplier,
		MaxDelay:     DefaultMaxDelay,
		JitterRatio:  DefaultJitterRatio,
		MaxAttempts:  DefaultMaxAttempts,
	}
}

// normalized replaces out-of-range fields by their defaults. A zero
// JitterRatio stays zero (no jitter).
func (o ReconnectOptions) normalized() ReconnectOptions {
	d := DefaultReconnectOptions()
	if o.InitialDelay <= 0 {
		o.InitialDelay = d.InitialDelay
	}
	if o.Multiplier < 1 || math.IsNaN(o.Multiplier) || math.IsInf(o.Multiplier, 0) {
		o.Multiplier = d.Multiplier
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = d.MaxDelay
	}
	if o.JitterRatio < 0 || o.JitterRatio > 1 || math.IsNaN(o.JitterRatio) {
		o.JitterRatio = d.JitterRatio
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = d.MaxAttempts
	}
	return o
}

// Delay returns the wait before attempt (1-based), raised to at least floor
// before jitter. u is a uniform random number in [0, 1) choosing the jitter.
func (o ReconnectOptions) Delay(attempt int, floor time.Duration, u float64) time.Duration {
	o = o.normalized()
	exp := math.Max(0, float64(attempt-1))
	base := math.Min(float64(o.InitialDelay)*math.Pow(o.Multiplier, exp), float64(o.MaxDelay))
	base = math.Max(base, float64(floor))
	d := base + base*o.JitterRatio*(2*u-1)
	return time.Duration(math.Max(0, d))
}
