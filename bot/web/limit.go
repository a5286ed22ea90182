package web

import (
	"math"
	"strconv"
	"sync"
	"time"
)

// limiter keeps a token bucket per client.
type limiter struct {
	rate, burst float64

	mu      sync.Mutex
	clients map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// allow takes a token from the client's bucket; when there is none, it
// says how many seconds to wait, for Retry-After.
func (l *limiter) allow(client string, now time.Time) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.clients[client]
	if b == nil {
		if len(l.clients) >= maxClients {
			l.forget(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.clients[client] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return strconv.Itoa(int(math.Ceil((1 - b.tokens) / l.rate))), false
	}
	b.tokens--
	return "", true
}

// forget drops the clients whose buckets have filled up again, and if
// none has, all of them.
func (l *limiter) forget(now time.Time) {
	for k, b := range l.clients {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.clients, k)
		}
	}
	if len(l.clients) >= maxClients {
		clear(l.clients)
	}
}
