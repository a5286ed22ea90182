package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"briefbot/briefings"
)

var _ briefings.FeedbackStore = (*DB)(nil)

// RecordFeedback implements briefings.FeedbackStore. A vote replaces the
// member's earlier vote on the same answer, and a new 👎 waits for review
// again even if the earlier one was reviewed.
func (db *DB) RecordFeedback(ctx context.Context, f briefings.AnswerFeedback) error {
	if f.MessageID == "" || strings.TrimSpace(f.Question) == "" {
		return briefings.Errorf(briefings.EINVALID, "That answer can't take feedback: it has no message or question. Ask again with /ask.")
	}
	_, now := db.now()
	if !f.CreatedAt.IsZero() {
		now = f.CreatedAt.UTC().Format(time.RFC3339Nano)
	}
	_, err := db.writer.ExecContext(ctx, `
		INSERT INTO answer_feedback (guild_id, channel_id, message_id, user_id, question, answer, model, helpful, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (message_id, user_id) DO UPDATE SET
			helpful = excluded.helpful, question = excluded.question, answer = excluded.answer,
			model = excluded.model, created_at = excluded.created_at, reviewed_at = '', reviewed_by = ''`,
		f.GuildID, f.ChannelID, f.MessageID, f.UserID, briefings.Truncate(f.Question, briefings.MaxTitle*2),
		briefings.Truncate(f.Answer, briefings.MaxFeedbackAnswer), f.Model, f.Helpful, now)
	if err != nil {
		return fmt.Errorf("record feedback on message %s: %w", f.MessageID, err)
	}
	return nil
}

// FeedbackToReview implements briefings.FeedbackStore.
func (db *DB) FeedbackToReview(ctx context.Context, guildID string, limit int) ([]briefings.AnswerFeedback, int, error) {
	if limit <= 0 {
		limit = 10
	}
	var out []briefings.AnswerFeedback
	var total int
	err := db.read(ctx, func(tx *sql.Tx) error {
		const open = `FROM answer_feedback WHERE guild_id = ? AND helpful = 0 AND reviewed_at = ''`
		if err := tx.QueryRowContext(ctx, `SELECT count(*) `+open, guildID).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, guild_id, channel_id, message_id, user_id, question, answer, model, created_at `+
			open+` ORDER BY id DESC LIMIT ?`, guildID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f briefings.AnswerFeedback
			var created string
			if err := rows.Scan(&f.ID, &f.GuildID, &f.ChannelID, &f.MessageID, &f.UserID, &f.Question, &f.Answer, &f.Model, &created); err != nil {
				return err
			}
			f.CreatedAt = parseTime(created)
			out = append(out, f)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("feedback to review in %q: %w", guildID, err)
	}
	return out, total, nil
}

// MarkFeedbackReviewed implements briefings.FeedbackStore.
func (db *DB) MarkFeedbackReviewed(ctx context.Context, guildID string, ids []int64, by string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	_, now := db.now()
	args := []any{now, by, guildID}
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = "?"
		args = append(args, id)
	}
	res, err := db.writer.ExecContext(ctx, `UPDATE answer_feedback SET reviewed_at = ?, reviewed_by = ?
		WHERE guild_id = ? AND helpful = 0 AND reviewed_at = '' AND id IN (`+strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return 0, fmt.Errorf("mark feedback reviewed in %q: %w", guildID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("mark feedback reviewed in %q: %w", guildID, err)
	}
	return int(n), nil
}
