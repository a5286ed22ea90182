package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"briefbot/briefings"
)

// loadTopicAliases fills in the aliases of the topics.
func loadTopicAliases(ctx context.Context, q queryer, topics []*briefings.Topic) error {
	if len(topics) == 0 {
		return nil
	}
	bySlug := map[string]*briefings.Topic{}
	slugs := make([]string, len(topics))
	for i, t := range topics {
		bySlug[t.Slug] = t
		slugs[i] = t.Slug
	}
	return eachRow(ctx, q, `SELECT topic_slug, alias FROM topic_aliases
		WHERE topic_slug IN (`+placeholders(len(slugs))+`) ORDER BY topic_slug, position`, stringArgs(slugs), func(rows *sql.Rows) error {
		var slug, alias string
		if err := rows.Scan(&slug, &alias); err != nil {
			return err
		}
		bySlug[slug].Aliases = append(bySlug[slug].Aliases, alias)
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
// case and accents. Returns ENOTFOUND.
func (db *DB) Topic(ctx context.Context, text string) (*briefings.Topic, error) {
	folded := briefings.Fold(text)
	t := &briefings.Topic{}
	err := db.lookup(ctx, func(tx queryer) error {
		err := tx.QueryRowContext(ctx, `SELECT slug, name FROM topics WHERE slug = ?1 OR slug = ?2 OR name_folded = ?3
			UNION ALL SELECT t.slug, t.name FROM topic_aliases a JOIN topics t ON t.slug = a.topic_slug WHERE a.alias_folded = ?3
			LIMIT 1`, strings.TrimSpace(text), briefings.Slugify(text), folded).Scan(&t.Slug, &t.Name)
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

// SaveTopic creates or renames a topic and replaces its aliases. Briefings
// create the topics they name; this gives them a display name and aliases.
// Returns EINVALID for a bad slug or name, ECONFLICT when an alias already
// selects another topic.
func (db *DB) SaveTopic(ctx context.Context, t briefings.Topic) error {
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
	if _, err := tx.ExecContext(ctx, `INSERT INTO topics (slug, name, name_folded) VALUES (?1, ?2, ?3)
		ON CONFLICT (slug) DO UPDATE SET name = ?2, name_folded = ?3`, t.Slug, t.Name, briefings.Fold(t.Name)); err != nil {
		return conflict(err, "save topic %q", t.Slug)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM topic_aliases WHERE topic_slug = ?`, t.Slug); err != nil {
		return fmt.Errorf("save topic %q: %w", t.Slug, err)
	}
	for i, a := range t.Aliases {
		folded := briefings.Fold(a)
		var other string
		err := tx.QueryRowContext(ctx, `SELECT slug FROM topics WHERE slug <> ?1 AND (name_folded = ?2 OR slug = ?3)
			UNION ALL SELECT topic_slug FROM topic_aliases WHERE topic_slug <> ?1 AND alias_folded = ?2 LIMIT 1`,
			t.Slug, folded, briefings.Slugify(a)).Scan(&other)
		if err == nil {
			return briefings.Errorf(briefings.ECONFLICT, "The alias %q already selects the topic %q.", a, other)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("save topic %q: %w", t.Slug, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO topic_aliases (topic_slug, alias, alias_folded, position) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, t.Slug, a, folded, i); err != nil {
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
func (db *DB) Topics(ctx context.Context, guildID string) ([]briefings.TopicStats, error) {
	var out []briefings.TopicStats
	err := db.read(ctx, func(tx *sql.Tx) error {
		// SQLite takes the bare column published_precision from the row
		// holding max(published).
		if err := eachRow(ctx, tx, `SELECT t.slug, t.name, count(*), max(b.published), b.published_precision
			FROM briefing_topics bt JOIN briefings b ON b.id = bt.briefing_id JOIN topics t ON t.slug = bt.topic_slug
			WHERE b.status = 'published' AND b.guild_id IN (?, '')
			GROUP BY t.slug ORDER BY max(b.published) DESC, t.slug`, []any{guildID}, func(rows *sql.Rows) error {
			var s briefings.TopicStats
			var latest string
			var p int
			if err := rows.Scan(&s.Slug, &s.Name, &s.Count, &latest, &p); err != nil {
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
