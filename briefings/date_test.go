package briefings_test

import (
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		prec    briefings.Precision
		human   string
		wantErr bool
	}{
		{in: "2025", want: "2025", prec: briefings.PrecisionYear, human: "2025"},
		{in: "2025-04", want: "2025-04", prec: briefings.PrecisionMonth, human: "April 2025"},
		{in: "2025-08-12", want: "2025-08-12", prec: briefings.PrecisionDay, human: "12 August 2025"},
		{in: " 2025-08-15 ", want: "2025-08-15", prec: briefings.PrecisionDay, human: "15 August 2025"},
		{in: "2025-08-12T09:30:00+03:00", want: "2025-08-12T06:30:00Z", prec: briefings.PrecisionTime, human: "12 August 2025 06:30 UTC"},
		{in: "", want: "", prec: briefings.PrecisionNone},
		{in: "2025-02-30", wantErr: true},
		{in: "2025-13", wantErr: true},
		{in: "2025-00-10", wantErr: true},
		{in: "25-08-12", wantErr: true},
		{in: "2025-8-12", wantErr: true},
		{in: "August 12", wantErr: true},
		{in: "2025-08-12-01", wantErr: true},
		{in: "2025-08-12T25:00:00Z", wantErr: true},
		{in: "-2025", wantErr: true},
		{in: "9999-12-31T23:00:00Z", want: "9999-12-31T23:00:00Z", prec: briefings.PrecisionTime, human: "31 December 9999 23:00 UTC"},
		{in: "0001-01-01T00:00:00Z", want: "0001-01-01T00:00:00Z", prec: briefings.PrecisionTime, human: "1 January 0001 00:00 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := briefings.ParseDate(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseDate(%q)=%v, want an error", tt.in, d)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := d.String(); got != tt.want {
				t.Errorf("String()=%q, want %q", got, tt.want)
			}
			if d.P != tt.prec {
				t.Errorf("precision=%v, want %v", d.P, tt.prec)
			}
			if got := d.Human(); got != tt.human {
				t.Errorf("Human()=%q, want %q", got, tt.human)
			}
		})
	}
}

func TestDate_EndAndBefore(t *testing.T) {
	y, m, d := briefings.MustParseDate("2025"), briefings.MustParseDate("2025-04"), briefings.MustParseDate("2025-04-30")
	if got, want := y.End(), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("year end=%v, want %v", got, want)
	}
	if got, want := m.End(), time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("month end=%v, want %v", got, want)
	}
	if got, want := d.End(), time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("day end=%v, want %v", got, want)
	}
	if !y.Before(m) || m.Before(y) {
		t.Errorf("2025 should sort before 2025-04")
	}
	if !d.Before(briefings.Date{}) || (briefings.Date{}).Before(d) {
		t.Errorf("zero dates should sort last")
	}
}

func TestDate_Span(t *testing.T) {
	for _, tt := range []struct{ from, to, want string }{
		{"2025-08-15", "", "15 August 2025"},
		{"2025-08-15", "2025-08-15", "15 August 2025"},
		{"2025-08-15", "2025-08-16", "15–16 August 2025"},
		{"2025-07-30", "2025-08-02", "30 July – 2 August 2025"},
		{"2024-12-30", "2025-01-02", "30 December 2024 – 2 January 2025"},
		{"2025-04", "2025-05", "April–May 2025"},
		{"2024-11", "2025-02", "November 2024 – February 2025"},
		{"2024", "2025", "2024–2025"},
		{"2025-04", "2025-05-09", "April 2025 – 9 May 2025"},
	} {
		t.Run(tt.from+"/"+tt.to, func(t *testing.T) {
			if got := briefings.MustParseDate(tt.from).Span(briefings.MustParseDate(tt.to)); got != tt.want {
				t.Errorf("Span=%q, want %q", got, tt.want)
			}
		})
	}
}

// TestDate_Relative checks the relative phrases against calendar dates,
// whatever the time of day of today's instant.
func TestDate_Relative(t *testing.T) {
	today := briefings.DayOf(2025, time.September, 1)
	for _, tt := range []struct{ date, want string }{
		{"2025-09-01", "today"},
		{"2025-09-02", "tomorrow"},
		{"2025-08-31", "yesterday"},
		{"2025-08-15", "17 days ago"},
		{"2025-08-12", "20 days ago"},
		{"2025-09-04", "in 3 days"},
		{"2025-07-20", "a month ago"},
		{"2025-10-20", "in 2 months"},
		{"2025-04-01", "5 months ago"},
		{"2026-03-01", "in 6 months"},
		{"2024-06-19", "14 months ago"},
		{"2024-09-10", "a year ago"},
		{"2023-12-20", "20 months ago"},
		{"2023-08-01", "2 years ago"},
		{"2022-10-01", "2 years ago"},
		{"2022-09-01", "3 years ago"},
		{"2025-09", "this month"},
		{"2025-10", "next month"},
		{"2025-08", "last month"},
		{"2025-04", "5 months ago"},
		{"2026-02", "in 5 months"},
		{"2024-07", "14 months ago"},
		{"2024-03", "18 months ago"},
		{"2024-09", "a year ago"},
		{"2023-08", "2 years ago"},
		{"2027-09", "in 2 years"},
		{"2025", "this year"},
		{"2026", "next year"},
		{"2024", "last year"},
		{"2021", "4 years ago"},
		{"", ""},
	} {
		t.Run(tt.date, func(t *testing.T) {
			if got := briefings.MustParseDate(tt.date).Relative(today); got != tt.want {
				t.Errorf("Relative=%q, want %q", got, tt.want)
			}
		})
	}
}

// TestParseDate_Refused checks the messages of dates the store could not
// write and years that are not four digits.
func TestParseDate_Refused(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+202", `"+202" is not a date: use YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339`},
		{"+2025", `"+2025" is not a date`},
		{"2025-+1", `"2025-+1" is not a date`},
		{"0000", `"0000" is outside the years 0001 to 9999`},
		{"9999-12-31T23:00:00-05:00", `"9999-12-31T23:00:00-05:00" is 10000-01-01T04:00:00Z in UTC, outside the years 0001 to 9999`},
		{"0001-01-01T00:30:00+01:00", `"0001-01-01T00:30:00+01:00" is 0000-12-31T23:30:00Z in UTC, outside the years 0001 to 9999`},
	}
	for _, tt := range tests {
		_, err := briefings.ParseDate(tt.in)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseDate(%q) err=%v, want %q", tt.in, err, tt.want)
		}
	}
}
