package discord

import (
	"log/slog"
	"net"
	"sync"
	"time"
)

// A client that floods the interactions endpoint with bad signatures must
// not flood the logs as well, nor hold an unbounded number of connections:
// every rejection is counted in briefbot_bad_signatures_total, but only one
// log line per badSignatureLogEvery is written, saying how many were left
// out, and the listener accepts at most MaxConnections at once.

// badSignatureLogEvery is the least time between two log lines about
// rejected signatures.
const badSignatureLogEvery = 10 * time.Second

// DefaultMaxConnections is how many connections the HTTP server holds open
// at once when HTTPServer.MaxConnections is 0 (BRIEFBOT_HTTP_MAX_CONNS).
const DefaultMaxConnections = 256

// rejectLog writes a sample of the log lines about rejected requests.
type rejectLog struct {
	mu         sync.Mutex
	last       time.Time // when the last line was written
	suppressed int       // rejections since then that wrote no line
}

// reject counts a rejected request and logs it unless a line was written
// less than badSignatureLogEvery ago.
func (r *rejectLog) reject(log *slog.Logger, m *Metrics, now time.Time, remote string, err error) {
	m.badSignature()
	r.mu.Lock()
	if since := now.Sub(r.last); !r.last.IsZero() && since >= 0 && since < badSignatureLogEvery {
		r.suppressed++
		r.mu.Unlock()
		return
	}
	suppressed := r.suppressed
	r.last, r.suppressed = now, 0
	r.mu.Unlock()
	log.Warn("rejected an interaction request", "remote", remote, "err", err,
		"suppressed", suppressed, "suppressed_for", badSignatureLogEvery.String())
}

// limitListener accepts at most cap(sem) connections at a time; Accept
// waits for one to close when that many are open, leaving new ones in the
// kernel's queue.
type limitListener struct {
	net.Listener
	sem  chan struct{}
	done chan struct{}
	once sync.Once
}

// limitConnections wraps ln so that at most n connections are open at once.
func limitConnections(ln net.Listener, n int) net.Listener {
	if n <= 0 {
		n = DefaultMaxConnections
	}
	return &limitListener{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{})}
}

// Accept waits for a free slot, then for a connection.
func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.sem }}, nil
}

// Close stops Accept, including one waiting for a slot.
func (l *limitListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitedConn gives its listener's slot back when closed.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

// Close closes the connection and frees its slot once.
func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
