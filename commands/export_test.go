package commands

import "time"

// Fit exposes fit to the tests of package commands_test.
var Fit = fit

// SetBusyRetries replaces the pauses between tries of a busy write for the
// test, putting them back when it ends.
func SetBusyRetries(t interface{ Cleanup(func()) }, pauses ...time.Duration) {
	old := busyRetries
	busyRetries = pauses
	t.Cleanup(func() { busyRetries = old })
}
