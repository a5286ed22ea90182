package briefings

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The longest text each schedule parser reads, in characters. Longer input
// is refused before any work that grows with it.
const (
	// MaxZoneInput bounds a time zone name; the longest IANA name has 32.
	MaxZoneInput = 64
	// MaxTimeInput bounds a list of times of day ("08:00, 12:30, 18:30").
	MaxTimeInput = 100
	// MaxDaysInput bounds a list of days ("mon,wed,fri").
	MaxDaysInput = 100
)

// tooLong returns EINVALID naming field and its limit when s has more than
// limit characters, and nil otherwise.
func tooLong(field, s string, limit int) error {
	if len(s) <= limit {
		return nil
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return Errorf(EINVALID, "The %s can be at most %d characters long; yours has %d. Shorten it and try again.", field, limit, n)
	}
	return nil
}

// Days says on which local days a subscription is delivered: every day,
// Monday to Friday, or one day of the week.
type Days string

// The kinds of Days besides a single weekday, which is its lowercase English
// name ("monday").
const (
	DaysDaily    Days = "daily"
	DaysWeekdays Days = "weekdays"
)

// DayChoices lists every valid Days value in the order a menu shows them.
var DayChoices = []Days{DaysDaily, DaysWeekdays, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// ParseDays reads "daily", "weekdays" or a weekday name, ignoring case; the
// empty string means daily. Returns EINVALID.
func ParseDays(s string) (Days, error) {
	if err := tooLong("days", s, MaxDaysInput); err != nil {
		return "", err
	}
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "every day", "everyday":
		return DaysDaily, nil
	case "weekday", "mon-fri":
		return DaysWeekdays, nil
	}
	for _, d := range DayChoices {
		if string(d) == s {
			return d, nil
		}
	}
	for _, d := range DayChoices[2:] {
		if len(s) >= 3 && strings.HasPrefix(string(d), s) {
			return d, nil
		}
	}
	return "", Errorf(EINVALID, "%q is not a schedule I know. Use daily, weekdays, or a day of the week such as monday.", s)
}

// weekday returns the single weekday of d, and false for daily and weekdays.
func (d Days) weekday() (time.Weekday, bool) {
	for w := time.Sunday; w <= time.Saturday; w++ {
		if strings.EqualFold(w.String(), string(d)) {
			return w, true
		}
	}
	return 0, false
}

// Includes reports whether a delivery falls on local weekday w.
func (d Days) Includes(w time.Weekday) bool {
	switch d {
	case DaysDaily, "":
		return true
	case DaysWeekdays:
		return w >= time.Monday && w <= time.Friday
	}
	one, ok := d.weekday()
	return ok && one == w
}

// Human says when d delivers: "every day", "on weekdays", "on Mondays".
func (d Days) Human() string {
	switch d {
	case DaysDaily, "":
		return "every day"
	case DaysWeekdays:
		return "on weekdays"
	}
	if w, ok := d.weekday(); ok {
		return "on " + w.String() + "s"
	}
	return string(d)
}

// ParseClock reads a local time of day as HH:MM or H:MM (24-hour), also
// accepting "8", "8am", "8:30pm" and "0830". The empty string means 08:00.
// Returns EINVALID.
func ParseClock(s string) (hour, minute int, err error) {
	if err := tooLong("time", s, MaxTimeInput); err != nil {
		return 0, 0, err
	}
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if t == "" {
		return 8, 0, nil
	}
	bad := Errorf(EINVALID, "%q is not a time of day. Use HH:MM in 24-hour time, such as 08:00 or 18:30.", s)
	pm, am := strings.HasSuffix(t, "pm"), strings.HasSuffix(t, "am")
	t = strings.TrimSuffix(strings.TrimSuffix(t, "pm"), "am")
	hs, ms, found := strings.Cut(t, ":")
	if !found {
		hs, ms = t, "00"
		if len(t) == 4 {
			hs, ms = t[:2], t[2:]
		}
	}
	if len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, 0, bad
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, bad
	}
	if am || pm {
		if h < 1 || h > 12 {
			return 0, 0, bad
		}
		h %= 12
		if pm {
			h += 12
		}
	}
	return h, m, nil
}

// LoadZone returns the IANA time zone named name ("Europe/Berlin", "UTC"),
// ignoring case. Returns EINVALID with the closest names for an unknown one.
func LoadZone(name string) (*time.Location, error) {
	if err := tooLong("time zone", name, MaxZoneInput); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" || strings.EqualFold(name, "utc") || strings.EqualFold(name, "gmt") {
		return time.UTC, nil
	}
	if canon, ok := zoneByFold[strings.ToLower(name)]; ok {
		name = canon
	}
	if strings.EqualFold(name, "local") {
		return nil, Errorf(EINVALID, "Name a time zone such as Europe/Berlin instead of Local.")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		msg := fmt.Sprintf("I don't know the time zone %q. Use an IANA name such as Europe/Berlin or America/New_York", name)
		if close := Closest(name, Zones, 3); len(close) > 0 {
			msg += "; did you mean " + strings.Join(close, ", ") + "?"
		} else {
			msg += "."
		}
		return nil, Errorf(EINVALID, "%s", msg)
	}
	return loc, nil
}

// Schedule is when a subscription is delivered: a local time of day on some
// days, in a time zone.
type Schedule struct {
	// Hour and Minute are the local time of day.
	Hour, Minute int
	// Zone is the time zone the time is read in; nil means UTC.
	Zone *time.Location
	// Days are the local days it runs on.
	Days Days
}

// Clock formats the time of day as HH:MM.
func (s Schedule) Clock() string { return fmt.Sprintf("%02d:%02d", s.Hour, s.Minute) }

func (s Schedule) zone() *time.Location {
	if s.Zone == nil {
		return time.UTC
	}
	return s.Zone
}

// SlotOn returns the instant of the delivery on a local calendar date, even
// if Days excludes that date. When the time of day does not exist that day
// (clocks spring forward over it) the slot is the first minute that does;
// when it exists twice (clocks fall back) the slot is the first of the two,
// so a day has exactly one slot.
func (s Schedule) SlotOn(year int, month time.Month, day int) time.Time {
	loc := s.zone()
	wall := time.Date(year, month, day, s.Hour, s.Minute, 0, 0, time.UTC)
	var best time.Time
	// A wall clock reading maps to an instant under one of the offsets in
	// force around it; try each and keep the earliest that reads back right.
	for _, probe := range []time.Duration{-36 * time.Hour, 0, 36 * time.Hour} {
		_, off := wall.Add(probe).In(loc).Zone()
		t := wall.Add(-time.Duration(off) * time.Second).In(loc)
		if sameWall(t, wall) && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	if !best.IsZero() {
		return best
	}
	// The time falls in a gap: the next valid minute is the first one whose
	// wall clock exists.
	for k := 1; k <= 24*60; k++ {
		w := wall.Add(time.Duration(k) * time.Minute)
		for _, probe := range []time.Duration{-36 * time.Hour, 36 * time.Hour} {
			_, off := w.Add(probe).In(loc).Zone()
			t := w.Add(-time.Duration(off) * time.Second).In(loc)
			if sameWall(t, w) {
				return t
			}
		}
	}
	return time.Date(year, month, day, s.Hour, s.Minute, 0, 0, loc)
}

// sameWall reports whether t's local clock reads the date and time of wall.
func sameWall(t, wall time.Time) bool {
	y, m, d := t.Date()
	wy, wm, wd := wall.Date()
	return y == wy && m == wm && d == wd && t.Hour() == wall.Hour() && t.Minute() == wall.Minute()
}

// Next returns the first slot strictly after t.
func (s Schedule) Next(t time.Time) time.Time {
	local := t.In(s.zone())
	for i := -1; i <= 8; i++ {
		d := time.Date(local.Year(), local.Month(), local.Day()+i, 12, 0, 0, 0, time.UTC)
		if !s.Days.Includes(d.Weekday()) {
			continue
		}
		if slot := s.SlotOn(d.Year(), d.Month(), d.Day()); slot.After(t) {
			return slot
		}
	}
	return time.Time{} // unreachable for a valid Days
}

// Latest returns the most recent slot at or before t.
func (s Schedule) Latest(t time.Time) time.Time {
	local := t.In(s.zone())
	for i := 1; i >= -8; i-- {
		d := time.Date(local.Year(), local.Month(), local.Day()+i, 12, 0, 0, 0, time.UTC)
		if !s.Days.Includes(d.Weekday()) {
			continue
		}
		if slot := s.SlotOn(d.Year(), d.Month(), d.Day()); !slot.After(t) {
			return slot
		}
	}
	return time.Time{}
}

// DefaultGrace is how late a missed slot may still be delivered after the
// bot was down.
const DefaultGrace = 6 * time.Hour

// Catchup decides what to do with a subscription whose next run (a slot) is
// at or before now. The slot to deliver is the most recent one at or before
// now, so a long downtime yields one delivery, not one per missed slot; and
// only if that slot is within grace of now (deliver is false otherwise).
// next is the run after it, always after now.
func (s Schedule) Catchup(nextRun, now time.Time, grace time.Duration) (slot time.Time, deliver bool, next time.Time) {
	slot = s.Latest(now)
	if slot.IsZero() || slot.Before(nextRun) {
		slot = nextRun
	}
	return slot, now.Sub(slot) <= grace, s.Next(now)
}
