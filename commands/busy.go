package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"briefbot/briefings"
)

// busyRetries are the pauses before each new try of a write the store
// refused as busy (EBUSY: another write, such as a large import, held the
// library for longer than the store waits). Together with the store's own
// wait (5 s a try) they cover about 40 s.
var busyRetries = []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}

// busyNote is shown while a write waits for a busy library.
const busyNote = "The library is busy saving other changes (such as an import); retrying…"

// retryBusy runs write and tries again while the store answers EBUSY,
// showing busyNote through the request's Progress when the transport can
// show one. It returns the last error; when the library stayed busy, the
// error says so and quotes text (what the person typed, if anything) so
// that it is not lost.
func (r *Router) retryBusy(ctx context.Context, q *request, text string, write func() error) error {
	err := write()
	for _, pause := range busyRetries {
		if briefings.ErrorCode(err) != briefings.EBUSY {
			return err
		}
		r.log.WarnContext(ctx, "library busy, retrying", "command", q.command, "guild", q.guildID, "user", q.userID, "in", pause, "err", err)
		if q.progress != nil {
			q.progress(Ephemeral(busyNote))
		}
		select {
		case <-ctx.Done():
			return stillBusy(text)
		case <-time.After(pause):
		}
		err = write()
	}
	if briefings.ErrorCode(err) == briefings.EBUSY {
		return stillBusy(text)
	}
	return err
}

// stillBusy is the EBUSY error shown when retrying did not help, with the
// typed text quoted back.
func stillBusy(text string) error {
	msg := "The library is still busy saving other changes (such as a large import), so nothing was saved. Run the command again in a minute."
	if t := strings.TrimSpace(text); t != "" {
		msg += fmt.Sprintf(" What you typed:\n>>> %s", briefings.Truncate(t, 1500))
	}
	return briefings.Errorf(briefings.EBUSY, "%s", msg)
}
