package commands

import (
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Progress shows a partial answer while a handler is still working, e.g.
// a model's answer as it streams. A transport that deferred the
// interaction passes one to HandleWithProgress and implements it by
// editing the original response, at most once a second, dropping the
// updates in between; the handler's final response always replaces what
// it showed. It must not be called after the handler returns. Transports
// that cannot edit a response (the console) pass none, and handlers then
// answer once.
type Progress func(partial *discordgo.InteractionResponse)

// DeferNow reports whether a transport should defer i at once rather than
// wait to see if the answer is quick: /ask when a language model writes
// the answers, which takes seconds and streams, or when an embedding model
// is asked for the question's vector, and /briefing add with a
// link to fetch (the command with url: and topics:, or the link form),
// which waits on another site. Gateway.DeferNow and HTTP.DeferNow take it
// as it is.
func (r *Router) DeferNow(i *discordgo.Interaction) bool {
	if i == nil {
		return false
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return false
		}
		if data.Name == cmdAsk {
			return r.opts.Model != nil || r.opts.Embedder != nil
		}
		if data.Name != cmdBriefing || r.opts.Articles == nil || r.opts.Curator == nil {
			return false
		}
		sub, opts := flattenOptions(data.Options)
		str := func(name string) string {
			if o := opts[name]; o != nil {
				s, _ := o.Value.(string)
				return strings.TrimSpace(s)
			}
			return ""
		}
		// without topics the answer is the link form, which cannot follow
		// a deferral
		return sub == "add" && str(optURL) != "" && str(optTopics) != ""
	case discordgo.InteractionModalSubmit:
		data, ok := i.Data.(discordgo.ModalSubmitInteractionData)
		return ok && r.opts.Articles != nil && data.CustomID == idForm+":url"
	}
	return false
}
