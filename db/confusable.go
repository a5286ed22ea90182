package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"briefbot/briefings"
)

// A new actor name, briefing slug or topic that looks like one the library
// has, written with other characters (briefings.Skeleton), is refused
// naming the existing one: otherwise it becomes a second entry nobody can
// tell from the first. The saver reads the skeletons of its library once
// per transaction and adds those of the names and slugs it writes. Only
// the saver's library and the global one are compared, never another
// guild's: a refusal naming another guild's topic would give it away.

// lookalikes maps the skeletons of a library's actor names, briefing slugs
// and topic slugs that are not plain ASCII to the name or slug as stored. Two names
// look alike only when at least one of them has characters that Skeleton
// replaces, and those are never ASCII: a plain name is found by looking up
// the other's skeleton, and the few others are read once.
type lookalikes struct {
	actors, slugs, topics map[string]string
}

// lookalike returns the name or slug of the library (kind "actors",
// "slugs" or "topics") that text is confusable with, or "".
func (s *saver) lookalike(ctx context.Context, kind, text string) (string, error) {
	if err := s.loadLookalikes(ctx); err != nil {
		return "", err
	}
	m, query, args := s.looks.actors, `SELECT name FROM actor_names WHERE guild_id IN (?1, '') AND folded = ?3 ORDER BY guild_id DESC LIMIT 1`, []any{s.guildID, nil}
	switch kind {
	case "slugs":
		m, query, args = s.looks.slugs, `SELECT slug FROM briefings WHERE guild_id IN (?1, ?2, '') AND slug = ?3 ORDER BY guild_id DESC LIMIT 1`, []any{s.guildID, s.rowGuild()}
	case "topics":
		m, query, args = s.looks.topics, `SELECT slug FROM topics WHERE guild_id IN (?1, '') AND slug = ?3 ORDER BY guild_id DESC LIMIT 1`, []any{s.guildID, nil}
	}
	sk := briefings.Skeleton(text)
	if existing, ok := m[sk]; ok && briefings.Confusable(existing, text) {
		return existing, nil
	}
	if sk == briefings.Fold(text) {
		return "", nil
	}
	var existing string
	err := s.QueryRowContext(ctx, query, append(args, sk)...).Scan(&existing)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("look-alike names: %w", err)
	}
	if briefings.Confusable(existing, text) {
		return existing, nil
	}
	return "", nil
}

// rememberLookalike adds a name or slug the saver wrote.
func (s *saver) rememberLookalike(kind, text string) {
	if s.looks == nil || !notASCII(text) {
		return
	}
	m := s.looks.actors
	switch kind {
	case "slugs":
		m = s.looks.slugs
	case "topics":
		m = s.looks.topics
	}
	if sk := briefings.Skeleton(text); m[sk] == "" {
		m[sk] = text
	}
}

// notASCII reports whether s has a character outside printable ASCII.
func notASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return true
		}
	}
	return false
}

// loadLookalikes reads the skeletons of the library's names and slugs that
// are not plain ASCII, once.
func (s *saver) loadLookalikes(ctx context.Context) error {
	if s.looks != nil {
		return nil
	}
	l := &lookalikes{actors: map[string]string{}, slugs: map[string]string{}, topics: map[string]string{}}
	for _, q := range []struct {
		m     map[string]string
		query string
		args  []any
	}{
		{l.actors, `SELECT name FROM actor_names WHERE guild_id IN (?, '') AND name GLOB '*[^ -~]*' ORDER BY guild_id DESC`, []any{s.guildID}},
		{l.slugs, `SELECT slug FROM briefings WHERE guild_id IN (?, ?, '') AND slug GLOB '*[^ -~]*' ORDER BY guild_id DESC`, []any{s.guildID, s.rowGuild()}},
		{l.topics, `SELECT slug FROM topics WHERE guild_id IN (?, '') AND slug GLOB '*[^ -~]*' ORDER BY guild_id DESC`, []any{s.guildID}},
	} {
		if err := eachRow(ctx, s.tx, q.query, q.args, func(rows *sql.Rows) error {
			var text string
			if err := rows.Scan(&text); err != nil {
				return err
			}
			if sk := briefings.Skeleton(text); q.m[sk] == "" {
				q.m[sk] = text
			}
			return nil
		}); err != nil {
			return fmt.Errorf("look-alike names: %w", err)
		}
	}
	s.looks = l
	return nil
}

// checkLookalikes adds a failure for each new actor name, new topic and a
// new slug of b that looks like one the library has.
func (s *saver) checkLookalikes(ctx context.Context, b *briefings.Briefing, add func(field, format string, args ...any)) error {
	var exists int
	if err := s.QueryRowContext(ctx, `SELECT count(*) FROM briefings WHERE guild_id = ? AND slug = ?`, s.guildID, b.Slug).Scan(&exists); err != nil {
		return fmt.Errorf("find briefing: %w", err)
	}
	if exists == 0 {
		if other, err := s.lookalike(ctx, "slugs", b.Slug); err != nil {
			return err
		} else if other != "" {
			add("slug", "%q looks like %q, the slug of a briefing already in the library, but is written with different characters (letters of another alphabet, for example); write it differently", b.Slug, other)
		}
	}
	seen := map[string]bool{}
	for i, t := range b.Topics {
		slug := briefings.Slugify(t)
		if seen[slug] {
			continue
		}
		seen[slug] = true
		if owner, err := s.topicOwner(ctx, slug); err != nil || owner != nil {
			if err != nil {
				return err
			}
			continue
		}
		other, err := s.lookalike(ctx, "topics", slug)
		if err != nil {
			return err
		}
		if other == "" {
			continue
		}
		var name string
		if err := s.QueryRowContext(ctx, `SELECT name FROM topics WHERE slug = ? AND guild_id IN (?, '') ORDER BY guild_id DESC LIMIT 1`,
			other, s.guildID).Scan(&name); err != nil {
			return fmt.Errorf("look-alike topic %q: %w", other, err)
		}
		add(fmt.Sprintf("topics[%d]", i+1), "%q looks like %q, a topic already in the library, but is written with different characters (letters of another alphabet, for example); use %q or write the topic differently", t, name, name)
	}
	for i, a := range b.Actors {
		for j, name := range append([]string{a.Name}, a.Aliases...) {
			id, err := s.actorID(ctx, s.fold(name))
			if err != nil || id != 0 {
				if err != nil {
					return err
				}
				continue
			}
			other, err := s.lookalike(ctx, "actors", name)
			if err != nil {
				return err
			}
			if other == "" {
				continue
			}
			field := fmt.Sprintf("actors[%d].name", i+1)
			if j > 0 {
				field = fmt.Sprintf("actors[%d].aliases[%d]", i+1, j)
			}
			add(field, "%q looks like %q, an actor already in the library, but is written with different characters (letters of another alphabet, for example); use %q or write the name differently", name, other, other)
		}
	}
	return nil
}
