package db

import (
	"sync"
	"sync/atomic"

	"briefbot/briefings"
)

// A transaction of a staged import checks and saves its briefings one
// after the other on one connection. What needs no database, normalizing
// a briefing and taking its snapshot (a tenth of the saving goroutine's
// CPU), is done ahead of it on another goroutine, which has the other core
// to itself while the saving one waits for SQLite.

// preparer normalizes briefings and takes their snapshots ahead of the
// transaction that saves them.
type preparer struct {
	// ready receives the index of each briefing once it is prepared, in
	// order.
	ready chan int
	stop  atomic.Bool
	done  sync.WaitGroup
}

// prepare starts preparing st.bs[from:from+n] in order.
func (st *staged) prepare(from, n int) *preparer {
	p := &preparer{ready: make(chan int, n)} // never blocks the preparing goroutine
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		for j := from; j < from+n && !p.stop.Load(); j++ {
			a := &st.bs[j]
			if a.b != nil && a.n == nil {
				a.n = normalize(a.b, st.guildID)
				// A snapshot that fails is taken again, failing, by save.
				a.snap, _ = snapshot(a.n)
			}
			p.ready <- j
		}
	}()
	return p
}

// next waits until briefing j, the one after the last it waited for, is
// prepared.
func (p *preparer) next(j int) {
	for got := <-p.ready; got < j; got = <-p.ready {
	}
}

// end stops preparing and returns once the preparing goroutine has
// stopped, so that st.bs is the caller's alone again. Briefings prepared
// but not saved in this transaction keep what was prepared.
func (p *preparer) end() {
	p.stop.Store(true)
	p.done.Wait()
}

// normalized returns the briefing a normalized, as prepare left it or
// anew.
func (a added) normalized(guildID string) *briefings.Briefing {
	if a.n != nil {
		return a.n
	}
	return normalize(a.b, guildID)
}
