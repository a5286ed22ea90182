package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"briefbot/briefings"
)

// saveTopic creates the topic a briefing names in the saver's library
// unless the library sees it already. A guild's briefing on a slug the
// global library has uses the global topic as it is: only the global
// library names its topics. Another guild's topic of the slug is none of
// the saver's business.
func (s *saver) saveTopic(ctx context.Context, t string) error {
	// A topic given as a display name ("Russia–North Korea") names the
	// topic; one given as a slug keeps whatever name the topic has.
	slug := briefings.Slugify(t)
	name := strings.TrimSpace(t)
	upsert := `ON CONFLICT (guild_id, slug) DO UPDATE SET name = excluded.name, name_folded = excluded.name_folded`
	keep := name == slug // keeps the name of a topic the library has
	if keep {
		name = topicName(slug)
		upsert = `ON CONFLICT (guild_id, slug) DO NOTHING`
	}
	owner, err := s.topicOwner(ctx, slug)
	if err != nil {
		return err
	}
	if owner != nil && *owner != s.guildID {
		return nil
	}
	// Writing again what the saver wrote, or a slug its library has,
	// changes nothing.
	if seen := s.topic(slug); owner != nil && (keep || seen.wrote && seen.name == name) {
		return nil
	}
	if err := s.undoTopic(ctx, slug); err != nil {
		return err
	}
	if _, err := s.ExecContext(ctx, `INSERT INTO topics (guild_id, slug, name, name_folded) VALUES (?, ?, ?, ?) `+upsert,
		s.guildID, slug, name, briefings.Fold(name)); err != nil {
		return fmt.Errorf("save topic %q: %w", slug, err)
	}
	if owner == nil {
		s.rememberLookalike("topics", slug)
	}
	seen := s.rememberTopic(slug, &s.guildID)
	seen.wrote, seen.name = true, name
	return nil
}

// topicOwner returns the library whose topic the slug names in the
// saver's library: its own ("" for global), the global one, or nil when
// it sees no such topic.
func (s *saver) topicOwner(ctx context.Context, slug string) (*string, error) {
	if t := s.topic(slug); t != nil {
		return t.owner, nil
	}
	var owner string
	err := s.QueryRowContext(ctx, `SELECT guild_id FROM topics WHERE slug = +? AND guild_id IN (?, '')
		ORDER BY guild_id DESC LIMIT 1`, slug, s.guildID).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		s.rememberTopic(slug, nil)
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find topic %q: %w", slug, err)
	}
	s.rememberTopic(slug, &owner)
	return &owner, nil
}
