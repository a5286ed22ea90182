package discordtest_test

import (
	"testing"
	"time"

	"briefbot/bot/discordtest"
)

// TestAsReader checks that timestamps render in the reader's zone, as
// Discord's client shows them: midnight UTC on 15 August 2025 is still the
// 14th in Honolulu and already evening of the 15th in Kiritimati.
func TestAsReader(t *testing.T) {
	honolulu, err := time.LoadLocation("Pacific/Honolulu")
	if err != nil {
		t.Fatal(err)
	}
	kiritimati, err := time.LoadLocation("Pacific/Kiritimati")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, time.September, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		markup     string
		west, east string
	}{
		{"When: <t:1755216000:D>", "When: 14 August 2025", "When: 15 August 2025"},
		{"<t:1755216000:d>", "14/08/2025", "15/08/2025"},
		{"<t:1755216000:F>", "Thursday, 14 August 2025 14:00", "Friday, 15 August 2025 14:00"},
		{"<t:1755216000:f> <t:1755216000>", "14 August 2025 14:00 14 August 2025 14:00", "15 August 2025 14:00 15 August 2025 14:00"},
		{"<t:1755216000:t>", "14:00", "14:00"},
		{"<t:1755216000:T>", "14:00:00", "14:00:00"},
		{"(<t:1755216000:R>)", "(18 days ago)", "(18 days ago)"},
		{"(<t:1756987200:R>)", "(in 3 days)", "(in 3 days)"},
		{"(<t:1743465600:R>)", "(5 months ago)", "(5 months ago)"},
		{"15 August 2025, **bold**", "15 August 2025, **bold**", "15 August 2025, **bold**"},
	} {
		if got := discordtest.AsReader(tt.markup, honolulu, now); got != tt.west {
			t.Errorf("AsReader(%q) in Honolulu = %q, want %q", tt.markup, got, tt.west)
		}
		if got := discordtest.AsReader(tt.markup, kiritimati, now); got != tt.east {
			t.Errorf("AsReader(%q) in Kiritimati = %q, want %q", tt.markup, got, tt.east)
		}
	}
}
