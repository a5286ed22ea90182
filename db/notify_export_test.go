package db

// ListenerPIDForTest returns the server process of the store's LISTEN
// connection, 0 before it first listens or on SQLite.
func (db *DB) ListenerPIDForTest() uint32 {
	if db.changes == nil {
		return 0
	}
	return db.changes.pid.Load()
}

// KeepsSettingsForTest reports whether the store keeps the guild's
// settings between queries now.
func (db *DB) KeepsSettingsForTest(guild string) bool {
	if db.changes == nil {
		return false
	}
	_, ok := db.changes.getSettings(guild)
	return ok
}
