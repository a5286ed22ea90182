package briefings

import (
	"context"
	"errors"
)

// Model is a language model that phrases grounded answers and drafts
// briefings from articles. It is optional: without one, every feature uses
// its deterministic path. Whatever a model returns is untrusted text: the
// callers in this package check it before anyone sees it.
type Model interface {
	// Complete runs one chat completion and returns the assistant's text.
	// When p.OnText is set the completion is streamed and OnText sees the
	// text so far as it grows. Errors wrap ErrModelTimeout when the model
	// did not answer in time.
	Complete(ctx context.Context, p Prompt) (string, error)
	// Name identifies the model in logs and in stored feedback.
	Name() string
}

// Prompt is one request to a Model.
type Prompt struct {
	// System is the instruction the model follows; nothing from a user or
	// the library is ever put in it.
	System string
	// User is the request, holding the user's question or the article as
	// delimited data.
	User string
	// Schema, when set, asks for a JSON object matching this JSON Schema
	// (structured outputs), named SchemaName.
	Schema     []byte
	SchemaName string
	// MaxTokens caps the reply; 0 leaves it to the model.
	MaxTokens int
	// OnText, when set, streams the reply: it is called with the whole
	// text received so far, from the goroutine that called Complete.
	OnText func(text string)
}

// ErrModelTimeout is wrapped by a Model's errors when it did not answer in
// time, so callers can say so.
var ErrModelTimeout = errors.New("the language model did not answer in time")
