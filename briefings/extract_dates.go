package briefings

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// FoundDate is a date mentioned in a sentence, resolved to the calendar.
type FoundDate struct {
	// Text is the words that name it, e.g. "last year".
	Text string
	// Date is the resolved date, as precise as the words allow.
	Date Date
}

const monthNames = `january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`

var (
	isoDate      = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	dayMonth     = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)? (` + monthNames + `)\b\.?(?:,? (\d{4})\b)?`)
	monthDay     = regexp.MustCompile(`(?i)\b(` + monthNames + `)\.? (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4})\b)?`)
	monthYear    = regexp.MustCompile(`(?i)\b(` + monthNames + `)\.? (\d{4})\b`)
	bareYear     = regexp.MustCompile(`\b(19\d{2}|20\d{2})\b`)
	weekday      = regexp.MustCompile(`(?i)\b(?:(last|next|this|on|coming) )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b`)
	nearDay      = regexp.MustCompile(`(?i)\b(today|yesterday|tomorrow)\b`)
	thisPeriod   = regexp.MustCompile(`(?i)\b(last|this|next|previous|past) (year|month)\b`)
	periodOffset = regexp.MustCompile(`(?i)\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3}) (day|week|month|year)s? (later|earlier|ago|after|before)\b`)
)

var numberWords = map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

// FindDates returns the dates a sentence mentions, in order. Relative words
// resolve against published ("Friday", "last year", "two days ago") or,
// for "later" and "earlier", against anchor, the date mentioned just
// before. A weekday on its own means the nearest one: "Friday" written on a
// Tuesday is three days on, "Monday" the day before.
func FindDates(s string, published, anchor Date) []FoundDate {
	if published.IsZero() {
		return nil
	}
	pub := published.T.UTC()
	day := func(t time.Time) Date { return DayOf(t.Year(), t.Month(), t.Day()) }
	type span struct {
		start, end int
		resolve    func(anchor Date) (Date, bool)
	}
	var spans []span
	add := func(re *regexp.Regexp, f func(m []string) func(Date) (Date, bool)) {
		for _, loc := range re.FindAllStringSubmatchIndex(s, -1) {
			m := make([]string, len(loc)/2)
			for i := range m {
				if loc[2*i] >= 0 {
					m[i] = s[loc[2*i]:loc[2*i+1]]
				}
			}
			if r := f(m); r != nil {
				spans = append(spans, span{loc[0], loc[1], r})
			}
		}
	}
	fixed := func(d Date, ok bool) func(Date) (Date, bool) {
		if !ok {
			return nil
		}
		return func(Date) (Date, bool) { return d, true }
	}
	add(isoDate, func(m []string) func(Date) (Date, bool) {
		d, err := ParseDate(m[0])
		return fixed(d, err == nil)
	})
	add(dayMonth, func(m []string) func(Date) (Date, bool) {
		return fixed(calendarDay(m[3], m[2], m[1], pub))
	})
	add(monthDay, func(m []string) func(Date) (Date, bool) {
		return fixed(calendarDay(m[3], m[1], m[2], pub))
	})
	add(monthYear, func(m []string) func(Date) (Date, bool) {
		mo, ok := month(m[1])
		y, _ := strconv.Atoi(m[2])
		return fixed(Date{T: time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC), P: PrecisionMonth}, ok)
	})
	add(bareYear, func(m []string) func(Date) (Date, bool) {
		y, _ := strconv.Atoi(m[1])
		return fixed(Date{T: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), P: PrecisionYear}, true)
	})
	add(weekday, func(m []string) func(Date) (Date, bool) {
		want := weekdayOf(m[2])
		f := (int(want) - int(pub.Weekday()) + 7) % 7 // days forward to it
		var offset int
		switch strings.ToLower(m[1]) {
		case "last":
			offset = f - 7
		case "next", "coming":
			offset = f
			if f == 0 {
				offset = 7
			}
		case "this":
			offset = f
		default:
			offset = f
			if f > 3 {
				offset = f - 7
			}
		}
		return fixed(day(pub.AddDate(0, 0, offset)), true)
	})
	add(nearDay, func(m []string) func(Date) (Date, bool) {
		n := map[string]int{"today": 0, "yesterday": -1, "tomorrow": 1}[strings.ToLower(m[1])]
		return fixed(day(pub.AddDate(0, 0, n)), true)
	})
	add(thisPeriod, func(m []string) func(Date) (Date, bool) {
		n := map[string]int{"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1}[strings.ToLower(m[1])]
		if strings.EqualFold(m[2], "year") {
			return fixed(Date{T: time.Date(pub.Year()+n, 1, 1, 0, 0, 0, 0, time.UTC), P: PrecisionYear}, true)
		}
		t := time.Date(pub.Year(), pub.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
		return fixed(Date{T: t, P: PrecisionMonth}, true)
	})
	add(periodOffset, func(m []string) func(Date) (Date, bool) {
		n, ok := numberWords[strings.ToLower(m[1])]
		if !ok {
			n, _ = strconv.Atoi(m[1])
		}
		unit := strings.ToLower(m[2])
		dir := strings.ToLower(m[3])
		return func(anchor Date) (Date, bool) {
			base := anchor
			sign := 1
			switch dir {
			case "ago":
				base, sign = published, -1
			case "earlier", "before":
				sign = -1
			}
			if base.IsZero() {
				base = published
			}
			t := base.T.UTC()
			switch unit {
			case "day":
				return day(t.AddDate(0, 0, sign*n)), true
			case "week":
				return day(t.AddDate(0, 0, sign*7*n)), true
			case "month":
				t = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, sign*n, 0)
				return Date{T: t, P: min(base.P, PrecisionMonth)}, true
			}
			return Date{T: time.Date(t.Year()+sign*n, 1, 1, 0, 0, 0, 0, time.UTC), P: PrecisionYear}, true
		}
	})

	// The longest match wins where matches overlap.
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].end > spans[j].end
	})
	var out []FoundDate
	end := -1
	for i, sp := range spans {
		if sp.start < end {
			continue
		}
		longest := sp
		for _, other := range spans[i+1:] {
			if other.start < sp.end && other.end-other.start > longest.end-longest.start {
				longest = other
			}
		}
		if longest.start != sp.start {
			continue
		}
		d, ok := sp.resolve(anchor)
		if !ok {
			continue
		}
		out = append(out, FoundDate{Text: s[sp.start:sp.end], Date: d})
		anchor = d
		end = sp.end
	}
	return out
}

// calendarDay builds a day from year, month and day words, the year of the
// publication when none is given.
func calendarDay(year, monthWord, dayWord string, pub time.Time) (Date, bool) {
	mo, ok := month(monthWord)
	if !ok {
		return Date{}, false
	}
	d, _ := strconv.Atoi(dayWord)
	y := pub.Year()
	if year != "" {
		y, _ = strconv.Atoi(year)
	}
	t := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	if d < 1 || t.Day() != d {
		return Date{}, false
	}
	return Date{T: t, P: PrecisionDay}, true
}

func month(s string) (time.Month, bool) {
	s = strings.ToLower(s)
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if s == name || (len(s) >= 3 && strings.HasPrefix(name, s)) {
			return m, true
		}
	}
	return 0, false
}

func weekdayOf(s string) time.Weekday {
	s = strings.ToLower(s)
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.ToLower(d.String()) == s {
			return d
		}
	}
	return time.Sunday
}
