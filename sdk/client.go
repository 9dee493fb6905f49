package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/rkat-dev/rkat/rpc"
	"github.com/rkat-dev/rkat/rpc/wire"
)

// Environment variables naming the binary, checked in this order.
const (
	EnvBinPath        = "RKAT_BIN_PATH"
	EnvMeerkatBinPath = "MEERKAT_BIN_PATH"
	// DefaultBinary is looked up on PATH last.
	DefaultBinary = "rkat-rpc"
)

// closeGrace is how long Close waits for the process to exit after closing
// its stdin before killing it.
const closeGrace = 5 * time.Second

// Options configure Connect. Zero values start rkat-rpc with a fresh
// isolated realm; URL connects to a running `rkat serve` instead.
type Options struct {
	// URL is the /rpc WebSocket endpoint of `rkat serve`
	// (ws://127.0.0.1:8787/rpc). When set, no process is started and the
	// process options below must stay empty.
	URL string
	// Key authenticates over URL: a secret key, or a publishable key or
	// JWT with the "rpc" permission, sent as "Authorization: Bearer".
	Key string
	// BinaryPath is the rkat-rpc binary; empty resolves it from the
	// environment and PATH.
	BinaryPath string
	// RealmID joins a named realm; Isolated asks for a fresh one (the
	// server's default). They are mutually exclusive.
	RealmID        string
	Isolated       bool
	InstanceID     string
	StateRoot      string
	RealmBackend   string // "sqlite" or "memory"
	ContextRoot    string
	UserConfigRoot string
	// Env is added to the inherited environment of the process.
	Env []string
	// Stderr receives the process's stderr; nil discards it.
	Stderr io.Writer
	// Tools are callback tools registered right after the handshake.
	Tools []Tool
	// Require lists capabilities that must be Available, else Connect fails
	// with ErrCapabilityUnavailable.
	Require []string
}

// Client is a connection to one rkat-rpc process or one `rkat serve`. It is
// safe for concurrent use.
type Client struct {
	end    func() // ends the transport: the process, or the WebSocket
	conn   *rpc.Conn
	served chan error
	info   wire.InitializeResult
	caps   Capabilities
	events router

	toolsMu sync.Mutex
	tools   map[string]Tool

	// createMu orders creates against streaming creates: a streaming create
	// holds it exclusively so that events of a session nobody has claimed
	// yet belong to it.
	createMu  sync.RWMutex
	closeOnce sync.Once
}

// ResolveBinary returns the binary Connect would start: explicit, then
// $RKAT_BIN_PATH, then $MEERKAT_BIN_PATH (a value without a path separator
// is looked up on PATH), then rkat-rpc on PATH.
func ResolveBinary(explicit string, getenv func(string) string) (string, error) {
	candidates := []string{explicit, getenv(EnvBinPath), getenv(EnvMeerkatBinPath), DefaultBinary}
	for i, c := range candidates {
		if c == "" {
			continue
		}
		if !strings.ContainsAny(c, `/\`) {
			p, err := exec.LookPath(c)
			if err != nil {
				return "", clientError(ErrBinaryNotFound, err, "%s not found on PATH", c)
			}
			return p, nil
		}
		if st, err := os.Stat(c); err != nil || st.IsDir() {
			return "", clientError(ErrBinaryNotFound, err, "binary %s (candidate %d) is not a file", c, i+1)
		}
		return c, nil
	}
	return "", clientError(ErrBinaryNotFound, nil, "no binary")
}

func (o Options) args() ([]string, error) {
	if o.RealmID != "" && o.Isolated {
		return nil, clientError(ErrInvalidParams, nil, "RealmID and Isolated are mutually exclusive")
	}
	var args []string
	add := func(flag, v string) {
		if v != "" {
			args = append(args, flag, v)
		}
	}
	if o.Isolated {
		args = append(args, "--isolated")
	}
	add("--realm", o.RealmID)
	add("--instance", o.InstanceID)
	add("--state-root", o.StateRoot)
	add("--realm-backend", o.RealmBackend)
	add("--context-root", o.ContextRoot)
	add("--user-config-root", o.UserConfigRoot)
	return args, nil
}

// Connect starts rkat-rpc (or, with Options.URL, dials `rkat serve`),
// checks its contract version and capabilities and registers
// Options.Tools. ctx bounds the handshake only; Close ends the connection.
func Connect(ctx context.Context, opts Options) (*Client, error) {
	var (
		t   rpc.Transport
		end func()
		err error
	)
	if opts.URL != "" {
		t, end, err = dial(ctx, opts)
	} else {
		t, end, err = startProcess(opts)
	}
	if err != nil {
		return nil, err
	}
	c := &Client{end: end, served: make(chan error, 1), tools: map[string]Tool{}}
	c.events.init()
	c.conn = rpc.New(rpc.Config{
		Transport:      t,
		Handler:        c.serveCallback,
		OnNotification: c.events.dispatch,
	})
	go func() { c.served <- c.conn.Serve(context.Background()) }()
	if err := c.handshake(ctx, opts); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// startProcess starts rkat-rpc; end closes its stdin (the server exits on
// EOF), waits up to closeGrace, then kills it.
func startProcess(opts Options) (rpc.Transport, func(), error) {
	bin, err := ResolveBinary(opts.BinaryPath, os.Getenv)
	if err != nil {
		return nil, nil, err
	}
	args, err := opts.args()
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), opts.Env...)
	cmd.Stderr = opts.Stderr
	stream, err := rpc.StartProcess(cmd, 0)
	if err != nil {
		return nil, nil, clientError(ErrBinaryNotFound, err, "starting %s: %v", bin, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	end := func() {
		_ = stream.CloseWrite()
		t := time.NewTimer(closeGrace)
		defer t.Stop()
		select {
		case <-exited:
		case <-t.C:
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	return stream, end, nil
}

// dial connects to the /rpc WebSocket of `rkat serve`; end closes it
// normally.
func dial(ctx context.Context, opts Options) (rpc.Transport, func(), error) {
	if opts.BinaryPath != "" || opts.RealmID != "" || opts.Isolated || opts.InstanceID != "" || opts.StateRoot != "" ||
		opts.RealmBackend != "" || opts.ContextRoot != "" || opts.UserConfigRoot != "" || len(opts.Env) > 0 {
		return nil, nil, clientError(ErrInvalidParams, nil, "URL connects to a running server: the process options (BinaryPath, RealmID, StateRoot, ...) do not apply")
	}
	header := http.Header{}
	if opts.Key != "" {
		header.Set("Authorization", "Bearer "+opts.Key)
	}
	ws, resp, err := websocket.Dial(ctx, opts.URL, &websocket.DialOptions{HTTPHeader: header})
	if err != nil {
		if resp != nil && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) {
			return nil, nil, clientError(ErrUnauthorized, err, "%s refused the key: HTTP %d", opts.URL, resp.StatusCode)
		}
		return nil, nil, clientError(ErrConnectionClosed, err, "dialing %s: %v", opts.URL, err)
	}
	t := rpc.NewWebSocket(context.Background(), ws, 0)
	return t, func() { _ = t.Close() }, nil
}

func (c *Client) handshake(ctx context.Context, opts Options) error {
	if err := c.call(ctx, wire.MethodInitialize, struct{}{}, &c.info); err != nil {
		return err
	}
	want := wire.CurrentVersion()
	got, err := wire.ParseVersion(c.info.ContractVersion)
	if err != nil || !want.CompatibleWith(got) {
		return clientError(ErrVersionMismatch, err, "server contract %q is not compatible with %s", c.info.ContractVersion, wire.ContractVersion)
	}
	var caps wire.CapabilitiesResult
	if err := c.call(ctx, wire.MethodCapabilities, struct{}{}, &caps); err != nil {
		return err
	}
	for _, e := range caps.Capabilities {
		if e.ID == "" || e.Description == "" || e.StatusName() == "" {
			return clientError(ErrInvalidResponse, nil, "malformed capability entry %+v", e)
		}
	}
	c.caps = Capabilities{entries: caps.Capabilities}
	for _, id := range opts.Require {
		if err := c.caps.Require(id); err != nil {
			return err
		}
	}
	if len(opts.Tools) > 0 {
		return c.RegisterTools(ctx, opts.Tools...)
	}
	return nil
}

// Close ends the connection: for a process it closes stdin (the server
// exits on EOF), waits up to five seconds, then kills it; a WebSocket is
// closed normally. It is safe to call more than once.
func (c *Client) Close() error {
	var err error
	c.closeOnce.Do(func() {
		c.end()
		if serr := <-c.served; serr != nil && !errors.Is(serr, os.ErrClosed) {
			err = serr
		}
	})
	return err
}

// ServerInfo returns what the server said at initialize.
func (c *Client) ServerInfo() wire.InitializeResult { return c.info }

// Capabilities returns the capabilities read at connect.
func (c *Client) Capabilities() Capabilities { return c.caps }

// call sends a request and decodes its result into out (when non-nil).
func (c *Client) call(ctx context.Context, method string, params, out any) error {
	raw, err := c.conn.Call(ctx, method, params)
	if err != nil {
		return fromRPC(err)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return clientError(ErrInvalidResponse, err, "%s: %v", method, err)
	}
	return nil
}

// Capabilities is the server's capability list with lookups.
type Capabilities struct{ entries []wire.Capability }

// All returns every entry.
func (c Capabilities) All() []wire.Capability { return c.entries }

// Has reports whether capability id is Available.
func (c Capabilities) Has(id string) bool {
	for _, e := range c.entries {
		if e.ID == id {
			return e.Available()
		}
	}
	return false
}

// Require returns ErrCapabilityUnavailable unless id is Available.
func (c Capabilities) Require(id string) error {
	if c.Has(id) {
		return nil
	}
	return clientError(ErrCapabilityUnavailable, nil, "capability %q is not available", id)
}

// Available lists the ids of the Available capabilities.
func (c Capabilities) Available() []string {
	var out []string
	for _, e := range c.entries {
		if e.Available() {
			out = append(out, e.ID)
		}
	}
	return out
}

// ModelsCatalog returns the server's model catalog.
func (c *Client) ModelsCatalog(ctx context.Context) (wire.ModelsCatalog, error) {
	var out wire.ModelsCatalog
	return out, c.call(ctx, wire.MethodModelsCatalog, struct{}{}, &out)
}

// GetConfig returns the realm's configuration envelope.
func (c *Client) GetConfig(ctx context.Context) (wire.ConfigEnvelope, error) {
	var out wire.ConfigEnvelope
	return out, c.call(ctx, wire.MethodConfigGet, struct{}{}, &out)
}

// SetConfig replaces the configuration. With expectedGeneration non-nil the
// write happens only at that generation (else ErrInvalidParams).
func (c *Client) SetConfig(ctx context.Context, config any, expectedGeneration *uint64) (wire.ConfigEnvelope, error) {
	raw, err := json.Marshal(config)
	if err != nil {
		return wire.ConfigEnvelope{}, fmt.Errorf("sdk: config: %w", err)
	}
	var out wire.ConfigEnvelope
	return out, c.call(ctx, wire.MethodConfigSet, wire.ConfigSetParams{Config: raw, ExpectedGeneration: expectedGeneration}, &out)
}

// PatchConfig applies an RFC 7396 merge patch, optionally at a generation.
func (c *Client) PatchConfig(ctx context.Context, patch any, expectedGeneration *uint64) (wire.ConfigEnvelope, error) {
	raw, err := json.Marshal(patch)
	if err != nil {
		return wire.ConfigEnvelope{}, fmt.Errorf("sdk: patch: %w", err)
	}
	var out wire.ConfigEnvelope
	return out, c.call(ctx, wire.MethodConfigPatch, wire.ConfigPatchParams{Patch: raw, ExpectedGeneration: expectedGeneration}, &out)
}

// HostInfo describes the server process: its features, health and realm.
func (c *Client) HostInfo(ctx context.Context) (wire.HostInfo, error) {
	var out wire.HostInfo
	return out, c.call(ctx, wire.MethodHostInfo, struct{}{}, &out)
}

// HostHealth reports whether the server can serve its realm.
func (c *Client) HostHealth(ctx context.Context) (wire.HostHealth, error) {
	var out wire.HostHealth
	return out, c.call(ctx, wire.MethodHostHealth, struct{}{}, &out)
}
