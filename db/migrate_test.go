package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
)

// seeds holds SQL that fills a database at a schema version with a briefing,
// an actor with an alias, and a fact. A version without its own seed uses the
// one of the nearest earlier version, so a migration that changes the tables
// the seed writes adds a seed for its version.
var seeds = map[int]string{
	1: `
INSERT INTO topics (slug, name, name_folded) VALUES ('arctic', 'Arctic', 'arctic');
INSERT INTO briefings (id, guild_id, slug, title, summary, body, published, published_precision,
	source_name, source_url, status, version, created_by, created_at, updated_by, updated_at)
VALUES (1, '', 'walrus-census', 'Walrus census', 'Counters found more walruses on Svalbard.', '',
	'2024-05-01T00:00:00Z', 3, 'Polar Post', '', 'published', 1, 'seed', '2024-05-02T00:00:00Z', 'seed', '2024-05-02T00:00:00Z');
INSERT INTO briefing_topics (briefing_id, topic_slug, position) VALUES (1, 'arctic', 0);
INSERT INTO actors (id, guild_id, name, name_folded, kind, description)
VALUES (1, '', 'Norwegian Polar Institute', 'norwegian polar institute', 'organization', 'Research body');
INSERT INTO actor_names (actor_id, guild_id, name, folded, position) VALUES
	(1, '', 'Norwegian Polar Institute', 'norwegian polar institute', 0), (1, '', 'NPI', 'npi', 1);
INSERT INTO briefing_actors (briefing_id, actor_id, position, declared) VALUES (1, 1, 0, 1);
INSERT INTO events (id, guild_id, name, name_folded, date, date_precision, location)
VALUES (1, '', 'Svalbard count', 'svalbard count', '2024-04-01T00:00:00Z', 2, 'Svalbard');
INSERT INTO briefing_events (briefing_id, event_id, position, declared) VALUES (1, 1, 0, 1);
INSERT INTO actors (id, guild_id, name, name_folded, kind) VALUES (2, '', 'Sysselmester', 'sysselmester', 'person');
INSERT INTO actor_names (actor_id, guild_id, name, folded, position) VALUES (2, '', 'Sysselmester', 'sysselmester', 0);
INSERT INTO event_participants (event_id, actor_id, position) VALUES (1, 2, 0);
INSERT INTO facts (id, briefing_id, position, text, attribution, event_id)
VALUES (1, 1, 0, 'Walrus numbers rose by a tenth.', 'Norwegian Polar Institute', 1);
INSERT INTO fact_actors (fact_id, actor_id, position) VALUES (1, 1, 0);
`,
}

func init() {
	// From version 2 the store writes an actor's search row itself.
	seeds[2] = seeds[1] + `
INSERT INTO actors_fts (rowid, name, aliases, description) VALUES (1, 'Norwegian Polar Institute', 'NPI', 'Research body');
INSERT INTO actors_fts (rowid, name, aliases, description) VALUES (2, 'Sysselmester', '', '');
`
	// From version 4 the library holds subscriptions; one runs at 07:30
	// in Berlin on weekdays.
	seeds[4] = seeds[2] + `
INSERT INTO subscriptions (id, guild_id, target, channel_id, user_id, topic, hour, minute, zone, days,
	created_at, updated_at, next_run, since)
VALUES (1, '1', 'c:c1', 'c1', 'u1', 'arctic', 7, 30, 'Europe/Berlin', 'weekdays',
	'2024-05-01T00:00:00.000000000Z', '2024-05-01T00:00:00.000000000Z', '2024-05-01T05:30:00.000000000Z', '2024-04-30T05:30:00.000000000Z');
`
	// From version 7 a mention carries its briefing's library, status and
	// date.
	seeds[7] = strings.NewReplacer(
		`INSERT INTO briefing_actors (briefing_id, actor_id, position, declared) VALUES (1, 1, 0, 1);`,
		`INSERT INTO briefing_actors (briefing_id, actor_id, position, declared, guild_id, status, published)
	VALUES (1, 1, 0, 1, '', 'published', '2024-05-01T00:00:00Z');`,
		`INSERT INTO briefing_events (briefing_id, event_id, position, declared) VALUES (1, 1, 0, 1);`,
		`INSERT INTO briefing_events (briefing_id, event_id, position, declared, guild_id, status, published)
	VALUES (1, 1, 0, 1, '', 'published', '2024-05-01T00:00:00Z');`,
	).Replace(seeds[4])
	// From version 9 a subscription lists its times of day.
	seeds[9] = seeds[7] + `
UPDATE subscriptions SET times = '07:30' WHERE id = 1;
`
}

func TestMigrate_Upgrade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	latest := db.SchemaVersions()
	if latest < 2 {
		t.Fatalf("SchemaVersions()=%d, want at least 2", latest)
	}
	for k := 1; k < latest; k++ {
		seed := ""
		for v := k; v >= 1 && seed == ""; v-- {
			seed = seeds[v]
		}
		path := filepath.Join(t.TempDir(), "old.db")
		if err := db.MigrateTo(ctx, path, k); err != nil {
			t.Fatalf("MigrateTo(%d): %v", k, err)
		}
		conn, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(seed); err != nil {
			t.Fatalf("seed version %d: %v", k, err)
		}
		conn.Close()

		d, err := db.Open(ctx, path)
		if err != nil {
			t.Fatalf("open version %d: %v", k, err)
		}
		if v, err := d.SchemaVersion(ctx); err != nil || v != latest {
			t.Errorf("from %d: schema version=%d %v, want %d", k, v, err, latest)
		}
		b, err := d.Briefing(ctx, "", "walrus-census")
		if err != nil {
			t.Fatalf("from %d: %v", k, err)
		}
		if b.Title != "Walrus census" || b.Published.String() != "2024-05-01" || len(b.Facts) != 1 ||
			b.Facts[0].Event != "Svalbard count" || len(b.Actors) != 2 || b.Actors[0].Aliases[0] != "NPI" ||
			b.Actors[1].Name != "Sysselmester" {
			t.Errorf("from %d: briefing=%+v", k, b)
		}
		kinds := []briefings.HitKind{briefings.HitBriefing, briefings.HitFact, briefings.HitActor, briefings.HitEvent}
		hits, err := d.Search(ctx, briefings.SearchQuery{Text: "walrus npi svalbard", MatchAny: true, Kinds: kinds})
		if err != nil {
			t.Fatal(err)
		}
		found := map[briefings.HitKind]bool{}
		for _, h := range hits {
			found[h.Kind] = true
		}
		for _, kind := range kinds {
			if !found[kind] {
				t.Errorf("from %d: no %s hit after upgrade: %+v", k, kind, hits)
			}
		}
		// The rebuilt indexes match word forms (migration 12).
		if hits, err := d.Search(ctx, briefings.SearchQuery{Text: "number", Kinds: []briefings.HitKind{briefings.HitFact}}); err != nil || len(hits) != 1 {
			t.Errorf("from %d: search for word forms after upgrade: %+v %v", k, hits, err)
		}
		// Old mentions are listed by actor and event, the participant of a
		// mentioned event included.
		mentioning := func(actorID, eventID int64) string {
			refs, total, err := d.BriefingsMentioning(ctx, "", actorID, eventID, 5)
			if err != nil {
				t.Fatalf("from %d: %v", k, err)
			}
			var slugs []string
			for _, r := range refs {
				slugs = append(slugs, r.Slug)
			}
			return fmt.Sprintf("%d %s", total, strings.Join(slugs, " "))
		}
		for _, c := range []struct {
			actorID, eventID int64
			want             string
		}{{1, 0, "1 walrus-census"}, {2, 0, "1 walrus-census"}, {0, 1, "1 walrus-census"}} {
			if got := mentioning(c.actorID, c.eventID); got != c.want {
				t.Errorf("from %d: briefings mentioning actor %d event %d = %q, want %q", k, c.actorID, c.eventID, got, c.want)
			}
		}
		// An old subscription keeps its one time of day, and gains more.
		if k >= 4 {
			sub, err := d.Subscription(ctx, 1)
			if err != nil {
				t.Fatalf("from %d: %v", k, err)
			}
			if got := briefings.FormatClocks(sub.Times); got != "07:30" || sub.Days != briefings.DaysWeekdays {
				t.Errorf("from %d: subscription times=%s days=%s, want 07:30 weekdays", k, got, sub.Days)
			}
			sub.Times = []briefings.Clock{{Hour: 18}}
			now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
			if got, _, err := d.SaveSubscription(ctx, sub, now); err != nil || briefings.FormatClocks(got.Times) != "07:30,18:00" {
				t.Errorf("from %d: adding a time: %v %v, want 07:30,18:00", k, got, err)
			}
		}
		// The upgraded library accepts new briefings that refer to old rows.
		nb := simple("Walrus follow-up", briefings.DayOf(2024, 6, 1), "arctic")
		nb.Facts = []briefings.Fact{{Text: "The count continues.", Attribution: "NPI", Actors: []string{"npi"}, Event: "svalbard count"}}
		if _, err := d.SaveBriefings(ctx, "", []*briefings.Briefing{nb}, "m"); err != nil {
			t.Errorf("from %d: save after upgrade: %v", k, err)
		}
		if got, want := mentioning(2, 0), "2 walrus-follow-up walrus-census"; got != want {
			t.Errorf("from %d: after a new briefing, briefings mentioning the participant = %q, want %q", k, got, want)
		}
		// A large import is staged (migration 10) and published.
		var many []*briefings.Briefing
		for i := range 300 {
			many = append(many, simple(fmt.Sprintf("Walrus tally %d", i), briefings.DayOf(2024, 7, 1+i%28), "arctic"))
		}
		if out, err := d.ImportBriefings(ctx, "", many, "cli"); err != nil || len(out) != len(many) {
			t.Errorf("from %d: staged import after upgrade: %d saved, %v", k, len(out), err)
		}
		d.Close()
	}
}

func TestMigrateTo_Invalid(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.db")
	for _, v := range []int{0, db.SchemaVersions() + 1} {
		if err := db.MigrateTo(context.Background(), path, v); err == nil {
			t.Errorf("MigrateTo(%d) succeeded", v)
		}
	}
}
