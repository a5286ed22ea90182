package briefings

import (
	"context"
	"crypto/rand"
	"encoding/base64"
)

// RoomKeyBytes is how many random bytes a reading room's key holds: 144
// bits, written as 24 URL-safe characters.
const RoomKeyBytes = 18

// ReadingRoom is a guild's library on the web: off until the guild's admins
// turn it on, and addressed by an unguessable key, never the guild's ID.
type ReadingRoom struct {
	// GuildID is the guild whose library the room shows.
	GuildID string
	// Key addresses the room's pages (/g/<key>/…); empty until the room
	// is first turned on. Never log it.
	Key string
	// On says whether the pages are served; when off, every page is
	// missing exactly as under a key that never existed.
	On bool
}

// ReadingRooms stores the guilds' reading rooms.
type ReadingRooms interface {
	// ReadingRoom returns the guild's room; a room that is off and has no
	// key when none was saved.
	ReadingRoom(ctx context.Context, guildID string) (ReadingRoom, error)
	// SaveReadingRoom stores the guild's room (its switch and its key)
	// and records the change, without the key, in the audit log.
	SaveReadingRoom(ctx context.Context, room ReadingRoom, by string) error
	// OpenReadingRoom returns the room with the key when it is on.
	// Returns ENOTFOUND for a key no room has and for a room that is off
	// alike.
	OpenReadingRoom(ctx context.Context, key string) (ReadingRoom, error)
}

// NewRoomKey returns a fresh reading room key from crypto/rand.
func NewRoomKey() (string, error) {
	b := make([]byte, RoomKeyBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ValidRoomKey reports whether key has the form NewRoomKey gives, so that
// nothing else is looked up.
func ValidRoomKey(key string) bool {
	if len(key) != base64.RawURLEncoding.EncodedLen(RoomKeyBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(key)
	return err == nil
}
