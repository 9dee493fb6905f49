// Package bench is the load generator behind `rkat bench realtime`: it opens
// many WebSocket clients against a realtime server on loopback, measures the
// server's resident memory per idle connection and the fan-out throughput
// and publish-to-deliver latency of one publisher to many subscribers.
package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/rkat-dev/rkat/internal/procstat"
)

// Options configure one benchmark run.
type Options struct {
	// URL is the server's ws:// origin, e.g. ws://127.0.0.1:8787.
	URL string
	// More are the origins of further nodes of the same cluster: the
	// connections are spread round-robin over URL and More, the publisher
	// is on URL.
	More []string
	// Key is a publishable key allowed to subscribe and publish on Channel
	// (presence off, so joins are not broadcast to thousands of peers).
	Key string
	// ServerPID is the server process, whose VmRSS is sampled; 0 skips RSS.
	ServerPID int
	// Conns is the number of idle connections opened first.
	Conns int
	// Subscribers is how many of them subscribe to Channel for the fan-out.
	Subscribers int
	// Channel is the fan-out channel.
	Channel string
	// Rate is publishes per second; Duration how long to publish.
	Rate     int
	Duration time.Duration
	// Payload is the size of each published data string, in bytes.
	Payload int
	// DialConcurrency bounds parallel dials.
	DialConcurrency int
	// Settle is the pause before sampling RSS.
	Settle time.Duration
}

// Result holds the measured figures.
type Result struct {
	Conns            int           `json:"conns"`
	RSSBaseKB        int64         `json:"rss_base_kb"`
	RSSIdleKB        int64         `json:"rss_idle_kb"`
	RSSPerConnKB     float64       `json:"rss_per_conn_kb"`
	Subscribers      int           `json:"subscribers"`
	Published        int           `json:"published"`
	Deliveries       int64         `json:"deliveries"`
	Expected         int64         `json:"expected"`
	Elapsed          time.Duration `json:"elapsed_ns"`
	DeliveriesPerSec float64       `json:"deliveries_per_sec"`
	// P50, P99 and Max are publish-to-deliver latency: from the publish's
	// send time to the moment the kernel queued the message on the
	// subscriber's socket (SO_TIMESTAMPNS).
	P50 time.Duration `json:"p50_ns"`
	P99 time.Duration `json:"p99_ns"`
	Max time.Duration `json:"max_ns"`
	// ReadP50, ReadP99 and ReadMax run to the moment the load generator read
	// the message; they add the generator's own backlog.
	ReadP50           time.Duration `json:"read_p50_ns"`
	ReadP99           time.Duration `json:"read_p99_ns"`
	ReadMax           time.Duration `json:"read_max_ns"`
	DisconnectedEarly int64         `json:"disconnected_early"`
	// CPU time per delivery during the fan-out, in microseconds: the
	// server's (0 without ServerPID) and the load generator's own.
	ServerCPUPerDeliveryUS float64 `json:"server_cpu_per_delivery_us"`
	ClientCPUPerDeliveryUS float64 `json:"client_cpu_per_delivery_us"`
	// Time the threads of the server (0 without ServerPID) and of the load
	// generator spent runnable but waiting for a CPU during the fan-out,
	// summed over threads: what other work on the machine took from them.
	ServerRunQueueWait time.Duration `json:"server_run_queue_wait_ns"`
	ClientRunQueueWait time.Duration `json:"client_run_queue_wait_ns"`
}

// String formats r for humans.
func (r Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "idle connections:     %d\n", r.Conns)
	if r.RSSBaseKB > 0 {
		fmt.Fprintf(&b, "server RSS:           %d KB base, %d KB with connections, %.1f KB per connection\n", r.RSSBaseKB, r.RSSIdleKB, r.RSSPerConnKB)
	}
	fmt.Fprintf(&b, "fan-out:              1 publisher -> %d subscribers, %d publishes\n", r.Subscribers, r.Published)
	fmt.Fprintf(&b, "deliveries:           %d of %d in %s (%.0f deliveries/s)\n", r.Deliveries, r.Expected, r.Elapsed.Round(time.Millisecond), r.DeliveriesPerSec)
	fmt.Fprintf(&b, "publish-to-deliver:   p50 %s  p99 %s  max %s (until the subscriber's socket has it)\n", r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond))
	fmt.Fprintf(&b, "publish-to-read:      p50 %s  p99 %s  max %s (until the load generator read it)\n", r.ReadP50.Round(10*time.Microsecond), r.ReadP99.Round(10*time.Microsecond), r.ReadMax.Round(10*time.Microsecond))
	if r.ServerCPUPerDeliveryUS > 0 {
		fmt.Fprintf(&b, "CPU per delivery:     server %.2f µs, load generator %.2f µs\n", r.ServerCPUPerDeliveryUS, r.ClientCPUPerDeliveryUS)
		fmt.Fprintf(&b, "waiting for a CPU:    server %s, load generator %s (runnable threads, summed)\n", r.ServerRunQueueWait.Round(time.Millisecond), r.ClientRunQueueWait.Round(time.Millisecond))
	}
	if r.DisconnectedEarly > 0 {
		fmt.Fprintf(&b, "disconnected early:   %d subscribers\n", r.DisconnectedEarly)
	}
	return b.String()
}

// Run executes the benchmark; every connection is closed before it returns.
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Subscribers > o.Conns {
		return Result{}, errors.New("bench: subscribers must not exceed conns")
	}
	res := Result{Conns: o.Conns, Subscribers: o.Subscribers}
	var err error
	if o.ServerPID > 0 {
		if res.RSSBaseKB, err = procstat.RSSKB(o.ServerPID); err != nil {
			return res, err
		}
	}
	conns, err := dialAll(ctx, o)
	defer func() {
		for _, c := range conns {
			_ = c.close()
		}
	}()
	if err != nil {
		return res, err
	}
	if o.ServerPID > 0 {
		sleep(ctx, o.Settle)
		if res.RSSIdleKB, err = procstat.RSSKB(o.ServerPID); err != nil {
			return res, err
		}
		res.RSSPerConnKB = float64(res.RSSIdleKB-res.RSSBaseKB) / float64(o.Conns)
	}
	if o.Subscribers == 0 || o.Rate <= 0 {
		return res, nil
	}
	return fanOut(ctx, o, conns, res)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// dialAll opens o.Conns connections and reads each welcome.
func dialAll(ctx context.Context, o Options) ([]*wsClient, error) {
	conns := make([]*wsClient, o.Conns)
	origins := append([]string{o.URL}, o.More...)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(o.DialConcurrency, 1))
	for i := range conns {
		g.Go(func() error {
			dctx, cancel := context.WithTimeout(gctx, 30*time.Second)
			defer cancel()
			c, err := dialWS(dctx, origins[i%len(origins)]+"/v1?key="+url.QueryEscape(o.Key))
			if err != nil {
				return fmt.Errorf("bench: dial %d: %w", i, err)
			}
			if b, err := c.readText(nil); err != nil || !bytes.Contains(b, []byte(`"welcome"`)) {
				_ = c.close()
				return fmt.Errorf("bench: welcome %d: %v %s", i, err, b)
			}
			conns[i] = c
			return nil
		})
	}
	err := g.Wait()
	kept := conns[:0]
	for _, c := range conns {
		if c != nil {
			kept = append(kept, c)
		}
	}
	return kept, err
}

// fanOut subscribes the first o.Subscribers connections, publishes at
// o.Rate for o.Duration from a dedicated publisher connection and measures
// deliveries and latency.
func fanOut(ctx context.Context, o Options, conns []*wsClient, res Result) (Result, error) {
	subs := conns[:o.Subscribers]
	sub := fmt.Appendf(nil, `{"type":"subscribe","channel":%q,"requestId":"s"}`, o.Channel)
	var g errgroup.Group
	g.SetLimit(max(o.DialConcurrency, 1))
	for _, c := range subs {
		g.Go(func() error {
			if err := c.writeText(sub); err != nil {
				return fmt.Errorf("bench: subscribe: %w", err)
			}
			b, err := c.readText(nil)
			if err != nil || !bytes.Contains(b, []byte(`"ack"`)) {
				return fmt.Errorf("bench: subscribe ack: %v %s", err, b)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return res, err
	}
	pubs, err := dialAll(ctx, Options{URL: o.URL, Key: o.Key, Conns: 1, DialConcurrency: 1})
	if err != nil {
		return res, err
	}
	pub := pubs[0]
	defer pub.close()

	serverCPU0, _ := cpuTime(o.ServerPID)
	selfCPU0, _ := cpuTime(os.Getpid())
	serverWait0, _ := runQueueWait(o.ServerPID)
	selfWait0, _ := runQueueWait(os.Getpid())
	total := int(float64(o.Rate) * o.Duration.Seconds())
	res.Published = total
	res.Expected = int64(total) * int64(len(subs))
	start := time.Now()
	stop := make(chan struct{})
	var rx rxStats
	var rxErr error
	rxDone := make(chan struct{})
	go func() {
		defer close(rxDone)
		rx, rxErr = receive(subs, total, start.Add(o.Duration+30*time.Second), stop)
	}()
	// Drain the publisher's acks so its socket never backs up; closing the
	// publisher at the end unblocks it.
	acksDone := make(chan struct{})
	go func() {
		defer close(acksDone)
		var buf []byte
		for acks := 0; acks < total; acks++ {
			b, err := pub.readText(buf)
			if err != nil {
				return
			}
			buf = b
		}
	}()
	pubErr := publish(pub, o, total)
	if pubErr != nil {
		close(stop)
	}
	<-rxDone
	_ = pub.close()
	<-acksDone
	if err := errors.Join(pubErr, rxErr); err != nil {
		return res, err
	}
	res.Deliveries = int64(len(rx.arrival))
	res.DisconnectedEarly = rx.early
	res.Elapsed = rx.last.Sub(start)
	if res.Elapsed > 0 {
		res.DeliveriesPerSec = float64(res.Deliveries) / res.Elapsed.Seconds()
	}
	if n := float64(res.Deliveries); n > 0 {
		if t, err := cpuTime(o.ServerPID); err == nil && o.ServerPID > 0 {
			res.ServerCPUPerDeliveryUS = float64((t - serverCPU0).Microseconds()) / n
		}
		if t, err := cpuTime(os.Getpid()); err == nil {
			res.ClientCPUPerDeliveryUS = float64((t - selfCPU0).Microseconds()) / n
		}
	}
	if w, err := runQueueWait(o.ServerPID); err == nil && o.ServerPID > 0 {
		res.ServerRunQueueWait = w - serverWait0
	}
	if w, err := runQueueWait(os.Getpid()); err == nil {
		res.ClientRunQueueWait = w - selfWait0
	}
	res.P50, res.P99, res.Max = percentiles(rx.arrival)
	res.ReadP50, res.ReadP99, res.ReadMax = percentiles(rx.read)
	return res, nil
}

// publish sends total publishes at o.Rate, each carrying its send time.
func publish(pub *wsClient, o Options, total int) error {
	pad := strings.Repeat("x", max(o.Payload, 0))
	interval := time.Second / time.Duration(o.Rate)
	next := time.Now()
	for i := range total {
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		}
		next = next.Add(interval)
		frame := fmt.Appendf(nil, `{"type":"publish","channel":%q,"requestId":"p%d","data":{"t":%d,"pad":%q}}`, o.Channel, i, time.Now().UnixNano(), pad)
		if err := pub.writeText(frame); err != nil {
			return fmt.Errorf("bench: publish: %w", err)
		}
	}
	return nil
}

// percentiles sorts d and returns its median, 99th percentile and maximum.
func percentiles(d []time.Duration) (p50, p99, maxD time.Duration) {
	slices.Sort(d)
	if n := len(d); n > 0 {
		return d[n/2], d[n*99/100], d[n-1]
	}
	return 0, 0, 0
}

// rxStats are one worker's measurements.
type rxStats struct {
	arrival, read []time.Duration // publish → socket, publish → read
	last          time.Time       // latest read
	early         int64           // sockets that failed before the end
}

// sentAt extracts the publish timestamp from a message frame without a full
// JSON decode (the bench client shares the CPU with the server).
func sentAt(frame []byte) (int64, bool) {
	i := bytes.Index(frame, []byte(`"t":`))
	if i < 0 {
		return 0, false
	}
	rest := frame[i+4:]
	j := bytes.IndexAny(rest, ",}")
	if j < 0 {
		return 0, false
	}
	v, err := strconv.ParseInt(string(rest[:j]), 10, 64)
	return v, err == nil
}

// clockTick is the unit of /proc/PID/stat CPU times (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// cpuTime reads a process's user+system CPU time from /proc.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("bench: read CPU time: %w", err)
	}
	// Fields after the parenthesised command name; utime and stime are the
	// 12th and 13th of them.
	i := bytes.LastIndexByte(b, ')')
	fields := strings.Fields(string(b[i+1:]))
	if i < 0 || len(fields) < 13 {
		return 0, errors.New("bench: short /proc stat")
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("bench: parse /proc stat: %w", err)
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// runQueueWait sums the time a process's threads have spent runnable but
// waiting for a CPU (the second field of /proc/PID/task/TID/schedstat).
// Threads that exited are not counted.
func runQueueWait(pid int) (time.Duration, error) {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return 0, fmt.Errorf("bench: list threads: %w", err)
	}
	var sum time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, t.Name()))
		if err != nil {
			continue // the thread exited
		}
		if f := strings.Fields(string(b)); len(f) >= 2 {
			if ns, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				sum += time.Duration(ns)
			}
		}
	}
	return sum, nil
}
