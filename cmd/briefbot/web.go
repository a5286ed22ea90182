package main

import (
	"context"
	"fmt"
	"net"

	"briefbot/bot/web"
)

// startWeb serves the reading room on BRIEFBOT_WEB_ADDR until ctx ends,
// when the address is set; an address it cannot listen on is an error at
// once. The channel yields the server's error once it has stopped (nil
// right away when there is no server).
func (m *Main) startWeb(ctx context.Context) (<-chan error, error) {
	done := make(chan error, 1)
	if m.Config.WebAddr == "" {
		done <- nil
		return done, nil
	}
	ln, err := net.Listen("tcp", m.Config.WebAddr)
	if err != nil {
		return nil, fmt.Errorf("reading room (BRIEFBOT_WEB_ADDR): %w", err)
	}
	s := &web.Server{Store: m.DB, Logger: m.Logger}
	m.Logger.Info("serving the reading room", "addr", ln.Addr().String())
	go func() {
		if err := s.ServeListener(ctx, ln); err != nil {
			done <- fmt.Errorf("reading room on %s: %w", m.Config.WebAddr, err)
			return
		}
		done <- nil
	}()
	return done, nil
}
