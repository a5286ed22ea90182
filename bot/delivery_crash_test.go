package bot_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/briefings"
)

// TestDeliverer_SurvivesSIGKILL runs a fan-out of 200 subscriptions in a
// child process (testdata/deliverbot, as `briefbot deliver --once`) and
// kills it with SIGKILL at random points, several times, restarting it
// each time: every subscription still receives exactly one message for the
// slot.
func TestDeliverer_SurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs a child process")
	}
	ctx := context.Background()
	dir := t.TempDir()
	bin := filepath.Join(dir, "deliverbot")
	build := exec.Command("go", "build", "-tags", "sqlite_fts5", "-o", bin, "./testdata/deliverbot")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build deliverbot: %v\n%s", err, out)
	}

	clock := &dlClock{time.Date(2025, 11, 2, 4, 0, 0, 0, time.UTC)}
	path := filepath.Join(dir, "deliver.db")
	store := dlStoreAt(t, clock, path)
	lim := discordtest.DiscordLimits()
	lim.GlobalWindow = 250 * time.Millisecond // 200/s, four times Discord's
	fake := discordtest.New(t, discordtest.RateLimits(lim))
	const n = 200
	channels := make([]string, n)
	for i := range channels {
		channels[i] = fmt.Sprintf("15%017d", i)
		fake.AddChannel(channels[i])
		if _, _, err := store.SaveSubscription(ctx, &briefings.Subscription{GuildID: discordtest.GuildID, ChannelID: channels[i],
			Topic: []string{"arctic", "energy"}[i%2], Times: []briefings.Clock{{Hour: 1, Minute: 30}}, Zone: "America/New_York", Days: briefings.DaysDaily}, clock.t); err != nil {
			t.Fatal(err)
		}
	}
	store.Close() // the child owns the database from here
	// 01:30 happens twice on 2 November in New York; the slot is the first.
	at := "2025-11-02T05:31:00Z"

	total := func() int {
		sum := 0
		for _, ch := range channels {
			sum += len(fake.Messages(ch))
		}
		return sum
	}
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	t.Logf("seed %d", seed)
	kills, finished := 0, false
	for round := 0; round < 20 && !finished; round++ {
		cmd := exec.Command(bin, "-db", path, "-now", at, "-rate", "180")
		cmd.Env = append(os.Environ(), discord.APIBaseEnv+"="+fake.URL())
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if kills < 5 {
			// Kill after a random number of further messages (0 kills
			// during the claim, before any post).
			target := total() + rng.IntN(50)
			wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			_ = fake.Await(wctx, func() bool { return total() >= target })
			cancel()
			select {
			case err := <-done:
				t.Logf("round %d: finished before the kill: %v", round, err)
				finished = err == nil
				continue
			default:
			}
			_ = cmd.Process.Signal(syscall.SIGKILL)
			<-done
			kills++
			t.Logf("round %d: killed at %d messages", round, total())
			continue
		}
		err := <-done
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		finished = err == nil
		t.Logf("round %d: ran to the end: %v", round, err)
	}
	if !finished {
		t.Fatalf("the child never finished the fan-out")
	}
	if kills == 0 {
		t.Errorf("the child was never killed mid-run")
	}
	for i, ch := range channels {
		if got := len(fake.Messages(ch)); got != 1 {
			t.Errorf("channel %d received %d messages for the slot, want exactly 1", i, got)
		}
	}
	t.Logf("%d kills; %d posts answered, %d messages", kills, len(posts(fake)), total())
}
