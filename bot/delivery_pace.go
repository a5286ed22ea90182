package bot

import (
	"context"
	"sync"
	"time"
)

// pacer is a token bucket that holds a burst of one: requests leave at most
// rate per second, evenly spaced, so any one-second window holds at most
// rate+1 of them and a fan-out never meets Discord's global limit.
type pacer struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time // when the next request may leave
}

func newPacer(rate float64) *pacer {
	return &pacer{interval: time.Duration(float64(time.Second) / rate)}
}

// wait blocks until a request may leave, or ctx ends. A slot is taken at
// the moment of leaving, never booked ahead: a goroutine that oversleeps
// (a busy machine) then can't leave together with the ones booked after
// it, so requests stay at least one interval apart whatever the scheduler
// does.
func (p *pacer) wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		now := time.Now()
		if !now.Before(p.next) {
			p.next = now.Add(p.interval)
			p.mu.Unlock()
			return ctx.Err()
		}
		d := p.next.Sub(now)
		p.mu.Unlock()
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}
