package article

import (
	"net/url"
	"testing"
)

func TestHeadline(t *testing.T) {
	page := func(s string) *url.URL { u, _ := url.Parse(s); return u }
	for _, tt := range []struct {
		name, title, site, url, want string
	}{
		{"SuffixIsSiteName", "Port workers vote to strike | Harbour Post", "Harbour Post", "https://example.org/a", "Port workers vote to strike"},
		{"SuffixIsHost", "Port workers vote to strike - Harbour Post", "", "https://www.harbourpost.com/a", "Port workers vote to strike"},
		{"PrefixIsSite", "Harbour Post — Port workers vote to strike", "Harbour Post", "", "Port workers vote to strike"},
		{"SectionAndSite", "Port workers vote to strike | Business | The Harbour Post", "The Harbour Post", "", "Port workers vote to strike | Business"},
		{"ShortHostName", "Ceasefire talks resume in Doha - BBC News", "", "https://www.bbc.co.uk/news/1", "Ceasefire talks resume in Doha"},
		{"DashInHeadline", "Kim - Putin call: what was said", "Harbour Post", "https://harbourpost.com/", "Kim - Putin call: what was said"},
		{"NoSeparator", "Port workers vote to strike", "Harbour Post", "", "Port workers vote to strike"},
		{"OnlyTheSite", "Harbour Post", "Harbour Post", "", "Harbour Post"},
		{"SiteUnknown", "Port workers vote to strike | Harbour Post", "", "", "Port workers vote to strike | Harbour Post"},
		{"Spaces", "  Port workers \n vote | Harbour Post ", "Harbour Post", "", "Port workers vote"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var u *url.URL
			if tt.url != "" {
				u = page(tt.url)
			}
			if got := headline(tt.title, tt.site, u); got != tt.want {
				t.Errorf("headline(%q, %q, %q) = %q, want %q", tt.title, tt.site, tt.url, got, tt.want)
			}
		})
	}
}
