package db_test

import (
	"context"
	"strings"
	"testing"

	"briefbot/briefings"
)

// TestDB_EventsWalkInDateOrderWithoutSorting checks that listing events in
// date order (/timeline, with no topic or a large one) reads them off the
// date index in the order it lists them and stops at the limit, instead of
// sorting each date's events first: at 1M briefings that sort made
// /timeline topic take 185 ms instead of 16.
func TestDB_EventsWalkInDateOrderWithoutSorting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, _ := mustOpen(t)
	mustSave(t, d, "g1", kimPutin())
	for _, tt := range []struct {
		name string
		q    briefings.EventQuery
	}{
		{"AllEvents", briefings.EventQuery{GuildID: "g1", Limit: 41}},
		{"FromADate", briefings.EventQuery{GuildID: "g1", From: briefings.DayOf(2025, 1, 1), Limit: 41}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := d.EventsPlan(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, "USING INDEX events_date") || strings.Contains(plan, "TEMP B-TREE") {
				t.Errorf("plan of the events in date order:\n%s\nwant a walk of events_date with no sort", plan)
			}
		})
	}
}
