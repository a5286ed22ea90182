package answer_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/answer"
	"briefbot/briefings/llm"
	"briefbot/briefings/llm/llmtest"
)

// conceptVector is the fake embedding model of these tests: words of one
// concept share a dimension, so "stevedores" is near "dockworkers" and
// "walkout" near "strike"; other words fall back to llmtest.WordVector.
func conceptVector(text string) []float32 {
	concepts := map[string]int{"stevedores": 0, "dockworkers": 0, "dockers": 0, "walkout": 1, "strike": 1, "joined": 2, "join": 2}
	v := llmtest.WordVector(text)
	for _, w := range strings.Fields(strings.ToLower(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return ' '
	}, text))) {
		if d, ok := concepts[w]; ok {
			v[d] += 4
		}
	}
	return v
}

func newEmbedder(t *testing.T, url string) *llm.Embedder {
	t.Helper()
	e, err := llm.NewEmbedder(llm.Config{BaseURL: url, APIKey: "k", Model: "fake-embed", Timeout: 2 * time.Second, Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestHybrid(t *testing.T) {
	ctx := context.Background()
	lib := openEvalLibrary(t)
	fake := llmtest.New(t)
	fake.SetVectors(conceptVector)
	e := newEmbedder(t, fake.URL())

	ix := &answer.Indexer{Store: lib, Embedder: e, Batch: 50}
	n, err := ix.RunOnce(ctx)
	if err != nil || n < 100 {
		t.Fatalf("indexing embedded %d records, %v; want every fact, event and actor", n, err)
	}
	if again, err := ix.RunOnce(ctx); err != nil || again != 0 {
		t.Errorf("a second round embedded %d, %v; want nothing left", again, err)
	}
	texts := fake.EmbeddingRequests()
	if len(texts) < 2 || len(texts[0]) != 50 {
		t.Errorf("requests of %d texts, want batches of 50", len(texts[0]))
	}

	const paraphrase = "How many stevedores joined the walkout?"
	ask := func(question string, emb briefings.Embedder) *answer.Result {
		t.Helper()
		res, err := answer.Answer(ctx, lib, "", question, answer.Options{Lines: 3, Today: evalToday, Embedder: emb})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	t.Run("ParaphraseFoundByMeaning", func(t *testing.T) {
		if res := ask(paraphrase, nil); res.Covered() {
			t.Fatalf("without vectors %q should share too few words to answer: %+v", paraphrase, res.All())
		}
		res := ask(paraphrase, e)
		if res.VectorErr != nil || !res.Covered() || !strings.Contains(res.All()[0].Plain(), "4,200 dockworkers") {
			t.Errorf("with vectors: %+v (%v), want the 4,200 dockworkers first", res.All(), res.VectorErr)
		}
	})

	t.Run("StillRefusesWhatTheLibraryDoesNotHold", func(t *testing.T) {
		for _, q := range []string{"What is the population of Anchorage?", "Who won the 2022 World Cup?", "Who is the mayor of Brisk?"} {
			if res := ask(q, e); res.Covered() {
				t.Errorf("%q answered with vectors: %s", q, res.All()[0].Plain())
			}
		}
	})

	t.Run("LexicalAnswersKeepTheirPlace", func(t *testing.T) {
		res := ask("When was the Alaska summit?", e)
		if res.Direct == nil || !strings.HasPrefix(res.Direct.Plain(), "15 August 2025") {
			t.Errorf("the summit's date should still come first: %+v", res.All())
		}
	})

	t.Run("EditedRecordsAreEmbeddedAgain", func(t *testing.T) {
		b, err := lib.Briefing(ctx, "", "valmora-port-strike-2026-03-09")
		if err != nil {
			t.Fatal(err)
		}
		b.Facts[0].Text = "About 4,500 dockworkers have joined the strike that closed the port of Valmora on 2 March 2026."
		if _, err := lib.SaveBriefings(ctx, "", []*briefings.Briefing{b}, "editor"); err != nil {
			t.Fatal(err)
		}
		if n, err := ix.RunOnce(ctx); err != nil || n == 0 {
			t.Fatalf("after an edit, %d embedded, %v", n, err)
		}
		if res := ask(paraphrase, e); !res.Covered() || !strings.Contains(res.All()[0].Plain(), "4,500") {
			t.Errorf("the edited fact should answer: %+v", res.All())
		}
	})

	t.Run("EmbedderDownFallsBackToWords", func(t *testing.T) {
		down := httptest.NewServer(nil)
		url := down.URL + "/v1"
		down.Close()
		res := ask("When was the Alaska summit?", newEmbedder(t, url))
		if res.VectorErr == nil || res.Direct == nil || !strings.HasPrefix(res.Direct.Plain(), "15 August 2025") {
			t.Errorf("with the embedder down: %+v (%v), want the lexical answer and the error", res.All(), res.VectorErr)
		}
	})
}
