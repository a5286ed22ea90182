package commands

import (
	"context"
	"fmt"
	"strings"

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
	room, roomNote, err := r.settingsRoom(ctx, q)
	if err != nil {
		return nil, err
	}
	if roomNote != "" {
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
	text := fmt.Sprintf("%s\n**Moderator role:** %s\n**Digest time zone:** %s", msg, role, escape(zone))
	if r.opts.Rooms != nil {
		text += "\n**Reading room:** " + r.roomLine(room) + roomNote
	}
	return Ephemeral(text), nil
}

// settingsRoom reads the server's reading room, and turns it on or off or
// gives it a new key as the options ask; the note says what changed.
func (r *Router) settingsRoom(ctx context.Context, q *request) (briefings.ReadingRoom, string, error) {
	if r.opts.Rooms == nil {
		return briefings.ReadingRoom{}, "", nil
	}
	room, err := r.opts.Rooms.ReadingRoom(ctx, q.guildID)
	if err != nil {
		return room, "", fmt.Errorf("reading room of %q: %w", q.guildID, err)
	}
	on, rotate := room.On, false
	if q.given(optRoom) {
		on = q.opts[optRoom].Value == true
	}
	if o := q.opts[optNewRoomLink]; o != nil && o.Value == true {
		rotate = true
	}
	if on == room.On && !rotate {
		return room, "", nil
	}
	note := ""
	if rotate || room.Key == "" {
		if room.Key, err = briefings.NewRoomKey(); err != nil {
			return room, "", fmt.Errorf("reading room key: %w", err)
		}
		if rotate {
			note = "\nThe reading room has a new link; the old one no longer works."
		}
	}
	switch {
	case on && !room.On:
		note += "\nAnyone with the link can now read this server's published briefings; drafts and retracted content stay hidden."
	case !on && room.On:
		note += "\nIts pages are gone from the web. Turning it on again brings back the same link, unless you ask for a new one."
	}
	room.On = on
	if err := r.opts.Rooms.SaveReadingRoom(ctx, room, q.userID); err != nil {
		return room, "", err
	}
	return room, note, nil
}

// roomLine says whether the reading room is on, and where.
func (r *Router) roomLine(room briefings.ReadingRoom) string {
	if !room.On {
		return "off: this server's library is not on the web (turn it on with reading_room:True)"
	}
	path := "/g/" + room.Key + "/"
	if base := strings.TrimRight(r.opts.PublicURL, "/"); base != "" {
		return "on, at <" + base + path + ">. Share it with the readers you choose; anyone with it can read"
	}
	return "on, at `" + path + "` of the bot's reading room (ask its operator for the address: BRIEFBOT_PUBLIC_URL is not set)"
}
