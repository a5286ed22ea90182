package briefings_test

import (
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
