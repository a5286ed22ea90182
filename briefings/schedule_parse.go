package briefings

import (
	"fmt"
	"slices"
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

// MaxTimes is how many times of day one subscription may deliver at.
const MaxTimes = 6

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
// Monday to Friday, Saturday and Sunday, one day of the week, or a list of
// days.
type Days string

// The named kinds of Days. A single weekday is its lowercase English name
// ("monday"); any other set of days is such names joined by commas, Monday
// first ("monday,thursday").
const (
	DaysDaily    Days = "daily"
	DaysWeekdays Days = "weekdays"
	DaysWeekends Days = "weekends"
)

// DayChoices lists the common Days values in the order a menu shows them.
var DayChoices = []Days{DaysDaily, DaysWeekdays, DaysWeekends, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// dayMask is a set of weekdays, bit w for time.Weekday w.
type dayMask uint8

const (
	maskAll      dayMask = 1<<7 - 1
	maskWeekdays dayMask = 1<<time.Monday | 1<<time.Tuesday | 1<<time.Wednesday | 1<<time.Thursday | 1<<time.Friday
	maskWeekends dayMask = 1<<time.Saturday | 1<<time.Sunday
)

// weekOrder lists the weekdays Monday first, as lists of days are written.
var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// daysOf returns the canonical Days of a non-empty set.
func daysOf(m dayMask) Days {
	switch m {
	case maskAll:
		return DaysDaily
	case maskWeekdays:
		return DaysWeekdays
	case maskWeekends:
		return DaysWeekends
	}
	var names []string
	for _, w := range weekOrder {
		if m&(1<<w) != 0 {
			names = append(names, strings.ToLower(w.String()))
		}
	}
	return Days(strings.Join(names, ","))
}

// mask returns the set of days d names; ok is false when d is not
// canonical Days.
func (d Days) mask() (m dayMask, ok bool) {
	switch d {
	case DaysDaily, "":
		return maskAll, true
	case DaysWeekdays:
		return maskWeekdays, true
	case DaysWeekends:
		return maskWeekends, true
	}
	for _, name := range strings.Split(string(d), ",") {
		w, found := weekdayNamed(name)
		if !found {
			return 0, false
		}
		m |= 1 << w
	}
	return m, true
}

// weekdayNamed finds the weekday whose lowercase English name is name.
func weekdayNamed(name string) (time.Weekday, bool) {
	for w := time.Sunday; w <= time.Saturday; w++ {
		if strings.ToLower(w.String()) == name {
			return w, true
		}
	}
	return 0, false
}

// dayWord reads one word of a days list: a weekday, its abbreviation of
// three letters or more, its plural, or daily, weekdays or weekends.
func dayWord(word string) (dayMask, bool) {
	switch word {
	case "daily", "everyday", "all":
		return maskAll, true
	case "weekdays", "weekday", "workdays":
		return maskWeekdays, true
	case "weekends", "weekend":
		return maskWeekends, true
	}
	for _, try := range []string{word, strings.TrimSuffix(word, "s")} {
		if len(try) < 2 {
			continue
		}
		var found dayMask
		n := 0
		for _, w := range weekOrder {
			name := strings.ToLower(w.String())
			if name == try || (len(try) >= 2 && strings.HasPrefix(name, try)) {
				found |= 1 << w
				n++
			}
		}
		// "t" and "s" would name two days; two letters name one except
		// for those, so "tu", "th", "sa" and "su" work.
		if n == 1 {
			return found, true
		}
	}
	return 0, false
}

// ParseDays reads when a subscription runs, ignoring case: "daily",
// "weekdays", "weekends", a day ("monday", "mon", "Mondays"), a list of
// them ("mon,thu", "Tuesday and Friday") or a range ("mon-wed"). The empty
// string means daily. The result is canonical: "mon,tue,wed,thu,fri" is
// DaysWeekdays. Returns EINVALID.
func ParseDays(s string) (Days, error) {
	if err := tooLong("days", s, MaxDaysInput); err != nil {
		return "", err
	}
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.NewReplacer("every day", "daily", "mon-fri", "weekdays", "sat-sun", "weekends", "&", ",", ";", ",", "/", ",", " and ", ",", "+", ",").Replace(t)
	bad := Errorf(EINVALID, "%q is not a schedule I know. Use daily, weekdays, weekends, a day such as monday, or days separated by commas such as mon,thu.", strings.TrimSpace(s))
	var m dayMask
	for _, part := range strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == ' ' }) {
		from, to, isRange := strings.Cut(part, "-")
		a, ok := dayWord(from)
		if !ok {
			return "", bad
		}
		if !isRange {
			m |= a
			continue
		}
		b, ok := dayWord(to)
		if !ok || !single(a) || !single(b) {
			return "", bad
		}
		// A range runs forward through the week and may wrap: fri-mon.
		w := lowest(a)
		for {
			m |= 1 << w
			if 1<<w == b {
				break
			}
			w = (w + 1) % 7
		}
	}
	if m == 0 {
		return DaysDaily, nil
	}
	return daysOf(m), nil
}

func single(m dayMask) bool { return m != 0 && m&(m-1) == 0 }

func lowest(m dayMask) time.Weekday {
	for w := time.Sunday; w <= time.Saturday; w++ {
		if m&(1<<w) != 0 {
			return w
		}
	}
	return time.Sunday
}

// Includes reports whether a delivery falls on local weekday w.
func (d Days) Includes(w time.Weekday) bool {
	m, ok := d.mask()
	return ok && m&(1<<w) != 0
}

// Human says when d delivers: "every day", "on weekdays", "at weekends",
// "on Mondays", "on Mondays and Thursdays".
func (d Days) Human() string {
	switch d {
	case DaysDaily, "":
		return "every day"
	case DaysWeekdays:
		return "on weekdays"
	case DaysWeekends:
		return "at weekends"
	}
	m, ok := d.mask()
	if !ok {
		return string(d)
	}
	var names []string
	for _, w := range weekOrder {
		if m&(1<<w) != 0 {
			names = append(names, w.String()+"s")
		}
	}
	return "on " + joinAnd(names)
}

// joinAnd joins words as English lists them: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// Clock is a local time of day.
type Clock struct {
	Hour, Minute int
}

// DefaultClock is the time of day of a subscription that names none.
var DefaultClock = Clock{Hour: 8}

// String formats c as HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// ParseClock reads a local time of day as HH:MM or H:MM (24-hour), also
// accepting "8", "8am", "8:30pm", "0830", "08.30", "noon" and "midnight".
// The empty string means 08:00. Returns EINVALID.
func ParseClock(s string) (hour, minute int, err error) {
	if err := tooLong("time", s, MaxTimeInput); err != nil {
		return 0, 0, err
	}
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	switch t {
	case "":
		return DefaultClock.Hour, DefaultClock.Minute, nil
	case "noon", "midday", "12noon":
		return 12, 0, nil
	case "midnight", "12midnight":
		return 0, 0, nil
	}
	bad := Errorf(EINVALID, "%q is not a time of day. Use HH:MM in 24-hour time, such as 08:00 or 18:30.", strings.TrimSpace(s))
	pm, am := strings.HasSuffix(t, "pm"), strings.HasSuffix(t, "am")
	t = strings.TrimSuffix(strings.TrimSuffix(t, "pm"), "am")
	t = strings.Replace(t, ".", ":", 1)
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
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || hs[0] == '+' || hs[0] == '-' || ms[0] == '+' || ms[0] == '-' {
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

// ParseTimes reads one or more times of day separated by commas (or "and"):
// "08:00", "08:00, 18:30", "noon and 6pm". The times come back in order
// through the day without repeats; none for empty text. Returns EINVALID
// for a time ParseClock refuses or more than MaxTimes times.
func ParseTimes(s string) ([]Clock, error) {
	if err := tooLong("time", s, MaxTimeInput); err != nil {
		return nil, err
	}
	t := strings.NewReplacer(" and ", ",", ";", ",", "&", ",").Replace(strings.ToLower(s))
	var out []Clock
	for _, part := range strings.Split(t, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		h, m, err := ParseClock(part)
		if err != nil {
			return nil, err
		}
		out = append(out, Clock{h, m})
	}
	out = SortClocks(out)
	if len(out) > MaxTimes {
		return nil, Errorf(EINVALID, "A subscription can deliver at most %d times a day; you gave %d times.", MaxTimes, len(out))
	}
	return out, nil
}

// SortClocks returns cs in order through the day without repeats.
func SortClocks(cs []Clock) []Clock {
	out := slices.Clone(cs)
	slices.SortFunc(out, func(a, b Clock) int { return (a.Hour*60 + a.Minute) - (b.Hour*60 + b.Minute) })
	return slices.Compact(out)
}

// FormatClocks joins times of day for storage and display: "08:00,18:30".
func FormatClocks(cs []Clock) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, ",")
}

// HumanClocks lists times of day for people: "08:00", "08:00 and 18:30".
func HumanClocks(cs []Clock) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return joinAnd(parts)
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
