package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"briefbot/briefings"
)

// A topic belongs to the library that made it (migration 13): the global
// library's topics are everyone's, a guild's are that guild's alone. A guild
// sees its own topics and the global ones, its own hiding a global one of
// the same slug; another guild's topics are to it as if they did not exist,
// in every lookup, list and suggestion. A briefing's topic slug names the
// topic its library sees.

// topicsOf is the SQL of the topics the guild (param guild) sees, one per
// slug: its own and the global library's, its own hiding a global one.
func topicsOf(guild string) string {
	return `SELECT t.guild_id, t.slug, t.name, t.name_folded FROM topics t WHERE t.guild_id = ` + guild + `
		OR t.guild_id = '' AND NOT EXISTS (SELECT 1 FROM topics o WHERE o.guild_id = ` + guild + ` AND o.slug = t.slug)`
}

// topicNameOf is the SQL of the display name the library of guild (an SQL
// expression) gives the slug (an SQL expression): its own topic's, or the
// global one's; NULL when it sees no such topic.
func topicNameOf(slug, guild string) string {
	return `(SELECT o.name FROM topics o WHERE o.slug = ` + slug + ` AND o.guild_id IN (` + guild + `, '')
		ORDER BY o.guild_id DESC LIMIT 1)`
}

// loadTopicAliases fills in the aliases of the topics.
func loadTopicAliases(ctx context.Context, q querier, topics []*briefings.Topic) error {
	if len(topics) == 0 {
		return nil
	}
	type key struct{ guild, slug string }
	byKey := map[key]*briefings.Topic{}
	slugs := make([]string, len(topics))
	for i, t := range topics {
		byKey[key{t.GuildID, t.Slug}] = t
		slugs[i] = t.Slug
	}
	return eachRow(ctx, q, `SELECT guild_id, topic_slug, alias FROM topic_aliases
		WHERE topic_slug IN (`+placeholders(len(slugs))+`) ORDER BY guild_id, topic_slug, position`, stringArgs(slugs), func(rows *sql.Rows) error {
		var k key
		var alias string
		if err := rows.Scan(&k.guild, &k.slug, &alias); err != nil {
			return err
		}
		if t := byKey[k]; t != nil {
			t.Aliases = append(t.Aliases, alias)
		}
		return nil
	})
}

func stringArgs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Topic returns the topic whose slug, name or alias equals text, ignoring
// case and accents, among the topics the guild sees (its own and the global
// ones) that have a published briefing visible to the guild: a topic only
// drafts, retracted briefings or another guild's briefings are on answers
// as one that does not exist. Returns ENOTFOUND.
func (db *DB) Topic(ctx context.Context, guildID, text string) (*briefings.Topic, error) {
	return db.topic(ctx, guildID, text, members)
}

// TopicToCurate is Topic for moderators and digests: any topic the guild
// sees, whatever its briefings (drafts, retracted ones or none), so that a
// digest can announce the retraction of a topic's last briefing. Another
// guild's topics stay out. Returns ENOTFOUND.
func (db *DB) TopicToCurate(ctx context.Context, guildID, text string) (*briefings.Topic, error) {
	return db.topic(ctx, guildID, text, curators)
}

func (db *DB) topic(ctx context.Context, guildID, text string, s scope) (*briefings.Topic, error) {
	folded := briefings.Fold(text)
	t := &briefings.Topic{}
	err := db.lookup(ctx, func(tx querier) error {
		err := tx.QueryRowContext(ctx, `WITH vt AS (`+topicsOf("?4")+`)
			SELECT guild_id, slug, name FROM vt WHERE (slug = ?1 OR slug = ?2 OR name_folded = ?3)`+s.visibleTo(topicVisible("vt.slug", "?4"))+`
			UNION ALL SELECT vt.guild_id, vt.slug, vt.name FROM topic_aliases a JOIN vt ON vt.guild_id = a.guild_id AND vt.slug = a.topic_slug
				WHERE a.alias_folded = ?3`+s.visibleTo(topicVisible("vt.slug", "?4"))+`
			LIMIT 1`, strings.TrimSpace(text), briefings.Slugify(text), folded, guildID).Scan(&t.GuildID, &t.Slug, &t.Name)
		if errors.Is(err, sql.ErrNoRows) {
			return briefings.Errorf(briefings.ENOTFOUND, "No topic named %q.", briefings.Truncate(text, 100))
		} else if err != nil {
			return fmt.Errorf("topic %q: %w", text, err)
		}
		return loadTopicAliases(ctx, tx, []*briefings.Topic{t})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// SaveTopic creates or renames a topic of guildID's library ("" for the
// global one) and replaces its aliases. Briefings create the topics they
// name; this gives them a display name and aliases. A guild's topic hides a
// global one of the same slug from that guild. Returns EINVALID for a bad
// slug or name, ECONFLICT when an alias already selects another topic the
// guild sees.
func (db *DB) SaveTopic(ctx context.Context, guildID string, t briefings.Topic) error {
	if t.Slug == "" || briefings.Slugify(t.Slug) != t.Slug {
		return briefings.Errorf(briefings.EINVALID, "The topic slug %q may hold only lowercase letters, digits and single hyphens.", t.Slug)
	}
	if strings.TrimSpace(t.Name) == "" || len([]rune(t.Name)) > briefings.MaxName {
		return briefings.Errorf(briefings.EINVALID, "A topic needs a name of at most %d characters.", briefings.MaxName)
	}
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return busy(err, "save topic: begin")
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO topics (guild_id, slug, name, name_folded) VALUES (?1, ?2, ?3, ?4)
		ON CONFLICT (guild_id, slug) DO UPDATE SET name = ?3, name_folded = ?4`, guildID, t.Slug, t.Name, briefings.Fold(t.Name)); err != nil {
		return conflict(err, "save topic %q", t.Slug)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM topic_aliases WHERE guild_id = ? AND topic_slug = ?`, guildID, t.Slug); err != nil {
		return fmt.Errorf("save topic %q: %w", t.Slug, err)
	}
	for i, a := range t.Aliases {
		folded := briefings.Fold(a)
		var other string
		err := tx.QueryRowContext(ctx, `WITH vt AS (`+topicsOf("?4")+`)
			SELECT slug FROM vt WHERE slug <> ?1 AND (name_folded = ?2 OR slug = ?3)
			UNION ALL SELECT vt.slug FROM topic_aliases a JOIN vt ON vt.guild_id = a.guild_id AND vt.slug = a.topic_slug
				WHERE vt.slug <> ?1 AND a.alias_folded = ?2 LIMIT 1`,
			t.Slug, folded, briefings.Slugify(a), guildID).Scan(&other)
		if err == nil {
			return briefings.Errorf(briefings.ECONFLICT, "The alias %q already selects the topic %q.", a, other)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("save topic %q: %w", t.Slug, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO topic_aliases (guild_id, topic_slug, alias, alias_folded, position) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, guildID, t.Slug, a, folded, i); err != nil {
			return conflict(err, "save topic %q", t.Slug)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save topic %q: commit: %w", t.Slug, err)
	}
	return nil
}

// Topics returns every topic with published briefings visible to the guild,
// with how many there are and the date of the newest, most recent first.
// Each has the name the guild's library gives it.
func (db *DB) Topics(ctx context.Context, guildID string) ([]briefings.TopicStats, error) {
	var out []briefings.TopicStats
	err := db.read(ctx, func(tx *sql.Tx) error {
		// SQLite takes the bare column published_precision from the row
		// holding max(published); PostgreSQL has no bare columns.
		precision := `b.published_precision`
		if db.pg {
			precision = `(array_agg(b.published_precision ORDER BY b.published DESC))[1]`
		}
		if err := eachRow(ctx, tx, `WITH vt AS (`+topicsOf("?1")+`)
			SELECT t.guild_id, t.slug, t.name, count(*), max(b.published), `+precision+`
			FROM briefing_topics bt JOIN briefings b ON b.id = bt.briefing_id JOIN vt t ON t.slug = bt.topic_slug
			WHERE b.status = 'published' AND b.guild_id IN (?1, '')
			GROUP BY t.slug, t.guild_id, t.name ORDER BY max(b.published) DESC, t.slug`, []any{guildID}, func(rows *sql.Rows) error {
			var s briefings.TopicStats
			var latest string
			var p int
			if err := rows.Scan(&s.GuildID, &s.Slug, &s.Name, &s.Count, &latest, &p); err != nil {
				return err
			}
			var err error
			s.Latest, err = parseDate(latest, p)
			out = append(out, s)
			return err
		}); err != nil {
			return err
		}
		ptrs := make([]*briefings.Topic, len(out))
		for i := range out {
			ptrs[i] = &out[i].Topic
		}
		return loadTopicAliases(ctx, tx, ptrs)
	})
	if err != nil {
		return nil, fmt.Errorf("topics: %w", err)
	}
	return out, nil
}
