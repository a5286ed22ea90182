package commands

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// Passage is one piece of the library that helps answer a question: a fact
// or a briefing's summary, with who says so and where it comes from.
type Passage struct {
	// Kind is briefings.HitFact or briefings.HitBriefing.
	Kind briefings.HitKind
	// Text is the passage in plain text, without highlight markers.
	Text string
	// Attribution says who says so: the fact's attribution, or the
	// briefing's source for a summary.
	Attribution string
	// Briefing is the briefing to cite.
	Briefing briefings.BriefingRef
	// FactID identifies the fact, for fact passages.
	FactID int64
	// Shared are the question's content words the passage contains.
	Shared []string
	// Score orders passages; higher answers better.
	Score float64
}

// Retrieval is what the library holds to answer a question. It is the one
// source of truth for an answer: /ask renders it, and a language model may
// phrase an answer from it, citing the same passages.
type Retrieval struct {
	// Question is the question as asked.
	Question string
	// Words are its content words, folded and stemmed.
	Words []string
	// WantsFigure is set when the question asks how many, how much or when.
	WantsFigure bool
	// Passages are the passages that answer it, best first; empty when the
	// library doesn't cover the question.
	Passages []Passage
}

// Covered reports whether the library holds anything that answers the
// question.
func (r *Retrieval) Covered() bool { return len(r.Passages) > 0 }

// retrieveHits is how many search hits Retrieve ranks again.
const retrieveHits = 30

// Retrieve finds the passages of guildID's library that best answer
// question, at most n of them. It searches facts and briefings for any of
// the question's words, then keeps only passages that share enough content
// words with the question (two, or every word of a one-word question), and
// ranks facts that share the most words first, favouring facts that carry a
// figure when the question asks how many, how much or when. The result is
// deterministic for a given library.
func Retrieve(ctx context.Context, lib briefings.Library, guildID, question string, n int) (*Retrieval, error) {
	ret := &Retrieval{Question: question, Words: contentWords(question), WantsFigure: asksForFigure(question)}
	if len(ret.Words) == 0 || n <= 0 {
		return ret, nil
	}
	hits, err := lib.Search(ctx, briefings.SearchQuery{
		GuildID:  guildID,
		Text:     strings.Join(searchWords(question), " "),
		MatchAny: true,
		Kinds:    []briefings.HitKind{briefings.HitFact, briefings.HitBriefing},
		Limit:    retrieveHits,
	})
	if err != nil {
		return nil, fmt.Errorf("search for %q: %w", question, err)
	}
	need := min(2, len(ret.Words))
	seen := map[string]bool{}
	for i, h := range hits {
		text := strings.TrimSpace(stripMarkers(h.Snippet))
		if text == "" || seen[briefings.Fold(text)] {
			continue
		}
		seen[briefings.Fold(text)] = true
		who := h.Attribution
		if h.Kind != briefings.HitFact {
			who = h.Briefing.SourceName
		}
		inText := sharedWords(ret.Words, text+" "+who)
		inAll := sharedWords(ret.Words, text+" "+who+" "+h.Briefing.Title)
		if len(inAll) < need {
			continue
		}
		score := 10*float64(len(inText)) + 4*float64(len(inAll)-len(inText))
		if h.Kind == briefings.HitFact {
			score += 3
		}
		if ret.WantsFigure && hasFigure(text) {
			score += 8
		}
		// the store's own ranking breaks ties
		score += float64(len(hits)-i) / float64(len(hits))
		ret.Passages = append(ret.Passages, Passage{
			Kind: h.Kind, Text: text, Attribution: who, Briefing: h.Briefing, FactID: h.FactID, Shared: inAll, Score: score,
		})
	}
	sort.SliceStable(ret.Passages, func(i, j int) bool { return ret.Passages[i].Score > ret.Passages[j].Score })
	ret.Passages = preferFacts(ret.Passages, n)
	if err := fullFacts(ctx, lib, guildID, ret.Passages); err != nil {
		return nil, err
	}
	return ret, nil
}

// preferFacts keeps the n best passages, leaving out a briefing's summary
// or body when one of its curated facts answers too.
func preferFacts(ps []Passage, n int) []Passage {
	hasFact := map[string]bool{}
	for _, p := range ps {
		if p.Kind == briefings.HitFact {
			hasFact[p.Briefing.GuildID+"\x00"+p.Briefing.Slug] = true
		}
	}
	out := ps[:0]
	for _, p := range ps {
		if len(out) == n {
			break
		}
		if p.Kind != briefings.HitFact && hasFact[p.Briefing.GuildID+"\x00"+p.Briefing.Slug] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// fullFacts replaces the search snippets of fact passages, which may be
// cut short, with the whole fact, loading each cited briefing once.
func fullFacts(ctx context.Context, lib briefings.Library, guildID string, ps []Passage) error {
	loaded := map[string]*briefings.Briefing{}
	for i := range ps {
		p := &ps[i]
		if p.Kind != briefings.HitFact || p.FactID == 0 {
			continue
		}
		key := p.Briefing.GuildID + "\x00" + p.Briefing.Slug
		b, ok := loaded[key]
		if !ok {
			var err error
			b, err = lib.Briefing(ctx, guildID, p.Briefing.Slug)
			if err != nil && !notFound(err) {
				return fmt.Errorf("load briefing %q for its facts: %w", p.Briefing.Slug, err)
			}
			loaded[key] = b
		}
		if b == nil {
			continue
		}
		for _, f := range b.Facts {
			if f.ID == p.FactID {
				p.Text, p.Attribution = f.Text, f.Attribution
				break
			}
		}
	}
	return nil
}

// askPassages is how many passages /ask shows.
const askPassages = 3

// ask answers /ask question from the library alone: the passages that
// best answer it, each with its attribution and a numbered citation. With
// a model, the model phrases the answer from the same passages and more
// (see groundedAnswer).
func (r *Router) ask(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	question := strings.TrimSpace(q.str(optQuestion))
	if !hasWord(question) {
		return nil, userError("Ask a question in words, e.g. /ask question:How many North Korean troops are fighting for Russia?")
	}
	n := askPassages
	if r.opts.Model != nil {
		n = askModelPassages
	}
	ret, err := Retrieve(ctx, r.lib, q.guildID, question, n)
	if err != nil {
		return nil, err
	}
	if len(ret.Words) == 0 {
		return nil, userError("Your question needs a few specific words (a name, a place, a thing) for me to look up. Try /search or /topics.")
	}
	if !ret.Covered() {
		// the model is never asked what the library doesn't hold
		return r.withFeedback(private(message([]*discordgo.MessageEmbed{{
			Title:       oneLine(question),
			Description: "The briefings don't cover that. Try /search with a few key words, or /topics to see what the library covers.",
			Color:       colorAsk,
		}})), false), nil
	}
	if r.opts.Model != nil {
		return r.groundedAnswer(ctx, q, ret), nil
	}
	return quotedAnswer(question, ret.Passages, ""), nil
}

// quotedAnswer is the deterministic answer: the best passages quoted with
// their attributions and numbered citations, after note when one is given.
func quotedAnswer(question string, passages []Passage, note string) *discordgo.InteractionResponse {
	if len(passages) > askPassages {
		passages = passages[:askPassages]
	}
	var cites citations
	l := lines{budget: 3500}
	for _, p := range passages {
		item := "• " + escape(briefings.Truncate(oneLine(p.Text), 900))
		if p.Attribution != "" {
			item += " — " + escape(oneLine(p.Attribution))
		}
		l.add(fmt.Sprintf("%s [%d]", item, cites.cite(p.Briefing)))
	}
	desc := "From the briefings:\n" + l.String()
	if note != "" {
		desc = "⚠️ " + note + "\n\n" + desc
	}
	return message([]*discordgo.MessageEmbed{{
		Title:       oneLine(question),
		Description: desc,
		Color:       colorAsk,
		Fields:      fields(field("Sources", cites.list(maxFieldValue), false)),
		Footer:      &discordgo.MessageEmbedFooter{Text: "Quoted from the library, not generated. Check the sources."},
	}})
}

// stopWords are words that say nothing about what a question is about.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a about above after again against all also am an and any are as at
		be because been before being below between both but by can could did do does doing done down
		during each either few for from further get got had has have having he her here hers him his
		how i if in into is it its itself just know latest let many me more most much my news no nor
		not now of off on once only or other our ours out over own please right same say says said
		she should show so some still such tell than that the their theirs them then there these they
		this those through to today too under until up us very want was we were what when where which
		while who whom whose why will with would yet you your s t`) {
		stopWords[w] = true
	}
}

// words splits s into folded words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(briefings.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// contentWords returns the distinct stemmed words of s that are not stop
// words, in order.
func contentWords(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range words(s) {
		if stopWords[w] {
			continue
		}
		w = stem(w)
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// searchWords returns the words of s that are not stop words, as typed,
// for the store's full-text search, which matches whole words.
func searchWords(s string) []string {
	var out []string
	for _, w := range words(s) {
		if !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// stem strips the commonest English endings so that "troops" meets "troop"
// and "fighting" meets "fight".
func stem(w string) string {
	switch {
	case len(w) > 5 && strings.HasSuffix(w, "ing"):
		return w[:len(w)-3]
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 4 && strings.HasSuffix(w, "ed"):
		return w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		return w[:len(w)-1]
	}
	return w
}

// sameWord reports whether two stems name the same thing: equal, or one
// extending the other by a short ending ("russia", "russian").
func sameWord(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= 4 && len(b)-len(a) <= 2 && strings.HasPrefix(b, a)
}

// sharedWords returns the question words that occur in text.
func sharedWords(question []string, text string) []string {
	var stems []string
	for _, w := range words(text) {
		stems = append(stems, stem(w))
	}
	var out []string
	for _, q := range question {
		for _, s := range stems {
			if sameWord(q, s) {
				out = append(out, q)
				break
			}
		}
	}
	return out
}

// asksForFigure reports whether a question asks for a number or a date.
func asksForFigure(question string) bool {
	f := " " + strings.Join(words(question), " ") + " "
	for _, p := range []string{" how many ", " how much ", " how long ", " how large ", " how big ",
		" how often ", " when ", " what year ", " what date ", " what day ", " what number "} {
		if strings.Contains(f, p) {
			return true
		}
	}
	return false
}

// hasFigure reports whether text carries a number, in digits or words.
func hasFigure(text string) bool {
	if strings.IndexFunc(text, unicode.IsDigit) >= 0 {
		return true
	}
	for _, w := range words(text) {
		switch w {
		case "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions", "dozen", "dozens":
			return true
		}
	}
	return false
}
