package briefings_test

import (
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := briefings.LoadZone(name)
	if err != nil {
		t.Fatalf("LoadZone(%q): %v", name, err)
	}
	return loc
}

// utc parses an RFC 3339 instant.
func utc(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// at returns one time of day.
func at(h, m int) []briefings.Clock { return []briefings.Clock{{Hour: h, Minute: m}} }

// runs lists the slots a scheduler with a fixed clock would fire between
// from and to, stepping Next from slot to slot.
func runs(s briefings.Schedule, from, to time.Time) []string {
	var out []string
	for t := s.Next(from); !t.After(to); t = s.Next(t) {
		out = append(out, t.UTC().Format(time.RFC3339))
	}
	return out
}

func TestSchedule_DST(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	berlin := mustZone(t, "Europe/Berlin")
	for _, tc := range []struct {
		name     string
		s        briefings.Schedule
		from, to string
		want     []string
	}{
		{
			// 02:30 does not exist on 9 March 2025 in New York: the run
			// moves to the next valid minute, 03:00 EDT (07:00Z).
			name: "NewYork/spring-forward-gap",
			s:    briefings.Schedule{Times: at(2, 30), Zone: ny, Days: briefings.DaysDaily},
			from: "2025-03-08T00:00:00Z", to: "2025-03-10T12:00:00Z",
			want: []string{"2025-03-08T07:30:00Z", "2025-03-09T07:00:00Z", "2025-03-10T06:30:00Z"},
		},
		{
			name: "NewYork/spring-forward-morning",
			s:    briefings.Schedule{Times: at(8, 0), Zone: ny, Days: briefings.DaysDaily},
			from: "2025-03-08T00:00:00Z", to: "2025-03-10T23:00:00Z",
			want: []string{"2025-03-08T13:00:00Z", "2025-03-09T12:00:00Z", "2025-03-10T12:00:00Z"},
		},
		{
			// 01:30 happens twice on 2 November 2025: the run happens once,
			// at the first (EDT, 05:30Z).
			name: "NewYork/fall-back-twice",
			s:    briefings.Schedule{Times: at(1, 30), Zone: ny, Days: briefings.DaysDaily},
			from: "2025-11-01T00:00:00Z", to: "2025-11-03T12:00:00Z",
			want: []string{"2025-11-01T05:30:00Z", "2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z"},
		},
		{
			name: "Berlin/spring-forward-gap",
			s:    briefings.Schedule{Times: at(2, 15), Zone: berlin, Days: briefings.DaysDaily},
			from: "2025-03-29T00:00:00Z", to: "2025-03-31T12:00:00Z",
			want: []string{"2025-03-29T01:15:00Z", "2025-03-30T01:00:00Z", "2025-03-31T00:15:00Z"},
		},
		{
			name: "Berlin/fall-back-twice",
			s:    briefings.Schedule{Times: at(2, 30), Zone: berlin, Days: briefings.DaysDaily},
			from: "2025-10-25T00:00:00Z", to: "2025-10-27T12:00:00Z",
			want: []string{"2025-10-25T00:30:00Z", "2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"},
		},
		{
			name: "Berlin/weekdays-skip-weekend",
			s:    briefings.Schedule{Times: at(8, 0), Zone: berlin, Days: briefings.DaysWeekdays},
			from: "2025-03-28T00:00:00Z", to: "2025-04-01T00:00:00Z",
			want: []string{"2025-03-28T07:00:00Z", "2025-03-31T06:00:00Z"},
		},
		{
			// Morning and evening in New York across spring-forward: the
			// 02:30 time moves to 03:00 on the 9th, 18:30 is unaffected.
			name: "NewYork/two-times-spring-forward",
			s:    briefings.Schedule{Times: []briefings.Clock{{Hour: 18, Minute: 30}, {Hour: 2, Minute: 30}}, Zone: ny, Days: briefings.DaysDaily},
			from: "2025-03-08T12:00:00Z", to: "2025-03-10T12:00:00Z",
			want: []string{"2025-03-08T23:30:00Z", "2025-03-09T07:00:00Z", "2025-03-09T22:30:00Z", "2025-03-10T06:30:00Z"},
		},
		{
			// 02:15 and 02:45 both fall in Berlin's gap on 30 March and
			// move to 03:00: one delivery there, not two.
			name: "Berlin/two-times-same-gap",
			s:    briefings.Schedule{Times: []briefings.Clock{{Hour: 2, Minute: 15}, {Hour: 2, Minute: 45}}, Zone: berlin, Days: briefings.DaysDaily},
			from: "2025-03-29T00:00:00Z", to: "2025-03-31T12:00:00Z",
			want: []string{"2025-03-29T01:15:00Z", "2025-03-29T01:45:00Z", "2025-03-30T01:00:00Z", "2025-03-31T00:15:00Z", "2025-03-31T00:45:00Z"},
		},
		{
			// Each of 01:15 and 01:45 happens twice on 2 November 2025 in
			// New York; each delivers once, at its first occurrence.
			name: "NewYork/two-times-fall-back",
			s:    briefings.Schedule{Times: []briefings.Clock{{Hour: 1, Minute: 15}, {Hour: 1, Minute: 45}}, Zone: ny, Days: briefings.DaysDaily},
			from: "2025-11-02T00:00:00Z", to: "2025-11-02T12:00:00Z",
			want: []string{"2025-11-02T05:15:00Z", "2025-11-02T05:45:00Z"},
		},
		{
			name: "Tokyo/weekends",
			s:    briefings.Schedule{Times: at(9, 0), Zone: mustZone(t, "Asia/Tokyo"), Days: briefings.DaysWeekends},
			from: "2025-09-01T00:00:00Z", to: "2025-09-08T00:00:00Z",
			want: []string{"2025-09-06T00:00:00Z", "2025-09-07T00:00:00Z"},
		},
		{
			name: "UTC/monday-and-thursday",
			s:    briefings.Schedule{Times: at(9, 5), Days: "monday,thursday"},
			from: "2025-09-01T10:00:00Z", to: "2025-09-09T00:00:00Z",
			want: []string{"2025-09-04T09:05:00Z", "2025-09-08T09:05:00Z"},
		},
		{
			name: "UTC/monday-only",
			s:    briefings.Schedule{Times: at(9, 5), Days: "monday"},
			from: "2025-09-01T10:00:00Z", to: "2025-09-16T00:00:00Z",
			want: []string{"2025-09-08T09:05:00Z", "2025-09-15T09:05:00Z"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runs(tc.s, utc(t, tc.from), utc(t, tc.to))
			if len(got) != len(tc.want) {
				t.Fatalf("runs=%v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("run %d=%s, want %s", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestSchedule_Catchup(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	s := briefings.Schedule{Times: at(8, 0), Zone: ny, Days: briefings.DaysDaily}
	next := utc(t, "2025-03-07T13:00:00Z") // Friday 08:00 EST
	for _, tc := range []struct {
		name, now   string
		wantSlot    string
		wantDeliver bool
		wantNext    string
	}{
		{"on time", "2025-03-07T13:00:30Z", "2025-03-07T13:00:00Z", true, "2025-03-08T13:00:00Z"},
		// Down from Friday to Sunday 10:00 EDT: one catch-up, for Sunday's
		// 08:00 EDT slot (12:00Z), two hours late.
		{"after downtime across spring-forward", "2025-03-09T14:00:00Z", "2025-03-09T12:00:00Z", true, "2025-03-10T12:00:00Z"},
		// Back at 15:00 EDT: Sunday's slot is 7 hours old, past the 6-hour
		// grace window, so it waits for Monday.
		{"past grace", "2025-03-09T19:00:00Z", "2025-03-09T12:00:00Z", false, "2025-03-10T12:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slot, deliver, n := s.Catchup(next, utc(t, tc.now), briefings.DefaultGrace)
			if got, want := slot.UTC().Format(time.RFC3339), tc.wantSlot; got != want {
				t.Errorf("slot=%s, want %s", got, want)
			}
			if deliver != tc.wantDeliver {
				t.Errorf("deliver=%v, want %v", deliver, tc.wantDeliver)
			}
			if got, want := n.UTC().Format(time.RFC3339), tc.wantNext; got != want {
				t.Errorf("next=%s, want %s", got, want)
			}
		})
	}
}

func TestParseClockDaysZone(t *testing.T) {
	for _, tc := range []struct {
		in     string
		h, m   int
		wantOK bool
	}{
		{"", 8, 0, true}, {"08:00", 8, 0, true}, {"7:05", 7, 5, true}, {"18:30", 18, 30, true},
		{"6pm", 18, 0, true}, {"12am", 0, 0, true}, {"0930", 9, 30, true},
		{"noon", 12, 0, true}, {"Midnight", 0, 0, true}, {"08.30", 8, 30, true}, {"8.30pm", 20, 30, true},
		{"24:00", 0, 0, false}, {"8:7", 0, 0, false}, {"13pm", 0, 0, false}, {"8.3.0", 0, 0, false}, {"+8:00", 0, 0, false},
	} {
		h, m, err := briefings.ParseClock(tc.in)
		if (err == nil) != tc.wantOK || (tc.wantOK && (h != tc.h || m != tc.m)) {
			t.Errorf("ParseClock(%q)=%d:%d %v, want %d:%d ok=%v", tc.in, h, m, err, tc.h, tc.m, tc.wantOK)
		}
		if err != nil && briefings.ErrorCode(err) != briefings.EINVALID {
			t.Errorf("ParseClock(%q) error code=%s, want invalid", tc.in, briefings.ErrorCode(err))
		}
	}
	for in, want := range map[string]briefings.Days{"": "daily", "Weekdays": "weekdays", "mon": "monday", "SUNDAY": "sunday",
		"weekends": "weekends", "Sat, Sun": "weekends", "mon,thu": "monday,thursday", "Thursday and Monday": "monday,thursday",
		"mon-wed": "monday,tuesday,wednesday", "fri-mon": "monday,friday,saturday,sunday", "mon-fri": "weekdays",
		"tue,weekends": "tuesday,saturday,sunday", "Tuesdays": "tuesday", "tu,th": "tuesday,thursday", "weekdays,weekends": "daily"} {
		if got, err := briefings.ParseDays(in); err != nil || got != want {
			t.Errorf("ParseDays(%q)=%q %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"fortnightly", "mon,funday", "t", "mon-weekends"} {
		if _, err := briefings.ParseDays(in); briefings.ErrorCode(err) != briefings.EINVALID {
			t.Errorf("ParseDays(%q) err=%v, want invalid", in, err)
		}
	}
	for in, want := range map[briefings.Days]string{"weekends": "at weekends", "monday,thursday": "on Mondays and Thursdays",
		"monday,wednesday,friday": "on Mondays, Wednesdays and Fridays", "sunday": "on Sundays"} {
		if got := in.Human(); got != want {
			t.Errorf("Days(%q).Human()=%q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"08:00, 18:30": "08:00,18:30", "6pm and noon": "12:00,18:00", "08.30,8:30": "08:30", "": ""} {
		got, err := briefings.ParseTimes(in)
		if err != nil || briefings.FormatClocks(got) != want {
			t.Errorf("ParseTimes(%q)=%v %v, want %s", in, got, err, want)
		}
	}
	if _, err := briefings.ParseTimes("1,2,3,4,5,6,7"); !strings.Contains(briefings.ErrorMessage(err), "at most 6 times") {
		t.Errorf("ParseTimes of seven times: %v", err)
	}
	if loc, err := briefings.LoadZone("europe/berlin"); err != nil || loc.String() != "Europe/Berlin" {
		t.Errorf("LoadZone(europe/berlin)=%v %v", loc, err)
	}
	_, err := briefings.LoadZone("Europe/Berln")
	if msg := briefings.ErrorMessage(err); briefings.ErrorCode(err) != briefings.EINVALID || !contains(msg, "Europe/Berlin") {
		t.Errorf("LoadZone(Europe/Berln) message=%q, want a suggestion of Europe/Berlin", msg)
	}
	if got := briefings.FindZones("new york", 5); len(got) == 0 || got[0] != "America/New_York" {
		t.Errorf("FindZones(new york)=%v, want America/New_York first", got)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestParsers_BoundInput: every parser of typed text refuses input longer
// than its limit at once, naming the field and the limit, instead of
// working through it (LoadZone once spent seconds on 100 KB).
func TestParsers_BoundInput(t *testing.T) {
	huge := strings.Repeat("Europe/Berlinx", 100_000/14)
	for _, tc := range []struct {
		name, want string
		parse      func(string) error
	}{
		{"LoadZone", "time zone can be at most 64 characters", func(s string) error { _, err := briefings.LoadZone(s); return err }},
		{"ParseClock", "time can be at most 100 characters", func(s string) error { _, _, err := briefings.ParseClock(s); return err }},
		{"ParseDays", "days can be at most 100 characters", func(s string) error { _, err := briefings.ParseDays(s); return err }},
		{"ParseDate", "at most 64 characters", func(s string) error { _, err := briefings.ParseDate(s); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			err := tc.parse(huge)
			if took := time.Since(start); took > 200*time.Millisecond {
				t.Errorf("took %v on %d bytes", took, len(huge))
			}
			msg := err.Error()
			if briefings.ErrorCode(err) == briefings.EINVALID {
				msg = briefings.ErrorMessage(err)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q, want it to say %q", briefings.Truncate(msg, 200), tc.want)
			}
		})
	}
	start := time.Now()
	if got := briefings.Closest(huge, briefings.Zones, 3); len(got) != 0 {
		t.Errorf("Closest(huge)=%v, want none", got)
	}
	if got := briefings.FindZones(huge, 25); len(got) != 0 {
		t.Errorf("FindZones(huge)=%v, want none", got)
	}
	if took := time.Since(start); took > 200*time.Millisecond {
		t.Errorf("Closest and FindZones took %v on %d bytes", took, len(huge))
	}
}
