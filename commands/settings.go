package commands

import (
	"context"
	"fmt"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// settings answers /settings: without options it shows the guild's
// settings; with them it changes the moderator role and the default time
// zone of digests. Only members with Manage Server (or Administrator) may
// use it, whatever Discord's command permissions say.
func (r *Router) settings(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	if q.guildID == "" {
		return nil, userError("Settings belong to a server; run /settings there.")
	}
	if !briefings.CanAdminister(r.moderator(q)) {
		return nil, briefings.Errorf(briefings.EFORBIDDEN, "Only server admins can change settings: you need the Manage Server permission.")
	}
	s, err := r.opts.Curator.Settings(ctx, q.guildID)
	if err != nil {
		return nil, fmt.Errorf("settings of %q: %w", q.guildID, err)
	}
	changed := false
	if q.given(optRole) {
		s.ModeratorRoleID, changed = q.str(optRole), true
	}
	if o := q.opts[optClearRole]; o != nil && o.Value == true {
		s.ModeratorRoleID, changed = "", true
	}
	if q.given(optTimeZone) {
		// The same reading as /subscribe: any case, "Berlin" suggests
		// Europe/Berlin, and the stored name is the zone's own spelling.
		loc, err := briefings.LoadZone(q.str(optTimeZone))
		if err != nil {
			return nil, err
		}
		s.TimeZone, changed = loc.String(), true
	}
	msg := "These are this server's settings. Change them with the command's options."
	if changed {
		if err := r.opts.Curator.SaveSettings(ctx, s, q.userID); err != nil {
			return nil, err
		}
		msg = "Saved."
	}
	role := "none: only members with Manage Messages curate briefings"
	if s.ModeratorRoleID != "" {
		role = "<@&" + s.ModeratorRoleID + ">, besides members with Manage Messages"
	}
	zone := s.TimeZone
	if zone == "" {
		zone = "UTC"
	}
	return Ephemeral(fmt.Sprintf("%s\n**Moderator role:** %s\n**Digest time zone:** %s", msg, role, escape(zone))), nil
}
