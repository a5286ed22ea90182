package commands

// Fit exposes fit to the tests of package commands_test.
var Fit = fit
