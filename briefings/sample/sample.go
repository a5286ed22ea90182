// Package sample is briefbot's built-in sample library: briefings in the
// project's YAML file format, embedded in the binary so that a fresh install
// (the console, `make run`, tests of other packages) has real content to show
// before anyone imports their own.
//
// Each briefing is curated from a source article and rewritten in the
// library's own words; its facts carry attributions, and errors in the source
// are fixed and recorded as corrections.
package sample

import (
	"embed"
	"io/fs"
)

// Files holds every sample briefing file (*.yaml) at the root of the FS.
// Decode each one with briefbot/briefings/fileformat.
//
//go:embed *.yaml
var Files embed.FS

// Names returns the names of the embedded briefing files in lexical order,
// ready to pass to Files.Open.
func Names() []string {
	names, err := fs.Glob(Files, "*.yaml")
	if err != nil {
		// The pattern is a constant and valid; Glob fails only on a bad pattern.
		panic(err)
	}
	return names
}
