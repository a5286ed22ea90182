// Package bot holds briefbot's transports and I/O: the gateway runtime, the
// HTTP interactions server, the local console, and the delivery of digests.
//
// Every transport turns what arrives into a *discordgo.Interaction, hands it
// to the commands router, and carries the response back out. The console
// does the same on a terminal or a piped script, so the bot can be tried on
// a fresh machine without a Discord token: ParseLine turns a line typed the
// way people type in Discord into command data, and RenderText turns a
// response into readable text.
package bot
