package discord

import (
	"context"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"briefbot/internal/retry"
)

// ProgressEvery is the least time between two edits of a deferred answer
// that is still being written, the final edit included: Discord rate-limits
// edits, and a message that changes faster is hard to read.
const ProgressEvery = time.Second

// progressEditor shows a handler's partial answers (commands.Progress) by
// editing the deferred original response. Updates before the deferral are
// ignored (the final answer follows soon), and updates less than
// ProgressEvery after the previous edit are dropped, not queued. Edits run
// on the handler's goroutine, one at a time, so none can land after the
// final answer.
type progressEditor struct {
	rep   replier
	every time.Duration

	mu       sync.Mutex
	deferred bool
	closed   bool
	last     time.Time // when the latest edit finished
	edits    int
}

// show edits the original response with partial, when the rate allows.
func (p *progressEditor) show(ctx context.Context, partial *discordgo.InteractionResponse) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.deferred || p.closed || partial == nil || (!p.last.IsZero() && time.Since(p.last) < p.every) {
		return
	}
	ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_ = p.rep.edit(ectx, partial) // a lost partial edit is replaced by the final one
	p.last = time.Now()
	p.edits++
}

// begin allows edits once the deferral is sent.
func (p *progressEditor) begin() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.deferred = true
}

// finish stops the partial edits and waits out the rest of the interval
// since the last one, so that the final edit keeps the rate too.
func (p *progressEditor) finish(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.last.IsZero() {
		return
	}
	if wait := p.every - time.Since(p.last); wait > 0 {
		_ = retry.Sleep(ctx, wait)
	}
}
