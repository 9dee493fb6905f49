package live_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/live"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/llmtest"
	"github.com/rkat-dev/rkat/llm/openai"
	"github.com/rkat-dev/rkat/llm/scripted"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store/memory"
)

// timed wraps a realtime provider to timestamp the moments the benchmarks
// measure: an audio append handed to the provider's socket (Send returned)
// and an audio delta handed to the channel (Recv returned).
type timed struct {
	llm.Provider
	rt         llm.RealtimeProvider
	sent, recv chan time.Time
}

func (p *timed) OpenRealtime(ctx context.Context, cfg llm.RealtimeConfig) (llm.RealtimeConn, error) {
	c, err := p.rt.OpenRealtime(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &timedConn{RealtimeConn: c, p: p}, nil
}

type timedConn struct {
	llm.RealtimeConn
	p *timed
}

func (c *timedConn) Send(ctx context.Context, cmd llm.RealtimeCommand) error {
	err := c.RealtimeConn.Send(ctx, cmd)
	if cmd.Type == llm.RTAppendAudio && c.p.sent != nil {
		c.p.sent <- time.Now()
	}
	return err
}

func (c *timedConn) Recv(ctx context.Context) (llm.RealtimeEvent, error) {
	ev, err := c.RealtimeConn.Recv(ctx)
	if ev.Type == llm.RTAudioDelta && c.p.recv != nil {
		c.p.recv <- time.Now()
	}
	return ev, err
}

// oneModel resolves every request to p as a realtime model.
type oneModel struct{ p llm.Provider }

func (r oneModel) Resolve(string, string) (llm.Provider, llm.Model, error) {
	return r.p, llm.Model{ID: "gpt-realtime-2", Provider: r.p.Name(), Profile: llm.Profile{Realtime: true}}, nil
}

func benchManager(b *testing.B, p llm.Provider, cfg live.Config) (*session.Service, *live.Manager) {
	b.Helper()
	svc, err := session.New(context.Background(), session.Config{Store: memory.New(), Resolver: oneModel{p}, Realm: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	cfg.Sessions = func(context.Context) (*session.Service, error) { return svc, nil }
	m, err := live.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { m.Close(); svc.Close() })
	return svc, m
}

func benchChannel(b *testing.B, svc *session.Service, m *live.Manager) live.Opened {
	b.Helper()
	res, err := svc.Create(context.Background(), session.CreateRequest{Prompt: []llm.Block{llm.Text("hi")}})
	if err != nil {
		b.Fatal(err)
	}
	o, err := m.Open(context.Background(), live.OpenRequest{SessionID: res.SessionID, Turning: live.ExplicitCommit})
	if err != nil {
		b.Fatal(err)
	}
	return o
}

func dialChannel(b *testing.B, ctx context.Context, srv *httptest.Server, o live.Opened) *websocket.Conn {
	b.Helper()
	_, query, _ := strings.Cut(o.URL, "?")
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/live/ws?"+query, nil)
	if err != nil {
		b.Fatal(err)
	}
	ws.SetReadLimit(8 << 20)
	for { // until ready
		_, data, err := ws.Read(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if strings.Contains(string(data), `"observation":"ready"`) {
			return ws
		}
	}
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(q(0.5), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), "max-µs")
}

// BenchmarkChunkToProvider: a 20 ms PCM16 24 kHz binary frame written to
// /live/ws until its input_audio_buffer.append has left on the socket to
// the (faked) OpenAI Realtime API.
func BenchmarkChunkToProvider(b *testing.B) {
	fake := llmtest.NewRealtime(b, llmtest.RealtimeConfig{})
	rt := openai.NewRealtime(openai.Config{BaseURL: fake.URL()})
	p := &timed{Provider: rt, rt: rt, sent: make(chan time.Time, 1)}
	svc, m := benchManager(b, p, live.Config{WSURL: "ws://x"})
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws := dialChannel(b, ctx, srv, benchChannel(b, svc, m))
	defer ws.CloseNow()
	go func() { // drain observations
		for {
			if _, _, err := ws.Read(ctx); err != nil {
				return
			}
		}
	}()
	frame := make([]byte, 960)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if err := ws.Write(ctx, websocket.MessageBinary, frame); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, (<-p.sent).Sub(start))
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// BenchmarkProviderAudioToClient: an audio delta returned by the provider
// session until its assistant_audio_chunk frame is read from /live/ws
// (scripted provider, 10 ms of tone per reply character).
func BenchmarkProviderAudioToClient(b *testing.B) {
	sp := scripted.New(scripted.Config{})
	p := &timed{Provider: sp, rt: sp, recv: make(chan time.Time, 64)}
	svc, m := benchManager(b, p, live.Config{WSURL: "ws://x"})
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := benchChannel(b, svc, m)
	ws := dialChannel(b, ctx, srv, o)
	defer ws.CloseNow()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for len(lat) < b.N {
		if err := o.Channel.Send(live.Chunk{Kind: live.ChunkText, Text: "go"}); err != nil {
			b.Fatal(err)
		}
		if err := o.Channel.Commit(false); err != nil {
			b.Fatal(err)
		}
		for {
			_, data, err := ws.Read(ctx)
			if err != nil {
				b.Fatal(err)
			}
			s := string(data)
			if strings.Contains(s, `"observation":"assistant_audio_chunk"`) {
				lat = append(lat, time.Since(<-p.recv))
			}
			if strings.Contains(s, `"observation":"turn_completed"`) {
				break
			}
		}
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// BenchmarkConcurrentChannels holds many channels (scripted provider) for
// 3 s, each fed 20 ms of 24 kHz audio every 20 ms and asked for a reply
// every second (the reply echoes its second of audio back to a
// subscriber). It reports the fraction of real-time audio accepted, the
// rejected chunks, the late ticks (a sender more than 20 ms behind), the
// echoed audio and the CPU used. Run with -benchtime 1x; the channel count
// is LIVE_BENCH_CHANNELS (default 250).
func BenchmarkConcurrentChannels(b *testing.B) {
	n := 250
	if v, ok := lookupInt("LIVE_BENCH_CHANNELS"); ok {
		n = v
	}
	const run = 3 * time.Second
	svc, m := benchManager(b, scripted.New(scripted.Config{}), live.Config{MaxChannels: n})
	chans := make([]live.Opened, n)
	for i := range chans {
		chans[i] = benchChannel(b, svc, m)
	}
	var before, after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	var sent, rejected, echoed, late atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	deadline := time.Now().Add(run)
	for _, o := range chans {
		sub := o.Channel.Subscribe(4096)
		wg.Add(2)
		go func() {
			defer wg.Done()
			for obs := range sub.C() {
				echoed.Add(int64(len(obs.Audio)))
			}
		}()
		go func() {
			defer wg.Done()
			defer sub.Close()
			frame := make([]byte, 960)
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			next := time.Now()
			for i := 1; time.Now().Before(deadline); i++ {
				t := <-tick.C
				if t.Sub(next) > 40*time.Millisecond {
					late.Add(1)
				}
				next = t.Add(20 * time.Millisecond)
				if err := o.Channel.SendAudio(frame, 24000, 1); err != nil {
					rejected.Add(1)
					continue
				}
				sent.Add(int64(len(frame)))
				if i%50 == 0 {
					_ = o.Channel.Commit(false)
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
	b.ReportMetric(float64(n), "channels")
	b.ReportMetric(float64(sent.Load())/float64(n*48000*int(run/time.Second)), "realtime-fraction")
	b.ReportMetric(float64(rejected.Load()), "rejected-chunks")
	b.ReportMetric(float64(late.Load()), "late-ticks")
	b.ReportMetric(float64(echoed.Load())/(1<<20), "echoed-MiB")
	b.ReportMetric(100*cpu.Seconds()/run.Seconds(), "cpu-%")
}

func lookupInt(name string) (int, bool) {
	var v int
	s, ok := syscall.Getenv(name)
	if !ok {
		return 0, false
	}
	_, err := fmt.Sscan(s, &v)
	return v, err == nil && v > 0
}
