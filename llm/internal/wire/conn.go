package wire

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/rkat-dev/rkat/llm"
)

// Conn is how an adapter reaches its API: the API root, the headers sent
// with every request (credentials, versions) and the HTTP client.
type Conn struct {
	Provider string // provider id used in errors
	Base     string // API root without trailing slash
	Header   http.Header
	Client   *http.Client
}

// ResponseHeaderTimeout bounds the wait for response headers with the
// default client (streaming APIs send them before generating); the call's
// context bounds everything else.
const ResponseHeaderTimeout = 2 * time.Minute

// NewConn returns a Conn for base (def when empty) and client (nil means a
// client of its own with ResponseHeaderTimeout and no overall timeout).
func NewConn(provider, base, def string, client *http.Client, header http.Header) Conn {
	base = strings.TrimRight(base, "/")
	if base == "" {
		base = def
	}
	if client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.ResponseHeaderTimeout = ResponseHeaderTimeout
		client = &http.Client{Transport: tr}
	}
	return Conn{Provider: provider, Base: base, Header: header, Client: client}
}

// Stream posts body to Base+path and returns the response as a stream
// decoded by dec.
func (c Conn) Stream(ctx context.Context, path string, body []byte, dec Decoder) (llm.Stream, error) {
	resp, err := post(ctx, c.Client, c.Provider, c.Base+path, c.Header, body)
	if err != nil {
		return nil, err
	}
	return NewStream(ctx, c.Provider, resp.Body, dec), nil
}
