package commands

// registerCuration adds the moderators' commands when a Curator is
// configured.
func (r *Router) registerCuration() {
	if r.opts.Curator == nil {
		return
	}
}
