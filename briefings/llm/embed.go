package llm

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"briefbot/briefings"

	openai "github.com/sashabaranov/go-openai"
)

// embedBatch caps how many texts one /embeddings request carries.
const embedBatch = 64

// Embedder is a briefings.Embedder over an OpenAI-compatible /embeddings
// endpoint (OpenAI, Ollama, vLLM), with the Client's timeout and retries.
type Embedder struct {
	c *Client
}

// NewEmbedder returns an Embedder for the model cfg.Model names (an
// embedding model, e.g. text-embedding-3-small or nomic-embed-text).
func NewEmbedder(cfg Config) (*Embedder, error) {
	if strings.TrimSpace(cfg.Model) == "" {
		return nil, errors.New("llm: no embedding model name; set OPENAI_EMBEDDING_MODEL")
	}
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return &Embedder{c: c}, nil
}

// Name returns the model's name.
func (e *Embedder) Name() string { return e.c.cfg.Model }

// Embed returns one vector per text, in order, in batches of embedBatch.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += embedBatch {
		batch := texts[start:min(len(texts), start+embedBatch)]
		for i, t := range batch {
			// newlines hurt some models' vectors; empty input is refused
			batch[i] = strings.Join(strings.Fields(t), " ")
			if batch[i] == "" {
				batch[i] = "-"
			}
		}
		resp, err := e.c.api.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{Input: batch, Model: openai.EmbeddingModel(e.c.cfg.Model)})
		if err != nil {
			return nil, e.c.wrap(err)
		}
		if len(resp.Data) != len(batch) {
			return nil, fmt.Errorf("llm %s: %d vectors for %d texts", e.c.cfg.Model, len(resp.Data), len(batch))
		}
		vs := make([][]float32, len(batch))
		for _, d := range resp.Data {
			if d.Index < 0 || d.Index >= len(batch) || vs[d.Index] != nil {
				return nil, fmt.Errorf("llm %s: embedding index %d out of place", e.c.cfg.Model, d.Index)
			}
			vs[d.Index] = d.Embedding
		}
		out = append(out, vs...)
	}
	return out, nil
}

var _ briefings.Embedder = (*Embedder)(nil)
