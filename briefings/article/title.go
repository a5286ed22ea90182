package article

import (
	"net/url"
	"strings"
	"unicode"
)

// titleSeparators are what pages put between a headline and the site's
// name in <title> and often in og:title: "Headline | Site", "Site - Headline".
var titleSeparators = []string{" | ", " – ", " — ", " - ", " :: ", " · ", " • ", " « ", " » "}

// headline returns title without the site's name that pages add before or
// after it. The name is dropped only when it is the site's: its og:site_name
// or publisher, or its host name ("harbourpost.com" for "Harbour Post").
// A title whose parts are all the site's is returned whole.
func headline(title, siteName string, pageURL *url.URL) string {
	title = strings.Join(strings.Fields(title), " ")
	site := strings.TrimPrefix(letters(siteName), "the")
	var labels []string
	if pageURL != nil {
		for _, l := range strings.Split(strings.ToLower(pageURL.Hostname()), ".") {
			if l = letters(l); len(l) >= 3 && !genericLabel[l] {
				labels = append(labels, l)
			}
		}
	}
	isSite := func(part string) bool {
		p := strings.TrimPrefix(letters(part), "the")
		if len(p) < 3 {
			return false
		}
		if len(site) >= 3 && (p == site || strings.HasPrefix(site, p)) {
			return true
		}
		// "BBC News" on bbc.co.uk: a short part that starts with the host's name.
		for _, l := range labels {
			if strings.HasPrefix(p, l) && len(strings.Fields(part)) <= 4 {
				return true
			}
		}
		return false
	}
	for changed := true; changed; {
		changed = false
		for _, sep := range titleSeparators {
			if i := strings.LastIndex(title, sep); i > 0 && isSite(title[i+len(sep):]) && !isSite(title[:i]) {
				title, changed = strings.TrimSpace(title[:i]), true
			}
			if i := strings.Index(title, sep); i > 0 && isSite(title[:i]) && !isSite(title[i+len(sep):]) {
				title, changed = strings.TrimSpace(title[i+len(sep):]), true
			}
		}
	}
	return title
}

// genericLabel are host name labels that name no site.
var genericLabel = map[string]bool{"www": true, "com": true, "org": true, "net": true, "gov": true, "edu": true,
	"int": true, "news": true, "info": true, "amp": true, "mobile": true}

// letters is s lowered, with only its letters and digits: "Harbour Post"
// and "harbour-post" both become "harbourpost".
func letters(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
