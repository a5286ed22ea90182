package delivery

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/robfig/cron/v3"

	"briefbot/bot/discord"
)

// DueRunner does the scheduled work for an instant; *Deliverer is one.
type DueRunner interface {
	RunDue(ctx context.Context, now time.Time) (DeliveryReport, error)
}

// DefaultScheduleSpec runs the scheduler at the start of every minute.
const DefaultScheduleSpec = "* * * * *"

// Scheduler triggers deliveries with robfig/cron. Cron is only the trigger:
// what is due, daylight-saving changes and catch-up after downtime are the
// Runner's business, decided from next runs stored in the database, so a
// skipped or doubled tick changes nothing.
type Scheduler struct {
	// Runner does the work; required.
	Runner DueRunner
	// Spec is the cron schedule of ticks; empty means every minute.
	Spec string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives tick failures; nil discards them.
	Logger *slog.Logger
	// Metrics, when set, counts failed ticks as "scheduler" errors.
	Metrics *discord.Metrics
}

// Run ticks once at once (catching up on what came due while the bot was
// down), then on Spec until ctx ends, and waits for a running tick to
// finish. Ticks never overlap: one still running makes the next skip.
func (s *Scheduler) Run(ctx context.Context) error {
	if s.Runner == nil {
		return fmt.Errorf("scheduler: no runner")
	}
	spec := s.Spec
	if spec == "" {
		spec = DefaultScheduleSpec
	}
	c := cron.New(cron.WithLocation(time.UTC), cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	if _, err := c.AddFunc(spec, func() { s.Tick(ctx) }); err != nil {
		return fmt.Errorf("scheduler: spec %q: %w", spec, err)
	}
	s.Tick(ctx)
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// Tick runs the Runner once for the current time. A panic is recovered and
// logged with its stack, so one bad delivery never stops the schedule.
func (s *Scheduler) Tick(ctx context.Context) {
	log := s.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	defer func() {
		if p := recover(); p != nil {
			s.Metrics.Fail("scheduler")
			log.ErrorContext(ctx, "scheduled delivery panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	if ctx.Err() != nil {
		return
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	rep, err := s.Runner.RunDue(ctx, now())
	if err != nil && ctx.Err() == nil {
		s.Metrics.Fail("scheduler")
		log.ErrorContext(ctx, "scheduled delivery failed", "err", err)
		return
	}
	if rep != (DeliveryReport{}) {
		log.InfoContext(ctx, "scheduled delivery", "claimed", rep.Claimed, "missed", rep.Missed, "delivered", rep.Delivered,
			"nothing_new", rep.NothingNew, "failed", rep.Failed, "retrying", rep.Retrying)
	}
}
