package briefings_test

import (
	"sort"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // as the bot does, so the list is checked against the same database everywhere

	"briefbot/briefings"
)

// TestZonesAllLoad: every name autocomplete offers is one the tz database
// knows, and subscribing with it (LoadZone, in any case) gives that zone.
// The list is kept by hand, so a misspelt or withdrawn name fails here
// instead of in a member's /subscribe.
func TestZonesAllLoad(t *testing.T) {
	t.Parallel()
	if len(briefings.Zones) < 400 || briefings.Zones[0] != "UTC" {
		t.Fatalf("Zones has %d names starting %q; want UTC first and the regional zones", len(briefings.Zones), briefings.Zones[:1])
	}
	seen := map[string]bool{}
	for _, name := range briefings.Zones {
		if seen[name] {
			t.Errorf("zone %q listed twice", name)
		}
		seen[name] = true
		want, err := time.LoadLocation(name)
		if err != nil {
			t.Errorf("time.LoadLocation(%q): %v", name, err)
			continue
		}
		for _, typed := range []string{name, strings.ToLower(name)} {
			got, err := briefings.LoadZone(typed)
			if err != nil {
				t.Errorf("LoadZone(%q): %v", typed, err)
				continue
			}
			if got.String() != want.String() {
				t.Errorf("LoadZone(%q) = %s, want %s", typed, got, want)
			}
		}
	}
	if rest := briefings.Zones[1:]; !sort.StringsAreSorted(rest) {
		t.Errorf("the regional zones after UTC are not in alphabetical order")
	}
}
