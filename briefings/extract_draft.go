package briefings

import (
	"fmt"
	"strings"
)

// maxSlugWords bounds a drafted slug: short enough to type and read.
const maxSlugWords = 6

// DraftArticle drafts a briefing from an article with Extract and no model:
// the headline as title (else the first sentence), the lede as summary, the
// body without headline, byline and boilerplate, the publication date, the
// source (the one given, else the dateline's agency), and the candidate
// facts, events and proposed actors. The moderator adds topics and reviews
// the rest; Note says what to check, such as a publication date the article
// did not state.
func DraftArticle(in ExtractInput) *Draft {
	x := Extract(in)
	art := x.Article
	var sentences []string
	for _, p := range art.Paragraphs {
		if !p.Question {
			sentences = append(sentences, Sentences(p.Text)...)
		}
	}
	source := strings.TrimSpace(in.DefaultAttribution)
	if source == "" {
		source = art.Agency
	}
	b := &Briefing{Body: Truncate(art.Body(), MaxBody), Published: x.Published, Status: StatusDraft,
		Source: Source{Name: source}, Facts: x.Facts, Events: x.Events, Actors: x.NewActors}
	b.Title = art.Title
	if b.Title == "" && len(sentences) > 0 {
		b.Title = headlineFrom(sentences[0])
	}
	var summary []string
	for _, s := range sentences {
		if len(summary) == 3 || len(strings.Join(summary, " "))+len(s) > 600 {
			break
		}
		summary = append(summary, s)
	}
	b.Summary = Truncate(strings.Join(summary, " "), MaxSummary)
	// the article's own words, but never its links, images or mentions
	b.Title, b.Summary = clean(b.Title, MaxTitle), clean(b.Summary, MaxSummary)
	for i := range b.Facts {
		b.Facts[i].Text = clean(b.Facts[i].Text, MaxFactText)
		b.Facts[i].Attribution = clean(b.Facts[i].Attribution, MaxAttribution)
		b.Facts[i].Event = clean(b.Facts[i].Event, MaxName)
	}
	for i := range b.Events {
		b.Events[i].Name = clean(b.Events[i].Name, MaxName)
		b.Events[i].Description = clean(b.Events[i].Description, MaxDescription)
	}
	b.Slug = ShortSlug(b.Title)
	d := &Draft{Briefing: b}
	switch x.PublishedFrom {
	case "text":
		d.Note = fmt.Sprintf("The article states no publication date; %s, the first date in its text, was taken instead. Set the published date if that is wrong.", x.Published.Human())
	case "":
		d.Note = "The article states no publication date, so relative dates (\"on Friday\", \"last year\") were read from today. Set the published date and draft again."
	}
	return d
}

// headlineFrom shortens a lede sentence into a title: up to its first
// clause break once it is long enough, at most 100 characters, on a word.
func headlineFrom(s string) string {
	s = strings.TrimRight(s, ".!? ")
	if len([]rune(s)) <= 100 {
		return s
	}
	cut := []rune(s)[:100]
	for i := len(cut) - 1; i > 40; i-- {
		if cut[i] == ',' || cut[i] == ';' || cut[i] == '–' || cut[i] == '—' {
			return strings.TrimSpace(string(cut[:i]))
		}
	}
	if i := strings.LastIndex(string(cut), " "); i > 40 {
		return string(cut)[:i] + "…"
	}
	return string(cut) + "…"
}

// slugStop are small words a slug does without.
var slugStop = wordSet(`a|an|the|to|on|of|in|for|and|as|at|by|with|after|before|from|over|is|are|its`)

// ShortSlug makes a short, readable slug from a title: its first words
// (at most six, skipping a leading article), never cut inside a word.
func ShortSlug(title string) string {
	words := strings.Split(Slugify(title), "-")
	for len(words) > 1 && (words[0] == "the" || words[0] == "a" || words[0] == "an") {
		words = words[1:]
	}
	var out []string
	for i, w := range words {
		if w == "" || i > 0 && slugStop[w] {
			continue
		}
		if len(out) == maxSlugWords || len(strings.Join(append(out, w), "-")) > 48 {
			break
		}
		out = append(out, w)
	}
	return strings.Join(out, "-")
}
