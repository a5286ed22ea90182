package db_test

import (
	"context"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

func TestDB_GuildDefaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, d *db.DB) {
		tz, err := d.GuildTimezone(ctx, "g1")
		if err != nil || tz != "" {
			t.Fatalf("unset time zone=%q %v, want empty", tz, err)
		}
		if err := d.SaveSettings(ctx, briefings.GuildSettings{GuildID: "g1", TimeZone: "Europe/Berlin", ModeratorRoleID: "555"}, "admin"); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			guild, tz, role string
		}{{"g1", "Europe/Berlin", "555"}, {"g2", "", ""}} {
			tz, err := d.GuildTimezone(ctx, tt.guild)
			if err != nil || tz != tt.tz {
				t.Errorf("%s time zone=%q %v, want %q", tt.guild, tz, err, tt.tz)
			}
			role, err := d.ModeratorRole(ctx, tt.guild)
			if err != nil || role != tt.role {
				t.Errorf("%s moderator role=%q %v, want %q", tt.guild, role, err, tt.role)
			}
		}
	})
}
