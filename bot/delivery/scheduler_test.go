package delivery_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"briefbot/bot/delivery"
	"briefbot/bot/discord"
)

// runnerFunc adapts a function to delivery.DueRunner.
type runnerFunc func(ctx context.Context, now time.Time) (delivery.DeliveryReport, error)

func (f runnerFunc) RunDue(ctx context.Context, now time.Time) (delivery.DeliveryReport, error) {
	return f(ctx, now)
}

func TestScheduler_TickRecoversPanics(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	m := discord.NewMetrics()
	fixed := time.Date(2025, 3, 9, 7, 0, 0, 0, time.UTC)
	var seen []time.Time
	s := &delivery.Scheduler{
		Runner: runnerFunc(func(_ context.Context, now time.Time) (delivery.DeliveryReport, error) {
			seen = append(seen, now)
			if len(seen) == 1 {
				panic("digest exploded")
			}
			return delivery.DeliveryReport{Delivered: 1}, nil
		}),
		Now:     func() time.Time { return fixed },
		Logger:  slog.New(slog.NewTextHandler(&logs, nil)),
		Metrics: m,
	}
	s.Tick(context.Background()) // panics inside, must not escape
	s.Tick(context.Background())
	if len(seen) != 2 || !seen[1].Equal(fixed) {
		t.Fatalf("runner saw %v, want two ticks at %v", seen, fixed)
	}
	if !strings.Contains(logs.String(), "digest exploded") {
		t.Errorf("the panic was not logged:\n%s", logs.String())
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if want := `briefbot_errors_total{where="scheduler"} 1`; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("metrics lack %s", want)
	}
}

func TestScheduler_RunTicksAtStartAndStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	ticked := make(chan struct{}, 1)
	s := &delivery.Scheduler{Runner: runnerFunc(func(context.Context, time.Time) (delivery.DeliveryReport, error) {
		select {
		case ticked <- struct{}{}:
		default:
		}
		return delivery.DeliveryReport{}, nil
	})}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	<-ticked // the catch-up tick at start
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run=%v", err)
	}
	if err := (&delivery.Scheduler{Runner: s.Runner, Spec: "not a spec"}).Run(context.Background()); err == nil {
		t.Errorf("a bad spec was accepted")
	}
}
