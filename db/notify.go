package db

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"briefbot/briefings"
)

// On PostgreSQL several processes share one library, so a process may keep
// what it reads only while it hears of every change the others make. Each
// store keeps a connection that LISTENs on changesChannel; the schema's
// triggers (migrations/postgres 0008) NOTIFY there when a guild's settings
// change ("settings:GUILD") and when briefings or topics do ("library",
// which moves library_version). NOTIFY is sent at commit, to every
// listening process, this one included.
//
// What a store keeps: each guild's settings (read for every interaction:
// the moderator role and the default time zone) and the library's version
// (read for every picture of the reading room, and by the caches keyed by
// it). It keeps them only while its listener is connected: from the moment
// the connection drops until it listens again nothing is kept, and
// everything is dropped when it does, so a change it could not hear of is
// never hidden. Its own writes drop what they change at commit, before
// their notice arrives.
//
// On SQLite nothing is kept: the processes sharing the file (the bot, an
// import, deliver) have no channel between them, and a read is a few
// microseconds.

// changesChannel is the channel the store's triggers NOTIFY.
const changesChannel = "briefbot_changes"

// Payloads of changesChannel's notices.
const (
	changedLibrary  = "library"
	changedSettings = "settings:"
)

// changeCache is what a PostgreSQL store keeps between queries.
type changeCache struct {
	mu sync.Mutex
	// listening is set while the listener's connection listens.
	listening bool
	// gen counts the changes heard of: a value read before a change is not
	// kept after it.
	gen      uint64
	settings map[string]briefings.GuildSettings
	version  int64
	versionK bool
	// pid is the listener connection's server process, for tests.
	pid atomic.Uint32
}

func newChangeCache() *changeCache {
	return &changeCache{settings: map[string]briefings.GuildSettings{}}
}

// generation returns the count to pass to a put after reading.
func (c *changeCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// dropLocked forgets what payload names: a guild's settings, the library's
// version, or (anything else) everything.
func (c *changeCache) dropLocked(payload string) {
	c.gen++
	switch {
	case payload == changedLibrary:
		c.versionK = false
	case strings.HasPrefix(payload, changedSettings):
		delete(c.settings, strings.TrimPrefix(payload, changedSettings))
	default:
		clear(c.settings)
		c.versionK = false
	}
}

// changed forgets what a notice's payload names.
func (c *changeCache) changed(payload string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked(payload)
}

// setListening records whether the listener listens, forgetting
// everything either way: what was kept before it listened may have
// changed unheard.
func (c *changeCache) setListening(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.listening = on
	c.dropLocked("")
}

func (c *changeCache) getSettings(guild string) (briefings.GuildSettings, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.settings[guild]
	return s, ok && c.listening
}

// putSettings keeps s if nothing changed since gen.
func (c *changeCache) putSettings(gen uint64, s briefings.GuildSettings) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.listening && c.gen == gen {
		c.settings[s.GuildID] = s
	}
}

func (c *changeCache) getVersion() (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.version, c.versionK && c.listening
}

func (c *changeCache) putVersion(gen uint64, v int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.listening && c.gen == gen {
		c.version, c.versionK = v, true
	}
}

// listener is a store's LISTEN connection and what stops it.
type listener struct {
	stop context.CancelFunc
	done chan struct{}
}

// listenRetry bounds the wait before listening again after the
// connection drops.
const (
	listenRetryMin = 100 * time.Millisecond
	listenRetryMax = 5 * time.Second
)

// startListening keeps a connection (cfg) listening on changesChannel until
// stopListening, connecting again when it drops, and forgets in c what
// each notice names.
func startListening(cfg *pgx.ConnConfig, c *changeCache) *listener {
	ctx, cancel := context.WithCancel(context.Background())
	l := &listener{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		wait := listenRetryMin
		for ctx.Err() == nil {
			heard := listenOnce(ctx, cfg, c)
			c.setListening(false)
			if heard {
				wait = listenRetryMin
			}
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
			wait = min(2*wait, listenRetryMax)
		}
	}()
	return l
}

// listenOnce listens on one connection until it fails or ctx ends, and
// reports whether it got as far as listening.
func listenOnce(ctx context.Context, cfg *pgx.ConnConfig, c *changeCache) bool {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+changesChannel); err != nil {
		return false
	}
	c.pid.Store(conn.PgConn().PID())
	c.setListening(true)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true
		}
		c.changed(n.Payload)
	}
}

// stopListening closes the listener's connection and waits for it.
func (l *listener) stopListening() {
	if l == nil {
		return
	}
	l.stop()
	<-l.done
}

// cachedSettings returns the guild's settings as kept, or reads them with
// read and keeps them.
func (db *DB) cachedSettings(guild string, read func() (briefings.GuildSettings, error)) (briefings.GuildSettings, error) {
	if db.changes == nil {
		return read()
	}
	if s, ok := db.changes.getSettings(guild); ok {
		return s, nil
	}
	gen := db.changes.generation()
	s, err := read()
	if err == nil {
		db.changes.putSettings(gen, s)
	}
	return s, err
}

// cachedVersion is cachedSettings for the library's version.
func (db *DB) cachedVersion(read func() (int64, error)) (int64, error) {
	if db.changes == nil {
		return read()
	}
	if v, ok := db.changes.getVersion(); ok {
		return v, nil
	}
	gen := db.changes.generation()
	v, err := read()
	if err == nil {
		db.changes.putVersion(gen, v)
	}
	return v, err
}

// forget drops what this process's own write changed, at its commit.
func (db *DB) forget(payload string) {
	if db.changes != nil {
		db.changes.changed(payload)
	}
}
