package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// digestSource reads a digest's changes from the subscription store and its
// events from the library. Its topic is the one /digest found: typed by
// the member (and so visible to them) or their subscription's.
type digestSource struct {
	briefings.Subscriptions
	lib   briefings.Library
	topic briefings.Topic
}

func (s digestSource) TopicToCurate(_ context.Context, _, slug string) (*briefings.Topic, error) {
	if slug != s.topic.Slug {
		return nil, briefings.Errorf(briefings.ENOTFOUND, "No topic named %q.", briefings.Truncate(slug, 100))
	}
	t := s.topic
	return &t, nil
}

func (s digestSource) Events(ctx context.Context, q briefings.EventQuery) ([]briefings.EventRef, error) {
	return s.lib.Events(ctx, q)
}

// previewPeriod is the period a preview covers when no subscription here
// has a period of its own.
const previewPeriod = 24 * time.Hour

// digest answers /digest [topic]: the digest that would be sent now, only
// to the asker. It covers the period of this channel's (or the asker's)
// subscription to the topic, or the last 24 hours.
func (r *Router) digest(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	subs, err := r.visibleSubscriptions(ctx, q)
	if err != nil {
		return nil, err
	}
	here := func(s *briefings.Subscription) bool {
		return (s.DM && s.UserID == q.userID) || (!s.DM && s.ChannelID == q.channelID())
	}
	topicText := strings.TrimSpace(q.str(optTopic))
	var topic *briefings.Topic
	if topicText != "" {
		m, err := r.resolve(ctx, q, briefings.NameTopic, topicText)
		if err != nil {
			return nil, err
		}
		if m == nil {
			return r.didYouMean(ctx, q, briefings.NameTopic, topicText)
		}
		topic = m.topic
	} else {
		for _, s := range subs {
			if here(s) {
				topic = &briefings.Topic{Slug: s.Topic, Name: s.TopicName}
				break
			}
		}
		if topic == nil {
			return nil, userError("Nothing here subscribes to a topic yet, so name one: /digest topic:<topic>. Type /topics to see them.")
		}
	}
	now := r.now()
	since := now.Add(-previewPeriod)
	picture := false
	for _, s := range subs {
		if here(s) && s.Topic == topic.Slug {
			since, picture = s.Since, s.Picture
			break
		}
	}
	d, err := briefings.ComposeDigest(ctx, digestSource{r.opts.Subscriptions, r.lib, *topic}, q.guildID, topic.Slug, since, now)
	if err != nil {
		return nil, err
	}
	resp := DigestPreview(d)
	if picture && !d.Empty() {
		// The subscription asks for the week's picture: the preview shows
		// it too. A picture that cannot be drawn is logged and left out.
		f, err := DigestPicture(ctx, r.lib, q.guildID, *topic, now)
		if err != nil {
			r.log.Error("digest preview picture", "guild", q.guildID, "err", err)
		} else if f != nil {
			resp.Data.Files = []*discordgo.File{f}
		}
	}
	return resp, nil
}

// DigestPreview renders a digest as an ephemeral reply: the first message of
// the digest, saying how many more a delivery would post, or a notice when
// nothing is new.
func DigestPreview(d *briefings.Digest) *discordgo.InteractionResponse {
	msgs := DigestMessages(d)
	if len(msgs) == 0 {
		return Ephemeral(fmt.Sprintf("Nothing new on **%s** since %s, so a digest now would not be posted (unless its subscription asks for a one-line notice).",
			escape(d.Topic.Name), stamp(d.Since.Unix(), 'f')))
	}
	first := msgs[0]
	content := "Preview, only you can see this. " + first.Content
	if len(msgs) > 1 {
		content += fmt.Sprintf("\nThe digest is long: a delivery would post %d messages; this is the first.", len(msgs))
	}
	return private(&discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: clip(content, maxContent), Embeds: first.Embeds, AllowedMentions: noMentions()},
	})
}
