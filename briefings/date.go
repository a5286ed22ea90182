package briefings

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a Date is known.
type Precision uint8

// The precisions of a Date, from unknown to an exact instant.
const (
	PrecisionNone Precision = iota
	PrecisionYear
	PrecisionMonth
	PrecisionDay
	PrecisionTime
)

// String returns the precision's name as stored and shown.
func (p Precision) String() string {
	switch p {
	case PrecisionYear:
		return "year"
	case PrecisionMonth:
		return "month"
	case PrecisionDay:
		return "day"
	case PrecisionTime:
		return "time"
	}
	return "none"
}

// Date is a calendar date known to a precision: a year, a month, a day, or an
// exact instant (RFC 3339). The zero Date means "no date".
type Date struct {
	// T is the start of the period in UTC (or the instant for PrecisionTime).
	T time.Time
	// P is how much of T is meaningful.
	P Precision
}

// DayOf returns a day-precision Date.
func DayOf(year int, month time.Month, day int) Date {
	return Date{T: time.Date(year, month, day, 0, 0, 0, 0, time.UTC), P: PrecisionDay}
}

// DateFromTime returns a day-precision Date for t's calendar day in UTC.
func DateFromTime(t time.Time) Date {
	t = t.UTC()
	return DayOf(t.Year(), t.Month(), t.Day())
}

// IsZero reports whether d holds no date.
func (d Date) IsZero() bool { return d.P == PrecisionNone }

// String formats d in the file format: YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339.
func (d Date) String() string {
	switch d.P {
	case PrecisionYear:
		return d.T.Format("2006")
	case PrecisionMonth:
		return d.T.Format("2006-01")
	case PrecisionDay:
		return d.T.Format("2006-01-02")
	case PrecisionTime:
		return d.T.Format(time.RFC3339)
	}
	return ""
}

// Human formats d for people, respecting its precision: "2025", "August 2025",
// "12 August 2025", or "12 August 2025 14:00 UTC".
func (d Date) Human() string {
	switch d.P {
	case PrecisionYear:
		return d.T.Format("2006")
	case PrecisionMonth:
		return d.T.Format("January 2006")
	case PrecisionDay:
		return d.T.Format("2 January 2006")
	case PrecisionTime:
		return d.T.UTC().Format("2 January 2006 15:04 UTC")
	}
	return ""
}

// Span formats the period from d to end for people, saying once what the
// two share: "15–16 August 2025", "30 July – 2 August 2025", "April–May
// 2025", "2024–2025". A zero end, or one equal to d, gives d.Human().
func (d Date) Span(end Date) string {
	if end.IsZero() || (end.P == d.P && end.T.Equal(d.T)) {
		return d.Human()
	}
	if d.P == end.P && d.T.Year() == end.T.Year() {
		switch d.P {
		case PrecisionDay:
			if d.T.Month() == end.T.Month() {
				return d.T.Format("2") + "–" + end.Human()
			}
			return d.T.Format("2 January") + " – " + end.Human()
		case PrecisionMonth:
			return d.T.Format("January") + "–" + end.Human()
		}
	}
	if d.P == PrecisionYear && end.P == PrecisionYear {
		return d.Human() + "–" + end.Human()
	}
	return d.Human() + " – " + end.Human()
}

// Relative says in words how far d's calendar date lies from today's, at
// d's precision: "today", "in 3 days", "last month", "5 months ago", "next
// year". It compares calendar dates only (today's date as given, d's date as
// it is in UTC, which is where a date without a time of day lives), so it
// reads the same in every time zone. The zero Date gives "".
func (d Date) Relative(today Date) string {
	ty, tm, td := today.T.Date()
	y, m, dd := d.T.UTC().Date()
	switch d.P {
	case PrecisionNone:
		return ""
	case PrecisionYear:
		return relativeWords(y-ty, "this year", "next year", "last year", "year", "years")
	case PrecisionMonth:
		return relativeMonths((y*12+int(m))-(ty*12+int(tm)), true)
	}
	days := int(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Sub(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	abs := max(days, -days)
	switch {
	case abs < 26:
		return relativeWords(days, "today", "tomorrow", "yesterday", "day", "days")
	case abs < 45:
		return relativeWords(sign(days), "", "", "", "month", "months")
	}
	return relativeMonths(roundDiv(days*10000, 304375), false)
}

// relativeMonths says n months ahead or back: in months up to two years
// ("20 months ago"), as "a year" near twelve, and in whole years from two
// years on, never rounded up ("2 years ago" for 35 months). calendar
// says n counts calendar months, which read as "this", "next" and "last
// month".
func relativeMonths(n int, calendar bool) string {
	abs := max(n, -n)
	switch {
	case abs >= 11 && abs <= 13:
		return relativeWords(sign(n), "", "", "", "year", "years")
	case abs < 24 && calendar:
		return relativeWords(n, "this month", "next month", "last month", "month", "months")
	case abs < 24:
		return relativeWords(n, "", "", "", "month", "months")
	}
	return relativeWords(n/12, "", "", "", "year", "years")
}

// relativeWords says n units ahead (n > 0) or back (n < 0): the given words
// for 0, +1 and -1 when set, otherwise "in a month", "3 days ago".
func relativeWords(n int, zero, next, last, one, many string) string {
	switch {
	case n == 0 && zero != "":
		return zero
	case n == 1 && next != "":
		return next
	case n == -1 && last != "":
		return last
	}
	abs := max(n, -n)
	amount := strconv.Itoa(abs) + " " + many
	if abs == 1 {
		amount = "a " + one
	}
	if n < 0 {
		return amount + " ago"
	}
	return "in " + amount
}

// roundDiv divides a by b (b > 0), rounding halves away from zero.
func roundDiv(a, b int) int {
	if a < 0 {
		return -((-a + b/2) / b)
	}
	return (a + b/2) / b
}

// sign is -1, 0 or 1 as n is negative, zero or positive.
func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// End returns the first instant after the period d covers.
func (d Date) End() time.Time {
	switch d.P {
	case PrecisionYear:
		return d.T.AddDate(1, 0, 0)
	case PrecisionMonth:
		return d.T.AddDate(0, 1, 0)
	case PrecisionDay:
		return d.T.AddDate(0, 0, 1)
	}
	return d.T
}

// Before reports whether d starts before e. Zero dates sort last.
func (d Date) Before(e Date) bool {
	if d.IsZero() || e.IsZero() {
		return !d.IsZero() && e.IsZero()
	}
	if !d.T.Equal(e.T) {
		return d.T.Before(e.T)
	}
	return d.P < e.P
}

// maxDateInput is the longest text ParseDate reads: an RFC 3339 instant
// with nanoseconds and an offset is 35 bytes, and spaces around it are allowed.
const maxDateInput = 64

// The years a Date may have once in UTC: four digits, which every format
// the library writes (RFC 3339, JSON) can hold. An offset can carry an
// instant written in year 9999 into year 10000.
const (
	MinYear = 1
	MaxYear = 9999
)

// CheckRange returns an error when d, in UTC, falls outside MinYear to
// MaxYear; the zero Date passes. The message reads after the value or the
// field: "is 10000-01-01T04:00:00Z in UTC, outside the years 0001 to 9999".
func (d Date) CheckRange() error {
	if d.IsZero() {
		return nil
	}
	t := d.T.UTC()
	if y := t.Year(); y >= MinYear && y <= MaxYear {
		return nil
	}
	when := Date{T: t, P: d.P}.String()
	if d.P == PrecisionTime {
		when = t.Format("2006-01-02T15:04:05Z") + " in UTC"
	}
	return fmt.Errorf("is %s, outside the years %04d to %d", when, MinYear, MaxYear)
}

// ParseDate parses YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339, keeping the
// precision. Years, months and days are digits only ("+202" is not a year),
// and the date in UTC must fall within MinYear to MaxYear. The empty string
// gives the zero Date.
func ParseDate(s string) (Date, error) {
	if len(s) > maxDateInput {
		return Date{}, fmt.Errorf("a date is at most %d characters long (YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339); yours has %d", maxDateInput, len(s))
	}
	s = strings.TrimSpace(s)
	bad := func() (Date, error) {
		return Date{}, fmt.Errorf("%q is not a date: use YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339", s)
	}
	if s == "" {
		return Date{}, nil
	}
	if strings.ContainsAny(s, "Tt") && len(s) > 10 {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return bad()
		}
		d := Date{T: t.UTC(), P: PrecisionTime}
		if err := d.CheckRange(); err != nil {
			return Date{}, fmt.Errorf("%q %v", s, err)
		}
		return d, nil
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return bad()
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if i > 0 && len(p) != 2 || strings.Trim(p, "0123456789") != "" {
			return bad()
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return bad()
		}
		nums[i] = n
	}
	if nums[0] < MinYear {
		return Date{}, fmt.Errorf("%q is outside the years %04d to %d", s, MinYear, MaxYear)
	}
	switch len(nums) {
	case 1:
		return Date{T: time.Date(nums[0], 1, 1, 0, 0, 0, 0, time.UTC), P: PrecisionYear}, nil
	case 2:
		if nums[1] < 1 || nums[1] > 12 {
			return bad()
		}
		return Date{T: time.Date(nums[0], time.Month(nums[1]), 1, 0, 0, 0, 0, time.UTC), P: PrecisionMonth}, nil
	}
	t := time.Date(nums[0], time.Month(nums[1]), nums[2], 0, 0, 0, 0, time.UTC)
	if nums[1] < 1 || nums[1] > 12 || t.Day() != nums[2] {
		return bad()
	}
	return Date{T: t, P: PrecisionDay}, nil
}

// MustParseDate is ParseDate for literals known to be valid; it panics otherwise.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
