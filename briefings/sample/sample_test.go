package sample_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/briefings/fileformat"
	"briefbot/briefings/sample"
)

// decodeAll decodes every embedded sample file, failing the test on any error.
func decodeAll(t *testing.T) map[string]*briefings.Briefing {
	t.Helper()
	names := sample.Names()
	if len(names) == 0 {
		t.Fatal("the sample library embeds no briefing files")
	}
	out := map[string]*briefings.Briefing{}
	for _, name := range names {
		f, err := sample.Files.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		bs, err := fileformat.Decode(f, name)
		f.Close()
		if err != nil {
			t.Fatalf("decode %s: %v", name, err)
		}
		if len(bs) == 0 {
			t.Fatalf("decode %s: no briefings", name)
		}
		for _, b := range bs {
			if _, dup := out[b.Slug]; dup {
				t.Fatalf("slug %q appears twice in the sample library", b.Slug)
			}
			out[b.Slug] = b
		}
	}
	return out
}

func TestSamples_Valid(t *testing.T) {
	for slug, b := range decodeAll(t) {
		t.Run(slug, func(t *testing.T) {
			if verr := briefings.Validate(b); verr != nil {
				t.Fatal(verr)
			}
			// Every actor and event a fact or participant list names must be
			// declared in the same briefing.
			actors := map[string]bool{}
			for _, a := range b.Actors {
				for _, n := range append([]string{a.Name}, a.Aliases...) {
					actors[briefings.Fold(n)] = true
				}
			}
			events := map[string]bool{}
			for _, e := range b.Events {
				events[briefings.Fold(e.Name)] = true
				for _, p := range e.Participants {
					if !actors[briefings.Fold(p)] {
						t.Errorf("event %q: participant %q is not a declared actor", e.Name, p)
					}
				}
			}
			for i, f := range b.Facts {
				for _, a := range f.Actors {
					if !actors[briefings.Fold(a)] {
						t.Errorf("fact %d: actor %q is not declared", i+1, a)
					}
				}
				if f.Event != "" && !events[briefings.Fold(f.Event)] {
					t.Errorf("fact %d: event %q is not declared", i+1, f.Event)
				}
			}
		})
	}
}

// formerTrump matches "former" within a few words of Trump or of a
// president, either side: "former U.S. President Donald Trump", "Trump, a
// former president".
var formerTrump = regexp.MustCompile(`(?is)\bformer\b.{0,40}\b(trump|president)\b|\btrump\b.{0,40}\bformer\b`)

func TestSamples_PutinKimCall(t *testing.T) {
	b, ok := decodeAll(t)["putin-kim-call-2025-08-12"]
	if !ok {
		t.Fatal("the sample library has no briefing putin-kim-call-2025-08-12")
	}

	if got, want := b.Published.String(), "2025-08-12"; got != want {
		t.Errorf("published=%s, want %s", got, want)
	}
	var slugs []string
	for _, t := range b.Topics {
		slugs = append(slugs, briefings.Slugify(t))
	}
	for _, topic := range []string{"alaska-summit", "russia-north-korea", "ukraine-war"} {
		if !slices.Contains(slugs, topic) {
			t.Errorf("topics=%v, want %s among them", b.Topics, topic)
		}
	}
	if b.Body == "" {
		t.Error("body is empty; it feeds search")
	}

	if got, min := len(b.Facts), 12; got < min {
		t.Errorf("%d facts, want at least %d", got, min)
	}
	var facts strings.Builder
	for i, f := range b.Facts {
		if strings.TrimSpace(f.Attribution) == "" {
			t.Errorf("fact %d %q has no attribution", i+1, f.Text)
		}
		if formerTrump.MatchString(f.Text) {
			t.Errorf("fact %d calls Trump a former president: %q", i+1, f.Text)
		}
		facts.WriteString(f.Text + "\n")
	}
	for _, word := range []string{"Kursk", "laborers", "Alaska", "10,000", "50,000"} {
		if !strings.Contains(facts.String(), word) {
			t.Errorf("no fact mentions %q", word)
		}
	}
	for field, text := range map[string]string{"summary": b.Summary, "body": b.Body} {
		if formerTrump.MatchString(text) {
			t.Errorf("the %s calls Trump a former president", field)
		}
		if strings.Contains(text, "last year") {
			t.Errorf("the %s dates the Kursk recapture to \"last year\"", field)
		}
	}

	dated := map[string]string{}
	for _, e := range b.Events {
		if !e.Date.IsZero() {
			dated[e.Date.String()] = e.Name
		}
	}
	if got, min := len(dated), 4; got < min {
		t.Errorf("%d dated events, want at least %d", got, min)
	}
	for _, d := range []string{"2025-08-12", "2025-08-15", "2025-04"} {
		if _, ok := dated[d]; !ok {
			t.Errorf("no event dated %s; events by date: %v", d, dated)
		}
	}

	for _, c := range []struct{ name, mention string }{
		{"Trump was the sitting president", "Trump"},
		{"Kursk was retaken in April 2025", "April 2025"},
	} {
		found := false
		for _, k := range b.Corrections {
			if strings.Contains(k.Text, c.mention) && k.Date.String() == "2025-08-13" {
				found = true
			}
		}
		if !found {
			t.Errorf("no correction dated 2025-08-13 saying %s (mentioning %q)", c.name, c.mention)
		}
	}
}
