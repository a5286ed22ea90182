package console

import "github.com/bwmarrin/discordgo"

// ConsoleInteraction exposes the interaction a console sends, so tests can
// check who it comes from without a Discord connection.
func ConsoleInteraction(c *Console, t discordgo.InteractionType) *discordgo.Interaction {
	return c.interaction(t)
}

// ConsoleShow shows resp as if the router had answered with it, for the
// responses the catalog does not produce yet (forms, select menus).
func ConsoleShow(c *Console, resp *discordgo.InteractionResponse) { c.show(resp, false) }

// ConsoleFormInteraction is the modal submit the open form would send.
func ConsoleFormInteraction(c *Console) (*discordgo.Interaction, error) { return c.formInteraction() }
