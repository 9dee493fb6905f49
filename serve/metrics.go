package serve

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/rkat-dev/rkat/session"
)

// metrics are the collectors of serve itself; the realtime server's come
// from its own registry.
type metrics struct {
	rpcIn  prometheus.Counter
	rpcOut prometheus.Counter
}

// newMetrics registers serve's collectors; rpcConns reports the RPC
// connections open (the count that enforces max_rpc_connections).
func newMetrics(reg *prometheus.Registry, svc *session.Service, rpcConns func() int) *metrics {
	m := &metrics{
		rpcIn: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rkat_serve_rpc_messages_in_total", Help: "JSON-RPC messages received."}),
		rpcOut: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rkat_serve_rpc_messages_out_total", Help: "JSON-RPC messages sent."}),
	}
	conns := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "rkat_serve_rpc_connections", Help: "JSON-RPC WebSocket connections currently open."}, func() float64 { return float64(rpcConns()) })
	turns := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "rkat_serve_turns_running", Help: "Agent turns running now."}, func() float64 { return float64(svc.Running()) })
	reg.MustRegister(conns, m.rpcIn, m.rpcOut, turns)
	return m
}
