package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	natsserver "github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// natsInbox bounds the events received but not yet applied; beyond it the
// nats client drops events (logged as a slow consumer).
const natsInbox = 65536

// natsBroker connects a hub to the other nodes through one NATS subject.
// Every node publishes its events to the subject and applies everyone
// else's (NoEcho), so the events of one node reach each other node in the
// order they were sent. One goroutine (loop) owns the subscription's
// channel, the heartbeat ticker and the table of live nodes.
type natsBroker struct {
	hub      *hub
	log      *slog.Logger
	nc       *nats.Conn
	ns       *natsserver.Server // embedded server, or nil
	storeDir string             // the embedded server's temporary JetStream directory, or ""
	subject  string
	node     string
	boot     string
	beat     time.Duration
	ttl      time.Duration

	inbox  chan *nats.Msg
	sub    *nats.Subscription
	closed atomic.Bool
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// nodeSeen is the last sign of life of another node.
type nodeSeen struct {
	boot string
	at   time.Time
}

// newNATSBroker connects to cfg's NATS server (starting the embedded one
// first when asked), installs itself as h's broker and starts receiving.
func newNATSBroker(h *hub, cfg ClusterConfig, log *slog.Logger) (*natsBroker, error) {
	b := &natsBroker{
		hub: h, log: log, subject: cfg.Subject, node: cfg.NodeName, boot: uuid.NewString(),
		beat: time.Duration(cfg.HeartbeatInterval), ttl: time.Duration(cfg.NodeTTL),
		inbox: make(chan *nats.Msg, natsInbox), stop: make(chan struct{}), done: make(chan struct{}),
	}
	opts := []nats.Option{
		nats.Name("rkat-realtime " + cfg.NodeName), nats.NoEcho(), nats.MaxReconnects(-1),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { log.Warn("nats", "err", err) }),
	}
	url := cfg.NATSURL
	history := h.srv.history.keepsAny()
	if history && cfg.Embedded && cfg.Listen != "" && len(cfg.Routes) == 0 {
		return nil, fmt.Errorf("%w: cluster: with channel history, every embedded node routes to the others (a JetStream cluster needs routes on each server): set routes", ErrConfig)
	}
	if cfg.Embedded {
		ns, dir, err := startEmbedded(cfg, history, log)
		if err != nil {
			return nil, err
		}
		b.ns, b.storeDir = ns, dir
		url = ns.ClientURL()
	}
	nc, err := nats.Connect(url, opts...)
	if err == nil {
		b.nc = nc
		b.sub, err = nc.ChanSubscribe(b.subject, b.inbox)
	}
	if err == nil {
		err = nc.Flush() // the subscription is live before anyone hears of us
	}
	if err == nil && history {
		connect := func() (*nats.Conn, error) {
			return nats.Connect(url, append(slices.Clip(opts), nats.Name("rkat-realtime "+cfg.NodeName+" history"))...)
		}
		_, err = newJournal(context.Background(), h, connect, cfg, log) // it installs itself as h.journal
	}
	if err != nil {
		b.shutdownConn()
		return nil, fmt.Errorf("%w: cluster: nats: %w", ErrConfig, err)
	}
	h.broker = b
	go b.loop()
	return b, nil
}

// startEmbedded runs an in-process NATS server that routes to cfg.Routes
// and accepts routes on cfg.Listen, with JetStream when withJS (in
// cfg.StoreDir, or a temporary directory it returns for removal). Its
// client port is a random one on 127.0.0.1, where this node connects (not
// in-process: that connection is a synchronous pipe, and a node once hung
// closing one while its server did not read). Its log goes to log at
// debug level.
func startEmbedded(cfg ClusterConfig, withJS bool, log *slog.Logger) (ns *natsserver.Server, tmpDir string, err error) {
	opts := &natsserver.Options{ServerName: cfg.NodeName, Host: "127.0.0.1", Port: natsserver.RANDOM_PORT, NoSigs: true, NoLog: true}
	if withJS {
		opts.JetStream, opts.StoreDir = true, cfg.StoreDir
		if opts.StoreDir == "" {
			if tmpDir, err = os.MkdirTemp("", "rkat-nats-"); err != nil {
				return nil, "", fmt.Errorf("%w: cluster: %w", ErrConfig, err)
			}
			opts.StoreDir = tmpDir
		}
		defer func() {
			if err != nil && tmpDir != "" {
				_ = os.RemoveAll(tmpDir)
			}
		}()
	}
	if cfg.Listen == "" && len(cfg.Routes) > 0 {
		opts.Cluster = natsserver.ClusterOpts{Name: "rkat", Host: "127.0.0.1", Port: natsserver.RANDOM_PORT}
	}
	if cfg.Listen != "" {
		host, port, err := net.SplitHostPort(cfg.Listen)
		if err != nil {
			return nil, "", fmt.Errorf("%w: cluster.listen: %w", ErrConfig, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, "", fmt.Errorf("%w: cluster.listen: %w", ErrConfig, err)
		}
		opts.Cluster = natsserver.ClusterOpts{Name: "rkat", Host: host, Port: p}
	}
	for _, r := range cfg.Routes {
		u, err := url.Parse(r)
		if err != nil {
			return nil, "", fmt.Errorf("%w: cluster.routes: %w", ErrConfig, err)
		}
		opts.Routes = append(opts.Routes, u)
	}
	ns, err = natsserver.NewServer(opts)
	if err != nil {
		return nil, "", fmt.Errorf("%w: cluster: embedded nats: %w", ErrConfig, err)
	}
	if log.Enabled(context.Background(), slog.LevelDebug) {
		ns.SetLoggerV2(natsLog{log}, false, false, false)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		ns.WaitForShutdown()
		return nil, "", fmt.Errorf("%w: cluster: embedded nats did not start", ErrConfig)
	}
	return ns, tmpDir, nil
}

// natsLog writes an embedded NATS server's log to slog at debug level (its
// warnings and errors are routine while routes form).
type natsLog struct{ log *slog.Logger }

func (l natsLog) Noticef(format string, v ...any) { l.log.Debug("nats: " + fmt.Sprintf(format, v...)) }
func (l natsLog) Warnf(format string, v ...any)   { l.log.Debug("nats: " + fmt.Sprintf(format, v...)) }
func (l natsLog) Errorf(format string, v ...any)  { l.log.Debug("nats: " + fmt.Sprintf(format, v...)) }
func (l natsLog) Fatalf(format string, v ...any)  { l.log.Error("nats: " + fmt.Sprintf(format, v...)) }
func (l natsLog) Debugf(string, ...any)           {}
func (l natsLog) Tracef(string, ...any)           {}

// send publishes ev; it never waits for the network (nats buffers, and
// while reconnecting drops beyond its reconnect buffer).
func (b *natsBroker) send(ev event) {
	if b.closed.Load() {
		return
	}
	ev.Node, ev.Boot = b.node, b.boot
	data, err := json.Marshal(ev)
	if err == nil {
		err = b.nc.Publish(b.subject, data)
	}
	if err != nil {
		b.log.Warn("cluster: event not sent", "kind", ev.Kind, "err", err)
	}
}

// loop applies received events, beats and reaps dead nodes until close.
func (b *natsBroker) loop() {
	defer close(b.done)
	nodes := map[string]nodeSeen{}
	t := time.NewTicker(b.beat)
	defer t.Stop()
	b.send(event{Kind: evHeartbeat})
	for {
		select {
		case <-b.stop:
			return
		case m := <-b.inbox:
			b.handle(m.Data, nodes)
		case now := <-t.C:
			b.send(event{Kind: evHeartbeat})
			for name, seen := range nodes {
				if now.Sub(seen.at) > b.ttl {
					b.log.Warn("cluster: node silent, its peers are gone", "node", name, "silent", now.Sub(seen.at).Round(time.Millisecond))
					delete(nodes, name)
					b.hub.dropNode(name)
				}
			}
		}
	}
}

// handle applies one event from another node. A node not seen before (or
// restarted: a new boot id) is sent this node's state, addressed so that
// it answers with its own.
func (b *natsBroker) handle(data []byte, nodes map[string]nodeSeen) {
	var ev event
	if err := json.Unmarshal(data, &ev); err != nil || ev.Node == "" {
		b.log.Warn("cluster: bad event ignored", "err", err)
		return
	}
	if ev.Node == b.node {
		b.log.Warn("cluster: another node has this node's name; events ignored", "node", b.node)
		return
	}
	seen, known := nodes[ev.Node]
	if known && seen.boot != ev.Boot {
		b.hub.dropNode(ev.Node) // restarted: what it had is gone
		known = false
	}
	if ev.Kind == evBye {
		delete(nodes, ev.Node)
		b.hub.dropNode(ev.Node)
		return
	}
	nodes[ev.Node] = nodeSeen{boot: ev.Boot, at: time.Now()}
	switch {
	case !known:
		b.send(event{Kind: evState, To: ev.Node, Roster: b.hub.roster()})
	case ev.Kind == evState && ev.To == b.node:
		b.send(event{Kind: evState, Roster: b.hub.roster()})
	}
	switch ev.Kind {
	case evHeartbeat:
	case evState:
		b.hub.applyRoster(ev.Node, ev.Roster)
	default:
		b.hub.receive(&ev)
	}
}

// close stops the loop and the connection; graceful tells the other nodes
// first.
func (b *natsBroker) close(graceful bool) {
	b.once.Do(func() {
		if j := b.hub.journal; j != nil {
			j.close(graceful)
		}
		if graceful {
			b.send(event{Kind: evBye})
			_ = b.nc.Flush()
		}
		b.closed.Store(true)
		close(b.stop)
		<-b.done
		b.shutdownConn()
	})
}

func (b *natsBroker) shutdownConn() {
	if b.nc != nil {
		b.nc.Close()
	}
	if b.ns != nil {
		b.ns.Shutdown()
		b.ns.WaitForShutdown()
	}
	if b.storeDir != "" {
		_ = os.RemoveAll(b.storeDir)
	}
}
