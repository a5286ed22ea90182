package discordtest

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// timestamp is Discord's timestamp markup: <t:unix> or <t:unix:style>.
var timestamp = regexp.MustCompile(`<t:(-?\d{1,13})(?::([tTdDfFR]))?>`)

// AsReader renders Discord markup s as a reader whose client is set to zone
// loc sees it at now. Discord's client shows every <t:…> timestamp in the
// reader's own zone: each becomes its date or time in loc in the style its
// letter asks for (Discord's English formats, day first), and a relative
// timestamp becomes its distance from now, which depends on the instants
// alone. The rest of the markup stays as it is. Tests use it to read an
// answer as people on either side of the date line would.
func AsReader(s string, loc *time.Location, now time.Time) string {
	return timestamp.ReplaceAllStringFunc(s, func(m string) string {
		sub := timestamp.FindStringSubmatch(m)
		sec, err := strconv.ParseInt(sub[1], 10, 64)
		if err != nil {
			return m
		}
		t := time.Unix(sec, 0).In(loc)
		switch sub[2] {
		case "t":
			return t.Format("15:04")
		case "T":
			return t.Format("15:04:05")
		case "d":
			return t.Format("02/01/2006")
		case "D":
			return t.Format("2 January 2006")
		case "F":
			return t.Format("Monday, 2 January 2006 15:04")
		case "R":
			return relative(t, now)
		}
		return t.Format("2 January 2006 15:04")
	})
}

// EmbedsAsReader is AsReader over what a reader reads in embeds: each
// one's title, description, fields and footer, one a line.
func EmbedsAsReader(embeds []*discordgo.MessageEmbed, loc *time.Location, now time.Time) string {
	var b strings.Builder
	for _, e := range embeds {
		b.WriteString(e.Title + "\n" + e.Description + "\n")
		for _, f := range e.Fields {
			b.WriteString(f.Name + "\n" + f.Value + "\n")
		}
		if e.Footer != nil {
			b.WriteString(e.Footer.Text + "\n")
		}
	}
	return AsReader(b.String(), loc, now)
}

// relative is Discord's relative timestamp: the distance between two
// instants in the largest unit that fits, rounded ("in 3 days", "5 months
// ago").
func relative(t, now time.Time) string {
	secs := t.Sub(now).Seconds()
	abs := math.Abs(secs)
	var s string
	for _, u := range []struct {
		below, unit float64
		name        string
	}{
		{45, 1, "seconds"},
		{45 * 60, 60, "minutes"},
		{22 * 3600, 3600, "hours"},
		{26 * 86400, 86400, "days"},
		{320 * 86400, 30.4375 * 86400, "months"},
		{math.Inf(1), 365.25 * 86400, "years"},
	} {
		if abs < u.below {
			s = fmt.Sprintf("%d %s", int(math.Round(abs/u.unit)), u.name)
			break
		}
	}
	if secs > 0 {
		return "in " + s
	}
	return s + " ago"
}
