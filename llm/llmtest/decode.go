package llmtest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/llm"
)

// FixtureBody returns the body of a fixture (what follows its headers).
func FixtureBody(name string) ([]byte, error) {
	raw, err := Fixture(name)
	if err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Decode is how a fuzz target or benchmark turns a raw response body into
// the adapter's stream, without HTTP.
type Decode func(body io.ReadCloser) llm.Stream

// FuzzDecoder fuzzes a stream decoder with every fixture body of api as a
// seed: whatever the input, the decoder must not panic, must end, and must
// keep the llm.Stream invariants (see Drain).
func FuzzDecoder(f *testing.F, api string, decode Decode) {
	for _, body := range fixtureBodies(f, api) {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		st := decode(io.NopCloser(bytes.NewReader(body)))
		defer st.Close()
		if _, err := Drain(st); errors.Is(err, ErrInvariant) {
			t.Fatal(err)
		}
	})
}

// BenchDecoder measures decoding cost per streamed text delta: it decodes a
// body of head, n copies of delta, then tail, and reports ns/delta and
// allocs/delta besides the usual per-stream figures.
func BenchDecoder(b *testing.B, decode Decode, head, delta, tail string, n int) {
	var buf bytes.Buffer
	buf.WriteString(head)
	for range n {
		buf.WriteString(delta)
	}
	buf.WriteString(tail)
	body := buf.Bytes()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for range b.N {
		st := decode(io.NopCloser(bytes.NewReader(body)))
		r, err := Drain(st)
		if err != nil || len(r.Text) == 0 {
			b.Fatalf("decode: %v", err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	events := float64(b.N) * float64(n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/events, "ns/delta")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/events, "allocs/delta")
}

// FuzzFastPath checks an adapter's allocation-free fast path against its
// encoding/json decoder: whenever fast accepts an event payload, full must
// accept it too and produce the same events. Seeds are the data payloads
// of every fixture of api plus extra.
func FuzzFastPath(f *testing.F, api string, fast func(data []byte) ([]llm.Event, bool), full func(data []byte) ([]llm.Event, error), extra ...string) {
	for _, body := range fixtureBodies(f, api) {
		for _, line := range bytes.Split(body, []byte("\n")) {
			if data, ok := bytes.CutPrefix(bytes.TrimSpace(line), []byte("data:")); ok {
				f.Add(bytes.TrimSpace(data))
			}
		}
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := fast(data)
		if !ok {
			return
		}
		want, err := full(data)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("fast path %+v, full decoder %+v, %v", got, want, err)
		}
	})
}

// fixtureBodies returns the bodies of every fixture of api.
func fixtureBodies(f *testing.F, api string) [][]byte {
	entries, err := fixtures.ReadDir("testdata/" + api)
	if err != nil {
		f.Fatal(err)
	}
	var out [][]byte
	for _, e := range entries {
		body, err := FixtureBody(api + "/" + strings.TrimSuffix(e.Name(), ".http"))
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, body)
	}
	return out
}
