package db

import (
	"context"
	"slices"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"

	"briefbot/briefings"
)

// knownNamesLists is how many lists of known names (one per guild and
// kind) the store keeps. A list holds every visible name of its kind:
// about 15,000 names, 1 MB, at 100k briefings.
const knownNamesLists = 16

// namesKey is one list of known names: a guild's, of one kind.
type namesKey struct {
	guildID string
	kind    briefings.NameKind
}

// namesCache keeps KnownNames' lists at the library version they were
// read at. Reading one reads every name and checks each for a published
// mention, tens to hundreds of milliseconds at 100k briefings, and they
// are read to correct a slip in a name: by /ask's typo pass, autocomplete
// when nothing matches, and "did you mean". They change only when the
// library does, which moves its version (a write to briefings or topics,
// a merge or delete of an actor or event), so a newer version empties the
// cache.
//
// The same cache keeps CompleteNames' indexes (complete.go), whose values
// are built once per guild, kind and version.
type namesCache[V any] struct {
	mu      sync.Mutex
	version int64
	lists   *lru.Cache[namesKey, V]
}

// newNamesCache makes a cache of size lists, at no version yet.
func newNamesCache[V any](size int) *namesCache[V] {
	lists, _ := lru.New[namesKey, V](size) // fails only for a size under 1
	return &namesCache[V]{version: -1, lists: lists}
}

// moveTo empties the cache when version is newer than what it holds, and
// reports whether version is the one it holds now. The caller holds mu.
func (c *namesCache[V]) moveTo(version int64) bool {
	if version > c.version {
		c.version = version
		c.lists.Purge()
	}
	return version == c.version
}

// get returns the list kept for key at version, emptying the cache when
// version is newer than what it holds.
func (c *namesCache[V]) get(version int64, key namesKey) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.moveTo(version) {
		var none V
		return none, false
	}
	return c.lists.Get(key)
}

// put keeps list for key, read at version, unless the library has moved on.
func (c *namesCache[V]) put(version int64, key namesKey, list V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version == c.version {
		c.lists.Add(key, list)
	}
}

// getOrAdd returns the value kept for key at version if usable accepts
// it; otherwise it keeps fresh() under key, unless the library has moved
// on, and returns that with added set. The caller then fills in what it
// added; others that get it meanwhile wait for that (see completeIndex).
func (c *namesCache[V]) getOrAdd(version int64, key namesKey, usable func(V) bool, fresh func() V) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	current := c.moveTo(version)
	if current {
		if v, ok := c.lists.Get(key); ok && usable(v) {
			return v, false
		}
	}
	v := fresh()
	if current {
		c.lists.Add(key, v)
	}
	return v, true
}

// knownNames returns the names of kind visible to guildID, from the cache
// while the library's version stays what it was when they were read
// (read reads them). The version is read before the names, so a list may
// show a newer library than the version it is kept under, which the next
// version empties, but never an older one. Callers get their own copy.
func (db *DB) knownNames(ctx context.Context, guildID string, kind briefings.NameKind,
	read func() ([]briefings.KnownName, error)) ([]briefings.KnownName, error) {
	db.namesOnce.Do(db.makeNameCaches)
	version, err := db.LibraryVersion(ctx)
	if err != nil {
		return read() // no version to key by: read them afresh
	}
	key := namesKey{guildID, kind}
	if list, ok := db.nameLists.get(version, key); ok {
		return slices.Clone(list), nil
	}
	list, err := read()
	if err != nil {
		return nil, err
	}
	db.nameLists.put(version, key, slices.Clone(list))
	return list, nil
}

// makeNameCaches makes the caches of known names and of CompleteNames'
// indexes, on first use.
func (db *DB) makeNameCaches() {
	db.nameLists = newNamesCache[[]briefings.KnownName](knownNamesLists)
	db.completeIndexes = newNamesCache[*completeIndex](completeIndexes)
}
