package commands

// registerSubscriptions adds the digest subscription commands when a
// subscription store is configured.
func (r *Router) registerSubscriptions() {
	if r.opts.Subscriptions == nil {
		return
	}
}
