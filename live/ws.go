package live

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/llm"
)

// FormatPCM24kMono is the one /live/ws audio format: binary frames and
// assistant audio are PCM16 LE, 24 kHz, mono.
const FormatPCM24kMono = "pcm_24k_mono"

// Socket limits.
const (
	maxFrame      = 2 << 20 // bytes per message
	socketBuffer  = 512     // observations buffered per socket
	writeDeadline = 10 * time.Second
)

// Handler serves GET /live/ws?token=T&channel=C&format=pcm_24k_mono. A bad
// token gets one {"error","reason"} text frame and close 1008; too many
// sockets get HTTP 503. Text frames carry input chunks, binary frames raw
// PCM16 24 kHz mono; observations go out as JSON text frames. A rejected
// chunk gets a command_rejected observation and the socket stays; the
// channel outlives its socket.
func (m *Manager) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /live/ws", m.serveWS)
	return mux
}

func (m *Manager) serveWS(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	if m.sockets >= m.cfg.MaxSockets {
		m.mu.Unlock()
		http.Error(w, "too many live sockets", http.StatusServiceUnavailable)
		return
	}
	m.sockets++
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.sockets--
		m.mu.Unlock()
	}()
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer ws.CloseNow()
	ws.SetReadLimit(maxFrame)
	ctx := r.Context()
	q := r.URL.Query()
	c, err := m.claim(q.Get("channel"), q.Get("token"))
	if err == nil && q.Get("format") != "" && q.Get("format") != FormatPCM24kMono {
		err = errors.New("unsupported format " + q.Get("format"))
	}
	if err != nil {
		b, _ := json.Marshal(map[string]string{"error": "invalid_token", "reason": err.Error()})
		_ = ws.Write(ctx, websocket.MessageText, b)
		_ = ws.Close(websocket.StatusPolicyViolation, "invalid token")
		return
	}
	binaryOK := q.Get("format") == FormatPCM24kMono
	sub := c.Subscribe(socketBuffer)
	defer sub.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make(chan Observation, 16) // the reader's own replies (command_rejected)
	done := make(chan struct{})
	go func() {
		defer close(done)
		writeObservations(ctx, ws, c, sub, out)
		cancel()
	}()
	readFrames(ctx, ws, c, binaryOK, out)
	cancel()
	<-done
}

// writeObservations sends the channel's state, then every observation and
// reply, until the subscription ends (channel closed or socket too slow).
func writeObservations(ctx context.Context, ws *websocket.Conn, c *Channel, sub *Subscription, out <-chan Observation) {
	write := func(o Observation) bool {
		b, err := json.Marshal(o)
		if err != nil {
			return false
		}
		wctx, cancel := context.WithTimeout(ctx, writeDeadline)
		defer cancel()
		return ws.Write(wctx, websocket.MessageText, b) == nil
	}
	st := c.State()
	if !write(Observation{Kind: ObsStatusChanged, Status: &st}) {
		return
	}
	if st.Status == StatusReady && !write(Observation{Kind: ObsReady}) {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case o := <-out:
			if !write(o) {
				return
			}
		case o, ok := <-sub.C():
			if !ok {
				_ = ws.Close(websocket.StatusNormalClosure, "live channel closed or socket too slow")
				return
			}
			if !write(o) {
				return
			}
		}
	}
}

// readFrames feeds the socket's frames to the channel.
func readFrames(ctx context.Context, ws *websocket.Conn, c *Channel, binaryOK bool, out chan<- Observation) {
	for {
		typ, data, err := ws.Read(ctx)
		if err != nil {
			return
		}
		switch typ {
		case websocket.MessageText:
			ch, err := ParseChunk(data)
			if err == nil {
				err = c.Send(ch)
			}
			if err != nil && !replyRejected(ctx, out, err) {
				return
			}
		case websocket.MessageBinary:
			if !binaryOK {
				_ = ws.Close(websocket.StatusUnsupportedData, "binary audio needs format=pcm_24k_mono")
				return
			}
			if err := c.SendAudio(data, llm.RealtimeSampleRate, 1); err != nil && !replyRejected(ctx, out, err) {
				return
			}
		}
	}
}

// replyRejected queues a command_rejected observation for err; false when
// the channel is gone.
func replyRejected(ctx context.Context, out chan<- Observation, err error) bool {
	var re *RejectError
	if !errors.As(err, &re) {
		return false
	}
	select {
	case out <- Observation{Kind: ObsCommandRejected, Code: re.ErrorCode(), Message: err.Error()}:
		return true
	case <-ctx.Done():
		return false
	}
}
