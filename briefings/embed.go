package briefings

import "context"

// Embedder turns texts into vectors whose nearness stands for nearness of
// meaning, so that a question finds a fact it shares no word with. It is
// optional: without one, answers are found by words alone and stay
// deterministic. What it returns is only ever compared, never shown.
type Embedder interface {
	// Embed returns one vector per text, in order.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Name identifies the model; vectors of different models never mix.
	Name() string
}

// EmbedItem is a record to embed, or embedded: a fact, an event or an
// actor, with the text its vector stands for.
type EmbedItem struct {
	// Kind is HitFact, HitEvent or HitActor.
	Kind HitKind
	// ID identifies the record.
	ID int64
	// Text is what is embedded: a fact with its attribution, an event's
	// name, place and description, an actor's name and description.
	Text string
}

// VectorQuery asks for the records of a library nearest to a vector.
type VectorQuery struct {
	// GuildID selects the guild's library plus the global one.
	GuildID string
	// Model is the embedder whose vectors are compared.
	Model string
	// Vector is the question's.
	Vector []float32
	// Limit caps the records of each kind; 0 means 20.
	Limit int
}

// Similarities maps records to their cosine similarity with a query
// vector, by kind and ID.
type Similarities map[HitKind]map[int64]float64
