package realtime

import "github.com/prometheus/client_golang/prometheus"

// metrics are the server's Prometheus collectors, registered on the
// server's own registry.
type metrics struct {
	connections     prometheus.Gauge
	subscriptions   prometheus.Gauge
	messagesIn      *prometheus.CounterVec
	messagesOut     prometheus.CounterFunc
	drops           *prometheus.CounterVec
	closes          *prometheus.CounterVec
	errors          *prometheus.CounterVec
	rejectedUpgrade *prometheus.CounterVec
}

// newMetrics registers the collectors; framesOut reads the count of frames
// written to clients (kept in an atomic on the hot path).
func newMetrics(reg *prometheus.Registry, framesOut func() float64) *metrics {
	m := &metrics{
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "rkat_realtime_connections", Help: "Welcomed WebSocket connections currently open."}),
		subscriptions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "rkat_realtime_subscriptions", Help: "Channel subscriptions currently held."}),
		messagesIn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rkat_realtime_messages_in_total", Help: "Client frames received, by type (invalid for unparsable)."}, []string{"type"}),
		messagesOut: prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "rkat_realtime_messages_out_total", Help: "Frames written to clients."}, framesOut),
		drops: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rkat_realtime_drops_total", Help: "Dropped deliveries or connections, by reason."}, []string{"reason"}),
		closes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rkat_realtime_closes_total", Help: "Connection closes, by WebSocket close code."}, []string{"code"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rkat_realtime_errors_total", Help: "Error frames sent, by code."}, []string{"code"}),
		rejectedUpgrade: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rkat_realtime_rejected_upgrades_total", Help: "Upgrade requests refused with an HTTP status, by status."}, []string{"status"}),
	}
	reg.MustRegister(m.connections, m.subscriptions, m.messagesIn, m.messagesOut, m.drops, m.closes, m.errors, m.rejectedUpgrade)
	return m
}
