package bench

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/realtime/internal/wsframe"
)

// wsClient is a minimal RFC 6455 client for load generation. It performs
// the upgrade itself and parses frames straight from a buffered reader into
// a reused buffer, so the load generator spends its share of the (shared)
// CPU on sockets rather than on framing. It supports what the benchmark
// needs: masked text frames out; text, continuation, ping, pong and close in.
type wsClient struct {
	conn net.Conn
	br   *bufio.Reader
	wmu  sync.Mutex // writers: the benchmark and pong replies
}

// errClosed reports a close frame from the server.
var errClosed = errors.New("bench: connection closed by server")

// websocketGUID is the RFC 6455 handshake constant.
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// dialWS opens a WebSocket connection to a ws:// URL.
func dialWS(ctx context.Context, rawURL string) (*wsClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "ws" {
		return nil, fmt.Errorf("bench: bad url %q", rawURL)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return nil, fmt.Errorf("bench: dial: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	key := base64.StdEncoding.EncodeToString(nonce[:])
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", u.RequestURI(), u.Host, key)
	if _, err := io.WriteString(conn, req); err != nil {
		conn.Close()
		return nil, fmt.Errorf("bench: handshake: %w", err)
	}
	br := bufio.NewReaderSize(conn, 4096)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("bench: handshake response: %w", err)
	}
	resp.Body.Close()
	sum := sha1.Sum([]byte(key + websocketGUID))
	if resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		conn.Close()
		return nil, fmt.Errorf("bench: upgrade refused: %s", resp.Status)
	}
	_ = conn.SetDeadline(time.Time{})
	return &wsClient{conn: conn, br: br}, nil
}

// writeFrame sends one masked frame.
func (c *wsClient) writeFrame(opcode byte, payload []byte) error {
	frame := maskedFrame(opcode, payload)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.conn.Write(frame)
	return err
}

// maskedFrame returns payload as one final, masked client frame.
func maskedFrame(opcode byte, payload []byte) []byte {
	var key [4]byte
	_, _ = rand.Read(key[:])
	frame := wsframe.AppendHeader(make([]byte, 0, wsframe.MaxHeader+len(payload)), opcode, len(payload), &key)
	start := len(frame)
	frame = append(frame, payload...)
	wsframe.Mask(frame[start:], key)
	return frame
}

// writeText sends one text message.
func (c *wsClient) writeText(p []byte) error { return c.writeFrame(wsframe.OpText, p) }

// readText returns the next text message, appended to buf[:0]. Pings are
// answered; a close frame ends the connection with errClosed.
func (c *wsClient) readText(buf []byte) ([]byte, error) {
	buf = buf[:0]
	for {
		h, err := c.readHeader()
		if err != nil {
			return buf, err
		}
		start := len(buf)
		buf = append(buf, make([]byte, h.Size)...)
		if _, err := io.ReadFull(c.br, buf[start:]); err != nil {
			return buf, err
		}
		switch h.Opcode {
		case wsframe.OpContinuation, wsframe.OpText:
			if h.Fin {
				return buf, nil
			}
		case wsframe.OpClose:
			return buf[:start], errClosed
		case wsframe.OpPing:
			ping := append([]byte(nil), buf[start:]...)
			buf = buf[:start]
			if err := c.writeFrame(wsframe.OpPong, ping); err != nil {
				return buf, err
			}
		default: // pong, binary: ignore
			buf = buf[:start]
		}
	}
}

// readHeader reads the next frame header, which a server never masks.
func (c *wsClient) readHeader() (wsframe.Header, error) {
	b, err := c.br.Peek(2)
	if err != nil {
		return wsframe.Header{}, err
	}
	h, err := wsframe.ParseHeader(b)
	if errors.Is(err, wsframe.ErrShort) {
		if b, err = c.br.Peek(h.Len); err != nil {
			return wsframe.Header{}, err
		}
		h, err = wsframe.ParseHeader(b)
	}
	if err != nil {
		return wsframe.Header{}, err
	}
	if _, err := c.br.Discard(h.Len); err != nil {
		return wsframe.Header{}, err
	}
	return h, checkServerHeader(h)
}

// checkServerHeader refuses what this client never expects from a server:
// masked frames and frames over 16 MiB.
func checkServerHeader(h wsframe.Header) error {
	if h.Masked {
		return errors.New("bench: server sent a masked frame")
	}
	if h.Size > 16<<20 {
		return fmt.Errorf("bench: frame of %d bytes", h.Size)
	}
	return nil
}

// parseFrame reads one unmasked server frame from the front of b. size is 0
// when b holds no complete frame. Fragmented data frames are refused: the
// server never sends them.
func parseFrame(b []byte) (opcode byte, payload []byte, size int, err error) {
	h, err := wsframe.ParseHeader(b)
	switch {
	case errors.Is(err, wsframe.ErrShort):
		return 0, nil, 0, nil
	case err != nil:
		return 0, nil, 0, err
	}
	if err := checkServerHeader(h); err != nil {
		return 0, nil, 0, err
	}
	if !h.Fin || h.Opcode == wsframe.OpContinuation {
		return 0, nil, 0, errors.New("bench: fragmented frame")
	}
	if uint64(len(b)-h.Len) < h.Size {
		return 0, nil, 0, nil
	}
	end := h.Len + int(h.Size)
	return h.Opcode, b[h.Len:end], end, nil
}

// close drops the TCP connection.
func (c *wsClient) close() error { return c.conn.Close() }
