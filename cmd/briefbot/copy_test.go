package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/fileformat"
	"briefbot/db"
	"briefbot/db/pgtest"
)

// copyGuild is the server whose curation TestCopy carries.
const copyGuild = "100000000000000001"

// curate adds to the library at path what moderators and members add: a
// server's own briefing with a correction, a draft, a subscription and the
// server's settings.
func curate(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	bs, err := fileformat.Decode(strings.NewReader(goodDoc), "ferry.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, err := d.SaveBriefings(ctx, copyGuild, bs, "300000000000000003")
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.BriefingWithStatus(ctx, copyGuild, out[0].Slug)
	if err != nil {
		t.Fatal(err)
	}
	b.Corrections = append(b.Corrections, briefings.Correction{Date: briefings.DayOf(2025, 9, 2), Text: "The strike lasted two days, not three."})
	if _, err := d.SaveCurated(ctx, briefings.Write{GuildID: copyGuild, Briefing: b, By: "300000000000000003", BaseVersion: b.Version, Action: briefings.AuditCorrect}); err != nil {
		t.Fatalf("correct: %v", err)
	}
	draft := &briefings.Briefing{Title: "Ferry talks resume", Summary: "Talks between the union and the operator resume.",
		Published: briefings.DayOf(2025, 9, 3), Topics: []string{"Ports and ferries"}, Status: briefings.StatusDraft}
	if _, err := d.SaveCurated(ctx, briefings.Write{GuildID: copyGuild, Briefing: draft, By: "300000000000000003", Action: briefings.AuditDraft}); err != nil {
		t.Fatalf("draft: %v", err)
	}
	sub := &briefings.Subscription{GuildID: copyGuild, ChannelID: "400000000000000004", UserID: "300000000000000003", Topic: "ports-and-ferries",
		Times: []briefings.Clock{{Hour: 7, Minute: 30}}, Zone: "Asia/Tokyo", Days: briefings.DaysWeekdays}
	if _, _, err := d.SaveSubscription(ctx, sub, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := d.SaveSettings(ctx, briefings.GuildSettings{GuildID: copyGuild, TimeZone: "Asia/Tokyo"}, "300000000000000003"); err != nil {
		t.Fatal(err)
	}
}

// TestCopy moves a library (the sample and a server's curation) from
// SQLite to PostgreSQL with `briefbot copy` and from there to a new SQLite
// file: each copy reports its progress and that both sides export the
// same, every export agrees, and the console answers the same on all
// three. A destination that holds a library is refused until --replace.
func TestCopy(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "lib.db")
	newLibrary(t, map[string]string{"BRIEFBOT_DB": src})
	curate(t, src)
	pg := pgtest.NewDatabase(t)
	back := filepath.Join(dir, "back.db")

	for _, c := range []struct{ from, to string }{{"sqlite:" + src, pg}, {pg, "sqlite:" + back}} {
		out, errOut, err := run(t, nil, "", "copy", "--from", c.from, "--to", c.to)
		if err != nil {
			t.Fatalf("copy --from %s --to %s: %v\n%s", c.from, c.to, err, errOut)
		}
		if !strings.Contains(out, "both export the same") || !strings.Contains(out, "in 2 libraries") {
			t.Errorf("copy --from %s: the summary does not say both export the same, for two libraries:\n%s", c.from, out)
		}
		for _, table := range []string{"briefings", "corrections", "form_drafts", "subscriptions", "guild_settings", "audit_log"} {
			if !strings.Contains(errOut, "  "+table+" ") {
				t.Errorf("copy --from %s: no progress line for %s on stderr:\n%s", c.from, table, errOut)
			}
		}
	}

	exports := map[string]string{}
	for _, lib := range []string{src, pg, back} {
		for _, guild := range []string{"", copyGuild} {
			out, errOut, err := run(t, map[string]string{"BRIEFBOT_DB": lib}, "", "export", "--guild", guild)
			if err != nil {
				t.Fatalf("export: %v\n%s", err, errOut)
			}
			if prev, ok := exports[guild]; ok && out != prev {
				t.Errorf("the export of %q from %s differs from the original's:\n%s\nwant:\n%s", guild, db.DisplayName(lib), out, prev)
			}
			exports[guild] = out
		}
	}
	if !strings.Contains(exports[copyGuild], "not three") || !strings.Contains(exports[copyGuild], "Ferry talks resume") {
		t.Errorf("the server's export lacks its correction or its draft:\n%s", exports[copyGuild])
	}

	// The console answers the same on all three; search too, but for its
	// snippets, which PostgreSQL cuts differently (README, PostgreSQL), so
	// it is compared between the two SQLite files and by its order on
	// PostgreSQL.
	console := func(lib, script string) string {
		t.Helper()
		out, errOut, err := run(t, map[string]string{"BRIEFBOT_DB": lib}, script, "console", "--guild", copyGuild, "--user", "300000000000000003", "--moderator")
		if err != nil {
			t.Fatalf("console on %s: %v\n%s", db.DisplayName(lib), err, errOut)
		}
		return out
	}
	script := "/subscriptions\n/briefing drafts\n/brief topic:Ports and ferries\n/actor name:ferry union\n/actor name:kim\n/event name:alaska\n"
	want := console(src, script)
	for _, w := range []string{"Ports and ferries", "Ferry talks resume", "not three", "Ferry Union", "Kim Jong Un", "15 August 2025"} {
		if !strings.Contains(want, w) {
			t.Errorf("the console on the original lacks %q:\n%s", w, want)
		}
	}
	for _, lib := range []string{pg, back} {
		if got := console(lib, script); got != want {
			t.Errorf("the console answers differently on %s:\n%s\nwant, as on the original:\n%s", db.DisplayName(lib), got, want)
		}
	}
	search := "/search query:Kursk\n"
	want = console(src, search)
	if got := console(back, search); got != want {
		t.Errorf("search answers differently on the copy of the copy:\n%s\nwant:\n%s", got, want)
	}
	hits := func(out string) (titles []string) {
		for _, l := range strings.Split(out, "\n") {
			if l = strings.TrimSpace(l); len(l) > 2 && l[0] >= '1' && l[0] <= '9' && l[1] == '.' {
				if i := strings.Index(l, "Fact:"); i > 0 { // a fact's snippet is cut where it matches
					l = l[:i+len("Fact:")]
				}
				titles = append(titles, l)
			}
		}
		return titles
	}
	if got, w := hits(console(pg, search)), hits(want); len(w) == 0 || strings.Join(got, "|") != strings.Join(w, "|") {
		t.Errorf("search on PostgreSQL ranks %q, want %q as on SQLite", got, w)
	}

	_, _, err := run(t, nil, "", "copy", "--from", src, "--to", pg)
	if err == nil || !strings.Contains(err.Error(), "--replace") || !strings.Contains(err.Error(), "left as it is") {
		t.Fatalf("copy onto a library: %v, want a refusal that names --replace", err)
	}
	if out, errOut, err := run(t, nil, "", "copy", "--from", src, "--to", pg, "--replace"); err != nil || !strings.Contains(out, "both export the same") {
		t.Fatalf("copy --replace: %v\n%s\n%s", err, out, errOut)
	}
	if _, _, err := run(t, nil, "", "copy", "--from", filepath.Join(dir, "missing.db"), "--to", filepath.Join(dir, "x.db")); err == nil || !strings.Contains(err.Error(), "no library at") {
		t.Errorf("copy from a missing file: %v", err)
	}
}

// TestCompareExports_Differ: two libraries that export differently are
// reported with the library and the first line that differs.
func TestCompareExports_Differ(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	open := func(name string) *db.DB {
		d, err := db.Open(ctx, filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		bs, err := fileformat.Decode(strings.NewReader(goodDoc), "ferry.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.SaveBriefings(ctx, copyGuild, bs, "test"); err != nil {
			t.Fatal(err)
		}
		return d
	}
	a, b := open("a.db"), open("b.db")
	if _, _, err := compareExports(ctx, a, b); err != nil {
		t.Fatalf("the same library: %v", err)
	}
	bs, _ := fileformat.Decode(strings.NewReader(strings.Replace(goodDoc, "two days.", "three days.", 1)), "ferry.yaml")
	if _, err := b.SaveBriefings(ctx, copyGuild, bs, "test"); err != nil {
		t.Fatal(err)
	}
	_, _, err := compareExports(ctx, a, b)
	if err == nil || !strings.Contains(err.Error(), "guild "+copyGuild) || !strings.Contains(err.Error(), "three days") {
		t.Fatalf("different libraries: %v, want the guild and the differing line", err)
	}
}
