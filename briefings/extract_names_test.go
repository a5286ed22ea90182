package briefings_test

import (
	"slices"
	"strings"
	"testing"

	"briefbot/briefings"
)

// actorNames lists a draft's proposed actors as "Name [alias, …] (kind)".
func actorNames(x briefings.Extraction) []string {
	var out []string
	for _, a := range x.NewActors {
		s := a.Name
		if len(a.Aliases) > 0 {
			s += " [" + strings.Join(a.Aliases, ", ") + "]"
		}
		out = append(out, s+" ("+string(a.Kind)+")")
	}
	return out
}

// TestExtract_Names checks kinds of names the extractor must tell apart,
// each written for the test: common nouns opening a sentence, acronyms
// beside the names they stand for, family names written first, names
// with "on" or "for the" inside, places joined by "and", companies
// described by "which".
func TestExtract_Names(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want, not  []string // proposed actors as actorNames writes them; names that must not be proposed
	}{
		{name: "PluralRoleNounOpensSentence",
			text: "Finance ministers from the bloc met in Lisbon on Monday. Police officers closed the square. Energy analysts expect 4 percent growth.",
			want: []string{"Lisbon (place)"}, not: []string{"Finance", "Police", "Energy"}},
		{name: "AcronymInBrackets",
			text: "The Food and Agriculture Organization (FAO) said 12 million people face hunger. FAO added that prices rose 8 percent.",
			want: []string{"Food and Agriculture Organization [FAO] (organization)"}, not: []string{"FAO"}},
		{name: "AcronymSpelledOutLater",
			text: "NTSB investigators reached the site on Sunday. The National Transportation Safety Board said 3 people were hurt.",
			want: []string{"National Transportation Safety Board [NTSB] (organization)"}, not: []string{"NTSB"}},
		{name: "AcronymWithInnerLetters",
			text: "The Intergovernmental Panel on Climate Change said warming reached 1.3 degrees. The IPCC report runs to 400 pages.",
			want: []string{"Intergovernmental Panel on Climate Change [IPCC] (organization)"}},
		{name: "UnrelatedAcronymStays",
			text: "The Bank of England raised rates by 0.25 points. The ECB held its rate at 2 percent.",
			want: []string{"Bank of England (organization)", "ECB (organization)"}},
		{name: "FamilyNameFirst",
			text: "Chinese President Xi Jinping met the visiting delegation on Friday. Xi said trade grew 5 percent.",
			want: []string{"Xi Jinping [Xi] (person)"}},
		{name: "OnInsideAName",
			text: "The Council on Foreign Relations published 3 papers. The Council on Monday named a new director.",
			want: []string{"Council on Foreign Relations (organization)"}, not: []string{"Council on Monday"}},
		{name: "ForTheInsideAName",
			text: "Prices rose 3 percent, the Organisation for Economic Co-operation and Development said.",
			want: []string{"Organisation for Economic Co-operation and Development (organization)"}},
		{name: "PlacesJoinedByAnd",
			text: "Buses ran between Leeds and Harrogate on 40 routes. Flooding closed roads in Leeds.",
			want: []string{"Leeds (place)", "Harrogate (place)"}},
		{name: "CompanyDescribedByWhich",
			text: "Tidewater Haulage, which operates the ferry, said 2 sailings were cancelled.",
			want: []string{"Tidewater Haulage (organization)"}},
		{name: "PossessiveOrganizationsRole",
			text: "\"We waited two years,\" said Marta Vidal, the union's general secretary. The strike cost 4 million euros.",
			want: []string{"Marta Vidal [Vidal] (person)"}},
		{name: "OrganizationInApposition",
			text: "Donors sent 3 million doses through Gavi, the vaccine alliance, in May.",
			want: []string{"Gavi (organization)"}},
		{name: "YearInDateline",
			text: "LIMA, Peru, June 3, 2024 (Andes Wire) — The election board counted 94 percent of ballots.",
			want: []string{"Lima (place)", "Peru (country)"}, not: []string{"2024"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := briefings.Extract(briefings.ExtractInput{Text: "A headline\n\n" + tc.text, DefaultAttribution: "Desk", Now: evalNow})
			got := actorNames(x)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("actors %q lack %q", got, w)
				}
			}
			for _, n := range tc.not {
				for _, a := range x.NewActors {
					if briefings.Fold(a.Name) == briefings.Fold(n) {
						t.Errorf("%q proposed as an actor: %q", n, got)
					}
				}
			}
		})
	}
}

// TestExtract_DatelineYear reads the year a dateline writes after the
// date's comma as the date's, not as a place.
func TestExtract_DatelineYear(t *testing.T) {
	x := briefings.Extract(briefings.ExtractInput{Text: "LIMA, Peru, June 3, 2024 (Andes Wire) — The board held a recount on Sunday.", Now: evalNow})
	if x.Published.String() != "2024-06-03" || x.PublishedFrom != "dateline" {
		t.Errorf("published %s from %q, want 2024-06-03 from the dateline", x.Published, x.PublishedFrom)
	}
	if len(x.Events) != 1 || x.Events[0].Date.String() != "2024-06-02" {
		t.Errorf("events %+v, want one on Sunday 2 June 2024", x.Events)
	}
}

// TestExtract_EventNames checks that a possessive date qualifies the
// event after it ("Saturday's final") and leaves no "s" in its name.
func TestExtract_EventNames(t *testing.T) {
	text := "A headline\n\nROME, October 7, 2026 — Fans queued for Saturday's final at the stadium. Last year's flood cost 90 million euros. " +
		"The plan fails if the funds do not arrive by Friday's deadline. Officials prepared for Thursday’s vote."
	x := briefings.Extract(briefings.ExtractInput{Text: text, Now: evalNow})
	var got []string
	for _, e := range x.Events {
		got = append(got, e.Date.String()+" "+e.Name)
	}
	for _, w := range []string{"2026-10-10 Final", "2025 Flood", "2026-10-09 Deadline", "2026-10-08 Vote"} {
		if !slices.Contains(got, w) {
			t.Errorf("events %q lack %q", got, w)
		}
	}
	for _, e := range x.Events {
		if w := strings.Fields(e.Name); len(w) > 0 && len([]rune(w[0])) == 1 {
			t.Errorf("event %q is named with a stray letter", e.Name)
		}
	}
}

// TestExtract_SpeakersScope credits a speaker with a sentence only when
// what they said is the whole of it: a clause the writer sets against it
// with "but" or "yet" makes the sentence the writer's (the source's).
func TestExtract_SpeakersScope(t *testing.T) {
	for _, tc := range []struct{ text, fact, want string }{
		{"Mayor Ines Duarte said the bridge would reopen in May, but engineers have found 14 new cracks.", "14 new cracks", "Desk"},
		{"The bridge carries 30,000 cars a day, but Mayor Ines Duarte said it is safe.", "30,000 cars", "Desk"},
		{"Mayor Ines Duarte said the bridge would reopen in May, but added that 14 cracks needed repair.", "14 cracks", "Ines Duarte"},
		{"Mayor Ines Duarte said the bridge would reopen in May, but she warned that 14 cracks needed repair.", "14 cracks", "Ines Duarte"},
		{"The governor, Ana Ruiz, said the state would appeal the $2 million fine.", "appeal", "Ana Ruiz"},
		{"“We will rebuild in 2027,” said Ana Ruiz, the governor, but the budget holds no money for it.", "rebuild", "Desk"},
		{"Prices rose 3 percent, according to the Intergovernmental Authority on Development.", "Prices rose", "Intergovernmental Authority on Development"},
	} {
		x := briefings.Extract(briefings.ExtractInput{Text: "A headline\n\n" + tc.text, DefaultAttribution: "Desk", Now: evalNow})
		var got []string
		for _, f := range x.Facts {
			if strings.Contains(f.Text, tc.fact) {
				got = append(got, f.Attribution)
			}
		}
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("%q: attributed to %q, want %q", tc.text, got, tc.want)
		}
	}
}
