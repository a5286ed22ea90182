// Package console is briefbot's local console: it turns lines typed the way
// people type in Discord into interactions for the commands router
// (ParseLine), renders the responses as readable text (RenderText, with
// ANSI bold on a terminal), and reads lines from a terminal with history or
// from a piped script. It lets the bot be tried on a fresh machine without
// a Discord token.
package console
