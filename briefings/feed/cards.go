package feed

import (
	"context"
	"sync"
	"time"

	"briefbot/briefings"
)

// Review cards are never lost silently: a card is remembered as waiting
// with its draft, in one transaction, and marked done once posted. A card
// Discord refuses (the bot may not post in the review channel) waits with
// the reason, which /feed list shows, and is tried again at later polls,
// each time after a longer wait.
const (
	// firstCardRetry is the wait after a card's first failed try; it
	// doubles with each failure, up to maxCardRetry.
	firstCardRetry = time.Minute
	maxCardRetry   = time.Hour
	// cardsPerRound bounds the waiting cards tried in one round.
	cardsPerRound = 50
)

// CardsReport is what became of the review cards that were waiting when a
// round of polling began.
type CardsReport struct {
	// Posted counts the cards posted (or no longer wanted); NotPosted
	// those that failed again, the last for the reason Error gives.
	Posted, NotPosted int
	Error             string
}

// round is what one round of polling learns about review channels: one
// that refused a card is not asked again in the same round, so a channel
// the bot may not post in costs Discord one refused request per round.
type round struct {
	mu      sync.Mutex
	refused map[string]error
}

func newRound() *round { return &round{refused: map[string]error{}} }

func (r *round) refusal(channelID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refused[channelID]
}

func (r *round) refuse(channelID string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refused[channelID] = err
}

// cardRetry is the wait before the next try after tries failures.
func cardRetry(tries int) time.Duration {
	d := firstCardRetry
	for i := 1; i < tries && d < maxCardRetry; i++ {
		d *= 2
	}
	return min(d, maxCardRetry)
}

// deliverWaiting tries the review cards still waiting whose next try is
// due. The error is the store's.
func (p *Poller) deliverWaiting(ctx context.Context, rd *round) (CardsReport, error) {
	var rep CardsReport
	if p.Reviewer == nil {
		return rep, nil
	}
	cards, err := p.Store.WaitingFeedCards(ctx, p.now(), cardsPerRound)
	if err != nil {
		return rep, err
	}
	for _, c := range cards {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		posted, why, err := p.postCard(ctx, rd, c.Feed, c.Item)
		if err != nil {
			return rep, err
		}
		if posted {
			rep.Posted++
		} else {
			rep.NotPosted++
			rep.Error = why
		}
	}
	return rep, nil
}

// postCard posts the review card of item's draft and records the outcome:
// done, or one more failed try with why it failed, tried again later. The
// error is the store's (or ctx's).
func (p *Poller) postCard(ctx context.Context, rd *round, f briefings.Feed, item briefings.FeedItem) (bool, string, error) {
	err := rd.refusal(f.ReviewChannelID)
	if err == nil {
		err = p.Reviewer.ReviewDraft(ctx, f, item.BriefingID, item.CardNote)
	}
	if err == nil {
		return true, "", p.Store.RecordFeedCard(ctx, f.ID, item.Key, "", time.Time{})
	}
	if ctx.Err() != nil {
		return false, "", ctx.Err()
	}
	rd.refuse(f.ReviewChannelID, err)
	why := briefings.ErrorMessage(err)
	if code := briefings.ErrorCode(err); code == briefings.EINTERNAL || code == "" {
		// the details are in the log, not for /feed list
		why = "Something went wrong on the bot's side (see its log); it tries again later."
	}
	tries := item.CardTries + 1
	p.Logger.WarnContext(ctx, "review card not posted", "feed", f.ID, "item", item.Key, "briefing", item.BriefingID,
		"channel", f.ReviewChannelID, "tries", tries, "err", err)
	return false, why, p.Store.RecordFeedCard(ctx, f.ID, item.Key, why, p.now().Add(cardRetry(tries)))
}
