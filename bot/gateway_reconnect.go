package bot

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Backoff of the gateway's own reconnect loop.
const (
	reconnectFirst = 250 * time.Millisecond
	reconnectMax   = time.Minute
)

// keepConnected reopens the session's gateway connection whenever it drops,
// in place of discordgo's own reconnection, and returns a func that stops
// it and waits for it to finish (call it before closing the session on
// purpose; calling it again does nothing).
//
// discordgo v0.29 reconnects from whichever goroutine noticed the trouble:
// after two drops or op 7s close together, a heartbeat goroutine of a dead
// connection closes the fresh one and starts yet another reconnect, every
// heartbeat, for as long as the process runs. Here discordgo only closes
// (ShouldReconnectOnError is off, so its reconnect does nothing) and
// reports Disconnect, and a single loop reopens: Open resumes the session
// when it can and identifies again when it can't.
func keepConnected(s *discordgo.Session, log *slog.Logger, m *Metrics) (stop func()) {
	s.ShouldReconnectOnError = false
	ctx, cancel := context.WithCancel(context.Background())
	dropped := make(chan struct{}, 1)
	remove := s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		select {
		case dropped <- struct{}{}:
		default:
		}
	})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-dropped:
			}
			for wait := reconnectFirst; ctx.Err() == nil; wait = min(2*wait, reconnectMax) {
				err := s.Open()
				if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
					break
				}
				m.fail("gateway")
				log.Warn("gateway reconnect failed; trying again", "in", wait, "err", err)
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			remove()
			cancel()
			wg.Wait()
		})
	}
}
