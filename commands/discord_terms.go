package commands

import (
	"regexp"
	"strings"

	"briefbot/briefings"
)

// unknownName is the store's refusal of a fact's actor or event that
// neither the briefing nor the library has, in the file format's terms.
var unknownName = regexp.MustCompile(`(?m)^facts\[(\d+)\]\.(actors\[\d+\]|event): ("[^"\n]*") is not an? (actor|event) of this briefing or the library; declare it under (actors|events)$`)

// inDiscordTerms rewrites the refusals of a /briefing fact command that
// name the file format's fields ("facts[17].actors[1] … declare it under
// actors") into the command, option and what to type.
func inDiscordTerms(err error) error {
	if briefings.ErrorCode(err) != briefings.EINVALID {
		return err
	}
	msg := briefings.ErrorMessage(err)
	out := unknownName.ReplaceAllStringFunc(msg, func(line string) string {
		m := unknownName.FindStringSubmatch(line)
		opt, kind := optActors, "actor"
		if m[4] == "event" {
			opt, kind = optEvent, "event"
		}
		return "Fact " + m[1] + ", option " + opt + ": " + m[3] + " is not an " + kind + " this server's briefings know. " +
			"Start typing in /" + kind + " to find its name, or leave the option out."
	})
	if out == msg {
		return err
	}
	return briefings.Errorf(briefings.EINVALID, "%s", strings.TrimSpace(out))
}
