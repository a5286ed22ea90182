package db_test

import (
	"context"
	"slices"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

// TestDB_KnownNamesFollowEveryWrite checks, on both backends, that the
// known names (kept between calls by library version) show each write
// members can see at once: a briefing published, an actor renamed, two
// merged, a topic added; and that a caller changing its list changes
// nobody else's.
func TestDB_KnownNamesFollowEveryWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		names := func(kind briefings.NameKind) []string {
			t.Helper()
			known, err := d.KnownNames(ctx, "g1", kind)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, k := range known {
				out = append(out, k.Name)
			}
			return out
		}
		has := func(kind briefings.NameKind, name string) bool { return slices.Contains(names(kind), name) }

		mustSave(t, d, "g1", kimPutin())
		if !has(briefings.NameActor, "Kim Jong Un") || has(briefings.NameActor, "Kim J.U.") {
			t.Fatalf("actors before: %q", names(briefings.NameActor))
		}
		mine, err := d.KnownNames(ctx, "g1", briefings.NameActor)
		if err != nil {
			t.Fatal(err)
		}
		mine[0].Name = "Changed by a caller"
		if has(briefings.NameActor, "Changed by a caller") {
			t.Fatal("a caller's change to its list reached the kept list")
		}

		mustSave(t, d, "g1", spelledOtherwise())
		if !has(briefings.NameActor, "Kim J.U.") || !has(briefings.NameEvent, "Vladivostok talks") {
			t.Fatalf("a published briefing's names are missing: %q, %q", names(briefings.NameActor), names(briefings.NameEvent))
		}
		if _, err := d.RenameActor(ctx, "g1", mustActor(t, d, "Vladimir Putin").ID, "Vladimir V. Putin", false, "mod"); err != nil {
			t.Fatal(err)
		}
		if !has(briefings.NameActor, "Vladimir V. Putin") || has(briefings.NameActor, "Vladimir Putin") {
			t.Fatalf("after a rename: %q", names(briefings.NameActor))
		}
		if _, err := d.MergeActors(ctx, "g1", mustActor(t, d, "Kim J.U.").ID, mustActor(t, d, "Kim Jong Un").ID, "mod"); err != nil {
			t.Fatal(err)
		}
		for _, k := range mustKnown(t, d, briefings.NameActor) {
			if k.Name == "Kim J.U." && k.Of != "Kim Jong Un" {
				t.Fatalf("after a merge %q is still its own actor (%q)", k.Name, k.Of)
			}
		}
		if _, err := d.MergeEvents(ctx, "g1", mustEvent(t, d, "Vladivostok talks").ID, mustEvent(t, d, "Vladivostok summit").ID, "mod"); err != nil {
			t.Fatal(err)
		}
		if has(briefings.NameEvent, "Vladivostok talks") {
			t.Fatalf("after a merge the merged event is still known: %q", names(briefings.NameEvent))
		}
		mustSave(t, d, "g1", simple("Sanctions widen", briefings.DayOf(2025, 9, 3), "sanctions"))
		if !has(briefings.NameTopic, "sanctions") && !has(briefings.NameTopic, "Sanctions") {
			t.Fatalf("a new topic is missing: %q", names(briefings.NameTopic))
		}
	})
}

// mustKnown returns g1's known names of kind.
func mustKnown(t *testing.T, d *db.DB, kind briefings.NameKind) []briefings.KnownName {
	t.Helper()
	known, err := d.KnownNames(context.Background(), "g1", kind)
	if err != nil {
		t.Fatal(err)
	}
	return known
}
