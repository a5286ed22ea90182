package db_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
	"briefbot/internal/gen"
)

// benchSize is the library size of the store benchmarks: 1,000 briefings,
// or BRIEFBOT_BENCH_N (e.g. 100000) to measure a large library. The
// library is generated once and cached by internal/gen.
func benchSize(b *testing.B) int {
	n := 1000
	if s := os.Getenv("BRIEFBOT_BENCH_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 100 {
			b.Fatalf("BRIEFBOT_BENCH_N=%q: want a size of at least 100", s)
		}
		n = v
	}
	return n
}

// openBenchLibrary opens the cached synthetic library of benchSize
// briefings.
func openBenchLibrary(b *testing.B) (*db.DB, *gen.Library) {
	b.Helper()
	n := benchSize(b)
	path, _, err := gen.Cached(context.Background(), n)
	if err != nil {
		b.Fatal(err)
	}
	lib, err := db.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { lib.Close() })
	return lib, gen.New(n)
}

// BenchmarkSaveBriefings imports synthetic briefings in batches of
// gen.BatchSize into an empty library, as bench's import figure does (-benchtime=20x
// is its 10,000 briefings); briefings/s is the throughput of SaveBriefings
// alone, without generating the briefings.
func BenchmarkSaveBriefings(b *testing.B) {
	ctx := context.Background()
	lib, err := db.Open(ctx, filepath.Join(b.TempDir(), "import.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer lib.Close()
	g := gen.New(10_000)
	saved := 0
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		batch := g.Next(gen.BatchSize)
		if len(batch) == 0 {
			b.Fatal("the generated library is exhausted: run at most 20 iterations")
		}
		b.StartTimer()
		if _, err := lib.SaveBriefings(ctx, "", batch, "bench"); err != nil {
			b.Fatal(err)
		}
		saved += len(batch)
	}
	b.ReportMetric(float64(saved)/b.Elapsed().Seconds(), "briefings/s")
}

// BenchmarkSearch searches for the commonest word of the library and for
// words further down the vocabulary.
func BenchmarkSearch(b *testing.B) {
	lib, g := openBenchLibrary(b)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		rank int
	}{{"common", 0}, {"mid", 2000}, {"rare", 25_000}} {
		b.Run(c.name, func(b *testing.B) {
			q := briefings.SearchQuery{GuildID: "g", Text: g.Word(c.rank)}
			for b.Loop() {
				if _, err := lib.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCompleteNames completes actor names from two letters, from
// four, and with no text.
func BenchmarkCompleteNames(b *testing.B) {
	lib, g := openBenchLibrary(b)
	ctx := context.Background()
	name := g.Actors()[len(g.Actors())/2].Name
	for _, text := range []string{name[:2], name[:4], ""} {
		b.Run("text="+text, func(b *testing.B) {
			for b.Loop() {
				if _, err := lib.CompleteNames(ctx, "g", briefings.NameActor, text, db.MaxCompletions); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkActorPage runs the store calls behind /actor for the most
// mentioned actor.
func BenchmarkActorPage(b *testing.B) {
	lib, g := openBenchLibrary(b)
	ctx := context.Background()
	name := g.Actors()[0].Name
	for b.Loop() {
		a, err := lib.Actor(ctx, "g", name)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := lib.Facts(ctx, briefings.FactQuery{GuildID: "g", ActorID: a.ID, Limit: 13}); err != nil {
			b.Fatal(err)
		}
		if _, err := lib.Events(ctx, briefings.EventQuery{GuildID: "g", ActorID: a.ID, Limit: 16, BriefingsPerEvent: -1}); err != nil {
			b.Fatal(err)
		}
		if _, _, err := lib.BriefingsMentioning(ctx, "g", a.ID, 0, 10); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompleteTopics completes topic names from three letters and
// with no text.
func BenchmarkCompleteTopics(b *testing.B) {
	lib, g := openBenchLibrary(b)
	ctx := context.Background()
	for _, text := range []string{g.Topics()[1][:3], ""} {
		b.Run("text="+text, func(b *testing.B) {
			for b.Loop() {
				if _, err := lib.CompleteNames(ctx, "g", briefings.NameTopic, text, db.MaxCompletions); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkKnownNames lists every actor's, event's and topic's names with
// their mention counts, as a name that is not found does for suggestions.
func BenchmarkKnownNames(b *testing.B) {
	lib, _ := openBenchLibrary(b)
	ctx := context.Background()
	for _, kind := range []briefings.NameKind{briefings.NameActor, briefings.NameEvent, briefings.NameTopic} {
		b.Run(string(kind), func(b *testing.B) {
			for b.Loop() {
				if _, err := lib.KnownNames(ctx, "g", kind); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
