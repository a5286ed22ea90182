package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"briefbot/briefings"
)

// completeIndexes is how many indexes CompleteNames keeps (one per guild
// and kind of name). An index holds every name of its kind the guild
// sees: at 100k briefings 9,226 events (1.5 MB of heap), 6,250 actor
// names and aliases (0.75 MB) or 50 topics (10 KB).
const completeIndexes = 16

// memoLimit is how many answers to an empty text (one per limit) an index
// keeps.
const memoLimit = 32

// completeIndex is what CompleteNames ranks the names of one kind visible
// to one guild from, at one library version: every actor, event or topic
// a published briefing the guild sees mentions, with the folded names
// (and slugs) it matches by, in the order that breaks ties. Ranking in
// memory gives the answer the SQL gives (completeBySQL: same matches,
// same order), without reading every name and checking that a published
// briefing mentions it on every keystroke, which took 2 to 4 ms at 100k
// briefings and far longer under load.
//
// It is built once per version, by the first request that needs it,
// from one statement (30 to 40 ms at 100k briefings, the cost of about
// ten keystrokes answered by SQL); requests meanwhile wait for it rather
// than build their own.
type completeIndex struct {
	// ready is closed once the index is built, or failed to be (err).
	ready chan struct{}
	err   error

	// items are the actors, events or topics in the order that breaks a
	// tie of score and library: by id, or for topics by how many of the
	// newest briefings are on them, then slug.
	items []completeItem
	// names are the texts each item matches by, items[i].from to .to.
	names []completeName
	// nameItem is the index of the item each name is one of.
	nameItem []int32
	// slugs is set when some names are slugs (topics).
	slugs bool
	// byText lists the names' indexes in the byte order of their texts,
	// to find those that start with a text by bisection; nil when a slug
	// or a name of 1000 characters or more makes that unsafe (see
	// completeByPrefix).
	byText []int32
	// grams has, for each name, a bit set for each byte and pair of bytes
	// of its text (see gramsOf): a name lacking one of a text's bits
	// cannot contain it, which skips most names without reading them.
	grams [][2]uint64
	// widen is set for actors and events: the SQL reads 2*limit+5 of
	// them and drops those whose name folds like a better one's.
	widen bool

	mu sync.Mutex
	// memo keeps the SQL's answers to an empty text, which rank by
	// mentions or date rather than by name.
	memo map[memoKey][]string
}

// completeItem is one actor, event or topic of a completeIndex.
type completeItem struct {
	// name is what CompleteNames offers: an actor's or an event's
	// canonical name, a topic's display name.
	name string
	// folded is briefings.Fold(name), by which repeats are dropped.
	folded   string
	from, to int32
}

// completeName is one text an item matches by.
type completeName struct {
	// text is a folded name or alias, or a topic's slug.
	text string
	// runes is text's length in characters, as SQL's length() gives it.
	runes int32
	// slug is set for a topic's slug, matched by the slug of what is
	// typed, its words separated by '-'.
	slug bool
	// own is set when the name is the guild's rather than the global
	// library's, which wins a tie.
	own bool
}

// memoKey is an answer kept by completeIndex.memo.
type memoKey struct {
	slug  string
	limit int
}

// completeIndex returns the index of kind for guildID at the library's
// current version, building it if need be; nil when there is none to
// use (no version to key by, a failed build, ctx done while waiting),
// and CompleteNames then asks SQL.
func (db *DB) completeIndex(ctx context.Context, guildID string, kind briefings.NameKind) *completeIndex {
	db.namesOnce.Do(db.makeNameCaches)
	version, err := db.LibraryVersion(ctx)
	if err != nil {
		return nil
	}
	ix, build := db.completeIndexes.getOrAdd(version, namesKey{guildID, kind},
		func(ix *completeIndex) bool { return !ix.failed() },
		func() *completeIndex { return &completeIndex{ready: make(chan struct{})} })
	if build {
		// Those waiting for it must not lose it to this request's
		// cancellation.
		ix.err = ix.build(context.WithoutCancel(ctx), db, guildID, kind)
		close(ix.ready)
	} else {
		select {
		case <-ix.ready:
		case <-ctx.Done():
			return nil
		}
	}
	if ix.err != nil {
		return nil
	}
	return ix
}

// failed reports whether the index is built and its build failed.
func (ix *completeIndex) failed() bool {
	select {
	case <-ix.ready:
		return ix.err != nil
	default:
		return false
	}
}

// build reads the names of kind guildID sees into the index.
func (ix *completeIndex) build(ctx context.Context, db *DB, guildID string, kind briefings.NameKind) error {
	var query string
	args := []any{guildID}
	// Each query's rows come one item after another, each item's names
	// together: the item's key, its name, the library of the text, the
	// text. A topic's first row has its slug too (below).
	switch kind {
	case briefings.NameActor:
		// findActors: an actor's names and aliases of the guild's library
		// and the global one; a tie goes to the guild's, then to the
		// lower id.
		ix.widen = true
		query = `SELECT n.actor_id, a.name, n.guild_id, n.folded, '' FROM actor_names n JOIN actors a ON a.id = n.actor_id
			WHERE n.guild_id IN (?1, '') AND ` + actorVisible("n.actor_id", "?1") + `
			ORDER BY n.actor_id`
	case briefings.NameEvent:
		// findEvents: a tie goes to the guild's event, then to the lower id.
		ix.widen = true
		query = `SELECT e.id, e.name, e.guild_id, e.name_folded, '' FROM events e
			WHERE e.guild_id IN (?1, '') AND ` + eventVisible("e.id", "?1") + `
			ORDER BY e.id`
	case briefings.NameTopic:
		// completeTopics: a topic matches by its slug, its name and its
		// aliases; a tie goes to the topic with more of the newest
		// briefings, then to the first slug (in the database's order).
		// The key is the topic's rank in that order.
		args = append(args, recentBriefings)
		query = `WITH recent AS MATERIALIZED (` + recentTopicCounts("?1", "?2") + `),
			visible AS (SELECT t.guild_id, t.slug, t.name, t.name_folded,
					coalesce((SELECT n FROM recent WHERE recent.slug = t.slug), 0) AS n
				FROM (` + topicsOf("?1") + `) t WHERE ` + topicVisible("t.slug", "?1") + `)
			SELECT dense_rank() OVER (ORDER BY n DESC, slug), name, '', text, slug FROM (
				SELECT v.slug AS slug, v.name AS name, v.name_folded AS text, v.n AS n, -1 AS position FROM visible v
				UNION ALL SELECT v.slug, v.name, a.alias_folded, v.n, a.position FROM topic_aliases a
					JOIN visible v ON v.guild_id = a.guild_id AND v.slug = a.topic_slug) names
			ORDER BY n DESC, slug, position`
	default:
		return briefings.Errorf(briefings.EINVALID, "Unknown kind of name %q.", string(kind))
	}
	err := db.lookup(ctx, func(q querier) error {
		last := int64(-1)
		return eachRow(ctx, q, query, args, func(rows *sql.Rows) error {
			var key int64
			var name, library, text, slug string
			if err := rows.Scan(&key, &name, &library, &text, &slug); err != nil {
				return err
			}
			if key != last || len(ix.items) == 0 {
				last = key
				folded := briefings.Fold(name)
				if folded == text {
					folded = text // one string for both
				}
				ix.items = append(ix.items, completeItem{name: name, folded: folded, from: int32(len(ix.names))})
				if slug != "" {
					ix.addName(slug, true, false)
				}
			}
			ix.addName(text, false, kind != briefings.NameTopic && library == guildID)
			ix.items[len(ix.items)-1].to = int32(len(ix.names))
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("index of %s names: %w", kind, err)
	}
	ix.items, ix.names = slices.Clip(ix.items), slices.Clip(ix.names)
	ix.grams, ix.nameItem = slices.Clip(ix.grams), slices.Clip(ix.nameItem)
	ix.sortTexts()
	return nil
}

// sortTexts fills in byText, unless a slug or a name of 1000 characters
// or more is among the names.
func (ix *completeIndex) sortTexts() {
	byText := make([]int32, len(ix.names))
	for k, n := range ix.names {
		if n.slug || n.runes >= 1000 {
			return
		}
		byText[k] = int32(k)
	}
	slices.SortFunc(byText, func(a, b int32) int { return strings.Compare(ix.names[a].text, ix.names[b].text) })
	ix.byText = byText
}

func (ix *completeIndex) addName(text string, slug, own bool) {
	ix.names = append(ix.names, completeName{text: text, runes: int32(utf8.RuneCountInString(text)),
		slug: slug, own: own})
	ix.grams = append(ix.grams, gramsOf(text))
	ix.nameItem = append(ix.nameItem, int32(len(ix.items)-1))
	ix.slugs = ix.slugs || slug
}

// gramsOf hashes each byte and each pair of adjacent bytes of s to one of
// 128 bits. A name of 25 letters sets about a third of them, so the five
// bits of a three-letter text leave about one name in 250 that lacks it
// to look at.
func gramsOf(s string) [2]uint64 {
	var g [2]uint64
	set := func(h uint32) {
		h *= 0x9e3779b1 // Fibonacci hashing: the top 7 bits pick the bit
		g[h>>31] |= 1 << (h >> 25 & 63)
	}
	for i := 0; i < len(s); i++ {
		set(uint32(s[i]))
		if i > 0 {
			set(uint32(s[i-1])<<8 | uint32(s[i]) | 1<<16)
		}
	}
	return g
}

// complete returns the names matching text (folded, and its slug), best
// first, as the SQL of completeBySQL orders them: by the best score of an
// item's matching names (see matchRank), then the guild's own first, then
// the items' order; for actors and events of the first 2*limit+5 only one
// per folded name. CompleteNames then trims them and drops repeats.
func (ix *completeIndex) complete(folded, slug string, limit int) []string {
	keep := limit
	if ix.widen {
		keep = 2*limit + 5
	}
	r := completeRanking{folded: folded, slug: slug, word: " " + folded, slugWord: "-" + slug,
		grams: gramsOf(folded), slugGrams: gramsOf(slug), keep: keep, top: make([]completeHit, 0, keep+1)}
	if !ix.completeByPrefix(&r) {
		ix.completeAll(&r)
	}
	out := make([]string, 0, min(limit, len(r.top)))
	seen := map[string]bool{}
	for _, h := range r.top {
		it := ix.items[h.item]
		if ix.widen {
			if seen[it.folded] {
				continue
			}
			seen[it.folded] = true
		}
		out = append(out, it.name)
		if len(out) == limit {
			break
		}
	}
	return out
}

// completeRanking keeps the best items matching a text.
type completeRanking struct {
	folded, slug, word, slugWord string
	grams, slugGrams             [2]uint64
	keep                         int
	// top are the best items so far, best first, at most keep.
	top []completeHit
}

// match scores the name n for the text, into hit, when it contains it:
// matchRank's score, the best of the item's names, and whether any of the
// names that match is the guild's own.
func (r *completeRanking) match(hit *completeHit, n *completeName) {
	needle, word := r.folded, r.word
	if n.slug {
		needle, word = r.slug, r.slugWord
	}
	if !strings.Contains(n.text, needle) {
		return
	}
	score := 2000
	if strings.HasPrefix(n.text, needle) {
		score = 0
	} else if strings.Contains(n.text, word) {
		score = 1000
	}
	score += int(n.runes)
	if hit.score < 0 || score < hit.score {
		hit.score = score
	}
	hit.own = hit.own || n.own
}

// offer keeps hit among the best when it matched and ranks high enough.
func (r *completeRanking) offer(hit completeHit) {
	if hit.score < 0 || len(r.top) == r.keep && !hit.before(r.top[r.keep-1]) {
		return
	}
	at, _ := slices.BinarySearchFunc(r.top, hit, func(a, b completeHit) int {
		if a.before(b) {
			return -1
		}
		return 1
	})
	r.top = slices.Insert(r.top, at, hit)
	if len(r.top) > r.keep {
		r.top = r.top[:r.keep]
	}
}

// rank offers the item to r when one of its names contains r's text;
// filter skips the names whose grams show they cannot.
func (ix *completeIndex) rank(r *completeRanking, item int32, filter bool) {
	it := &ix.items[item]
	hit := completeHit{item: item, score: -1}
	for k := it.from; k < it.to; k++ {
		if filter {
			g, want := &ix.grams[k], &r.grams
			if ix.names[k].slug {
				want = &r.slugGrams
			}
			if g[0]&want[0] != want[0] || g[1]&want[1] != want[1] {
				continue
			}
		}
		r.match(&hit, &ix.names[k])
	}
	if hit.score >= 0 {
		r.offer(hit)
	}
}

// completeAll ranks every item with a name whose grams show it may
// contain r's text: one pass over the grams, reading the names of those
// items alone.
func (ix *completeIndex) completeAll(r *completeRanking) {
	last := int32(-1)
	for k := range ix.grams {
		g, want := &ix.grams[k], &r.grams
		if ix.slugs && ix.names[k].slug {
			want = &r.slugGrams
		}
		if g[0]&want[0] != want[0] || g[1]&want[1] != want[1] || ix.nameItem[k] == last {
			continue
		}
		last = ix.nameItem[k]
		ix.rank(r, last, true)
	}
}

// completeByPrefix ranks the items with a name that starts with r's
// text, found by bisection, and reports whether there were at least as
// many as r keeps: then they are the best, since a name that starts with
// the text scores its length, under 1000, and one that has it further in
// 1000 or more. Otherwise every item must be looked at.
func (ix *completeIndex) completeByPrefix(r *completeRanking) bool {
	if ix.byText == nil {
		return false
	}
	from, _ := slices.BinarySearchFunc(ix.byText, r.folded, func(k int32, text string) int {
		return strings.Compare(ix.names[k].text, text)
	})
	var items []int32
	for _, k := range ix.byText[from:] {
		if !strings.HasPrefix(ix.names[k].text, r.folded) {
			break
		}
		items = append(items, ix.nameItem[k])
	}
	slices.Sort(items)
	items = slices.Compact(items)
	if len(items) < r.keep {
		return false
	}
	for _, item := range items {
		ix.rank(r, item, false)
	}
	return true
}

// completeHit is an item matching the text, with its best score.
type completeHit struct {
	item  int32
	score int
	own   bool
}

// before reports whether h ranks before o.
func (h completeHit) before(o completeHit) bool {
	if h.score != o.score {
		return h.score < o.score
	}
	if h.own != o.own {
		return h.own
	}
	return h.item < o.item
}

// memoized returns the answer kept for key, or answers with answer and
// keeps it.
func (ix *completeIndex) memoized(key memoKey, answer func() ([]string, error)) ([]string, error) {
	ix.mu.Lock()
	names, ok := ix.memo[key]
	ix.mu.Unlock()
	if ok {
		return slices.Clone(names), nil
	}
	names, err := answer()
	if err != nil {
		return nil, err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.memo == nil {
		ix.memo = map[memoKey][]string{}
	}
	if len(ix.memo) < memoLimit {
		ix.memo[key] = slices.Clone(names)
	}
	return names, nil
}
