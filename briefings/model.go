package briefings

// Model is a language model that phrases grounded answers and drafts
// briefings from articles. It is optional: without one, every feature uses
// its deterministic path.
type Model interface{}
