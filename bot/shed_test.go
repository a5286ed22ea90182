package bot_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// stuckComplete is the real router, except that actor autocomplete waits
// for its context, as a query does behind a saturated connection pool.
type stuckComplete struct {
	*commands.Router
	cancelled atomic.Bool
}

func (s *stuckComplete) HandleWithProgress(ctx context.Context, i *discordgo.Interaction, progress commands.Progress) *discordgo.InteractionResponse {
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete && commandName(i) == "actor" {
		select {
		case <-ctx.Done():
			s.cancelled.Store(true)
		case <-time.After(5 * time.Second):
		}
	}
	return s.Router.HandleWithProgress(ctx, i, progress)
}

// TestHTTP_AutocompleteShedAfterItsBudget: autocomplete that has no list
// after discord.AutocompleteBudget gets an empty one in time, its handler is
// cancelled, and /metrics counts it as shed; quick autocomplete is
// answered as before.
func TestHTTP_AutocompleteShedAfterItsBudget(t *testing.T) {
	fake := discordtest.New(t)
	router := &stuckComplete{Router: newRouter(t)}
	metrics := discord.NewMetrics()
	endpoint := fakeHTTPBot(t, fake, &discord.HTTPServer{Router: router, Metrics: metrics})
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()

	start := time.Now()
	resp, err := fake.PostInteraction(ctx, endpoint, discordtest.Autocomplete("actor", discordtest.Focused(discordtest.String("name", "Kim"))))
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult || resp.Data == nil || len(resp.Data.Choices) != 0 {
		t.Fatalf("stuck autocomplete answered %+v, want an empty list", resp)
	}
	if took < discord.AutocompleteBudget || took > discord.AutocompleteBudget+time.Second {
		t.Errorf("the empty list took %v, want just over %v", took, discord.AutocompleteBudget)
	}
	deadline := time.Now().Add(time.Second)
	for !router.cancelled.Load() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !router.cancelled.Load() {
		t.Error("the stuck handler was not cancelled")
	}

	resp, err = fake.PostInteraction(ctx, endpoint, discordtest.Autocomplete("timeline", discordtest.Focused(discordtest.String("topic", "ala"))))
	if err != nil || resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(resp.Data.Choices) == 0 {
		t.Fatalf("quick autocomplete answered %+v, %v; want its choices", resp, err)
	}

	rec := httptest.NewRecorder()
	metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`briefbot_interactions_total{command="actor",kind="autocomplete",outcome="shed"} 1`,
		`briefbot_interactions_total{command="timeline",kind="autocomplete",outcome="answered"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, grepLines(body, "briefbot_interactions_total"))
		}
	}
}
