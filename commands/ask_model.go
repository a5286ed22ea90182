package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/answer"

	"github.com/bwmarrin/discordgo"
)

// askModelPassages is how many passages a model gets to answer from; the
// deterministic fallback still quotes the best askPassages of them, the
// same ones /ask shows without a model.
const askModelPassages = 6

// askModelBudget bounds the model's work on one question, retries
// included; then the deterministic answer goes out.
const askModelBudget = 90 * time.Second

// askMaxTokens caps a grounded answer: five sentences with citations.
const askMaxTokens = 700

// groundedAnswer has the model phrase an answer from the retrieved passages
// and checks it: every sentence must cite a passage that exists, and what
// the model wrote is sanitized. While the model streams, complete checked
// sentences are shown through the request's Progress. On a timeout, an
// error or an answer with nothing left after the checks, the deterministic
// answer goes out with a note saying why.
func (r *Router) groundedAnswer(ctx context.Context, q *request, res *answer.Result) *discordgo.InteractionResponse {
	question := res.Question.Text
	passages := res.All()
	excerpts := make([]briefings.Excerpt, len(passages))
	for i, l := range passages {
		excerpts[i] = l.Excerpt()
	}
	page := r.pages(ctx, q.guildID)
	prompt := briefings.GroundedPrompt(question, excerpts)
	prompt.MaxTokens = askMaxTokens
	if progress := q.progress; progress != nil {
		shown := ""
		prompt.OnText = func(text string) {
			g := briefings.CheckGrounded(text, len(excerpts), false)
			if len(g.Claims) == 0 {
				return
			}
			resp := r.groundedResponse(question, g, passages, page, true)
			if d := resp.Data.Embeds[0].Description; d != shown {
				shown = d
				progress(fit(resp))
			}
		}
	}
	mctx, cancel := context.WithTimeout(ctx, askModelBudget)
	defer cancel()
	reply, err := r.opts.Model.Complete(mctx, prompt)
	if err != nil {
		r.log.WarnContext(ctx, "model answer failed; quoting the library instead",
			"model", r.opts.Model.Name(), "guild", q.guildID, "err", err)
		note := "The language model is unavailable right now, so here are the passages quoted as they are."
		if errors.Is(err, briefings.ErrModelTimeout) || errors.Is(err, context.DeadlineExceeded) {
			note = "The language model didn't answer in time, so here are the passages quoted as they are."
		}
		return r.withFeedback(quotedAnswer(question, res, note, page), false)
	}
	g := briefings.CheckGrounded(reply, len(excerpts), true)
	if len(g.Claims) == 0 {
		r.log.WarnContext(ctx, "model answer had no supported sentence; quoting the library instead",
			"model", r.opts.Model.Name(), "guild", q.guildID, "dropped", g.Dropped, "invented", g.Invented)
		return r.withFeedback(quotedAnswer(question, res,
			"The language model's answer didn't cite the briefings, so here are the passages quoted as they are.", page), false)
	}
	if g.Dropped > 0 || g.Invented > 0 {
		r.log.InfoContext(ctx, "model answer trimmed", "model", r.opts.Model.Name(), "dropped", g.Dropped, "invented", g.Invented)
	}
	return r.withFeedback(r.groundedResponse(question, g, passages, page, false), true)
}

// groundedResponse renders checked claims: each sentence followed by its
// citations, which link to the cited briefing's page in the reading room
// when it has a public one (page), or else to its source when it has one;
// the cited briefings listed under Sources, numbered in order of first
// citation. A partial answer says it is still being written.
func (r *Router) groundedResponse(question string, g briefings.GroundedAnswer, passages []answer.Line, page func(briefings.BriefingRef) string, partial bool) *discordgo.InteractionResponse {
	cites := citations{page: page}
	var b strings.Builder
	for _, c := range g.Claims {
		text := strings.TrimSpace(c.Text)
		stop := ""
		if n := len(text); n > 0 && strings.ContainsAny(text[n-1:], ".!?") {
			text, stop = text[:n-1], text[n-1:]
		}
		var marks []string
		seen := map[int]bool{}
		for _, n := range c.Cites {
			ref := passages[n-1].Briefing
			num := cites.cite(ref)
			if seen[num] {
				continue
			}
			seen[num] = true
			u := page(ref)
			if u == "" {
				u = safeURL(ref.SourceURL)
			}
			if u != "" {
				marks = append(marks, fmt.Sprintf("[[%d]](%s)", num, u))
			} else {
				marks = append(marks, fmt.Sprintf("[%d]", num))
			}
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(escape(text) + " " + strings.Join(marks, "") + stop)
	}
	footer := fmt.Sprintf("Written by a language model (%s) from the cited briefings only. Check the sources.", r.opts.Model.Name())
	if g.Dropped > 0 {
		footer += " " + plural(g.Dropped, "sentence", "sentences") + " without a source left out."
	}
	if partial {
		footer = "Writing… only sentences that cite a briefing are shown."
	}
	return message([]*discordgo.MessageEmbed{{
		Title:       oneLine(question),
		Description: clip(b.String(), 3500),
		Color:       colorAsk,
		Fields:      fields(field("Sources", cites.list(maxFieldValue), false)),
		Footer:      &discordgo.MessageEmbedFooter{Text: footer},
	}})
}
