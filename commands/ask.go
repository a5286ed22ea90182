package commands

import (
	"context"
	"fmt"
	"strings"

	"briefbot/briefings"
	"briefbot/briefings/answer"

	"github.com/bwmarrin/discordgo"
)

// askPassages is how many lines /ask shows: the structured answer, when
// there is one, and the lines that support it.
const askPassages = 3

// ask answers /ask question from the library alone (see answer.Answer):
// the structured answer first (an event's date or place, an actor), then
// the facts and text that support it, every line cited. With a model, the
// model phrases the answer from the same lines and more (see
// groundedAnswer).
func (r *Router) ask(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	question := strings.TrimSpace(q.str(optQuestion))
	if !hasWord(question) {
		return nil, userError("Ask a question in words, e.g. /ask question:How many North Korean troops are fighting for Russia?")
	}
	n := askPassages
	if r.opts.Model != nil {
		n = askModelPassages
	}
	res, err := answer.Answer(ctx, r.lib, q.guildID, question,
		answer.Options{Lines: n, Today: today(r.now()), Embedder: r.opts.Embedder, Names: r.lib})
	if err != nil {
		return nil, err
	}
	if res.VectorErr != nil {
		r.log.WarnContext(ctx, "embedding the question failed; answering by words alone",
			"model", r.opts.Embedder.Name(), "guild", q.guildID, "err", res.VectorErr)
	}
	if len(res.Question.Terms) == 0 {
		return nil, userError("Your question needs a few specific words (a name, a place, a thing) for me to look up. Try /search or /topics.")
	}
	if !res.Covered() {
		desc := "The briefings don't cover that. Try /search with a few key words, or /topics to see what the library covers."
		if res.NoFigure {
			desc = "The briefings don't cover that: none of them gives that figure. Try /search with a few key words to read what they do say."
		}
		// the model is never asked what the library doesn't hold
		return r.withFeedback(private(message([]*discordgo.MessageEmbed{{
			Title:       oneLine(question),
			Description: desc,
			Color:       colorAsk,
		}})), false), nil
	}
	if r.opts.Model != nil {
		return r.groundedAnswer(ctx, q, res), nil
	}
	return quotedAnswer(question, res, readNote(res.Read), r.pages(ctx, q.guildID)), nil
}

// readNote says which slips in known names the question was read with
// ("I read “putn” as “Putin”."), or "".
func readNote(read []answer.Reading) string {
	if len(read) == 0 {
		return ""
	}
	var parts []string
	for _, r := range read {
		parts = append(parts, fmt.Sprintf("“%s” as “%s”", escape(r.Written), escape(r.As)))
	}
	return "I read " + strings.Join(parts, " and ") + "."
}

// quotedAnswer is the deterministic answer: the structured answer in bold
// when there is one, then the best supporting lines as bullets, each with
// a numbered citation, after note when one is given. The cited briefings
// link to their pages in the reading room when page gives one.
func quotedAnswer(question string, res *answer.Result, note string, page func(briefings.BriefingRef) string) *discordgo.InteractionResponse {
	all := res.All()
	if len(all) > askPassages {
		all = all[:askPassages]
	}
	cites := citations{page: page}
	l := lines{budget: 3500}
	for i, line := range all {
		l.add(answerLine(line, i == 0 && res.Direct != nil, cites.cite(line.Briefing)))
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

// answerLine renders one line of an answer with its citation: the lead (a
// date, a place, a name, who says so) in bold, then what the line says and
// who says so. The direct answer stands on its own; the others are
// bullets. A date is shown as the calendar date it is; only an exact
// instant becomes Discord timestamp markup.
func answerLine(l answer.Line, direct bool, cite int) string {
	lead := ""
	switch {
	case l.Lead != "":
		lead = "**" + escape(briefings.Truncate(oneLine(l.Lead), 200)) + "**"
	case !l.Date.IsZero():
		lead = "**" + eventWhen(briefings.Event{Date: l.Date, End: l.End}) + "**"
	}
	s := escape(briefings.Truncate(oneLine(l.Text), 900))
	if lead != "" {
		s = lead + " — " + s
	}
	if l.Attribution != "" && l.Attribution != l.Lead {
		s += " — " + escape(briefings.Truncate(oneLine(l.Attribution), 200))
	}
	if !direct {
		s = "• " + s
	}
	return fmt.Sprintf("%s [%d]", s, cite)
}
