package discord

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Outcomes of an interaction, the values of the "outcome" label of
// briefbot_interactions_total.
const (
	// OutcomeAnswered: the router's response was sent as the first reply.
	OutcomeAnswered = "answered"
	// OutcomeDeferred: a deferral was sent first and the response completed
	// it by an edit.
	OutcomeDeferred = "deferred"
	// OutcomePanic: the handler panicked and the user got an apology.
	OutcomePanic = "panic"
	// OutcomeFailed: the reply could not be delivered to Discord.
	OutcomeFailed = "failed"
	// OutcomeRejected: the bot was shutting down and said so.
	OutcomeRejected = "rejected"
	// OutcomeReplayed: the interaction had been handled before; the
	// handler did not run again.
	OutcomeReplayed = "replayed"
	// OutcomeShed: the work was dropped to answer in time: autocomplete
	// with no list after AutocompleteBudget got an empty one.
	OutcomeShed = "shed"
)

// Metrics are briefbot's Prometheus metrics, kept in their own registry so
// that tests and several servers in one process never collide.
type Metrics struct {
	// Registry holds every collector below plus the Go and process
	// collectors.
	Registry *prometheus.Registry
	// Interactions counts interactions by kind (command, autocomplete,
	// component, modal, ping), command name and outcome.
	Interactions *prometheus.CounterVec
	// Latency observes the time from receiving an interaction to having its
	// final response delivered, by kind and command.
	Latency *prometheus.HistogramVec
	// Deliveries counts digest deliveries by outcome ("delivered",
	// "failed").
	Deliveries *prometheus.CounterVec
	// Errors counts internal errors by where they happened ("respond",
	// "edit", "panic", "register", "gateway", "webhook", "healthz").
	Errors *prometheus.CounterVec
	// BadSignatures counts interaction requests refused for a missing,
	// invalid or stale signature (their log lines are sampled).
	BadSignatures prometheus.Counter
}

// NewMetrics returns Metrics registered in a fresh registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Interactions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_interactions_total",
			Help: "Interactions handled, by kind, command and outcome.",
		}, []string{"kind", "command", "outcome"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "briefbot_interaction_duration_seconds",
			Help: "Time from receiving an interaction to delivering its final response, by kind and command.",
			// Discord wants the first reply within 3 s; the buckets resolve
			// that range finely and keep a few for deferred work.
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5, 10, 30, 60},
		}, []string{"kind", "command"}),
		Deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_deliveries_total",
			Help: "Digest deliveries, by outcome.",
		}, []string{"outcome"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_errors_total",
			Help: "Internal errors, by where they happened.",
		}, []string{"where"}),
		BadSignatures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "briefbot_bad_signatures_total",
			Help: "Interaction requests refused for a missing, invalid or stale signature.",
		}),
	}
	// Known series start at zero, so dashboards and alerts see them before
	// the first event.
	for _, o := range []string{"delivered", "failed"} {
		m.Deliveries.WithLabelValues(o)
	}
	for _, w := range []string{"respond", "edit", "panic", "register", "gateway", "webhook", "healthz"} {
		m.Errors.WithLabelValues(w)
	}
	m.Registry.MustRegister(m.Interactions, m.Latency, m.Deliveries, m.Errors, m.BadSignatures,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// WatchAnswerCache exposes the router's answer cache as
// briefbot_answer_cache_total{result="hit"} and {result="miss"}, read
// from counts (commands.Router.AnswerCacheCounts) at each scrape. A nil
// Metrics watches nothing.
func (m *Metrics) WatchAnswerCache(counts func() (hits, misses uint64)) {
	if m == nil || counts == nil {
		return
	}
	for _, result := range []string{"hit", "miss"} {
		hit := result == "hit"
		m.Registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "briefbot_answer_cache_total",
			Help:        "Read-only commands and autocomplete lists answered from the answer cache (hit) or made anew (miss).",
			ConstLabels: prometheus.Labels{"result": result},
		}, func() float64 {
			h, mi := counts()
			if hit {
				return float64(h)
			}
			return float64(mi)
		}))
	}
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// observe records one finished interaction. A nil Metrics records nothing,
// so every runtime works without metrics.
func (m *Metrics) observe(kind, command, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.Interactions.WithLabelValues(kind, command, outcome).Inc()
	m.Latency.WithLabelValues(kind, command).Observe(took.Seconds())
}

// Fail counts one internal error where it happened (a runtime, "webhook",
// "scheduler"); a nil Metrics counts nothing.
func (m *Metrics) Fail(where string) {
	if m == nil {
		return
	}
	m.Errors.WithLabelValues(where).Inc()
}

// badSignature counts one request refused for its signature; a nil Metrics
// counts nothing.
func (m *Metrics) badSignature() {
	if m == nil {
		return
	}
	m.BadSignatures.Inc()
}
