package briefings_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
)

// tuesday is the publication date of the seed article: Tuesday 12 August 2025.
var tuesday = briefings.DayOf(2025, 8, 12)

func TestFindDates(t *testing.T) {
	for _, tc := range []struct {
		name, sentence string
		want           []string
	}{
		{"WeekdayAhead", "Putin meets Trump on Friday in Anchorage.", []string{"2025-08-15"}},
		{"WeekdayPossessive", "The timing underscores coordination before Friday’s summit.", []string{"2025-08-15"}},
		{"WeekdayBehind", "Officials met on Monday.", []string{"2025-08-11"}},
		{"LastWeekday", "The talks ended last Friday.", []string{"2025-08-08"}},
		{"NextWeekday", "They meet again next Tuesday.", []string{"2025-08-19"}},
		{"LastYear", "Russia recaptured the Kursk region last year.", []string{"2024"}},
		{"NextMonth", "Talks resume next month.", []string{"2025-09"}},
		{"Yesterday", "The ministry said so yesterday.", []string{"2025-08-11"}},
		{"ExplicitDateBeatsWeekday", "On Tuesday, August 12, 2025, Putin called Kim.", []string{"2025-08-12"}},
		{"ExplicitDateBeatsWrongWeekday", "On Friday, March 13, 2026, the board met.", []string{"2026-03-13"}},
		{"PastWeekday", "Residents packed a public hearing on Thursday night.", []string{"2025-08-07"}},
		{"FutureWeekday", "The council will vote on Monday.", []string{"2025-08-18"}},
		{"WouldWeekday", "The shipments would arrive on Saturday.", []string{"2025-08-16"}},
		{"DecidedToLater", "Dock workers voted on Tuesday to strike from Monday.", []string{"2025-08-12", "2025-08-18"}},
		{"AgreedToMeet", "The board agreed on Monday to meet again on Friday.", []string{"2025-08-11", "2025-08-15"}},
		{"IsToVote", "The council is to vote on Saturday.", []string{"2025-08-16"}},
		{"WentToWork", "He went to work on Saturday.", []string{"2025-08-09"}},
		{"WalkedOutToProtest", "Workers walked out on Saturday to protest the cuts.", []string{"2025-08-09"}},
		{"LaunchedOnFriday", "An appeal launched on Friday raised funds.", []string{"2025-08-08"}},
		{"SameWeekday", "Donors pledged $40 million on Tuesday.", []string{"2025-08-12"}},
		{"PastNoYearNearest", "The level fell to 42 centimetres on August 4.", []string{"2025-08-04"}},
		{"FutureNoYearNextYear", "Wages will rise from January 1.", []string{"2026-01-01"}},
		{"ScheduledPastVerb", "She set a new hearing for August 24.", []string{"2025-08-24"}},
		{"MonthAlone", "The commission will discuss it at its session in March.", []string{"2026-03"}},
		{"MonthAlonePast", "Cases have risen since January.", []string{"2025-01"}},
		{"DottedDate", "The strike ended on 14.10.2026.", []string{"2026-10-14"}},
		{"SlashedDayFirst", "The strike ended on 14/10/2026.", []string{"2026-10-14"}},
		{"SlashedAmbiguous", "It happened on 04/05/2026.", nil},
		{"DayMonthNoYear", "The summit is on 15 August.", []string{"2025-08-15"}},
		{"MonthYear", "Moscow declared it retaken in April 2025.", []string{"2025-04"}},
		{"Year", "They signed a treaty in 2024.", []string{"2024"}},
		{"ISO", "The file is dated 2025-08-01.", []string{"2025-08-01"}},
		{"DaysLater", "The call came on 12 August; the summit followed three days later.", []string{"2025-08-12", "2025-08-15"}},
		{"DaysAgo", "The order was signed two days ago.", []string{"2025-08-10"}},
		{"InvalidDay", "Nothing happened on 31 February.", nil},
		{"None", "Military cooperation is the core of the relationship.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range briefings.FindDates(tc.sentence, tuesday, tuesday) {
				got = append(got, d.Date.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("FindDates(%q)=%v, want %v", tc.sentence, got, tc.want)
			}
		})
	}
}

// TestFindDates_PresentTense checks that news's present tense for what is
// scheduled points forward and its past tense back, published on Thursday
// 3 December 2026: the nearest Monday is behind, the nearest Saturday
// ahead, so each case reads differently by tense than by nearness.
func TestFindDates_PresentTense(t *testing.T) {
	thursday := briefings.DayOf(2026, 12, 3)
	for _, tc := range []struct {
		name, sentence string
		want           []string
	}{
		{"PluralSubjectBareForm", "Crossings resume on Monday.", []string{"2026-12-07"}},
		{"SingularSubjectSForm", "The ferry resumes on Monday.", []string{"2026-12-07"}},
		{"ReportedPresent", "The company said crossings resume on Monday.", []string{"2026-12-07"}},
		{"ReportedOnADay", "The company said on Monday that crossings resume soon.", []string{"2026-11-30"}},
		{"Are", "Talks are on Friday.", []string{"2026-12-04"}},
		{"AreFurtherThanNearest", "The hearings are on Monday.", []string{"2026-12-07"}},
		{"VerbWithObject", "The port opens its new terminal on Monday.", []string{"2026-12-07"}},
		{"FrontedDatePresent", "On Monday, the ferry resumes.", []string{"2026-12-07"}},
		{"FrontedDatePast", "On Saturday, workers walked out.", []string{"2026-11-28"}},
		{"FrontedDatePastNearestBehind", "On Monday, workers walked out.", []string{"2026-11-30"}},
		{"PastStaysPast", "Workers walked out on Tuesday.", []string{"2026-12-01"}},
		{"PastIrregular", "The ferry ran on Monday for the last time.", []string{"2026-11-30"}},
		{"NounNotVerb", "Hundreds joined the strike on Saturday.", []string{"2026-11-28"}},
		{"BareNounAfterAdjective", "A 24-hour strike on Monday closed the port.", []string{"2026-11-30"}},
		{"PossessiveDateKeepsNearest", "Rescuers are still at the site of Monday's quake.", []string{"2026-11-30"}},
		{"PresentVerbFarAway", "Prices are higher in the shops than before the storm on Monday.", []string{"2026-11-30"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range briefings.FindDates(tc.sentence, thursday, thursday) {
				got = append(got, d.Date.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("FindDates(%q)=%v, want %v", tc.sentence, got, tc.want)
			}
		})
	}
}

func TestFindDates_LaterUsesTheEarlierSentence(t *testing.T) {
	got := briefings.FindDates("Three days later the leaders met.", tuesday, briefings.DayOf(2025, 8, 1))
	if len(got) != 1 || got[0].Date.String() != "2025-08-04" {
		t.Fatalf("got %+v, want 2025-08-04 (three days after the anchor)", got)
	}
}

func TestAttribution(t *testing.T) {
	for _, tc := range []struct{ sentence, want string }{
		{"At least 10,000 troops fight for Russia according to South Korean intelligence, while Pyongyang sends shells.", "South Korean intelligence"},
		{"According to the Kremlin, Putin passed Kim information.", "the Kremlin"},
		{"The talks were useful, the Kremlin said.", "the Kremlin"},
		{"While the Kremlin stated Putin shared information, state media said nothing.", "the Kremlin"},
		{"Trump said he would change battle lines.", "Trump"},
		{"He said nothing more.", "He"},
		{"“We are racing against the rains,” said Dr. Ibrahim Sow, the partnership's emergency coordinator.", "Dr. Ibrahim Sow"},
		{"\"We are confident,\" said Prairie Midstream spokesman Jon Ellery.", "Prairie Midstream spokesman Jon Ellery"},
		{"Councilmember Dana Whitfield, who represents Eastgate, said she would vote against it.", "Councilmember Dana Whitfield"},
		{"The commission's president, Tomas Adler, said ballots would be printed.", "Tomas Adler"},
		{"The Riverton Transit Authority has said it will order 25 buses.", "The Riverton Transit Authority"},
		{"A poll published by the Valletta Herald on Monday gave the party 41 percent.", "the Valletta Herald"},
		{"This selective disclosure reveals Pyongyang’s caution.", ""},
		{"“Our members stood firm, and it paid off,” de Graaf told the broadcaster NOS.", "de Graaf"},
		{"Military cooperation is the core of the relationship.", ""},
	} {
		if got := briefings.Attribution(tc.sentence); got != tc.want {
			t.Errorf("Attribution(%q)=%q, want %q", tc.sentence, got, tc.want)
		}
	}
}

func TestSentences(t *testing.T) {
	got := briefings.Sentences("Putin met U.S. President Donald Trump. Mr. Kim was absent!  Talks \"went well.\" 10,000 troops fight.")
	want := []string{"Putin met U.S. President Donald Trump.", "Mr. Kim was absent!", "Talks \"went well.\"", "10,000 troops fight."}
	if !slices.Equal(got, want) {
		t.Errorf("Sentences=%q, want %q", got, want)
	}
}

func TestExtract_SeedArticle(t *testing.T) {
	text, err := os.ReadFile("../../shared/seed/putin-kim-call-2025-08-12.txt")
	if err != nil {
		t.Skipf("seed article not available: %v", err)
	}
	known := []string{"Vladimir Putin", "Putin", "Kim Jong Un", "Kim", "Donald Trump", "Trump", "Kremlin", "Pyongyang"}
	in := briefings.ExtractInput{Text: string(text), Published: tuesday, KnownActors: known, DefaultAttribution: "Seed article"}
	got := briefings.Extract(in)

	var attributed, withLastYear, withFriday bool
	for _, f := range got.Facts {
		if f.Attribution == "South Korean intelligence" && slices.Contains(f.Actors, "Pyongyang") {
			attributed = true
		}
		if f.Attribution == "" {
			t.Errorf("fact without attribution: %q", f.Text)
		}
		// Trump vowed one clause; the other is the article's own reading
		if strings.HasPrefix(f.Text, "Trump has vowed") && f.Attribution != "Seed article" {
			t.Errorf("%q is attributed to %q, want the source: the speaker said only its first clause", f.Text, f.Attribution)
		}
	}
	for _, e := range got.Events {
		switch e.Date.String() {
		case "2024":
			withLastYear = withLastYear || e.Date.P == briefings.PrecisionYear
		case "2025-08-15":
			withFriday = true
		}
	}
	if !attributed {
		t.Errorf("no fact attributed to South Korean intelligence naming Pyongyang: %+v", got.Facts)
	}
	if !withLastYear || !withFriday {
		t.Errorf("events lack \"last year\" as 2024 or Friday as 2025-08-15: %+v", got.Events)
	}
	for _, name := range []string{"Kim Jong Un", "Donald Trump", "Kremlin"} {
		if !slices.Contains(got.Actors, name) {
			t.Errorf("actors %v lack %q", got.Actors, name)
		}
	}
	if again := briefings.Extract(in); len(again.Facts) != len(got.Facts) || len(again.Events) != len(got.Events) {
		t.Errorf("extraction is not deterministic")
	}
	// Every candidate passes validation once in a briefing.
	b := &briefings.Briefing{Title: "Seed", Summary: "s", Published: tuesday, Topics: []string{"t"}, Facts: got.Facts, Events: got.Events}
	for i := range b.Facts {
		b.Facts[i].Actors = nil
	}
	if verr := briefings.Validate(b); verr != nil {
		t.Errorf("candidates do not validate: %v", verr)
	}
}

// TestDraftArticle_HeaderLines checks header lines a pasted article opens
// with: a dateline on a line of its own (with the outlet in brackets and a
// byline after it), a byline naming the outlet, and lines that only look
// like them. Each is a kind of header, written for the test.
func TestDraftArticle_HeaderLines(t *testing.T) {
	const lede = "Dockworkers at the Port of Wellington walked off the job on Tuesday over new night rosters.\n\nAbout 12 ships were waiting to berth, the port said.\n"
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, text                     string
		title, published, source, by   string
		bodyStarts, unattributedFactBy string
	}{
		{name: "DatelineLineWithOutletAndByline",
			text:      "WELLINGTON, Wednesday 5 March 2025 (Harbour Times) — By Jane Doe\n\n" + lede,
			title:     "Dockworkers at the Port of Wellington walked off the job on Tuesday over new night rosters",
			published: "2025-03-05", source: "Harbour Times", by: "Jane Doe",
			bodyStarts: "WELLINGTON, Wednesday 5 March 2025 (Harbour Times) — Dockworkers", unattributedFactBy: "Harbour Times"},
		{name: "HeadlineDatelineLineBylineLine",
			text:  "Dockworkers walk out in Wellington\n\nWELLINGTON, Wednesday 5 March 2025\nBy Jane Doe, Harbour Times\n\n" + lede,
			title: "Dockworkers walk out in Wellington", published: "2025-03-05", source: "Harbour Times", by: "Jane Doe",
			bodyStarts: "WELLINGTON, Wednesday 5 March 2025 — Dockworkers", unattributedFactBy: "Harbour Times"},
		{name: "BylineLineNamesTheOutlet",
			text:  "Dockworkers walk out in Wellington\n\nBy Jane Doe, Harbour Times\nPublished 5 March 2025\n\n" + lede,
			title: "Dockworkers walk out in Wellington", published: "2025-03-05", source: "Harbour Times", by: "Jane Doe",
			bodyStarts: "Dockworkers", unattributedFactBy: "Harbour Times"},
		{name: "BylineLineNamesARole",
			text:  "Dockworkers walk out in Wellington\n\nBy Jane Doe, Industrial Correspondent\nPublished 5 March 2025\n\n" + lede,
			title: "Dockworkers walk out in Wellington", published: "2025-03-05", source: "", by: "Jane Doe",
			bodyStarts: "Dockworkers", unattributedFactBy: "the article"},
		{name: "HeadlineWithAColonIsNoDateline",
			text:  "UN: ports must reopen\n\nPublished 5 March 2025\n\n" + lede,
			title: "UN: ports must reopen", published: "2025-03-05", source: "",
			bodyStarts: "Dockworkers", unattributedFactBy: "the article"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := briefings.DraftArticle(briefings.ExtractInput{Text: tc.text, Now: now})
			b := d.Briefing
			if b.Title != tc.title {
				t.Errorf("title %q, want %q", b.Title, tc.title)
			}
			if b.Published.String() != tc.published {
				t.Errorf("published %q, want %q (note %q)", b.Published, tc.published, d.Note)
			}
			if b.Source.Name != tc.source {
				t.Errorf("source %q, want %q", b.Source.Name, tc.source)
			}
			if art := briefings.ParseArticle(tc.text, now); art.Byline != tc.by && tc.by != "" {
				t.Errorf("byline %q, want %q", art.Byline, tc.by)
			}
			if !strings.HasPrefix(b.Body, tc.bodyStarts) {
				t.Errorf("body starts %q, want %q", b.Body[:min(len(b.Body), 80)], tc.bodyStarts)
			}
			var by []string
			for _, f := range b.Facts {
				if strings.HasPrefix(f.Text, "Dockworkers") {
					by = append(by, f.Attribution)
				}
			}
			if !slices.Equal(by, []string{tc.unattributedFactBy}) {
				t.Errorf("the lede is attributed to %q, want %q", by, tc.unattributedFactBy)
			}
			// drafted again from the stored body, with the stored source,
			// as a re-draft reads it, the date and attribution hold
			again := briefings.DraftArticle(briefings.ExtractInput{Text: b.Body, Now: now, DefaultAttribution: b.Source.Name})
			if again.Briefing.Published.String() != tc.published && !strings.HasPrefix(tc.bodyStarts, "Dockworkers") {
				t.Errorf("re-drafted from the body: published %q, want %q", again.Briefing.Published, tc.published)
			}
			if len(again.Briefing.Facts) == 0 || again.Briefing.Facts[0].Attribution != tc.unattributedFactBy {
				t.Errorf("re-drafted from the body: facts %+v, want the lede by %q", again.Briefing.Facts, tc.unattributedFactBy)
			}
		})
	}
}

// TestExtract_EventFromWhatHappened checks that an article's main event is
// named after the verb that says what happened when no noun names it,
// published on Thursday 3 December 2026.
func TestExtract_EventFromWhatHappened(t *testing.T) {
	thursday := briefings.DayOf(2026, 12, 3)
	for _, tc := range []struct {
		name, text, date, word string
	}{
		{"WalkedOffTheJob", "Dockworkers at the Port of Wellington walked off the job on Tuesday.", "2026-12-01", "walkout"},
		{"WalkedOut", "Workers walked out on Tuesday.", "2026-12-01", "walkout"},
		{"FrontedDateWalkedOut", "On Monday, nurses at the city hospital walked out.", "2026-11-30", "walkout"},
		{"SteppedDown", "The harbour board's chair stepped down on Wednesday.", "2026-12-02", "resignation"},
		{"CalledOffIsNoCall", "The union called off the strike on Wednesday.", "2026-12-02", "strike cancellation"},
		{"StrikesAhead", "Bus drivers strike on Monday.", "2026-12-07", "strike"},
		{"VotesAhead", "The regional council votes on Friday on emergency support.", "2026-12-04", "vote"},
		{"Resigns", "The minister resigns on Friday.", "2026-12-04", "resignation"},
		{"Arrests", "Police arrested three men on Tuesday.", "2026-12-01", "arrest"},
		{"Reopens", "The bridge reopens on Monday.", "2026-12-07", "reopening"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// a headline, then the sentence opening a paragraph long enough
			// to be the body
			text := "Dispute at the port\n\n" + tc.text + " The dispute is over pay and the new night rosters, the union said."
			x := briefings.Extract(briefings.ExtractInput{Text: text, Published: thursday})
			var got []string
			for _, e := range x.Events {
				got = append(got, e.Date.String()+" "+e.Name)
				if e.Date.String() == tc.date && strings.Contains(strings.ToLower(e.Name), tc.word) {
					return
				}
			}
			t.Errorf("events %q, want one on %s named with %q", got, tc.date, tc.word)
		})
	}
}

// TestExtract_SameWhetherTheLibraryKnowsTheNames checks that an article
// drafted a second time, once the library knows the actors the first
// draft declared, attributes its facts the same: "the company" after a
// company the library knows is that company.
func TestExtract_SameWhetherTheLibraryKnowsTheNames(t *testing.T) {
	text := "Port strike halts shipping\n\nWELLINGTON, Wednesday 5 March 2025 (Harbour Times) — Dockworkers at the Port of Wellington walked off the job on Tuesday over new night rosters.\n\n" +
		"The Port of Wellington said 12 ships were waiting to berth. The company said crossings resume on Monday.\n"
	attributions := func(known []string) []string {
		x := briefings.Extract(briefings.ExtractInput{Text: text, KnownActors: known})
		var out []string
		for _, f := range x.Facts {
			out = append(out, f.Attribution)
		}
		return out
	}
	first := attributions(nil)
	if want := []string{"Harbour Times", "Port of Wellington", "Port of Wellington"}; !slices.Equal(first, want) {
		t.Fatalf("first draft: attributions %q, want %q", first, want)
	}
	if again := attributions([]string{"Port of Wellington", "Wellington"}); !slices.Equal(again, first) {
		t.Errorf("with the names known: attributions %q, want %q as at first", again, first)
	}
}
