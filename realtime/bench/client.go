package bench

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
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
	hdr  [14]byte   // read-side scratch
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
	n := len(payload)
	frame := make([]byte, 0, 14+n)
	frame = append(frame, 0x80|opcode)
	switch {
	case n < 126:
		frame = append(frame, 0x80|byte(n))
	case n <= 0xFFFF:
		frame = append(frame, 0x80|126, byte(n>>8), byte(n))
	default:
		frame = append(frame, 0x80|127)
		frame = binary.BigEndian.AppendUint64(frame, uint64(n))
	}
	var mask [4]byte
	_, _ = rand.Read(mask[:])
	frame = append(frame, mask[:]...)
	start := len(frame)
	frame = append(frame, payload...)
	for i := range frame[start:] {
		frame[start+i] ^= mask[i&3]
	}
	return frame
}

// writeText sends one text message.
func (c *wsClient) writeText(p []byte) error { return c.writeFrame(0x1, p) }

// readText returns the next text message, appended to buf[:0]. Pings are
// answered; a close frame ends the connection with errClosed.
func (c *wsClient) readText(buf []byte) ([]byte, error) {
	buf = buf[:0]
	for {
		if _, err := io.ReadFull(c.br, c.hdr[:2]); err != nil {
			return buf, err
		}
		fin, opcode := c.hdr[0]&0x80 != 0, c.hdr[0]&0x0F
		if c.hdr[1]&0x80 != 0 {
			return buf, errors.New("bench: server sent a masked frame")
		}
		n := uint64(c.hdr[1] & 0x7F)
		switch n {
		case 126:
			if _, err := io.ReadFull(c.br, c.hdr[2:4]); err != nil {
				return buf, err
			}
			n = uint64(binary.BigEndian.Uint16(c.hdr[2:4]))
		case 127:
			if _, err := io.ReadFull(c.br, c.hdr[2:10]); err != nil {
				return buf, err
			}
			n = binary.BigEndian.Uint64(c.hdr[2:10])
		}
		if n > 16<<20 {
			return buf, fmt.Errorf("bench: frame of %d bytes", n)
		}
		start := len(buf)
		buf = append(buf, make([]byte, n)...)
		if _, err := io.ReadFull(c.br, buf[start:]); err != nil {
			return buf, err
		}
		switch opcode {
		case 0x0, 0x1: // continuation, text
			if fin {
				return buf, nil
			}
		case 0x8:
			return buf[:start], errClosed
		case 0x9:
			ping := append([]byte(nil), buf[start:]...)
			buf = buf[:start]
			if err := c.writeFrame(0xA, ping); err != nil {
				return buf, err
			}
		default: // pong, binary: ignore
			buf = buf[:start]
		}
	}
}

// parseFrame reads one unmasked server frame from the front of b. size is 0
// when b holds no complete frame. Fragmented data frames are refused: the
// server never sends them.
func parseFrame(b []byte) (opcode byte, payload []byte, size int, err error) {
	if len(b) < 2 {
		return 0, nil, 0, nil
	}
	if b[1]&0x80 != 0 {
		return 0, nil, 0, errors.New("bench: server sent a masked frame")
	}
	fin, opcode := b[0]&0x80 != 0, b[0]&0x0F
	if !fin || opcode == 0x0 {
		return 0, nil, 0, errors.New("bench: fragmented frame")
	}
	hdr, n := 2, uint64(b[1]&0x7F)
	switch n {
	case 126:
		if len(b) < 4 {
			return 0, nil, 0, nil
		}
		hdr, n = 4, uint64(binary.BigEndian.Uint16(b[2:4]))
	case 127:
		if len(b) < 10 {
			return 0, nil, 0, nil
		}
		hdr, n = 10, binary.BigEndian.Uint64(b[2:10])
	}
	if n > 16<<20 {
		return 0, nil, 0, fmt.Errorf("bench: frame of %d bytes", n)
	}
	if uint64(len(b)-hdr) < n {
		return 0, nil, 0, nil
	}
	end := hdr + int(n)
	return opcode, b[hdr:end], end, nil
}

// close drops the TCP connection.
func (c *wsClient) close() error { return c.conn.Close() }
