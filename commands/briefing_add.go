package commands

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// Articles fetches articles from the web for /briefing add url:. Handlers
// never do network I/O, so main wires in an adapter (briefings/article)
// that reads only public addresses, within a timeout and a size limit.
type Articles interface {
	// Fetch reads the article at rawURL. What the moderator can fix (a
	// private address, a page that is not HTML, too large, too slow) is an
	// EINVALID error that says what to do.
	Fetch(ctx context.Context, rawURL string) (*briefings.WebArticle, error)
}

// Options and text inputs of /briefing add.
const (
	optURL       = "url"
	optTopics    = "topics"
	optPublished = "published"

	fieldPublished = "published"
	fieldSource    = "source"
	fieldLink      = "url"
)

// The add forms. Discord allows five text inputs, so both take what a
// moderator knows before the draft (the article or its link, the title
// when the headline will not do, the publication date when the article
// does not state it, the source and the topics) and leave the summary,
// facts, actors and dates to the draft, whose Edit button and fact
// commands fix them:
//
//	bf:add  Article text* · Title · Published · Source · Topics*
//	bf:url  Link*         · Title · Published · Source · Topics*
//
// Source takes a name, a link or both ("Meridian Wire https://…").
func addForm(kind string, values map[string]string) *discordgo.InteractionResponse {
	input := func(id, label string, style discordgo.TextInputStyle, required bool, max int, placeholder string) discordgo.MessageComponent {
		return discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: id, Label: label, Style: style, Required: required, MaxLength: max,
			Placeholder: placeholder, Value: clip(values[id], max),
		}}}
	}
	first := input(fieldBody, "Article text", discordgo.TextInputParagraph, true, maxInputValue,
		"Paste the article; the title, summary, facts, actors and dates are drawn from it.")
	title := "New briefing"
	if kind == "url" {
		first = input(fieldLink, "Link to the article", discordgo.TextInputShort, true, briefings.MaxURL, "https://example.com/news/article")
		title = "New briefing from a link"
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: idForm + ":" + kind, Title: title, Components: []discordgo.MessageComponent{
			first,
			input(fieldTitle, "Title (blank: the article's headline)", discordgo.TextInputShort, false, briefings.MaxTitle, "Putin thanks Kim for North Korea's war help"),
			input(fieldPublished, "Published (blank: the date the article gives)", discordgo.TextInputShort, false, 25, "2025-08-12"),
			input(fieldSource, "Source: a name, a link or both", discordgo.TextInputShort, false, briefings.MaxName+briefings.MaxURL+1, "Meridian Wire https://example.com/article"),
			input(fieldTopics, "Topics, separated by commas", discordgo.TextInputShort, true, 500, "Ukraine war, Russia–North Korea"),
		}},
	}
}

// add answers /briefing add: the form for a pasted article; with url: and
// topics:, the draft of the fetched article (the transport defers it, see
// DeferNow); with url: alone, the link form to name the topics.
func (r *Router) add(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	if err := r.mayCurate(ctx, q, q.guildID); err != nil {
		return nil, err
	}
	values := map[string]string{fieldLink: strings.TrimSpace(q.str(optURL)), fieldTopics: strings.TrimSpace(q.str(optTopics)),
		fieldPublished: strings.TrimSpace(q.str(optPublished))}
	switch {
	case values[fieldLink] == "":
		delete(values, fieldLink)
		return addForm("add", values), nil
	case r.opts.Articles == nil:
		return nil, userError("Fetching articles from links is off on this bot. Run /briefing add without url: and paste the article's text into the form.")
	case values[fieldTopics] == "":
		return addForm("url", values), nil
	}
	g, err := givenFrom(values)
	if err != nil {
		return nil, userError("The published option: %s.", err)
	}
	return r.draftFromLink(ctx, q, values, g)
}

// given is what the moderator said about a new briefing beside the
// article; each value set wins over what the article says.
type given struct {
	title                 string
	published             briefings.Date
	sourceName, sourceURL string
	topics                []string
}

// givenFrom reads the add forms' fields; an error is the published
// date's.
func givenFrom(values map[string]string) (given, error) {
	g := given{title: strings.TrimSpace(values[fieldTitle]), topics: splitTopics(values[fieldTopics])}
	if s := strings.TrimSpace(values[fieldPublished]); s != "" {
		d, err := briefings.ParseDate(s)
		if err != nil {
			return g, err
		}
		g.published = d
	}
	g.sourceName, g.sourceURL = splitSource(values[fieldSource])
	if g.sourceURL == "" {
		// the source_url field of an older form
		g.sourceURL = strings.TrimSpace(values[fieldURL])
	}
	return g, nil
}

// splitTopics reads topics separated by commas, semicolons or lines.
func splitTopics(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// splitSource reads "Name", "https://…" or "Name https://…" (in either
// order, with any punctuation between); anything with "://" is the link,
// for validation to refuse when it is not http or https.
func splitSource(s string) (name, link string) {
	var rest []string
	for _, w := range strings.Fields(s) {
		if link == "" && strings.Contains(w, "://") {
			link = strings.Trim(w, "<>")
			continue
		}
		rest = append(rest, w)
	}
	return strings.Trim(strings.Join(rest, " "), " ,;|·–—-:"), link
}

// addSubmit answers the add forms: a pasted article, or a link to fetch.
func (r *Router) addSubmit(ctx context.Context, q *request, kind string, values map[string]string) (*discordgo.InteractionResponse, error) {
	g, err := givenFrom(values)
	if verr := checkGiven(g, err); verr != nil {
		return r.keepForm(ctx, q, kind, 0, 0, values, verr)
	}
	if kind == "url" {
		if r.opts.Articles == nil {
			return r.keepForm(ctx, q, kind, 0, 0, values, userError("Fetching articles from links is off on this bot: paste the article's text into /briefing add instead."))
		}
		return r.draftFromLink(ctx, q, values, g)
	}
	text := values[fieldBody]
	summary := strings.TrimSpace(values[fieldSummary])
	if summary != "" {
		// a form of an older version of the bot, with the summary as its
		// own field: the candidates come from both, as they did
		text = summary + "\n\n" + text
	}
	return r.draftNew(ctx, q, briefings.ExtractInput{Text: text}, g, summary, kind, values)
}

// checkGiven refuses, all at once, every field the moderator typed that
// the briefing could not keep as typed: the published date (dateErr from
// givenFrom), a title over the limit (never shortened), the source and
// the topics. It returns nil when they are all fine.
func checkGiven(g given, dateErr error) error {
	probe := &briefings.Briefing{Title: g.title, Summary: "-", Published: g.published, Status: briefings.StatusDraft,
		Source: briefings.Source{Name: g.sourceName, URL: g.sourceURL}, Topics: g.topics}
	if probe.Title == "" {
		probe.Title = "-" // blank: the article's headline
	}
	if probe.Published.IsZero() {
		probe.Published = briefings.Date{T: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), P: briefings.PrecisionDay}
	}
	var fields []briefings.FieldError
	if dateErr != nil {
		fields = append(fields, briefings.FieldError{Field: "published", Message: dateErr.Error()})
	}
	if verr := briefings.Validate(probe); verr != nil {
		for _, f := range verr.Fields {
			if f.Field == "title" || strings.HasPrefix(f.Field, "source") || strings.HasPrefix(f.Field, "topics") {
				fields = append(fields, f)
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return (&briefings.ValidationError{Fields: fields}).AsError()
}

// draftFromLink fetches the article and drafts it. A fetch that fails
// keeps the form's values, so the moderator can fix the link.
func (r *Router) draftFromLink(ctx context.Context, q *request, values map[string]string, g given) (*discordgo.InteractionResponse, error) {
	a, err := r.opts.Articles.Fetch(ctx, values[fieldLink])
	if err != nil {
		if briefings.ErrorCode(err) == briefings.EINVALID {
			return r.keepForm(ctx, q, "url", 0, 0, values, err)
		}
		return nil, fmt.Errorf("fetch %q: %w", values[fieldLink], err)
	}
	if g.sourceURL == "" {
		g.sourceURL = a.URL
	}
	if g.sourceName == "" {
		g.sourceName = a.SiteName
	}
	return r.draftNew(ctx, q, a.ExtractInput(), g, "", "url", values)
}

// draftNew drafts a briefing from an article as briefings.DraftArticle
// does (headline, lede, body, publication date), with what the moderator
// gave winning, adds the candidate facts, actors and events, saves the
// draft and shows the preview. Relative dates count from the given date,
// else the one the page or the article states, else today, and the
// preview says which.
func (r *Router) draftNew(ctx context.Context, q *request, in briefings.ExtractInput, g given, summary, kind string, values map[string]string) (*discordgo.InteractionResponse, error) {
	in.Now = r.now()
	if !g.published.IsZero() {
		in.Published = g.published
	}
	if g.sourceName != "" {
		in.DefaultAttribution = g.sourceName
	}
	d := briefings.DraftArticle(in)
	b := d.Briefing
	articleTitle := b.Title
	b.Status = briefings.StatusDraft
	slug := b.Slug
	if g.title != "" {
		b.Title, slug = g.title, briefings.Slugify(g.title)
	}
	if summary != "" {
		b.Summary = summary
	}
	if b.Summary == "" {
		// a note too short to tell headline from lede: it is the summary
		b.Summary = briefings.Truncate(strings.Join(strings.Fields(in.Text), " "), briefings.MaxSummary)
	}
	note := d.Note
	if b.Published.IsZero() {
		b.Published = briefings.DateFromTime(r.now())
	}
	// the source: the one given, else the page's site, else the outlet the
	// article's dateline or byline names
	articleSource := b.Source.Name
	b.Source = briefings.Source{Name: g.sourceName, URL: g.sourceURL}
	if b.Source.Name == "" {
		b.Source.Name = in.DefaultAttribution
	}
	if b.Source.Name == "" {
		b.Source.Name = articleSource
	}
	if u, err := url.Parse(b.Source.URL); b.Source.Name == "" && err == nil && u.Host != "" {
		b.Source.Name = strings.TrimPrefix(u.Hostname(), "www.")
	}
	b.Topics = g.topics
	if verr := briefings.Validate(b); verr != nil {
		return r.keepForm(ctx, q, kind, 0, 0, values, verr.AsError())
	}
	same, err := r.sameArticle(ctx, q.guildID, slug, b, articleTitle)
	if err != nil {
		return nil, err
	}
	slug, err = r.freeSlug(ctx, q.guildID, slug)
	if err != nil {
		return nil, err
	}
	b.Slug = slug
	if err := r.candidatesFrom(ctx, q.guildID, b, in.Text); err != nil {
		return nil, err
	}
	out, err := r.opts.Curator.SaveCurated(ctx, briefings.Write{GuildID: q.guildID, Briefing: b, By: q.userID, Action: briefings.AuditDraft})
	if err != nil {
		if code := briefings.ErrorCode(err); code == briefings.EINVALID || code == briefings.ECONFLICT {
			return r.keepForm(ctx, q, kind, 0, 0, values, err)
		}
		return nil, fmt.Errorf("save draft: %w", err)
	}
	intro := "Here is your draft. Nobody else can see it until you publish it."
	if note != "" {
		intro += " " + note
	}
	if same != nil {
		state := "a draft"
		if same.Status == briefings.StatusPublished {
			state = "published " + same.Published.Human()
		} else if same.Status == briefings.StatusRetracted {
			state = "retracted"
		}
		intro += fmt.Sprintf(" This looks like “%s” (%s) — open it with /briefing edit briefing:%s, or publish this as a separate briefing.",
			briefings.Truncate(same.Title, 120), state, same.Slug)
	}
	return r.preview(ctx, q, out.Slug, intro)
}

// sameArticle finds a draft or briefing of the guild that holds the same
// article as b, about to be saved: the same source link, the same title,
// or the same text once case, spacing and punctuation are set aside. It
// looks at the briefing with the slug b would take and those whose title
// holds one of titles; nil when none is the same.
func (r *Router) sameArticle(ctx context.Context, guildID, slug string, b *briefings.Briefing, titles ...string) (*briefings.Briefing, error) {
	seen := map[string]bool{}
	var slugs []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			slugs = append(slugs, s)
		}
	}
	add(slug)
	for _, t := range append([]string{b.Title}, titles...) {
		if strings.TrimSpace(t) == "" {
			continue
		}
		entries, err := r.opts.Curator.BriefingsToCurate(ctx, []string{guildID}, t, 5)
		if err != nil {
			return nil, fmt.Errorf("briefings titled %q: %w", t, err)
		}
		for _, e := range entries {
			add(e.Slug)
		}
	}
	same := func(x, y string) bool { return x != "" && sameWords(x) == sameWords(y) }
	for _, s := range slugs {
		other, err := r.opts.Curator.BriefingWithStatus(ctx, guildID, s)
		if notFound(err) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("briefing %q: %w", s, err)
		}
		if other.GuildID != guildID {
			continue
		}
		if b.Source.URL != "" && strings.TrimRight(b.Source.URL, "/") == strings.TrimRight(other.Source.URL, "/") ||
			same(b.Title, other.Title) || same(b.Body, other.Body) {
			return other, nil
		}
	}
	return nil, nil
}

// sameWords folds text to its words, so that two pastes of one article
// compare equal whatever their spacing, case and punctuation.
func sameWords(s string) string {
	return strings.Join(strings.FieldsFunc(briefings.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}
