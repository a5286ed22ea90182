package briefings_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
)

func validBriefing() *briefings.Briefing {
	return &briefings.Briefing{
		Slug:      "putin-kim-call",
		Title:     "Putin and Kim speak before the Alaska summit",
		Summary:   "A call between the two leaders.",
		Published: briefings.MustParseDate("2025-08-12"),
		Source:    briefings.Source{Name: "Desk", URL: "https://example.org/a"},
		Topics:    []string{"alaska-summit"},
		Actors: []briefings.Actor{
			{Name: "Kim Jong Un", Kind: briefings.KindPerson, Aliases: []string{"Kim"}},
			{Name: "Vladimir Putin", Kind: briefings.KindPerson, Aliases: []string{"Putin"}},
		},
		Events: []briefings.Event{{Name: "Phone call", Date: briefings.MustParseDate("2025-08-12"), Participants: []string{"Putin", "Kim"}}},
		Facts:  []briefings.Fact{{Text: "They spoke.", Attribution: "Kremlin", Actors: []string{"Putin"}}},
		Corrections: []briefings.Correction{
			{Date: briefings.MustParseDate("2025-08-13"), Text: "Fixed a date."},
		},
	}
}

func TestValidate(t *testing.T) {
	if err := briefings.Validate(validBriefing()); err != nil {
		t.Fatalf("valid briefing rejected: %v", err)
	}
	tests := []struct {
		name   string
		mutate func(b *briefings.Briefing)
		field  string
		msg    string
	}{
		{"SlugNotASlug", func(b *briefings.Briefing) { b.Slug = "Bad Slug" }, "slug", `try "bad-slug"`},
		{"SlugTooLong", func(b *briefings.Briefing) { b.Slug = strings.Repeat("a", 101) }, "slug", "limit is 100"},
		{"TitleRequired", func(b *briefings.Briefing) { b.Title = "  " }, "title", "required"},
		{"TitleTooLong", func(b *briefings.Briefing) { b.Title = strings.Repeat("é", 257) }, "title", "is 257 characters; the limit is 256"},
		{"TitleGivesNoSlug", func(b *briefings.Briefing) { b.Slug = ""; b.Title = "???" }, "slug", "gives no slug"},
		{"SummaryRequired", func(b *briefings.Briefing) { b.Summary = "" }, "summary", "required"},
		{"SummaryTooLong", func(b *briefings.Briefing) { b.Summary = strings.Repeat("x", 4001) }, "summary", "limit is 4000"},
		{"BodyTooLong", func(b *briefings.Briefing) { b.Body = strings.Repeat("x", 100_001) }, "body", "limit is 100000"},
		{"InvalidUTF8", func(b *briefings.Briefing) { b.Summary = "bad \xff byte" }, "summary", "UTF-8"},
		{"PublishedRequired", func(b *briefings.Briefing) { b.Published = briefings.Date{} }, "published", "required"},
		{"SourceURLScheme", func(b *briefings.Briefing) { b.Source.URL = "javascript:alert(1)" }, "source.url", "not an http or https URL"},
		{"SourceURLNoHost", func(b *briefings.Briefing) { b.Source.URL = "https://" }, "source.url", "not an http or https URL"},
		{"SourceNameTooLong", func(b *briefings.Briefing) { b.Source.Name = strings.Repeat("n", 101) }, "source.name", "limit is 100"},
		{"TopicsRequired", func(b *briefings.Briefing) { b.Topics = nil }, "topics", "at least one"},
		{"TooManyTopics", func(b *briefings.Briefing) {
			b.Topics = strings.Fields("a b c d e f g h i j k")
		}, "topics", "has 11 entries; the limit is 10"},
		{"TopicNoSlug", func(b *briefings.Briefing) { b.Topics = []string{"!!"} }, "topics[1]", "gives no topic slug"},
		{"BadStatus", func(b *briefings.Briefing) { b.Status = "hidden" }, "status", "not one of draft, published, retracted"},
		{"CorrectionDate", func(b *briefings.Briefing) { b.Corrections[0].Date = briefings.Date{} }, "corrections[1].date", "required"},
		{"PublishedAfterYear9999InUTC", func(b *briefings.Briefing) {
			b.Published = briefings.Date{T: time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -5*3600)), P: briefings.PrecisionTime}
		}, "published", "is 10000-01-01T04:00:00Z in UTC, outside the years 0001 to 9999"},
		{"EventBeforeYear1", func(b *briefings.Briefing) { b.Events[0].Date = briefings.DayOf(0, 12, 31) }, "events[1].date", "is 0000-12-31, outside the years 0001 to 9999"},
		{"EventEndAfterYear9999", func(b *briefings.Briefing) { b.Events[0].End = briefings.DayOf(10000, 1, 1) }, "events[1].end", "outside the years 0001 to 9999"},
		{"FactAsOfOutOfRange", func(b *briefings.Briefing) { b.Facts[0].AsOf = briefings.DayOf(10000, 1, 1) }, "facts[1].as_of", "outside the years"},
		{"CorrectionDateOutOfRange", func(b *briefings.Briefing) { b.Corrections[0].Date = briefings.DayOf(0, 1, 1) }, "corrections[1].date", "outside the years"},
		{"RightToLeftOverride", func(b *briefings.Briefing) { b.Title = "Invoice \u202egnp.exe" }, "title", "contains the bidirectional control U+202E"},
		{"IsolateInAnAlias", func(b *briefings.Briefing) { b.Actors[0].Aliases = []string{"\u2067Kim"} }, "actors[1].aliases[1]", "bidirectional control U+2067"},
		{"OverrideInTheSourceURL", func(b *briefings.Briefing) { b.Source.URL = "https://example.org/\u202eabc" }, "source.url", "bidirectional control U+202E"},
		// Long plain text is checked eight bytes at a time: a control
		// character is found wherever it falls, and the first is named.
		{"EscapeDeepInTheBody", func(b *briefings.Briefing) {
			b.Body = strings.Repeat("plain text\n\t", 40) + "x\x1b[31m" + strings.Repeat("y", 13)
		}, "body", "control character U+001B"},
		{"DeleteInTheSummary", func(b *briefings.Briefing) { b.Summary = "abcdefghijklmno\x7fp" }, "summary", "control character U+007F"},
		{"FirstOfTwoControls", func(b *briefings.Briefing) { b.Summary = "abcdefgh\x00ijklmnop\x07" }, "summary", "control character U+0000"},
		{"C1ControlAfterAccents", func(b *briefings.Briefing) { b.Summary = "Café déjà vu, naïve\u0085 rest" }, "summary", "control character U+0085"},
		{"ControlAndBidiBoth", func(b *briefings.Briefing) { b.Summary = "\u202eabcdefghijklmnop\x01" }, "summary", "bidirectional control U+202E"},
		{"ControlBeforeBidi", func(b *briefings.Briefing) { b.Summary = "\u202eabcdefghijklmnop\x01" }, "summary", "control character U+0001"},
		{"CorrectionText", func(b *briefings.Briefing) { b.Corrections[0].Text = "" }, "corrections[1].text", "required"},
		{"ActorName", func(b *briefings.Briefing) { b.Actors[1].Name = "" }, "actors[2].name", "required"},
		{"ActorKind", func(b *briefings.Briefing) { b.Actors[0].Kind = "alien" }, "actors[1].kind", "not one of person"},
		{"ActorDescriptionTooLong", func(b *briefings.Briefing) { b.Actors[0].Description = strings.Repeat("d", 1001) }, "actors[1].description", "limit is 1000"},
		{"AliasEmpty", func(b *briefings.Briefing) { b.Actors[0].Aliases = []string{""} }, "actors[1].aliases[1]", "required"},
		{"AliasTaken", func(b *briefings.Briefing) { b.Actors[1].Aliases = []string{"KIM"} }, "actors[2].aliases[1]", "already used by actors[1]"},
		{"TooManyAliases", func(b *briefings.Briefing) {
			b.Actors[0].Aliases = strings.Fields("a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19 a20 a21")
		}, "actors[1].aliases", "limit is 20"},
		{"EventName", func(b *briefings.Briefing) { b.Events[0].Name = "" }, "events[1].name", "required"},
		{"EventTwice", func(b *briefings.Briefing) { b.Events = append(b.Events, b.Events[0]) }, "events[2].name", "appears twice"},
		{"EventDate", func(b *briefings.Briefing) { b.Events[0].Date = briefings.Date{} }, "events[1].date", "required"},
		{"EventEndBeforeStart", func(b *briefings.Briefing) { b.Events[0].End = briefings.MustParseDate("2025-08-01") }, "events[1].end", "before the date"},
		{"EventParticipantEmpty", func(b *briefings.Briefing) { b.Events[0].Participants = []string{""} }, "events[1].participants[1]", "required"},
		{"FactText", func(b *briefings.Briefing) { b.Facts[0].Text = "" }, "facts[1].text", "required"},
		{"FactTextTooLong", func(b *briefings.Briefing) { b.Facts[0].Text = strings.Repeat("f", 1001) }, "facts[1].text", "limit is 1000"},
		{"FactAttribution", func(b *briefings.Briefing) { b.Facts[0].Attribution = "" }, "facts[1].attribution", "required"},
		{"FactActorEmpty", func(b *briefings.Briefing) { b.Facts[0].Actors = []string{" "} }, "facts[1].actors[1]", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := validBriefing()
			tt.mutate(b)
			verr := briefings.Validate(b)
			if verr == nil {
				t.Fatalf("Validate accepted the briefing, want an error on %s", tt.field)
			}
			for _, f := range verr.Fields {
				if f.Field == tt.field && strings.Contains(f.Message, tt.msg) {
					if code := briefings.ErrorCode(verr.AsError()); code != briefings.EINVALID {
						t.Errorf("code=%q, want invalid", code)
					}
					return
				}
			}
			t.Fatalf("errors %v, want field %s with %q", verr.Fields, tt.field, tt.msg)
		})
	}
}

// Check seals a valid briefing: changing the briefing afterwards, or the
// copy Briefing returns, leaves what it holds as it was checked. An
// invalid one is not sealed.
func TestCheck(t *testing.T) {
	b := validBriefing()
	want := fmt.Sprintf("%+v", *b)
	c, verr := briefings.Check(b)
	if verr != nil {
		t.Fatal(verr)
	}
	b.Title = "\x1b[2J"
	b.Topics[0] = ""
	b.Actors[0].Aliases[0] = "\u202e"
	b.Facts[0].Actors[0] = ""
	b.Events[0].Participants = nil
	got := c.Briefing()
	if s := fmt.Sprintf("%+v", *got); s != want {
		t.Fatalf("after changing the briefing, Check's copy is\n%s\nwant\n%s", s, want)
	}
	got.Summary = ""
	got.Actors[0].Name = ""
	if s := fmt.Sprintf("%+v", *c.Briefing()); s != want {
		t.Fatalf("after changing the copy, Check's copy is\n%s\nwant\n%s", s, want)
	}
	if briefings.Validate(c.Briefing()) != nil {
		t.Fatal("the sealed briefing does not pass Validate")
	}
	if c, verr := briefings.Check(b); verr == nil || c.Briefing() != nil {
		t.Fatalf("Check of an invalid briefing: %v, %v", c.Briefing(), verr)
	}
	if (briefings.Checked{}).Briefing() != nil {
		t.Fatal("the zero Checked holds a briefing")
	}
}
