package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// Feedback on answers. The custom IDs carry only the verdict and who wrote
// the answer; the question and the answer are read from the message the
// button sits on, which Discord sends with the press and no one can forge.
//
//	fb:up:m, fb:down:m      👍 or 👎 on an answer a model wrote
//	fb:up:q, fb:down:q      the same on a quoted (deterministic) answer
//	fbok:<id>.<id>…         mark the listed 👎 reviewed
const (
	idFeedback   = "fb"
	idFeedbackOK = "fbok"
	cmdFeedback  = "feedback"
	subFeedback  = "feedback"
	// briefingGroup is the moderators' command the review list joins
	// when it is registered.
	briefingGroup = "briefing"
)

// feedbackListed is how many 👎 the review list shows at once.
const feedbackListed = 10

// registerModel adds the feedback buttons' handlers and the review list
// when a model and a feedback store are configured. The review list is a
// subcommand of /briefing when the moderation commands are there, and a
// /feedback command of its own otherwise.
func (r *Router) registerModel() {
	if r.opts.Model == nil || r.opts.Feedback == nil {
		return
	}
	r.components[idFeedback] = r.feedbackPress
	r.components[idFeedbackOK] = r.feedbackReviewed
	sub := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: subFeedback,
		Description: "Questions members marked 👎, for review", Options: []*discordgo.ApplicationCommandOption{}}
	if h, ok := r.handlers[briefingGroup]; ok {
		for _, c := range r.extra {
			if c.Name == briefingGroup {
				c.Options = append(c.Options, sub)
				r.handlers[briefingGroup] = func(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
					if q.sub == subFeedback {
						return r.feedbackReview(ctx, q)
					}
					return h(ctx, q)
				}
				return
			}
		}
	}
	manageMessages := int64(discordgo.PermissionManageMessages)
	r.handlers[cmdFeedback] = r.feedbackReview
	r.extra = append(r.extra, &discordgo.ApplicationCommand{
		Type: discordgo.ChatApplicationCommand, Name: cmdFeedback, Description: "Questions members marked 👎, for moderators to review",
		DefaultMemberPermissions: &manageMessages, Options: []*discordgo.ApplicationCommandOption{},
		Contexts:         &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM},
		IntegrationTypes: &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall},
	})
}

// withFeedback adds the 👍 and 👎 buttons to an answer when feedback is on.
func (r *Router) withFeedback(resp *discordgo.InteractionResponse, byModel bool) *discordgo.InteractionResponse {
	if r.opts.Model == nil || r.opts.Feedback == nil {
		return resp
	}
	who := "q"
	if byModel {
		who = "m"
	}
	resp.Data.Components = append(resp.Data.Components, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Helpful", Style: discordgo.SecondaryButton, CustomID: idFeedback + ":up:" + who, Emoji: &discordgo.ComponentEmoji{Name: "👍"}},
		discordgo.Button{Label: "Not helpful", Style: discordgo.SecondaryButton, CustomID: idFeedback + ":down:" + who, Emoji: &discordgo.ComponentEmoji{Name: "👎"}},
	}})
	return resp
}

// feedbackPress records a 👍 or 👎 and thanks the member privately.
func (r *Router) feedbackPress(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	verdict, who, _ := strings.Cut(q.arg, ":")
	if (verdict != "up" && verdict != "down") || (who != "m" && who != "q") {
		return Ephemeral("I don't recognise that button; it may come from an older version of me. Ask again with /ask."), nil
	}
	m := q.i.Message
	if m == nil || m.ID == "" || len(m.Embeds) == 0 || strings.TrimSpace(m.Embeds[0].Title) == "" {
		return nil, userError("I can't find the answer that button belongs to. Ask again with /ask.")
	}
	model := ""
	if who == "m" {
		model = r.opts.Model.Name()
	}
	f := briefings.AnswerFeedback{GuildID: q.guildID, ChannelID: q.channelID(), MessageID: m.ID, UserID: q.userID,
		Question: m.Embeds[0].Title, Answer: m.Embeds[0].Description, Model: model, Helpful: verdict == "up", CreatedAt: r.now()}
	if err := r.opts.Feedback.RecordFeedback(ctx, f); err != nil {
		return nil, err
	}
	if f.Helpful {
		return Ephemeral("Thanks, noted."), nil
	}
	return Ephemeral("Thanks. I've put this question on the moderators' review list, so they can add or correct the briefings behind it."), nil
}

// mayReview checks that the member may see the review list: the operators
// anywhere, and in a server its moderators (Manage Messages, Manage Server,
// Administrator, or the moderator role when moderation is configured).
func (r *Router) mayReview(ctx context.Context, q *request) error {
	m := briefings.Member{UserID: q.userID, GuildID: q.guildID, Owner: briefings.IsOwner(q.userID, r.opts.OwnerIDs)}
	if q.i.Member != nil {
		m.Permissions, m.Roles = q.i.Member.Permissions, q.i.Member.Roles
	}
	if m.Owner || (m.GuildID != "" && m.Permissions&(briefings.PermManageGuild|briefings.PermManageMessages|briefings.PermAdministrator) != 0) {
		return nil
	}
	if m.GuildID != "" && r.opts.Curator != nil {
		s, err := r.opts.Curator.Settings(ctx, q.guildID)
		if err != nil {
			return fmt.Errorf("settings of %q: %w", q.guildID, err)
		}
		if briefings.CanModerate(m, s) {
			return nil
		}
	}
	return briefings.Errorf(briefings.EFORBIDDEN, "Only moderators can see the questions members marked 👎: you need the Manage Messages permission or the server's moderator role.")
}

// feedbackReview lists the questions whose answers members marked 👎.
func (r *Router) feedbackReview(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	if err := r.mayReview(ctx, q); err != nil {
		return nil, err
	}
	return r.reviewList(ctx, q)
}

// reviewList renders the open 👎 with a button that marks them reviewed.
func (r *Router) reviewList(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	list, total, err := r.opts.Feedback.FeedbackToReview(ctx, q.guildID, feedbackListed)
	if err != nil {
		return nil, err
	}
	if total == 0 {
		return private(message([]*discordgo.MessageEmbed{{Title: "Answer feedback", Color: colorAsk,
			Description: "No question is waiting for review: nobody has marked an answer 👎 since the last review."}})), nil
	}
	l := lines{budget: 3800}
	id := idFeedbackOK + ":"
	for _, f := range list {
		item := "• **" + escape(briefings.Truncate(oneLine(f.Question), 200)) + "** · " + discordTime(briefings.Date{T: f.CreatedAt, P: briefings.PrecisionTime}, 'R')
		if f.GuildID != "" && f.ChannelID != "" {
			item += " · " + link("answer", "https://discord.com/channels/"+f.GuildID+"/"+f.ChannelID+"/"+f.MessageID)
		}
		if f.Model == "" {
			item += " (quoted answer)"
		}
		next := strconv.FormatInt(f.ID, 10)
		if !strings.HasSuffix(id, ":") {
			next = "." + next
		}
		if textLen(id+next) > maxCustomID || !l.add(item) {
			break
		}
		id += next
	}
	shown := len(l.items)
	desc := l.String()
	if total > shown {
		desc += fmt.Sprintf("\n…and %d more after these", total-shown)
	}
	return private(message([]*discordgo.MessageEmbed{{
		Title:       fmt.Sprintf("Answer feedback: %s to review", plural(total, "question", "questions")),
		Description: desc,
		Color:       colorAsk,
		Footer:      &discordgo.MessageEmbedFooter{Text: "Members marked these answers 👎. Add or correct the briefings behind them, then mark them reviewed."},
	}}, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Mark these " + strconv.Itoa(shown) + " reviewed", Style: discordgo.PrimaryButton, CustomID: id},
	}})), nil
}

// feedbackReviewed marks the listed 👎 reviewed and shows the list again.
func (r *Router) feedbackReviewed(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	if err := r.mayReview(ctx, q); err != nil {
		return nil, err
	}
	var ids []int64
	for _, s := range strings.Split(q.arg, ".") {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 || strconv.FormatInt(n, 10) != s {
			return Ephemeral("I don't recognise that button; run the review list again."), nil
		}
		ids = append(ids, n)
	}
	if _, err := r.opts.Feedback.MarkFeedbackReviewed(ctx, q.guildID, ids, q.userID); err != nil {
		return nil, err
	}
	resp, err := r.reviewList(ctx, q)
	if err != nil {
		return nil, err
	}
	resp.Type = discordgo.InteractionResponseUpdateMessage
	return resp, nil
}
