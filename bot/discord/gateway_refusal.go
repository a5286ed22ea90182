package discord

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// RefusedError is what Gateway.Run returns when Discord refuses the bot for
// a reason that reconnecting cannot fix: the gateway closed with one of the
// codes Discord marks as not reconnectable (4004, 4010–4014), or the REST
// API refused the token before the gateway was reached. Its message says
// what to change. `briefbot run` exits with status 78 (EX_CONFIG) on it.
type RefusedError struct {
	// Code is the gateway close code, or the HTTP status (401) when the
	// REST API refused the token first.
	Code int
	// Reason is what Discord said: the close frame's text or the REST
	// error.
	Reason string
	// Advice says what to change, in the Developer Portal's and
	// briefbot's configuration's terms.
	Advice string
}

// Error says what Discord refused and what to do.
func (e *RefusedError) Error() string {
	what := fmt.Sprintf("Discord closed the gateway with %d", e.Code)
	if e.Code < 1000 {
		what = fmt.Sprintf("Discord answered %d %s", e.Code, http.StatusText(e.Code))
	}
	if r := strings.TrimSpace(e.Reason); r != "" {
		what += " (" + strings.TrimSuffix(r, ".") + ")"
	}
	return what + ": " + e.Advice
}

// tokenAdvice is what to do about a refused token.
const tokenAdvice = "the bot token was refused; check DISCORD_TOKEN, or reset the token on the Bot page of the " +
	"Discord Developer Portal (https://discord.com/developers/applications) and set DISCORD_TOKEN to the new one"

// closeRefusal returns the RefusedError for a close code Discord marks as not
// reconnectable, or nil for the others. intents and shard are what the
// client identified with.
func closeRefusal(code int, reason string, intents discordgo.Intent, shard *[2]int) *RefusedError {
	var advice string
	switch code {
	case 4004:
		advice = tokenAdvice
	case 4010:
		s := "no shard"
		if shard != nil {
			s = fmt.Sprintf("shard %d of %d", shard[0], shard[1])
		}
		advice = fmt.Sprintf("Discord refused %s; set DISCORD_SHARD_COUNT to the number of shards and DISCORD_SHARD_ID below it (0 to count−1)", s)
	case 4011:
		advice = "the bot is in too many servers for one connection; run it sharded: set DISCORD_SHARD_COUNT " +
			"(GET /gateway/bot says how many shards Discord recommends) and start one process per DISCORD_SHARD_ID"
	case 4012:
		advice = "Discord no longer accepts gateway v" + gatewayVersion + ", which this briefbot speaks; upgrade briefbot"
	case 4013:
		advice = fmt.Sprintf("the intents sent (%d) are not valid gateway intents; this is a bug in briefbot, please report it", intents)
	case 4014:
		advice = intentAdvice(intents)
	default:
		return nil
	}
	return &RefusedError{Code: code, Reason: reason, Advice: advice}
}

// privilegedIntents are the intents an application must enable in the
// Developer Portal, with the names the Portal gives them.
var privilegedIntents = []struct {
	intent       discordgo.Intent
	name, portal string
}{
	{discordgo.IntentGuildMembers, "GUILD_MEMBERS", "Server Members Intent"},
	{discordgo.IntentGuildPresences, "GUILD_PRESENCES", "Presence Intent"},
	{discordgo.IntentMessageContent, "MESSAGE_CONTENT", "Message Content Intent"},
}

// intentAdvice says which privileged intents to enable, or drop, after a
// 4014.
func intentAdvice(intents discordgo.Intent) string {
	var asked []string
	for _, p := range privilegedIntents {
		if intents&p.intent != 0 {
			asked = append(asked, fmt.Sprintf("%s (%s)", p.portal, p.name))
		}
	}
	if len(asked) == 0 {
		return fmt.Sprintf("the intents briefbot identified with (%d) include no privileged intent, yet were refused; "+
			"check the Privileged Gateway Intents on the Bot page of the Discord Developer Portal, and report this if it persists", intents)
	}
	return fmt.Sprintf("the bot asks for the privileged %s, which the application may not use: enable %s under "+
		"Privileged Gateway Intents on the Bot page of the Discord Developer Portal (verified bots need Discord's approval), "+
		"or stop asking for %s", strings.Join(asked, " and "), them(len(asked)), them(len(asked)))
}

// them is "it" or "them".
func them(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
