package db

import (
	"context"

	"briefbot/briefings"
)

// CompleteBySQL is CompleteNames asking SQL alone, without the indexes it
// keeps, for tests that check both answer alike.
func (db *DB) CompleteBySQL(ctx context.Context, guildID string, kind briefings.NameKind, text string, limit int) ([]string, error) {
	if limit <= 0 || limit > MaxCompletions {
		limit = MaxCompletions
	}
	return db.completeBySQL(ctx, guildID, kind, text, limit)
}
