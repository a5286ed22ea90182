package db_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"briefbot/db"
	"briefbot/internal/gen"
)

// BenchmarkImport streams generated briefings into an empty library
// through db.Import, one Add each, as `briefbot import` does once a file
// is decoded: staged transactions, the pauses between them and the
// publishing at the end. BRIEFBOT_IMPORT_N sets how many (5,000 unless
// set); briefings/s is the store's throughput alone, without decoding.
// Profile it with -cpuprofile.
func BenchmarkImport(b *testing.B) {
	n := 5000
	if s := os.Getenv("BRIEFBOT_IMPORT_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			b.Fatalf("BRIEFBOT_IMPORT_N=%q: want a number of briefings", s)
		}
		n = v
	}
	// Cancellable, as the command's is.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bs := gen.New(n).Next(n)
	saved := 0
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		lib, err := db.Open(ctx, filepath.Join(b.TempDir(), "import"+strconv.Itoa(i)+".db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		im := lib.NewImport("g1", "bench")
		for _, br := range bs {
			if err := im.Add(ctx, br); err != nil {
				b.Fatal(err)
			}
		}
		out, err := im.Commit(ctx)
		if err != nil || len(out) != n {
			b.Fatalf("%d outcomes, %v", len(out), err)
		}
		saved += n
		b.StopTimer()
		lib.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(saved)/b.Elapsed().Seconds(), "briefings/s")
}
