package db_test

import (
	"context"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

func TestDB_Feedback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		vote := func(msg, user, question string, helpful bool) {
			t.Helper()
			err := d.RecordFeedback(ctx, briefings.AnswerFeedback{GuildID: "g1", ChannelID: "c1", MessageID: msg, UserID: user,
				Question: question, Answer: "answer to " + question, Model: "m", Helpful: helpful})
			if err != nil {
				t.Fatal(err)
			}
		}
		vote("m1", "u1", "Who won?", false)
		vote("m2", "u1", "How many troops?", true)
		vote("m3", "u2", "When is the summit?", false)
		vote("m3", "u3", "When is the summit?", false)
		if err := d.RecordFeedback(ctx, briefings.AnswerFeedback{GuildID: "g2", MessageID: "m9", UserID: "u1", Question: "Other guild?"}); err != nil {
			t.Fatal(err)
		}

		list, total, err := d.FeedbackToReview(ctx, "g1", 2)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := total, 3; got != want {
			t.Fatalf("total=%d, want %d", got, want)
		}
		if len(list) != 2 || list[0].Question != "When is the summit?" || list[0].UserID != "u3" || list[0].CreatedAt.IsZero() {
			t.Fatalf("list %+v", list)
		}

		t.Run("ChangingAVoteReplacesIt", func(t *testing.T) {
			vote("m1", "u1", "Who won?", true)
			_, total, _ := d.FeedbackToReview(ctx, "g1", 10)
			if total != 2 {
				t.Fatalf("total=%d, want 2", total)
			}
		})
		t.Run("MarkReviewed", func(t *testing.T) {
			list, _, _ := d.FeedbackToReview(ctx, "g1", 10)
			ids := []int64{list[0].ID, list[1].ID}
			if n, err := d.MarkFeedbackReviewed(ctx, "g2", ids, "mod"); err != nil || n != 0 {
				t.Fatalf("another guild marked %d, %v", n, err)
			}
			if n, err := d.MarkFeedbackReviewed(ctx, "g1", ids, "mod"); err != nil || n != 2 {
				t.Fatalf("marked %d, %v", n, err)
			}
			if _, total, _ := d.FeedbackToReview(ctx, "g1", 10); total != 0 {
				t.Fatalf("total=%d after review, want 0", total)
			}
			vote("m3", "u2", "When is the summit?", false)
			if _, total, _ := d.FeedbackToReview(ctx, "g1", 10); total != 1 {
				t.Fatalf("a new 👎 after review: total=%d, want 1", total)
			}
		})
		t.Run("NeedsAMessageAndAQuestion", func(t *testing.T) {
			err := d.RecordFeedback(ctx, briefings.AnswerFeedback{GuildID: "g1", UserID: "u1", Question: "q"})
			if codeOf(err) != briefings.EINVALID {
				t.Fatalf("err %v, want EINVALID", err)
			}
		})
	})
}
