package delivery

import (
	"context"
	"time"

	"golang.org/x/time/rate"

	"briefbot/internal/retry"
)

// pacer lets requests leave at most rate per second, evenly spaced: a
// token bucket (x/time/rate) that holds a burst of one, so any one-second
// window holds at most rate+1 of them and a fan-out never meets Discord's
// global limit.
type pacer struct {
	lim *rate.Limiter
}

func newPacer(perSecond float64) *pacer {
	return &pacer{lim: rate.NewLimiter(rate.Limit(perSecond), 1)}
}

// wait blocks until a request may leave, or ctx ends. A token is taken at
// the moment of leaving, never reserved ahead (as Limiter.Wait would): a
// goroutine that oversleeps (a busy machine) then can't leave together with
// the ones that reserved after it, so requests stay at least one interval
// apart whatever the scheduler does.
func (p *pacer) wait(ctx context.Context) error {
	for {
		now := time.Now()
		if p.lim.AllowN(now, 1) {
			return ctx.Err()
		}
		missing := 1 - p.lim.TokensAt(now)
		d := time.Duration(missing / float64(p.lim.Limit()) * float64(time.Second))
		if err := retry.Sleep(ctx, max(d, time.Millisecond)); err != nil {
			return err
		}
	}
}
