package db_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/db"
)

// topicsAtV12 is a library at schema version 12, when topics were keyed
// by slug alone: a global briefing and one of g1 on "arctic"; g1's private
// "falcon", named by g1 and with an alias; "shared", which g2 named and g3
// gave as a slug; "subonly", which only a subscription of g4 uses; a
// topic nothing uses; and a subscription made in direct messages to g1's
// private topic.
const topicsAtV12 = `
INSERT INTO topics (slug, name, name_folded) VALUES
	('arctic', 'Arctic', 'arctic'),
	('falcon', 'Project Falcon Layoffs', 'project falcon layoffs'),
	('shared', 'Shared by two', 'shared by two'),
	('subonly', 'Sub Only', 'sub only'),
	('orphan', 'Orphan topic', 'orphan topic');
INSERT INTO topic_aliases (topic_slug, alias, alias_folded, position) VALUES ('falcon', 'Operation Kestrel', 'operation kestrel', 0);
INSERT INTO briefings (id, guild_id, slug, title, summary, published, published_precision, status, created_at, updated_at) VALUES
	(1, '', 'ice', 'Ice', 'Ice melts.', '2024-05-01T00:00:00Z', 3, 'published', '2024-05-02T00:00:00Z', '2024-05-02T00:00:00Z'),
	(2, 'g1', 'ice-here', 'Ice here', 'Ice melts here.', '2024-05-02T00:00:00Z', 3, 'published', '2024-05-02T00:00:00Z', '2024-05-02T00:00:00Z'),
	(3, 'g1', 'cuts', 'Cuts', 'Falcon cuts jobs.', '2024-05-03T00:00:00Z', 3, 'published', '2024-05-03T00:00:00Z', '2024-05-03T00:00:00Z'),
	(4, 'g2', 'two', 'Two', 'Shared by g2.', '2024-05-04T00:00:00Z', 3, 'published', '2024-05-04T00:00:00Z', '2024-05-04T00:00:00Z'),
	(5, 'g3', 'three', 'Three', 'Shared by g3.', '2024-05-05T00:00:00Z', 3, 'published', '2024-05-05T00:00:00Z', '2024-05-05T00:00:00Z');
INSERT INTO briefing_topics (briefing_id, topic_slug, position) VALUES
	(1, 'arctic', 0), (2, 'arctic', 0), (2, 'falcon', 1), (3, 'falcon', 0), (4, 'shared', 0), (5, 'shared', 0);
INSERT INTO briefing_versions (briefing_id, version, by, at, snapshot) VALUES
	(1, 1, 'seed', '2024-05-02T00:00:00Z', '{"Topics":["arctic"]}'),
	(2, 1, 'seed', '2024-05-02T00:00:00Z', '{"Topics":["Arctic","falcon"]}'),
	(3, 1, 'seed', '2024-05-03T00:00:00Z', '{"Topics":["Project Falcon Layoffs"]}'),
	(4, 1, 'seed', '2024-05-04T00:00:00Z', '{"Topics":["Shared by two"]}'),
	(5, 1, 'seed', '2024-05-05T00:00:00Z', '{"Topics":["shared"]}'),
	(5, 2, 'seed', '2024-05-06T00:00:00Z', 'not json');
INSERT INTO subscriptions (id, guild_id, target, channel_id, dm, user_id, topic, hour, minute, times, zone, days,
	created_at, updated_at, next_run, since) VALUES
	(1, 'g1', 'c:c1', 'c1', 0, 'u1', 'falcon', 8, 0, '08:00', 'UTC', 'daily',
		'2024-05-01T00:00:00.000000000Z', '2024-05-01T00:00:00.000000000Z', '2024-05-02T08:00:00.000000000Z', '2024-05-01T08:00:00.000000000Z'),
	(2, '', 'u:u9', '', 1, 'u9', 'falcon', 8, 0, '08:00', 'UTC', 'daily',
		'2024-05-01T00:00:00.000000000Z', '2024-05-01T00:00:00.000000000Z', '2024-05-02T08:00:00.000000000Z', '2024-05-01T08:00:00.000000000Z'),
	(3, 'g4', 'c:c4', 'c4', 0, 'u4', 'subonly', 8, 0, '08:00', 'UTC', 'daily',
		'2024-05-01T00:00:00.000000000Z', '2024-05-01T00:00:00.000000000Z', '2024-05-02T08:00:00.000000000Z', '2024-05-01T08:00:00.000000000Z');
`

func TestMigrate_TopicsGoToTheirLibraries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v12.db")
	if err := db.MigrateTo(ctx, path, 12); err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(topicsAtV12); err != nil {
		t.Fatalf("seed: %v", err)
	}
	conn.Close()

	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer d.Close()
	d.Now = func() time.Time { return time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC) }

	type lookup struct {
		guild, text string
		want        string // "guild/slug/name/aliases", "" for ENOTFOUND
	}
	for _, tt := range []lookup{
		{"", "arctic", "/arctic/Arctic/"},
		{"g1", "arctic", "/arctic/Arctic/"},
		{"g1", "falcon", "g1/falcon/Project Falcon Layoffs/[Operation Kestrel]"},
		{"g1", "operation kestrel", "g1/falcon/Project Falcon Layoffs/[Operation Kestrel]"},
		{"g2", "falcon", ""},
		{"g2", "Project Falcon Layoffs", ""},
		{"", "falcon", ""},
		// g2 spelled the name; g3 did not, so it gets one made from the
		// slug rather than g2's.
		{"g2", "shared", "g2/shared/Shared by two/"},
		{"g3", "shared", "g3/shared/Shared/"},
		{"g3", "Shared by two", ""},
		// A subscription keeps its topic; a topic nothing used is gone.
		{"g4", "subonly", "g4/subonly/Subonly/"},
		{"", "orphan", ""},
		{"g1", "orphan", ""},
	} {
		got := ""
		tp, err := d.TopicToCurate(ctx, tt.guild, tt.text)
		switch {
		case err == nil:
			got = tp.GuildID + "/" + tp.Slug + "/" + tp.Name + "/"
			if len(tp.Aliases) > 0 {
				got += "[" + tp.Aliases[0] + "]"
			}
		case codeOf(err) != briefings.ENOTFOUND:
			t.Fatalf("%+v: %v", tt, err)
		}
		if got != tt.want {
			t.Errorf("%+v: got %q", tt, got)
		}
	}

	// The briefings keep their topics, by the names their libraries give
	// (by slug where the name would not lead back to it), newest first.
	for guild, want := range map[string][]string{"g1": {"falcon", "Arctic", "falcon"}, "g2": {"shared"}, "g3": {"Shared"}} {
		bs, _, err := d.Briefings(ctx, briefings.BriefingQuery{GuildID: guild})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, b := range bs {
			if b.GuildID == guild {
				got = append(got, b.Topics...)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s's briefings' topics = %q, want %q", guild, got, want)
		}
	}
	for _, tt := range []struct {
		guild, topic string
		want         int
	}{{"g1", "falcon", 2}, {"g1", "arctic", 2}, {"g2", "arctic", 1}, {"g2", "falcon", 0}} {
		if _, n, err := d.Briefings(ctx, briefings.BriefingQuery{GuildID: tt.guild, Topic: tt.topic}); err != nil || n != tt.want {
			t.Errorf("%s's briefings on %s = %d %v, want %d", tt.guild, tt.topic, n, err, tt.want)
		}
	}

	// Subscriptions keep working; the one made in direct messages sees
	// the global library only, so it shows the slug it was made with.
	for id, want := range map[int64]string{1: "Project Falcon Layoffs", 2: "falcon", 3: "Subonly"} {
		s, err := d.Subscription(ctx, id)
		if err != nil || s.TopicName != want {
			t.Errorf("subscription %d: %+v %v, want topic name %q", id, s, err, want)
		}
	}
	if _, err := briefings.ComposeDigest(ctx, d, "g1", "falcon", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("g1's digest on falcon: %v", err)
	}
	if _, err := briefings.ComposeDigest(ctx, d, "", "falcon", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)); codeOf(err) != briefings.ENOTFOUND {
		t.Errorf("a digest in direct messages on g1's topic: %v, want not found", err)
	}

	// New briefings and subscriptions use the new keys.
	mustSave(t, d, "g2", simple("Falcon here too", briefings.DayOf(2024, 5, 20), "falcon"))
	mustSave(t, d, "g1", simple("Falcon again", briefings.DayOf(2024, 5, 21), "Project Falcon Layoffs"))
	if tp, err := d.Topic(ctx, "g2", "falcon"); err != nil || tp.Name != "Falcon" || tp.GuildID != "g2" {
		t.Errorf("g2's own falcon = %+v %v", tp, err)
	}
	if tp, err := d.Topic(ctx, "g1", "falcon"); err != nil || tp.Name != "Project Falcon Layoffs" {
		t.Errorf("g1's falcon = %+v %v", tp, err)
	}
	s := &briefings.Subscription{GuildID: "g2", ChannelID: "c2", UserID: "u2", Topic: "falcon", Zone: "UTC", Days: briefings.DaysDaily}
	if saved, _, err := d.SaveSubscription(ctx, s, d.Now()); err != nil || saved.TopicName != "Falcon" {
		t.Errorf("g2 subscribes to its falcon: %+v %v", saved, err)
	}

	// The upgraded file is consistent.
	check, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	rows, err := check.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			t.Fatal(err)
		}
		t.Errorf("foreign key violation in %s row %v (parent %s)", table, rowid, parent)
	}
	rows.Close()
	var ok string
	if err := check.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check = %q %v", ok, err)
	}
}
