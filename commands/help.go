package commands

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// helpText explains each command with an example.
const helpText = `I keep a library of curated news briefings: summaries, key facts with who says so, the people and countries involved, and dated events. Everything I answer comes from that library, with sources.

**/brief** [topic] — the latest briefing, on a topic if you give one; buttons page to older ones.
  e.g. ` + "`/brief topic:Ukraine war`" + `
**/topics** — every topic, how many briefings it has and the latest date.
**/actor** name — who someone is and what the briefings say about them.
  e.g. ` + "`/actor name:Kim Jong Un`" + `
**/event** name — when and where something happens and who takes part.
  e.g. ` + "`/event name:Alaska summit`" + `
**/timeline** [topic] [actor] — dated events in order.
  e.g. ` + "`/timeline actor:Vladimir Putin`" + `
**/search** query — briefings and facts that contain your words.
  e.g. ` + "`/search query:Kursk`" + `
**/ask** question — an answer quoted from the briefings, with sources.
  e.g. ` + "`/ask question:How many North Korean troops are fighting for Russia?`" + `

Names complete as you type. If I don't know a name, I suggest the closest ones.`

// help answers /help: what the bot can do, with examples.
func (r *Router) help(ctx context.Context, q *request) (*discordgo.InteractionResponse, error) {
	return private(message([]*discordgo.MessageEmbed{{
		Title:       "What I can do",
		Description: helpText,
		Color:       colorHelp,
	}})), nil
}
