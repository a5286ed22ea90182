package db_test

import (
	"context"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

// TestDB_LibraryVersionMovesWithEveryCuration checks that every edit of
// an actor or an event that members can see moves the library's version,
// on both backends: answers and pictures kept by version (the answer
// cache, the reading room's pictures) must not outlive it. Adding an
// actor or event, or deleting one only drafts mention, changes nothing
// members see.
func TestDB_LibraryVersionMovesWithEveryCuration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name  string
		write func(t *testing.T, d *db.DB) error
	}{
		{"UpdateActor", func(t *testing.T, d *db.DB) error {
			kim := mustActor(t, d, "Kim Jong Un")
			kim.Description = "Supreme Leader of North Korea"
			return d.UpdateActor(ctx, "g1", *kim, "mod")
		}},
		{"RenameActor", func(t *testing.T, d *db.DB) error {
			_, err := d.RenameActor(ctx, "g1", mustActor(t, d, "Kim Jong Un").ID, "Kim Jong-un", true, "mod")
			return err
		}},
		{"UpdateEvent", func(t *testing.T, d *db.DB) error {
			e := mustEvent(t, d, "Vladivostok summit")
			e.Location = "Vostochny cosmodrome"
			return d.UpdateEvent(ctx, "g1", *e, "mod")
		}},
		{"RenameEvent", func(t *testing.T, d *db.DB) error {
			_, err := d.RenameEvent(ctx, "g1", mustEvent(t, d, "Vladivostok summit").ID, "Vostochny summit", "mod")
			return err
		}},
		{"MergeActors", func(t *testing.T, d *db.DB) error {
			_, err := d.MergeActors(ctx, "g1", mustActor(t, d, "Kim J.U.").ID, mustActor(t, d, "Kim Jong Un").ID, "mod")
			return err
		}},
		{"MergeEvents", func(t *testing.T, d *db.DB) error {
			_, err := d.MergeEvents(ctx, "g1", mustEvent(t, d, "Vladivostok talks").ID, mustEvent(t, d, "Vladivostok summit").ID, "mod")
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			eachBackend(t, func(t *testing.T, d *db.DB) {
				mustSave(t, d, "g1", kimPutin())
				if strings.HasPrefix(tt.name, "Merge") {
					mustSave(t, d, "g1", spelledOtherwise())
				}
				before, err := d.LibraryVersion(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if err := tt.write(t, d); err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
				after, err := d.LibraryVersion(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if after == before {
					t.Errorf("%s left the library's version at %d: answers kept by version would be served stale", tt.name, before)
				}
			})
		})
	}
}

// mustEvent returns g1's event for a curator.
func mustEvent(t *testing.T, d *db.DB, name string) *briefings.Event {
	t.Helper()
	e, err := d.EventToCurate(context.Background(), "g1", name)
	if err != nil {
		t.Fatalf("event %q: %v", name, err)
	}
	return e
}

// spelledOtherwise is a published briefing naming Kim and the summit
// another way, for merges.
func spelledOtherwise() *briefings.Briefing {
	return &briefings.Briefing{Title: "Pyongyang statement", Summary: "S.", Published: briefings.DayOf(2025, 8, 14), Topics: []string{"korea"},
		Actors: []briefings.Actor{{Name: "Kim J.U.", Description: "Spelled another way"}},
		Events: []briefings.Event{{Name: "Vladivostok talks", Date: briefings.DayOf(2025, 8, 11), Participants: []string{"Kim J.U."}}},
		Facts:  []briefings.Fact{{Text: "He spoke.", Attribution: "KCNA", Actors: []string{"Kim J.U."}, Event: "Vladivostok talks"}}}
}
