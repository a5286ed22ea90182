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

// wait blocks until a request may leave, or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	now := time.Now()
	at := p.next
	if at.Before(now) {
		at = now
	}
	p.next = at.Add(p.interval)
	p.mu.Unlock()
	if d := time.Until(at); d > 0 {
		return sleep(ctx, d)
	}
	return ctx.Err()
}
