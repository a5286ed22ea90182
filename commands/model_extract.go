package commands

import (
	"context"

	"briefbot/briefings"
)

// extractCandidates finds the candidate facts and dated events of a draft
// in its text. Without a model it is briefings.Extract. With one, the model
// drafts them (facts only when the text supports them verbatim, see
// briefings.ExtractWithModel), and the draft keeps what fits the library as
// the deterministic path does: actors are linked only when the library
// knows them, by any of the names the model gave them. When the model
// fails, briefings.Extract runs instead.
func (r *Router) extractCandidates(ctx context.Context, in briefings.ExtractInput) briefings.Extraction {
	if r.opts.Model == nil {
		return briefings.Extract(in)
	}
	d, err := briefings.ExtractWithModel(ctx, r.opts.Model, in)
	if err != nil || !d.ByModel {
		note := ""
		if d != nil {
			note = d.Note
		}
		r.log.WarnContext(ctx, "model extraction unavailable; using the deterministic extractor", "err", err, "note", note)
		return briefings.Extract(in)
	}
	if len(d.Dropped) > 0 {
		r.log.InfoContext(ctx, "model facts left out for lack of support", "dropped", d.Dropped)
	}
	known := map[string]string{} // folded library name -> name
	for _, n := range in.KnownActors {
		known[briefings.Fold(n)] = n
	}
	// every name the model used for an actor leads to the library's name
	// when one of them is known
	toLibrary := map[string]string{}
	for _, a := range d.Briefing.Actors {
		lib := ""
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			if k, ok := known[briefings.Fold(n)]; ok {
				lib = k
				break
			}
		}
		if lib == "" {
			continue
		}
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			toLibrary[briefings.Fold(n)] = lib
		}
	}
	link := func(names []string) []string {
		var out []string
		seen := map[string]bool{}
		for _, n := range names {
			lib, ok := toLibrary[briefings.Fold(n)]
			if !ok {
				lib, ok = known[briefings.Fold(n)]
			}
			if ok && !seen[lib] {
				seen[lib] = true
				out = append(out, lib)
			}
		}
		return out
	}
	var x briefings.Extraction
	seen := map[string]bool{}
	for _, f := range d.Briefing.Facts {
		f.Actors = link(f.Actors)
		for _, a := range f.Actors {
			if !seen[a] {
				seen[a] = true
				x.Actors = append(x.Actors, a)
			}
		}
		x.Facts = append(x.Facts, f)
	}
	for _, e := range d.Briefing.Events {
		e.Participants = link(e.Participants)
		x.Events = append(x.Events, e)
	}
	return x
}
