package db

import (
	"context"
	"database/sql"
	"fmt"

	"briefbot/briefings"
)

// MaxCompletions is the most names CompleteNames returns, Discord's limit on
// autocomplete choices.
const MaxCompletions = 25

// CompleteNames returns at most limit (at most MaxCompletions) names of the
// kind visible to the guild that match text, best first: prefix matches,
// then word matches, then inner ones, shorter names first. Empty text lists
// the most relevant names. Actors and events give their canonical names,
// topics their display names, briefings their slugs; each is at most
// briefings.MaxName characters.
//
// Actors, events and topics rank from an index kept in memory until the
// library changes (complete.go), with the answers to an empty text,
// which SQL gives; briefings rank in SQL.
func (db *DB) CompleteNames(ctx context.Context, guildID string, kind briefings.NameKind, text string, limit int) ([]string, error) {
	if limit <= 0 || limit > MaxCompletions {
		limit = MaxCompletions
	}
	if kind != briefings.NameActor && kind != briefings.NameEvent && kind != briefings.NameTopic {
		return db.completeBySQL(ctx, guildID, kind, text, limit)
	}
	ix := db.completeIndex(ctx, guildID, kind)
	if ix == nil {
		return db.completeBySQL(ctx, guildID, kind, text, limit)
	}
	folded, slug := briefings.Fold(text), ""
	if kind == briefings.NameTopic {
		slug = briefings.Slugify(text)
	}
	if folded == "" {
		// the most relevant names, by mentions or date: the SQL's answer,
		// kept with the index
		return ix.memoized(memoKey{slug, limit}, func() ([]string, error) {
			return db.completeBySQL(ctx, guildID, kind, text, limit)
		})
	}
	return distinctNames(ix.complete(folded, slug, limit), limit), nil
}

// completeBySQL is CompleteNames asking SQL.
func (db *DB) completeBySQL(ctx context.Context, guildID string, kind briefings.NameKind, text string, limit int) ([]string, error) {
	var names []string
	switch kind {
	case briefings.NameActor:
		actors, err := db.FindActors(ctx, guildID, text, limit)
		if err != nil {
			return nil, err
		}
		for _, a := range actors {
			names = append(names, a.Name)
		}
	case briefings.NameEvent:
		events, err := db.FindEvents(ctx, guildID, text, limit)
		if err != nil {
			return nil, err
		}
		for _, e := range events {
			names = append(names, e.Name)
		}
	case briefings.NameTopic:
		var err error
		names, err = db.completeTopics(ctx, guildID, text, limit)
		if err != nil {
			return nil, err
		}
	case briefings.NameBriefing:
		var err error
		names, err = db.completeBriefings(ctx, guildID, text, limit)
		if err != nil {
			return nil, err
		}
	default:
		return nil, briefings.Errorf(briefings.EINVALID, "Unknown kind of name %q.", string(kind))
	}
	return distinctNames(names, limit), nil
}

// distinctNames trims the names for a list of choices and keeps the first
// limit of them, each once.
func distinctNames(names []string, limit int) []string {
	out := make([]string, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		n = trimName(n)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
		if len(out) == limit {
			break
		}
	}
	return out
}

// recentBriefings is how many of the newest briefings rank topics when no
// text is given: in a library of at most this many, every briefing counts.
const recentBriefings = 1000

func (db *DB) completeTopics(ctx context.Context, guildID, text string, limit int) ([]string, error) {
	// Topics rank by their best-matching slug, name or alias; with no text,
	// by how many published briefings the guild sees on them.
	score := `min(m.score), `
	if briefings.Fold(text) == "" {
		score = ``
	}
	// Counting every topic's visible briefings took 20 ms at 100k; the
	// newest recentBriefings rank what is current (in a library of at most
	// that many, every briefing counts).
	query := `WITH recent AS MATERIALIZED (` + recentTopicCounts("?2", "?5") + `),
			vt AS (` + topicsOf("?2") + `)
		SELECT t.name FROM (
			SELECT slug, ` + rankBy("slug", "-", "?3") + ` AS score FROM vt WHERE ` + db.contains("slug", "?3") + `
			UNION ALL SELECT slug, ` + matchRank("name_folded") + ` FROM vt WHERE ` + db.contains("name_folded", "?1") + `
			UNION ALL SELECT a.topic_slug, ` + matchRank("a.alias_folded") + ` FROM topic_aliases a
				JOIN vt ON vt.guild_id = a.guild_id AND vt.slug = a.topic_slug WHERE ` + db.contains("a.alias_folded", "?1") + `
		) m JOIN vt t ON t.slug = m.slug
		WHERE ` + topicVisible("t.slug", "?2") + `
		GROUP BY t.slug, t.name ORDER BY ` + score + `
			coalesce((SELECT n FROM recent WHERE recent.slug = t.slug), 0) DESC, t.slug
		LIMIT ?4`
	names, err := db.readStrings(ctx, query, briefings.Fold(text), guildID, briefings.Slugify(text), limit, recentBriefings)
	if err != nil {
		return nil, fmt.Errorf("complete topics %q: %w", text, err)
	}
	return names, nil
}

// recentTopicCounts is the SQL counting, for each topic, the published
// briefings visible to the guild (param guild) among the newest (param
// limit) briefings.
func recentTopicCounts(guild, limit string) string {
	return `SELECT bt.topic_slug AS slug, count(*) AS n
			FROM (SELECT id FROM briefings ORDER BY id DESC LIMIT ` + limit + `) r
			CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = r.id
			CROSS JOIN briefing_topics bt ON bt.briefing_id = r.id
			WHERE b.status = 'published' AND b.guild_id IN (` + guild + `, '') GROUP BY bt.topic_slug`
}

// topicVisible is the SQL condition that the topic (slug column) has a
// published briefing visible to the guild (param guild).
func topicVisible(slug, guild string) string {
	return `EXISTS (SELECT 1 FROM briefing_topics bt CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = bt.briefing_id
			WHERE bt.topic_slug = ` + slug + ` AND b.status = 'published' AND b.guild_id IN (` + guild + `, ''))`
}

func (db *DB) completeBriefings(ctx context.Context, guildID, text string, limit int) ([]string, error) {
	query := `SELECT b.slug FROM briefings b WHERE b.status = 'published' AND b.guild_id IN (?2, '') AND ` + db.contains("b.slug", "?1") + `
		ORDER BY ` + rankBy("b.slug", "-", "?1") + `, b.published DESC, b.id DESC LIMIT ?3`
	slug := briefings.Slugify(text)
	if slug == "" {
		query = `SELECT b.slug FROM briefings b WHERE b.status = 'published' AND b.guild_id IN (?2, '') AND ?1 = ''
			ORDER BY b.published DESC, b.id DESC LIMIT ?3`
	}
	names, err := db.readStrings(ctx, query, slug, guildID, limit)
	if err != nil {
		return nil, fmt.Errorf("complete briefings %q: %w", text, err)
	}
	return names, nil
}

// readStrings runs one query for a column of strings (autocomplete).
func (db *DB) readStrings(ctx context.Context, query string, args ...any) ([]string, error) {
	var out []string
	err := db.lookup(ctx, func(tx querier) error {
		var err error
		out, err = queryStrings(ctx, tx, query, args...)
		return err
	})
	return out, err
}

// Names returns every name of the kind visible to the guild, for "did you
// mean" suggestions: the names and aliases of actors and the names of
// events that published briefings the guild sees mention, the names and
// aliases of topics with such briefings, and published briefings' slugs.
func (db *DB) Names(ctx context.Context, guildID string, kind briefings.NameKind) ([]string, error) {
	return db.names(ctx, guildID, kind, members)
}

// NamesToCurate is Names for moderators: every actor's names and aliases
// or every event's name in the guild's library and the global one,
// whatever mentions them (drafts too), so that extraction links a draft's
// actors to those the library already has; and the titles of the
// guild's own briefings, whatever their status.
func (db *DB) NamesToCurate(ctx context.Context, guildID string, kind briefings.NameKind) ([]string, error) {
	return db.names(ctx, guildID, kind, curators)
}

func (db *DB) names(ctx context.Context, guildID string, kind briefings.NameKind, s scope) ([]string, error) {
	var query string
	switch kind {
	case briefings.NameActor:
		query = `SELECT n.name FROM actor_names n WHERE n.guild_id IN (?1, '')` + s.visibleTo(actorVisible("n.actor_id", "?1")) + ` ORDER BY n.folded`
	case briefings.NameEvent:
		query = `SELECT e.name FROM events e WHERE e.guild_id IN (?1, '')` + s.visibleTo(eventVisible("e.id", "?1")) + ` ORDER BY e.name_folded`
	case briefings.NameTopic:
		// Only the topics the guild sees (its own and the global ones) that
		// it has published briefings on: another guild's topic names are
		// its own business.
		query = `WITH visible AS (SELECT DISTINCT bt.topic_slug AS slug FROM briefing_topics bt
				JOIN briefings b INDEXED BY briefing_refs ON b.id = bt.briefing_id WHERE b.status = 'published' AND b.guild_id IN (?1, '')),
			vt AS (` + topicsOf("?1") + `)
			SELECT t.name FROM vt t JOIN visible v ON v.slug = t.slug
			UNION SELECT a.alias FROM topic_aliases a JOIN vt t ON t.guild_id = a.guild_id AND t.slug = a.topic_slug
				JOIN visible v ON v.slug = t.slug`
	case briefings.NameBriefing:
		query = `SELECT slug FROM briefings WHERE guild_id IN (?1, '') AND status = 'published' ORDER BY published DESC, id DESC`
		if s == curators {
			// a moderator names the briefings of the library they curate,
			// drafts and retracted ones too, by title
			query = `SELECT title FROM briefings WHERE guild_id = ?1 ORDER BY updated_at DESC, id DESC`
		}
	default:
		return nil, briefings.Errorf(briefings.EINVALID, "Unknown kind of name %q.", string(kind))
	}
	names, err := db.readStrings(ctx, query, guildID)
	if err != nil {
		return nil, fmt.Errorf("names of %s: %w", kind, err)
	}
	out := make([]string, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

// KnownNames returns the names and aliases of the actors, events or topics
// that published briefings visible to the guild mention, each with its
// canonical name and how many of the newest of those briefings mention it,
// most mentioned first. What only drafts or another guild mention stays
// out: suggestions name nothing a member could not look up.
//
// Counting every mention costs tens of milliseconds at 10k briefings (tens
// of thousands of mention rows), so the counts come from the same windows
// that rank autocomplete with no text: the newest recentMentions actor
// declarations and event mentions, and the newest recentBriefings
// briefings' topics. In a library smaller than the window every mention
// counts. Whether a name is visible at all is one index seek each.
func (db *DB) KnownNames(ctx context.Context, guildID string, kind briefings.NameKind) ([]briefings.KnownName, error) {
	var query string
	args := []any{guildID, recentMentions}
	switch kind {
	case briefings.NameActor:
		query = `WITH recent AS MATERIALIZED (SELECT actor_id, count(*) AS n FROM (SELECT actor_id FROM briefing_actors
				WHERE declared = 1 AND status = 'published' AND guild_id IN (?1, '') ORDER BY rowid DESC LIMIT ?2) newest
			GROUP BY actor_id)
		SELECT an.name, a.name, coalesce(r.n, 0) AS n FROM actors a
			LEFT JOIN recent r ON r.actor_id = a.id
			JOIN actor_names an ON an.actor_id = a.id
		WHERE a.guild_id IN (?1, '') AND EXISTS (SELECT 1 FROM briefing_actors m
			WHERE m.actor_id = a.id AND m.status = 'published' AND m.guild_id IN (?1, ''))
		ORDER BY n DESC, a.name_folded, a.id, an.position`
	case briefings.NameEvent:
		query = `WITH recent AS MATERIALIZED (SELECT event_id, count(*) AS n FROM (SELECT event_id FROM briefing_events
				WHERE status = 'published' AND guild_id IN (?1, '') ORDER BY rowid DESC LIMIT ?2) newest
			GROUP BY event_id)
		SELECT e.name, e.name, coalesce(r.n, 0) AS n FROM events e
			LEFT JOIN recent r ON r.event_id = e.id
		WHERE e.guild_id IN (?1, '') AND EXISTS (SELECT 1 FROM briefing_events m
			WHERE m.event_id = e.id AND m.status = 'published' AND m.guild_id IN (?1, ''))
		ORDER BY n DESC, e.name_folded, e.id`
	case briefings.NameTopic:
		args = []any{guildID, recentBriefings}
		query = `WITH recent AS MATERIALIZED (` + recentTopicCounts("?1", "?2") + `),
			visible AS (SELECT t.guild_id, t.slug, t.name, coalesce((SELECT n FROM recent WHERE recent.slug = t.slug), 0) AS n
				FROM (` + topicsOf("?1") + `) t WHERE ` + topicVisible("t.slug", "?1") + `)
		SELECT name, topic, n FROM (
			SELECT v.name AS name, v.name AS topic, v.n AS n, v.slug AS slug, -1 AS position FROM visible v
			UNION ALL SELECT a.alias, v.name, v.n, v.slug, a.position FROM topic_aliases a
				JOIN visible v ON v.guild_id = a.guild_id AND v.slug = a.topic_slug) names
		ORDER BY n DESC, slug, position`
	default:
		return nil, briefings.Errorf(briefings.EINVALID, "Unknown kind of name %q.", string(kind))
	}
	return db.knownNames(ctx, guildID, kind, func() ([]briefings.KnownName, error) {
		var out []briefings.KnownName
		err := db.lookup(ctx, func(tx querier) error {
			return eachRow(ctx, tx, query, args, func(rows *sql.Rows) error {
				var k briefings.KnownName
				if err := rows.Scan(&k.Name, &k.Of, &k.Mentions); err != nil {
					return err
				}
				out = append(out, k)
				return nil
			})
		})
		if err != nil {
			return nil, fmt.Errorf("known names of %s: %w", kind, err)
		}
		return out, nil
	})
}
