package commands

import "github.com/bwmarrin/discordgo"

// The command names of the catalog.
const (
	cmdBrief    = "brief"
	cmdActor    = "actor"
	cmdEvent    = "event"
	cmdTimeline = "timeline"
	cmdSearch   = "search"
	cmdAsk      = "ask"
	cmdTopics   = "topics"
	cmdHelp     = "help"
)

// The option names of the catalog.
const (
	optTopic    = "topic"
	optActor    = "actor"
	optName     = "name"
	optQuery    = "query"
	optQuestion = "question"
)

// Longest text a user may type into each kind of option.
const (
	maxNameInput     = 100
	maxQueryInput    = 200
	maxQuestionInput = 300
)

// catalog returns the slash commands, built fresh so callers may modify
// them. Commands work in servers and in direct messages with the bot (where
// only the global library is visible).
func catalog() []*discordgo.ApplicationCommand {
	contexts := func() *[]discordgo.InteractionContextType {
		return &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	}
	installs := func() *[]discordgo.ApplicationIntegrationType {
		return &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	}
	cmd := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommand {
		if opts == nil {
			opts = []*discordgo.ApplicationCommandOption{}
		}
		return &discordgo.ApplicationCommand{
			Type:             discordgo.ChatApplicationCommand,
			Name:             name,
			Description:      desc,
			Options:          opts,
			Contexts:         contexts(),
			IntegrationTypes: installs(),
		}
	}
	text := func(name, desc string, required, autocomplete bool, maxLen int) *discordgo.ApplicationCommandOption {
		one := 1
		return &discordgo.ApplicationCommandOption{
			Type:         discordgo.ApplicationCommandOptionString,
			Name:         name,
			Description:  desc,
			Required:     required,
			Autocomplete: autocomplete,
			MinLength:    &one,
			MaxLength:    maxLen,
		}
	}
	return []*discordgo.ApplicationCommand{
		cmd(cmdBrief, "The latest briefing, on a topic if you give one",
			text(optTopic, "A topic, e.g. Ukraine war", false, true, maxNameInput)),
		cmd(cmdActor, "Who a person, country or group is, and what the briefings say about them",
			text(optName, "The actor's name or alias, e.g. Kim Jong Un", true, true, maxNameInput)),
		cmd(cmdEvent, "When and where an event happens, who takes part, and the briefings on it",
			text(optName, "The event's name, e.g. Alaska summit", true, true, maxNameInput)),
		cmd(cmdTimeline, "Dated events in order, on a topic or involving an actor",
			text(optTopic, "Only events on this topic", false, true, maxNameInput),
			text(optActor, "Only events this actor takes part in", false, true, maxNameInput)),
		cmd(cmdSearch, "Search the briefings and their key facts",
			text(optQuery, "Words to look for, e.g. Kursk troops", true, false, maxQueryInput)),
		cmd(cmdAsk, "Ask a question; the answer comes from the briefings alone, with sources",
			text(optQuestion, "e.g. How many North Korean troops are fighting for Russia?", true, false, maxQuestionInput)),
		cmd(cmdTopics, "Every topic with how many briefings it has and the latest date"),
		cmd(cmdHelp, "What this bot can do, with examples"),
	}
}

// ForGuild returns copies of cmds for registering in one guild. A guild's
// commands exist only in that guild, so Discord refuses the bot-DM context
// on them; the catalog's contexts apply to global registration.
func ForGuild(cmds []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
	out := make([]*discordgo.ApplicationCommand, 0, len(cmds))
	for _, c := range cmds {
		if c == nil {
			continue
		}
		cp := *c
		if c.Contexts != nil {
			var kept []discordgo.InteractionContextType
			for _, ctx := range *c.Contexts {
				if ctx == discordgo.InteractionContextGuild {
					kept = append(kept, ctx)
				}
			}
			cp.Contexts = &kept
		}
		out = append(out, &cp)
	}
	return out
}
