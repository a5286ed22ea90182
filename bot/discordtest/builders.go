package discordtest

import (
	"time"

	"github.com/bwmarrin/discordgo"
)

// base returns an interaction from UserID in ChannelID of GuildID, with the
// member's permissions as Discord sends them. Tests may change any field
// before sending, or call DM to move it to a direct message.
func base(typ discordgo.InteractionType, data discordgo.InteractionData) *discordgo.Interaction {
	guildLocale := discordgo.EnglishUS
	return &discordgo.Interaction{
		AppID:     AppID,
		Type:      typ,
		Data:      data,
		GuildID:   GuildID,
		ChannelID: ChannelID,
		Member: &discordgo.Member{
			GuildID:     GuildID,
			User:        memberUser(),
			JoinedAt:    time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
			Roles:       []string{},
			Permissions: MemberPermissions,
		},
		AppPermissions: MemberPermissions,
		Locale:         discordgo.EnglishUS,
		GuildLocale:    &guildLocale,
		Context:        discordgo.InteractionContextGuild,
		AuthorizingIntegrationOwners: map[discordgo.ApplicationIntegrationType]string{
			discordgo.ApplicationIntegrationGuildInstall: GuildID,
		},
		Version:      1,
		Entitlements: []*discordgo.Entitlement{},
	}
}

// DM moves an interaction to the bot's direct messages with the user: no
// guild, no member, the user in User. It returns i.
func DM(i *discordgo.Interaction) *discordgo.Interaction {
	if i.Member != nil {
		i.User = i.Member.User
	}
	i.Member, i.GuildID, i.GuildLocale = nil, "", nil
	i.ChannelID = "1100000000000000400"
	i.Context = discordgo.InteractionContextBotDM
	i.AuthorizingIntegrationOwners = map[discordgo.ApplicationIntegrationType]string{
		discordgo.ApplicationIntegrationUserInstall: i.User.ID,
	}
	return i
}

// Command builds a slash-command interaction (type 2) for /name with the
// given options; use String, Integer, Number, Bool, User and SubCommand.
func Command(name string, options ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return base(discordgo.InteractionApplicationCommand, discordgo.ApplicationCommandInteractionData{
		ID: commandID(name), Name: name, CommandType: discordgo.ChatApplicationCommand, Options: options,
	})
}

// Autocomplete builds an autocomplete interaction (type 4) for /name. Mark
// the option being typed with Focused; if none is marked, the last option
// (searching into sub-commands) is focused.
func Autocomplete(name string, options ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	if !anyFocused(options) {
		if last := lastLeaf(options); last != nil {
			last.Focused = true
		}
	}
	return base(discordgo.InteractionApplicationCommandAutocomplete, discordgo.ApplicationCommandInteractionData{
		ID: commandID(name), Name: name, CommandType: discordgo.ChatApplicationCommand, Options: options,
	})
}

// Button builds a button press (type 3) on a message the bot posted in
// ChannelID, which carries the button.
func Button(customID string) *discordgo.Interaction {
	i := base(discordgo.InteractionMessageComponent, discordgo.MessageComponentInteractionData{
		CustomID: customID, ComponentType: discordgo.ButtonComponent,
	})
	i.Message = botMessage(discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{CustomID: customID, Label: customID, Style: discordgo.PrimaryButton},
	}})
	return i
}

// ModalSubmit builds a modal submission (type 5) for the modal customID with
// the given text inputs; use Field.
func ModalSubmit(customID string, fields ...discordgo.MessageComponent) *discordgo.Interaction {
	return base(discordgo.InteractionModalSubmit, discordgo.ModalSubmitInteractionData{CustomID: customID, Components: fields})
}

// Field is a submitted text input of a modal: an action row holding it, as
// Discord sends them.
func Field(customID, value string) discordgo.MessageComponent {
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.TextInput{CustomID: customID, Value: value, Style: discordgo.TextInputShort},
	}}
}

// String is a string option of a command.
func String(name, value string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: value}
}

// Integer is an integer option of a command. Discord sends numbers as JSON
// numbers, which discordgo reads as float64.
func Integer(name string, value int64) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionInteger, Value: float64(value)}
}

// Bool is a boolean option of a command.
func Bool(name string, value bool) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionBoolean, Value: value}
}

// SubCommand is a sub-command option holding its own options.
func SubCommand(name string, options ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: options}
}

// SubCommandGroup is a group of sub-commands.
func SubCommandGroup(name string, subs ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommandGroup, Options: subs}
}

// Focused marks the option the user is typing in an autocomplete
// interaction. It returns o.
func Focused(o *discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	o.Focused = true
	return o
}

func anyFocused(opts []*discordgo.ApplicationCommandInteractionDataOption) bool {
	for _, o := range opts {
		if o.Focused || anyFocused(o.Options) {
			return true
		}
	}
	return false
}

func lastLeaf(opts []*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	if len(opts) == 0 {
		return nil
	}
	last := opts[len(opts)-1]
	if last.Type == discordgo.ApplicationCommandOptionSubCommand || last.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
		return lastLeaf(last.Options)
	}
	return last
}

// commandID gives each command name a stable fake ID.
func commandID(name string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return "11000000" + padDigits(h)
}

func padDigits(h uint32) string {
	const width = 11
	b := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		b[i] = byte('0' + h%10)
		h /= 10
	}
	return string(b)
}

// botMessage is a message the bot posted earlier in ChannelID, carrying
// the components a user clicks.
func botMessage(components ...discordgo.MessageComponent) *discordgo.Message {
	return &discordgo.Message{
		ID:         "1100000000000000500",
		ChannelID:  ChannelID,
		GuildID:    GuildID,
		Author:     botUser(),
		Content:    "A briefing",
		Components: components,
		Timestamp:  time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}
