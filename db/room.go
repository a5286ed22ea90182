package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"briefbot/briefings"
)

var _ briefings.ReadingRooms = (*DB)(nil)

// ReadingRoom returns the guild's reading room; off and without a key when
// none was saved.
func (db *DB) ReadingRoom(ctx context.Context, guildID string) (briefings.ReadingRoom, error) {
	room := briefings.ReadingRoom{GuildID: guildID}
	if guildID == "" {
		return room, nil
	}
	err := db.readers.QueryRowContext(ctx, `SELECT room_key, enabled FROM reading_rooms WHERE guild_id = ?`, guildID).Scan(&room.Key, &room.On)
	if errors.Is(err, sql.ErrNoRows) {
		return room, nil
	} else if err != nil {
		return room, fmt.Errorf("reading room of %q: %w", guildID, err)
	}
	return room, nil
}

// SaveReadingRoom stores the guild's reading room and records in the audit
// log whether it is on and whether its key changed, never the key itself.
// Returns EINVALID for a room without a guild or a valid key.
func (db *DB) SaveReadingRoom(ctx context.Context, room briefings.ReadingRoom, by string) error {
	if room.GuildID == "" || !briefings.ValidRoomKey(room.Key) {
		return briefings.Errorf(briefings.EINVALID, "A reading room needs a server and a key from briefings.NewRoomKey.")
	}
	_, at := db.now()
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return busy(err, "save reading room: begin")
	}
	defer tx.Rollback()
	var key string
	var on bool
	before := ""
	err = tx.QueryRowContext(ctx, `SELECT room_key, enabled FROM reading_rooms WHERE guild_id = ?`, room.GuildID).Scan(&key, &on)
	if err == nil {
		before = roomJSON(on, false)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("save reading room: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO reading_rooms (guild_id, room_key, enabled, updated_by, updated_at)
		VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (guild_id) DO UPDATE SET room_key = ?2, enabled = ?3,
		updated_by = ?4, updated_at = ?5`, room.GuildID, room.Key, room.On, by, at); err != nil {
		return fmt.Errorf("save reading room: %w", err)
	}
	if err := insertAudit(ctx, tx, auditRow{at: at, guildID: room.GuildID, userID: by, action: briefings.AuditSettings,
		target: "reading room", before: before, after: roomJSON(room.On, key != "" && key != room.Key)}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save reading room: commit: %w", err)
	}
	return nil
}

func roomJSON(on, newKey bool) string {
	s := `{"reading_room":false`
	if on {
		s = `{"reading_room":true`
	}
	if newKey {
		s += `,"new_key":true`
	}
	return s + "}"
}

// OpenReadingRoom returns the room with the key when it is on; ENOTFOUND
// for an unknown key and for a room that is off alike.
func (db *DB) OpenReadingRoom(ctx context.Context, key string) (briefings.ReadingRoom, error) {
	room := briefings.ReadingRoom{Key: key}
	if !briefings.ValidRoomKey(key) {
		return room, briefings.Errorf(briefings.ENOTFOUND, "no such reading room")
	}
	err := db.readers.QueryRowContext(ctx, `SELECT guild_id FROM reading_rooms WHERE room_key = ? AND enabled = 1`, key).Scan(&room.GuildID)
	if errors.Is(err, sql.ErrNoRows) {
		return room, briefings.Errorf(briefings.ENOTFOUND, "no such reading room")
	} else if err != nil {
		return room, fmt.Errorf("open reading room: %w", err)
	}
	room.On = true
	return room, nil
}

// LibraryVersion counts the writes to briefings and topics: it changes
// whenever anything the reading room draws may have, so a picture drawn
// at one version can be served again until it changes.
func (db *DB) LibraryVersion(ctx context.Context) (int64, error) {
	return db.cachedVersion(func() (int64, error) { return db.readLibraryVersion(ctx) })
}

// readLibraryVersion reads the library's version from the database.
func (db *DB) readLibraryVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.readers.QueryRowContext(ctx, `SELECT version FROM library_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("library version: %w", err)
	}
	return v, nil
}
