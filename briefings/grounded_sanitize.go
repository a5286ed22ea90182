package briefings

import (
	"regexp"
	"strings"
)

// What Sanitize removes from a model's text, in the order it is applied.
var (
	// ![alt](url) and ![alt][ref]
	mdImage = regexp.MustCompile(`!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])`)
	// [text](url): the text stays, the link goes
	mdLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	// [ref]: url definitions
	mdLinkDef = regexp.MustCompile(`(?m)^\s*\[[^\]]+\]:\s*\S+.*$`)
	// <https://…>, bare http(s) URLs, www. hosts and other URI schemes
	// Discord or a browser would open
	angleURL = regexp.MustCompile(`(?i)<\s*(?:https?|ftp|discord|steam|mailto|javascript|data):[^>]*>`)
	bareURL  = regexp.MustCompile(`(?i)\b(?:(?:https?|ftp|discord|steam|mailto|javascript|data):|www\.)\S*`)
	// <@123>, <@!123>, <@&123>, <#123>, </command:123>
	discordMention = regexp.MustCompile(`<(?:@[!&]?|#|/[^>\s:]{1,64}:)\s*\d*\s*>`)
	// @everyone, @here, and the same with look-alike "@" characters
	massMention = regexp.MustCompile(`(?i)[@＠﹫]\s*(everyone|here)\b`)
	// what is left of a mention's syntax
	userMention = regexp.MustCompile(`[@＠﹫](\S)`)
	// HTML an embed does not render but a copy might
	htmlTag = regexp.MustCompile(`(?i)</?(?:img|a|script|iframe)\b[^>]*>`)
)

// Sanitize makes a model's text safe to show: it removes markdown images,
// links (keeping their text), bare and angle-bracketed URLs, Discord's
// user, role, channel and command mentions, and the "@" of @everyone,
// @here and any other would-be mention. The bot adds its own citation links
// afterwards; nothing a model writes can link, ping or embed.
func Sanitize(s string) string {
	s = mdImage.ReplaceAllString(s, "")
	s = mdLinkDef.ReplaceAllString(s, "")
	s = mdLink.ReplaceAllString(s, "$1")
	s = htmlTag.ReplaceAllString(s, "")
	s = angleURL.ReplaceAllString(s, "")
	s = bareURL.ReplaceAllString(s, "")
	s = discordMention.ReplaceAllString(s, "")
	s = massMention.ReplaceAllString(s, "$1")
	s = userMention.ReplaceAllString(s, "$1")
	// a leftover "!" or brackets around nothing read as noise
	s = strings.ReplaceAll(s, "[]", "")
	s = strings.ReplaceAll(s, "()", "")
	return s
}
