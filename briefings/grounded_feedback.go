package briefings

import (
	"context"
	"time"
)

// AnswerFeedback is one member's 👍 or 👎 on an answer of /ask. A 👎 puts
// the question on the moderators' review list until someone marks it
// reviewed.
type AnswerFeedback struct {
	// ID is the store's identifier.
	ID int64
	// GuildID is where the answer was given; empty in direct messages.
	GuildID string
	// ChannelID and MessageID locate the answer, for a link to it.
	ChannelID, MessageID string
	// UserID is who pressed the button.
	UserID string
	// Question is the question as the answer shows it.
	Question string
	// Answer is the answer's text, shortened.
	Answer string
	// Model names the model that wrote the answer; empty when the answer
	// is the deterministic one.
	Model string
	// Helpful is true for 👍, false for 👎.
	Helpful bool
	// CreatedAt is when the button was pressed (the latest press).
	CreatedAt time.Time
	// ReviewedAt and ReviewedBy say when and by whom a moderator marked
	// it reviewed; zero while it waits.
	ReviewedAt time.Time
	ReviewedBy string
}

// MaxFeedbackAnswer bounds the answer text kept with feedback.
const MaxFeedbackAnswer = 2000

// FeedbackStore keeps members' feedback on answers.
type FeedbackStore interface {
	// RecordFeedback stores f. A member has one vote per answer: a second
	// press replaces the first, and a 👎 that was reviewed comes back on
	// the list when pressed again. Returns EINVALID without a message ID
	// or question.
	RecordFeedback(ctx context.Context, f AnswerFeedback) error
	// FeedbackToReview returns the unreviewed 👎 of the guild's answers
	// ("" for direct messages), newest first, at most limit, and how many
	// there are in all.
	FeedbackToReview(ctx context.Context, guildID string, limit int) ([]AnswerFeedback, int, error)
	// MarkFeedbackReviewed marks those of the IDs that are the guild's
	// unreviewed 👎 reviewed by by, and returns how many it marked.
	MarkFeedbackReviewed(ctx context.Context, guildID string, ids []int64, by string) (int, error)
}
