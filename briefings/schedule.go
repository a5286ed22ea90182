package briefings

import (
	"slices"
	"time"
)

// Schedule is when a subscription is delivered: one or more local times of
// day on some days, in a time zone.
type Schedule struct {
	// Times are the local times of day; none means DefaultClock.
	Times []Clock
	// Zone is the time zone the times are read in; nil means UTC.
	Zone *time.Location
	// Days are the local days it runs on.
	Days Days
}

// clocks returns the times of day in order, DefaultClock when none is set.
func (s Schedule) clocks() []Clock {
	if len(s.Times) == 0 {
		return []Clock{DefaultClock}
	}
	return SortClocks(s.Times)
}

func (s Schedule) zone() *time.Location {
	if s.Zone == nil {
		return time.UTC
	}
	return s.Zone
}

// SlotsOn returns the instants of the deliveries on a local calendar date,
// in order, even if Days excludes that date. Each time of day is read as
// slotAt reads it; two times that land on the same instant (both in a gap
// the clocks spring over) deliver once.
func (s Schedule) SlotsOn(year int, month time.Month, day int) []time.Time {
	var out []time.Time
	for _, c := range s.clocks() {
		out = append(out, slotAt(s.zone(), c, year, month, day))
	}
	slices.SortFunc(out, time.Time.Compare)
	return slices.CompactFunc(out, time.Time.Equal)
}

// slotAt returns the instant of time of day c on a local calendar date in
// loc. When the time does not exist that day (clocks spring forward over
// it) the slot is the first minute that does; when it exists twice (clocks
// fall back) the slot is the first of the two, so a day has exactly one
// slot for c.
func slotAt(loc *time.Location, c Clock, year int, month time.Month, day int) time.Time {
	wall := time.Date(year, month, day, c.Hour, c.Minute, 0, 0, time.UTC)
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
	return time.Date(year, month, day, c.Hour, c.Minute, 0, 0, loc)
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
		for _, slot := range s.SlotsOn(d.Year(), d.Month(), d.Day()) {
			if slot.After(t) {
				return slot
			}
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
		slots := s.SlotsOn(d.Year(), d.Month(), d.Day())
		for i := len(slots) - 1; i >= 0; i-- {
			if !slots[i].After(t) {
				return slots[i]
			}
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
