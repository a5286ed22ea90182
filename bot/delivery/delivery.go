package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"briefbot/bot/discord"
	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/internal/retry"

	"github.com/bwmarrin/discordgo"
)

// Defaults of a Deliverer.
const (
	// DefaultDeliveryRate keeps fan-out under Discord's global limit of 50
	// requests per second with room for the bot's other requests.
	DefaultDeliveryRate = 45
	// DefaultDeliveryWorkers is how many deliveries run at once.
	DefaultDeliveryWorkers = 8
	// DefaultSendAttempts is how many times one message is tried in one run
	// before the delivery waits for the next run.
	DefaultSendAttempts = 5
	// DefaultGiveUpAfter is how long a slot is retried before it is given up.
	DefaultGiveUpAfter = 24 * time.Hour
)

// Deliverer posts the digests that are due: it claims due slots in the
// outbox, composes each digest once per topic and period, and sends every
// message with a nonce Discord enforces, so that a crash, a restart or a
// retried request never posts a slot twice and never loses one.
type Deliverer struct {
	// Store is the outbox; Source what digests are composed from. *db.DB is
	// both.
	Store  briefings.Outbox
	Source briefings.DigestSource
	// Session sends the messages through discordgo's rate-limited
	// requester; it needs no gateway connection.
	Session *discordgo.Session
	// Shard selects the subscriptions this process delivers.
	Shard briefings.Shard
	// Grace is how late a missed slot may still be delivered; 0 means
	// briefings.DefaultGrace.
	Grace time.Duration
	// Rate is the most requests per second the fan-out makes; 0 means
	// DefaultDeliveryRate.
	Rate float64
	// Workers is how many deliveries run at once; 0 means
	// DefaultDeliveryWorkers.
	Workers int
	// Attempts is how many times a message is tried per run; 0 means
	// DefaultSendAttempts.
	Attempts int
	// Backoff is the first wait after a server error, doubling each time;
	// 0 means 500 ms.
	Backoff time.Duration
	// GiveUpAfter is how long after its slot a delivery is retried; 0
	// means DefaultGiveUpAfter.
	GiveUpAfter time.Duration
	// Logger receives delivery logs; nil discards them.
	Logger *slog.Logger
	// Metrics, when set, counts deliveries by outcome.
	Metrics *discord.Metrics

	once  sync.Once
	pace  *pacer
	log   *slog.Logger
	grace time.Duration
}

// DeliveryReport says what one RunDue did.
type DeliveryReport struct {
	// Claimed and Missed are the slots claimed, and skipped as too late.
	Claimed, Missed int
	// Delivered, NothingNew, Failed and Retrying count the deliveries
	// finished each way, or left for the next run.
	Delivered, NothingNew, Failed, Retrying int
}

func (d *Deliverer) init() {
	d.once.Do(func() {
		d.log = d.Logger
		if d.log == nil {
			d.log = slog.New(slog.DiscardHandler)
		}
		rate := d.Rate
		if rate <= 0 {
			rate = DefaultDeliveryRate
		}
		d.pace = newPacer(rate)
		d.grace = d.Grace
		if d.grace <= 0 {
			d.grace = briefings.DefaultGrace
		}
		if d.Workers <= 0 {
			d.Workers = DefaultDeliveryWorkers
		}
		if d.Attempts <= 0 {
			d.Attempts = DefaultSendAttempts
		}
		if d.Backoff <= 0 {
			d.Backoff = 500 * time.Millisecond
		}
		if d.GiveUpAfter <= 0 {
			d.GiveUpAfter = DefaultGiveUpAfter
		}
	})
}

// job is one pending delivery with the messages it posts.
type job struct {
	d     *briefings.Delivery
	parts []string
	// notice marks the one-line "nothing new" message.
	notice bool
}

// RunDue delivers every slot due at now: it claims them, then posts each
// pending delivery (including ones a crashed run left behind). Tests call
// it with a fixed clock; the Scheduler calls it every minute.
func (d *Deliverer) RunDue(ctx context.Context, now time.Time) (DeliveryReport, error) {
	d.init()
	var rep DeliveryReport
	claim, err := d.Store.ClaimDue(ctx, now, d.grace, d.Shard)
	if err != nil {
		return rep, fmt.Errorf("deliver: %w", err)
	}
	rep.Claimed, rep.Missed = claim.Claimed, claim.Missed
	d.count("missed", claim.Missed)
	pending, err := d.Store.PendingDeliveries(ctx, d.Shard)
	if err != nil {
		return rep, fmt.Errorf("deliver: %w", err)
	}
	if len(pending) == 0 {
		return rep, nil
	}
	jobs := make([]job, 0, len(pending))
	digests := map[briefings.DigestKey]*briefings.StoredDigest{}
	for _, p := range pending {
		key := briefings.DigestKey{GuildID: p.Subscription.GuildID, Topic: p.Subscription.Topic, Since: p.Since, Until: p.Slot}
		sd, ok := digests[key]
		if !ok {
			if sd, err = d.digest(ctx, key); err != nil {
				return rep, err
			}
			digests[key] = sd
		}
		j := job{d: p, parts: sd.Parts}
		if len(j.parts) == 0 && p.Subscription.NothingNew {
			m := commands.NothingNewMessage(p.Subscription.TopicName, p.Since)
			raw, _ := json.Marshal(messageBody{Content: m.Content})
			j.parts, j.notice = []string{string(raw)}, true
		}
		jobs = append(jobs, j)
	}
	d.log.InfoContext(ctx, "delivering digests", "due", len(jobs), "claimed", claim.Claimed, "missed", claim.Missed, "digests", len(digests))

	var mu sync.Mutex
	work := make(chan job)
	var wg sync.WaitGroup
	for w := 0; w < min(d.Workers, len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				out := d.deliver(ctx, j, now)
				mu.Lock()
				switch out {
				case briefings.OutcomeDelivered:
					rep.Delivered++
				case briefings.OutcomeNothingNew:
					rep.NothingNew++
				case briefings.OutcomeFailed:
					rep.Failed++
				default:
					rep.Retrying++
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		select {
		case work <- j:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	return rep, ctx.Err()
}

// digest returns the stored digest for key, composing, rendering and
// storing it first if no run has.
func (d *Deliverer) digest(ctx context.Context, key briefings.DigestKey) (*briefings.StoredDigest, error) {
	sd, err := d.Store.Digest(ctx, key)
	if err == nil {
		return sd, nil
	} else if briefings.ErrorCode(err) != briefings.ENOTFOUND {
		return nil, fmt.Errorf("deliver: %w", err)
	}
	parts, err := d.compose(ctx, key)
	if err != nil {
		return nil, err
	}
	sd, err = d.Store.SaveDigest(ctx, key, parts)
	if err != nil {
		return nil, fmt.Errorf("deliver: %w", err)
	}
	return sd, nil
}

// compose renders the digest for key into stored parts, one per message;
// none when nothing is new (or the topic is gone).
func (d *Deliverer) compose(ctx context.Context, key briefings.DigestKey) ([]string, error) {
	dg, err := briefings.ComposeDigest(ctx, d.Source, key.GuildID, key.Topic, key.Since, key.Until)
	if err != nil && briefings.ErrorCode(err) != briefings.ENOTFOUND {
		return nil, fmt.Errorf("deliver: %w", err)
	}
	var parts []string
	if dg != nil {
		for _, m := range commands.DigestMessages(dg) {
			raw, err := json.Marshal(messageBody{Content: m.Content, Embeds: m.Embeds})
			if err != nil {
				return nil, fmt.Errorf("deliver: encode digest: %w", err)
			}
			parts = append(parts, string(raw))
		}
	}
	return parts, nil
}

// messageBody is what a stored digest part keeps of a message.
type messageBody struct {
	Content string                    `json:"content,omitempty"`
	Embeds  []*discordgo.MessageEmbed `json:"embeds,omitempty"`
}

// deliver posts one delivery's remaining parts and records the outcome.
func (d *Deliverer) deliver(ctx context.Context, j job, now time.Time) briefings.Outcome {
	sub := j.d.Subscription
	log := d.log.With("subscription", sub.ID, "delivery", j.d.ID, "slot", j.d.Slot)
	finish := func(o briefings.Outcome, reason string) briefings.Outcome {
		if err := d.Store.FinishDelivery(ctx, j.d.ID, o, reason, now); err != nil {
			log.ErrorContext(ctx, "record delivery outcome", "outcome", o, "err", err)
			return briefings.OutcomeRetrying
		}
		d.count(string(o), 1)
		return o
	}
	retry := func(reason string) briefings.Outcome {
		if now.Sub(j.d.Slot) > d.GiveUpAfter {
			return finish(briefings.OutcomeFailed, fmt.Sprintf("Discord kept failing for %s, so I gave up on this slot: %s Run /subscribe again to resume.", d.GiveUpAfter, reason))
		}
		if err := d.Store.RetryLater(ctx, j.d.ID, reason, now); err != nil {
			log.ErrorContext(ctx, "record retry", "err", err)
		}
		d.count("retrying", 1)
		return briefings.OutcomeRetrying
	}
	if sub.Paused() {
		return finish(briefings.OutcomeFailed, sub.PausedReason)
	}
	if len(j.parts) == 0 {
		return finish(briefings.OutcomeNothingNew, "")
	}
	channelID := sub.ChannelID
	if sub.DM && channelID == "" {
		if err := d.pace.wait(ctx); err != nil {
			return briefings.OutcomeRetrying
		}
		ch, err := d.Session.UserChannelCreate(sub.UserID, discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0))
		if err != nil {
			if p := refusal(err, sub); p != "" {
				return finish(briefings.OutcomeFailed, p)
			}
			return retry("I could not open a DM: " + shortErr(err))
		}
		channelID = ch.ID
		if err := d.Store.OpenedDM(ctx, sub.ID, channelID); err != nil {
			log.ErrorContext(ctx, "remember DM channel", "err", err)
		}
	}
	for n := j.d.PartsSent; n < len(j.parts); n++ {
		nonce := fmt.Sprintf("d%d.%d.%s", j.d.ID, n, strconv.FormatInt(j.d.Slot.Unix(), 36))
		var files []*discordgo.File
		if n == len(j.parts)-1 && sub.Picture && !j.notice {
			files = d.picture(ctx, log, sub, j.d.Slot)
		}
		id, err := d.send(ctx, channelID, j.parts[n], nonce, files...)
		if err != nil {
			if p := refusal(err, sub); p != "" {
				log.WarnContext(ctx, "delivery refused; pausing the subscription", "err", shortErr(err))
				return finish(briefings.OutcomeFailed, p)
			}
			log.WarnContext(ctx, "delivery failed for now", "err", shortErr(err))
			return retry("Discord did not take the message (" + shortErr(err) + "); I will try again.")
		}
		if err := d.Store.RecordPart(ctx, j.d.ID, n, id); err != nil {
			log.ErrorContext(ctx, "record sent message", "err", err)
			return briefings.OutcomeRetrying
		}
	}
	if j.notice {
		return finish(briefings.OutcomeNothingNew, "")
	}
	return finish(briefings.OutcomeDelivered, "")
}

// send posts one message with its nonce, retrying rate limits and server
// errors with backoff; Discord returns the message already created for a
// nonce it has seen, so a retry of a request that did reach it posts
// nothing new. It returns the message ID.
func (d *Deliverer) send(ctx context.Context, channelID, part, nonce string, files ...*discordgo.File) (string, error) {
	body := map[string]any{}
	if err := json.Unmarshal([]byte(part), &body); err != nil {
		return "", fmt.Errorf("decode stored digest part: %w", err)
	}
	body["nonce"] = nonce
	body["enforce_nonce"] = true
	body["allowed_mentions"] = map[string]any{"parse": []string{}}
	endpoint := discordgo.EndpointChannelMessages(channelID)
	ctype, raw := "application/json", []byte(nil)
	var err error
	if len(files) > 0 {
		// Encoded once, so that every attempt sends the files whole.
		if ctype, raw, err = discordgo.MultipartBodyWithJSON(body, files); err != nil {
			return "", fmt.Errorf("encode digest with files: %w", err)
		}
	} else if raw, err = json.Marshal(body); err != nil {
		return "", fmt.Errorf("encode digest: %w", err)
	}
	var id string
	policy := retry.Policy{Attempts: d.Attempts, Backoff: d.Backoff, Max: 30 * time.Second}
	err = policy.Do(ctx, func(int) error {
		if err := d.pace.wait(ctx); err != nil {
			return retry.Final(err)
		}
		resp, err := d.Session.RequestRaw(http.MethodPost, endpoint, ctype, raw, endpoint, 0,
			discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0))
		if err != nil {
			return err
		}
		var m struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(resp, &m); err != nil || m.ID == "" {
			return retry.Final(fmt.Errorf("decode created message: %v", err))
		}
		id = m.ID
		return nil
	}, sendFailure, nil)
	return id, err
}

// sendFailure judges a failed post of a digest: a rate limit waits what
// Discord asks, a refusal (4xx) is final, and a server or network error
// is tried again.
func sendFailure(err error) retry.Verdict {
	var rl *discordgo.RateLimitError
	var re *discordgo.RESTError
	switch {
	case errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil:
		return retry.Verdict{Again: true, Limited: true, After: max(rl.RetryAfter, 10*time.Millisecond)}
	case errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500:
		return retry.Verdict{} // a refusal; retrying will not change it
	}
	return retry.Verdict{Again: true}
}

// refusal returns why Discord refused for good (the channel or user is
// gone, or the bot lost access), worded for /subscriptions, or "" when the
// error may pass.
func refusal(err error, sub *briefings.Subscription) string {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil || re.Response.StatusCode >= 500 || re.Response.StatusCode == http.StatusTooManyRequests {
		return ""
	}
	code := 0
	if re.Message != nil {
		code = re.Message.Code
	}
	where := "<#" + sub.ChannelID + ">"
	if sub.DM {
		where = "you by DM"
	}
	switch {
	case re.Response.StatusCode == http.StatusNotFound:
		return fmt.Sprintf("I can't find %s any more: the channel was deleted or I was removed (Discord said 404, code %d).", where, code)
	case code == discordgo.ErrCodeCannotSendMessagesToThisUser:
		return "I can't send you direct messages: allow DMs from this server's members in your privacy settings."
	case re.Response.StatusCode == http.StatusForbidden:
		return fmt.Sprintf("I'm not allowed to post in %s: give me View Channel, Send Messages and Embed Links there (Discord said 403, code %d).", where, code)
	}
	return fmt.Sprintf("Discord refused the digest for %s (HTTP %d, code %d).", where, re.Response.StatusCode, code)
}

// shortErr is an error for logs and reasons, without request bodies.
func shortErr(err error) string {
	var re *discordgo.RESTError
	var rl *discordgo.RateLimitError
	switch {
	case errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil:
		return fmt.Sprintf("rate limited for %s", rl.RetryAfter)
	case errors.As(err, &re) && re.Response != nil:
		return "HTTP " + strconv.Itoa(re.Response.StatusCode)
	}
	return err.Error()
}

// count adds n deliveries with an outcome to the metrics.
func (d *Deliverer) count(outcome string, n int) {
	if d.Metrics == nil || n == 0 {
		return
	}
	d.Metrics.Deliveries.WithLabelValues(outcome).Add(float64(n))
}

// picture draws the week's timeline for a subscription that asks for it;
// a picture that cannot be drawn is logged and the digest goes without.
func (d *Deliverer) picture(ctx context.Context, log *slog.Logger, sub *briefings.Subscription, slot time.Time) []*discordgo.File {
	f, err := commands.DigestPicture(ctx, d.Source, sub.GuildID, briefings.Topic{Slug: sub.Topic, Name: sub.TopicName}, slot)
	if err != nil {
		log.ErrorContext(ctx, "digest timeline picture", "err", err)
		return nil
	}
	if f == nil {
		return nil
	}
	return []*discordgo.File{f}
}
