package serve

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/rkat-dev/rkat/session"
)

// metrics are the collectors of serve itself; the realtime server's come
// from its own registry.
type metrics struct {
	rpcConns prometheus.Gauge
	rpcIn    prometheus.Counter
	rpcOut   prometheus.Counter
}

func newMetrics(reg *prometheus.Registry, svc *session.Service) *metrics {
	m := &metrics{
		rpcConns: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "rkat_serve_rpc_connections", Help: "JSON-RPC WebSocket connections currently open."}),
		rpcIn: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rkat_serve_rpc_messages_in_total", Help: "JSON-RPC messages received."}),
		rpcOut: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rkat_serve_rpc_messages_out_total", Help: "JSON-RPC messages sent."}),
	}
	turns := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "rkat_serve_turns_running", Help: "Agent turns running now."}, func() float64 { return float64(svc.Running()) })
	reg.MustRegister(m.rpcConns, m.rpcIn, m.rpcOut, turns)
	return m
}
