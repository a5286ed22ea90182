package briefings

import "strings"

// WebArticle is an article read from a web page: its readable text and
// what the page's metadata says about it.
type WebArticle struct {
	// URL is the page's address after redirects.
	URL string
	// Title is the headline from the page's metadata or <title>.
	Title string
	// Author names the author(s); empty when the page names none.
	Author string
	// SiteName is the publication, e.g. "Meridian Wire"; empty when the
	// page names none.
	SiteName string
	// Published is the publication date the metadata gives, as the
	// publisher's own calendar day; zero when it gives none.
	Published Date
	// Text is the readable text without navigation, banners, related links
	// or comments, paragraphs separated by blank lines.
	Text string
}

// ExtractInput returns what the extractor reads from the article: the
// headline and byline lead the text, as in a pasted article, so that they
// stay out of the body; the metadata's date is given, so it wins over the
// one the text states; and the site's name attributes facts whose sentence
// names no source.
func (a *WebArticle) ExtractInput() ExtractInput {
	var parts []string
	text := strings.TrimSpace(a.Text)
	if t := strings.TrimSpace(a.Title); t != "" && !strings.HasPrefix(text, t) {
		parts = append(parts, t)
	}
	if au := strings.TrimSpace(a.Author); au != "" && !strings.Contains(text[:min(len(text), 400)], au) {
		parts = append(parts, "By "+au)
	}
	parts = append(parts, text)
	return ExtractInput{Text: strings.Join(parts, "\n\n"), Published: a.Published, DefaultAttribution: strings.TrimSpace(a.SiteName)}
}
