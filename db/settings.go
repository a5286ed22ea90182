package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"briefbot/briefings"
)

// Settings returns the guild's settings, or zero settings for the guild
// when none were saved.
func (db *DB) Settings(ctx context.Context, guildID string) (briefings.GuildSettings, error) {
	if guildID == "" {
		return briefings.GuildSettings{}, nil
	}
	return db.cachedSettings(guildID, func() (briefings.GuildSettings, error) { return db.readSettings(ctx, guildID) })
}

// readSettings reads the guild's settings from the database.
func (db *DB) readSettings(ctx context.Context, guildID string) (briefings.GuildSettings, error) {
	s := briefings.GuildSettings{GuildID: guildID}
	var at string
	err := db.readers.QueryRowContext(ctx, `SELECT moderator_role_id, time_zone, updated_by, updated_at FROM guild_settings
		WHERE guild_id = ?`, guildID).Scan(&s.ModeratorRoleID, &s.TimeZone, &s.UpdatedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	} else if err != nil {
		return s, fmt.Errorf("settings of %q: %w", guildID, err)
	}
	s.UpdatedAt = parseTime(at)
	return s, nil
}

// SaveSettings validates and stores the guild's settings and records the
// change in the audit log. Returns EINVALID.
func (db *DB) SaveSettings(ctx context.Context, s briefings.GuildSettings, by string) error {
	if err := briefings.ValidateSettings(s); err != nil {
		return err
	}
	_, at := db.now()
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return busy(err, "save settings: begin")
	}
	defer tx.Rollback()
	var before string
	var role, zone string
	err = tx.QueryRowContext(ctx, `SELECT moderator_role_id, time_zone FROM guild_settings WHERE guild_id = ?`, s.GuildID).Scan(&role, &zone)
	if err == nil {
		before = settingsJSON(role, zone)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("save settings: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO guild_settings (guild_id, moderator_role_id, time_zone, updated_by, updated_at)
		VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (guild_id) DO UPDATE SET moderator_role_id = ?2, time_zone = ?3,
		updated_by = ?4, updated_at = ?5`, s.GuildID, s.ModeratorRoleID, s.TimeZone, by, at); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: s.GuildID, userID: by, action: briefings.AuditSettings,
		target: "settings", before: before, after: settingsJSON(s.ModeratorRoleID, s.TimeZone)}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save settings: commit: %w", err)
	}
	db.forget(changedSettings + s.GuildID)
	return nil
}

func settingsJSON(role, zone string) string {
	data, _ := json.Marshal(map[string]string{"moderator_role_id": role, "time_zone": zone})
	return string(data)
}
