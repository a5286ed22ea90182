package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"briefbot/bot/console"
	"briefbot/bot/delivery"
	"briefbot/bot/discordtest"
	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/db"
	"briefbot/internal/testlib"

	"github.com/bwmarrin/discordgo"
)

// dlClock is a settable fixed clock shared by the store and the router.
type dlClock struct{ t time.Time }

func (c *dlClock) now() time.Time { return c.t }

// dlStore opens a library of backend b with one briefing on "arctic" and
// one on "energy", saved an hour before start.
func dlStore(t *testing.T, b testlib.Backend, clock *dlClock) *db.DB {
	t.Helper()
	return dlStoreAt(t, clock, b.NewURL(t))
}

// dlStoreAt is dlStore with the database at path, a SQLite file or a
// PostgreSQL URL.
func dlStoreAt(t *testing.T, clock *dlClock, path string) *db.DB {
	t.Helper()
	store, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	store.Now = clock.now
	start := clock.t
	clock.t = start.Add(-time.Hour)
	dlSave(t, store, "ice-route", "Ice route opens early", "arctic")
	dlSave(t, store, "grid-prices", "Grid prices fall", "energy")
	clock.t = start
	return store
}

func dlSave(t *testing.T, store *db.DB, slug, title, topic string) {
	t.Helper()
	if _, err := store.SaveBriefings(context.Background(), "", []*briefings.Briefing{{
		Slug: slug, Title: title, Summary: "What happened: " + title + ".",
		Published: briefings.DayOf(2025, 3, 1), Topics: []string{topic}, Status: briefings.StatusPublished,
		Source: briefings.Source{Name: "Test Wire", URL: "https://example.com/" + slug},
	}}, "test"); err != nil {
		t.Fatal(err)
	}
}

// dlDeliverer returns a deliverer posting to the fake.
func dlDeliverer(fake *discordtest.Server, store *db.DB, rate float64) *delivery.Deliverer {
	return &delivery.Deliverer{Store: store, Source: store, Session: fake.Session("test-token"), Rate: rate,
		Backoff: 10 * time.Millisecond, Workers: 16}
}

// dlAsk runs a slash command from a member who manages discordtest.ChannelID.
func dlAsk(t *testing.T, r *commands.Router, name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) string {
	t.Helper()
	i := discordtest.Command(name)
	i.Data = discordgo.ApplicationCommandInteractionData{Name: name, CommandType: discordgo.ChatApplicationCommand, Options: opts}
	i.Member.Permissions |= discordgo.PermissionManageChannels
	return console.RenderText(r.Handle(context.Background(), i), time.Time{})
}

func dlOpt(name string, v any) *discordgo.ApplicationCommandInteractionDataOption {
	typ := discordgo.ApplicationCommandOptionString
	if _, ok := v.(bool); ok {
		typ = discordgo.ApplicationCommandOptionBoolean
	}
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: typ, Value: v}
}

// posts returns the message posts the fake answered with 200.
func posts(fake *discordtest.Server) []discordtest.Request {
	var out []discordtest.Request
	for _, r := range fake.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/messages") && r.Status == 200 {
			out = append(out, r)
		}
	}
	return out
}

func TestDeliverer_SubscribeThenDeliverAtLocalTime(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		ctx := context.Background()
		clock := &dlClock{time.Date(2025, 3, 8, 12, 0, 0, 0, time.UTC)} // Saturday 07:00 in New York
		store := dlStore(t, backend, clock)
		fake := discordtest.New(t, discordtest.RateLimits(discordtest.DiscordLimits()))
		router := commands.New(store, commands.Options{Now: clock.now, Subscriptions: store})
		d := dlDeliverer(fake, store, delivery.DefaultDeliveryRate)

		got := dlAsk(t, router, "subscribe", dlOpt("topic", "arctic"), dlOpt("time", "08:00"), dlOpt("timezone", "America/New_York"))
		if !strings.Contains(got, "Subscribed") {
			t.Fatalf("/subscribe said:\n%s", got)
		}
		run := func(at time.Time) delivery.DeliveryReport {
			t.Helper()
			clock.t = at
			rep, err := d.RunDue(ctx, at)
			if err != nil {
				t.Fatalf("RunDue(%s): %v", at, err)
			}
			return rep
		}
		// 07:59 EST: nothing yet. 08:00 EST (13:00Z): the first digest.
		if rep := run(time.Date(2025, 3, 8, 12, 59, 0, 0, time.UTC)); rep.Claimed != 0 {
			t.Fatalf("claimed %d before 08:00 local", rep.Claimed)
		}
		if rep := run(time.Date(2025, 3, 8, 13, 0, 5, 0, time.UTC)); rep.Delivered != 1 {
			t.Fatalf("at 08:00 local: %+v, want 1 delivered", rep)
		}
		msgs := fake.Messages(discordtest.ChannelID)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Embeds[0].Description, "Ice route opens early") {
			t.Fatalf("channel holds %d messages, want the digest with the briefing", len(msgs))
		}
		var body map[string]any
		if err := json.Unmarshal(posts(fake)[0].Body, &body); err != nil {
			t.Fatal(err)
		}
		if body["nonce"] == "" || body["enforce_nonce"] != true {
			t.Errorf("message sent without an enforced nonce: %v", body)
		}

		// Sunday 9 March: clocks spring forward; 08:00 EDT is 12:00Z. A
		// briefing arrives at 10:00Z.
		clock.t = time.Date(2025, 3, 9, 10, 0, 0, 0, time.UTC)
		dlSave(t, store, "ice-breaker", "Ice breaker returns", "arctic")
		if rep := run(time.Date(2025, 3, 9, 11, 59, 59, 0, time.UTC)); rep.Claimed != 0 {
			t.Fatalf("claimed at 07:59:59 EDT")
		}
		if rep := run(time.Date(2025, 3, 9, 12, 0, 0, 0, time.UTC)); rep.Delivered != 1 {
			t.Fatalf("at 08:00 EDT: %+v, want 1 delivered", rep)
		}
		msgs = fake.Messages(discordtest.ChannelID)
		if len(msgs) != 2 || !strings.Contains(msgs[1].Embeds[0].Description, "Ice breaker returns") ||
			strings.Contains(msgs[1].Embeds[0].Description, "Ice route opens early") {
			t.Fatalf("second digest should hold only the new briefing; channel has %d messages", len(msgs))
		}
		if rep := run(time.Date(2025, 3, 9, 12, 1, 0, 0, time.UTC)); rep != (delivery.DeliveryReport{}) {
			t.Errorf("a second run in the same slot did %+v", rep)
		}

		// Monday: nothing new, so nothing is posted, and /subscriptions says so.
		if rep := run(time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)); rep.NothingNew != 1 {
			t.Fatalf("empty Monday: %+v, want nothing new", rep)
		}
		if n := len(fake.Messages(discordtest.ChannelID)); n != 2 {
			t.Errorf("an empty period posted a message: %d messages", n)
		}
		if got := dlAsk(t, router, "subscriptions"); !strings.Contains(got, "nothing was new") {
			t.Errorf("/subscriptions after an empty period:\n%s", got)
		}

		// A subscription that asks for the notice gets one line.
		dlAsk(t, router, "subscribe", dlOpt("topic", "arctic"), dlOpt("time", "08:00"), dlOpt("timezone", "America/New_York"), dlOpt("nothing_new", true))
		if rep := run(time.Date(2025, 3, 11, 12, 0, 0, 0, time.UTC)); rep.NothingNew != 1 {
			t.Fatalf("notice day: %+v", rep)
		}
		msgs = fake.Messages(discordtest.ChannelID)
		if len(msgs) != 3 || !strings.HasPrefix(msgs[2].Content, "📰 Nothing new on **Arctic**") {
			t.Errorf("want a one-line notice, channel has %d messages, last %q", len(msgs), msgs[len(msgs)-1].Content)
		}
	})
}

func TestDeliverer_DeletedChannelPauses(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		ctx := context.Background()
		clock := &dlClock{time.Date(2025, 10, 25, 12, 0, 0, 0, time.UTC)}
		store := dlStore(t, backend, clock)
		fake := discordtest.New(t)
		router := commands.New(store, commands.Options{Now: clock.now, Subscriptions: store})
		d := dlDeliverer(fake, store, delivery.DefaultDeliveryRate)
		const gone = "1100000000000000777"
		fake.AddChannel(gone)
		got := dlAsk(t, router, "subscribe", dlOpt("topic", "energy"), dlOpt("channel", gone), dlOpt("timezone", "Europe/Berlin"), dlOpt("time", "15:00"))
		if !strings.Contains(got, "Subscribed") {
			t.Fatalf("/subscribe said:\n%s", got)
		}
		fake.DeleteChannel(gone)
		at := time.Date(2025, 10, 25, 13, 0, 0, 0, time.UTC) // 15:00 CEST
		if rep, err := d.RunDue(ctx, at); err != nil || rep.Failed != 1 {
			t.Fatalf("RunDue=%+v %v, want 1 failed", rep, err)
		}
		got = dlAsk(t, router, "subscriptions")
		if !strings.Contains(got, "Paused") || !strings.Contains(got, "deleted") {
			t.Errorf("/subscriptions does not say why it stopped:\n%s", got)
		}
		// The next days try nothing more.
		before := len(fake.Requests())
		for day := 1; day <= 3; day++ {
			if rep, _ := d.RunDue(ctx, at.Add(time.Duration(day)*24*time.Hour)); rep != (delivery.DeliveryReport{}) {
				t.Errorf("day %d: a paused subscription did %+v", day, rep)
			}
		}
		if after := len(fake.Requests()); after != before {
			t.Errorf("%d requests after pausing", after-before)
		}
	})
}

func TestDeliverer_PersonalByDM(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		ctx := context.Background()
		clock := &dlClock{time.Date(2025, 3, 3, 6, 0, 0, 0, time.UTC)}
		store := dlStore(t, backend, clock)
		fake := discordtest.New(t)
		router := commands.New(store, commands.Options{Now: clock.now, Subscriptions: store})
		dlAsk(t, router, "subscribe", dlOpt("topic", "energy"), dlOpt("dm", true), dlOpt("time", "7:00"))
		d := dlDeliverer(fake, store, delivery.DefaultDeliveryRate)
		if rep, err := d.RunDue(ctx, time.Date(2025, 3, 3, 7, 0, 0, 0, time.UTC)); err != nil || rep.Delivered != 1 {
			t.Fatalf("RunDue=%+v %v", rep, err)
		}
		dm := fake.DMChannel(discordtest.UserID)
		if msgs := fake.Messages(dm); dm == "" || len(msgs) != 1 || !strings.Contains(msgs[0].Embeds[0].Description, "Grid prices fall") {
			t.Fatalf("DM channel %q got no digest", dm)
		}
		if n := len(fake.Messages(discordtest.ChannelID)); n != 0 {
			t.Errorf("a personal digest went to the channel")
		}
	})
}

// TestDeliverer_FanOut delivers 1,000 subscriptions while the fake answers
// some posts with 429 and 5xx: every subscription gets exactly one message,
// the fan-out never meets the global limit, and each topic's digest is
// composed once. The fake's limits run ten times faster than Discord's (50
// per 100 ms) and the deliverer paces at 450/s, the same 90% of the limit.
// It runs on SQLite: the other delivery tests here run on both backends,
// and cmd/briefbot's replica tests fan out 1,000 digests on PostgreSQL.
func TestDeliverer_FanOut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &dlClock{time.Date(2025, 3, 3, 6, 0, 0, 0, time.UTC)}
	store := dlStore(t, testlib.SQLite, clock)
	lim := discordtest.DiscordLimits()
	lim.GlobalWindow = 100 * time.Millisecond
	fake := discordtest.New(t, discordtest.RateLimits(lim))
	const n = 1000
	channels := make([]string, n)
	for i := range channels {
		channels[i] = fmt.Sprintf("13%017d", i)
		fake.AddChannel(channels[i])
		topic := []string{"arctic", "energy"}[i%2]
		if _, _, err := store.SaveSubscription(ctx, &briefings.Subscription{GuildID: discordtest.GuildID, ChannelID: channels[i],
			Topic: topic, Times: []briefings.Clock{{Hour: 8}}, Zone: "UTC", Days: briefings.DaysDaily}, clock.t); err != nil {
			t.Fatal(err)
		}
	}
	fake.RateLimit("POST /channels/*/messages", 40)
	fake.FailNext("POST /channels/*/messages", 30, 500)
	fake.FailNext("POST /channels/*/messages", 20, 503)
	d := dlDeliverer(fake, store, 450)
	// A delivery whose message failed five times in a row waits for the
	// next tick; the scheduler ticks every minute.
	delivered, claimed := 0, 0
	for minute := 0; minute < 3 && delivered < n; minute++ {
		rep, err := d.RunDue(ctx, time.Date(2025, 3, 3, 8, minute, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("minute %d: %+v", minute, rep)
		delivered, claimed = delivered+rep.Delivered, claimed+rep.Claimed
	}
	if claimed != n || delivered != n {
		t.Fatalf("claimed %d, delivered %d, want %d each", claimed, delivered, n)
	}
	bodies := map[string]map[string]bool{}
	for i, ch := range channels {
		msgs := fake.Messages(ch)
		if len(msgs) != 1 {
			t.Fatalf("channel %d holds %d messages, want exactly 1", i, len(msgs))
		}
		topic := []string{"arctic", "energy"}[i%2]
		if bodies[topic] == nil {
			bodies[topic] = map[string]bool{}
		}
		raw, _ := json.Marshal(msgs[0].Embeds)
		bodies[topic][msgs[0].Content+string(raw)] = true
	}
	for topic, b := range bodies {
		if len(b) != 1 {
			t.Errorf("topic %s was delivered in %d different versions, want one composition", topic, len(b))
		}
	}
	if hits := fake.LimitHits(); hits.Global != 0 {
		t.Errorf("the fan-out went over the global limit %d times", hits.Global)
	}
	if rep, _ := d.RunDue(ctx, time.Date(2025, 3, 3, 8, 9, 0, 0, time.UTC)); rep != (delivery.DeliveryReport{}) {
		t.Errorf("a later run in the same slot did %+v", rep)
	}
}

// TestDeliverer_PacesAtDiscordsLimit fans out at the default 45/s against
// the fake's real 50/s limit: no request is refused.
func TestDeliverer_PacesAtDiscordsLimit(t *testing.T) {
	ctx := context.Background()
	clock := &dlClock{time.Date(2025, 3, 3, 6, 0, 0, 0, time.UTC)}
	store := dlStore(t, testlib.SQLite, clock)
	fake := discordtest.New(t, discordtest.RateLimits(discordtest.DiscordLimits()))
	for i := 0; i < 70; i++ {
		ch := fmt.Sprintf("14%017d", i)
		fake.AddChannel(ch)
		if _, _, err := store.SaveSubscription(ctx, &briefings.Subscription{GuildID: discordtest.GuildID, ChannelID: ch,
			Topic: "arctic", Times: []briefings.Clock{{Hour: 8}}, Zone: "UTC", Days: briefings.DaysDaily}, clock.t); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := dlDeliverer(fake, store, 0).RunDue(ctx, time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC))
	if err != nil || rep.Delivered != 70 {
		t.Fatalf("RunDue=%+v %v", rep, err)
	}
	if hits := fake.LimitHits(); hits.Global != 0 {
		t.Errorf("%d requests went over Discord's global limit", hits.Global)
	}
}

// TestDeliverer_SeveralTimesADay subscribes a channel for a morning and an
// evening digest in New York across the spring-forward night, running the
// scheduler every five minutes: each slot is claimed and delivered once
// (02:30, which does not exist on 9 March, at 03:00 EDT), and each digest
// holds what is new since the one before it.
func TestDeliverer_SeveralTimesADay(t *testing.T) {
	t.Parallel()
	testlib.EachBackend(t, func(t *testing.T, backend testlib.Backend) {
		ctx := context.Background()
		clock := &dlClock{time.Date(2025, 3, 8, 12, 0, 0, 0, time.UTC)} // Saturday 07:00 in New York
		store := dlStore(t, backend, clock)
		fake := discordtest.New(t, discordtest.RateLimits(discordtest.DiscordLimits()))
		router := commands.New(store, commands.Options{Now: clock.now, Subscriptions: store})
		d := dlDeliverer(fake, store, delivery.DefaultDeliveryRate)

		got := dlAsk(t, router, "subscribe", dlOpt("topic", "arctic"), dlOpt("time", "02:30, 18:30"), dlOpt("timezone", "America/New_York"))
		if !strings.Contains(got, "every day at 02:30 and 18:30 (America/New_York)") {
			t.Fatalf("/subscribe said:\n%s", got)
		}
		var total delivery.DeliveryReport
		var claimedAt []string
		for at := clock.t; at.Before(time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)); at = at.Add(5 * time.Minute) {
			if at.Equal(time.Date(2025, 3, 9, 5, 0, 0, 0, time.UTC)) {
				clock.t = at
				dlSave(t, store, "ice-breaker", "Ice breaker returns", "arctic")
			}
			clock.t = at
			rep, err := d.RunDue(ctx, at)
			if err != nil {
				t.Fatalf("RunDue(%s): %v", at, err)
			}
			if rep.Claimed > 0 {
				claimedAt = append(claimedAt, at.Format("2 15:04"))
			}
			total.Claimed += rep.Claimed
			total.Delivered += rep.Delivered
			total.NothingNew += rep.NothingNew
			total.Missed += rep.Missed
		}
		// Saturday 18:30 EST, Sunday 03:00 EDT (for 02:30) and 18:30 EDT,
		// Monday 02:30 EDT.
		if want := "8 23:30 9 07:00 9 22:30 10 06:30"; strings.Join(claimedAt, " ") != want {
			t.Errorf("slots claimed at %v, want %s", claimedAt, want)
		}
		if total != (delivery.DeliveryReport{Claimed: 4, Delivered: 2, NothingNew: 2}) {
			t.Errorf("deliveries %+v, want 4 slots: 2 delivered, 2 with nothing new", total)
		}
		msgs := fake.Messages(discordtest.ChannelID)
		if len(msgs) != 2 {
			t.Fatalf("channel holds %d messages, want 2", len(msgs))
		}
		if d := msgs[0].Embeds[0].Description; !strings.Contains(d, "Ice route opens early") || strings.Contains(d, "Ice breaker") {
			t.Errorf("Saturday evening digest: %s", d)
		}
		if d := msgs[1].Embeds[0].Description; !strings.Contains(d, "Ice breaker returns") || strings.Contains(d, "Ice route") {
			t.Errorf("Sunday morning digest should hold only what came after the evening one: %s", d)
		}
		if got := dlAsk(t, router, "subscriptions"); !strings.Contains(got, "02:30 and 18:30 America/New_York") {
			t.Errorf("/subscriptions:\n%s", got)
		}
	})
}
