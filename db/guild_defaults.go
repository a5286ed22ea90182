package db

import (
	"context"
	"fmt"

	"briefbot/briefings"
)

var _ briefings.GuildDefaults = (*DB)(nil)

// GuildTimezone returns the guild's default time zone for digests from its
// settings, or "" when none is set.
func (db *DB) GuildTimezone(ctx context.Context, guildID string) (string, error) {
	s, err := db.Settings(ctx, guildID)
	if err != nil {
		return "", fmt.Errorf("guild time zone: %w", err)
	}
	return s.TimeZone, nil
}

// ModeratorRole returns the ID of the guild's moderator role from its
// settings, or "" when none is set.
func (db *DB) ModeratorRole(ctx context.Context, guildID string) (string, error) {
	s, err := db.Settings(ctx, guildID)
	if err != nil {
		return "", fmt.Errorf("moderator role: %w", err)
	}
	return s.ModeratorRoleID, nil
}
