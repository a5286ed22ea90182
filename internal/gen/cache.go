package gen

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"briefbot/db"
)

// BatchSize is how many briefings one SaveBriefings call imports.
const BatchSize = 500

// ImportStats says how fast a library was imported through the store.
type ImportStats struct {
	// Briefings is how many were saved.
	Briefings int
	// Elapsed is the time spent inside SaveBriefings.
	Elapsed time.Duration
}

// PerSecond is the import throughput in briefings per second.
func (s ImportStats) PerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Briefings) / s.Elapsed.Seconds()
}

// Import writes the n briefings of the synthetic library into lib's global
// library through SaveBriefings, BatchSize at a time, as an import would.
func Import(ctx context.Context, lib *db.DB, n int) (ImportStats, error) {
	g := New(n)
	stats := ImportStats{}
	for {
		batch := g.Next(BatchSize)
		if len(batch) == 0 {
			return stats, nil
		}
		start := time.Now()
		if _, err := lib.SaveBriefings(ctx, "", batch, "gen"); err != nil {
			return stats, fmt.Errorf("import synthetic library: %w", err)
		}
		stats.Elapsed += time.Since(start)
		stats.Briefings += len(batch)
	}
}

// CacheDir is where generated libraries are kept between runs.
func CacheDir() string { return filepath.Join(os.TempDir(), "briefbot-bench") }

// Path is the cached library file of n briefings for this generator version.
// db.Open brings an older cached file's schema up to date.
func Path(n int) string {
	return filepath.Join(CacheDir(), fmt.Sprintf("library-v%d-%d.db", Version, n))
}

// Cached returns the path of a library of n briefings, generating it when no
// cached copy exists. Stats are the import figures when it was generated
// now, and zero when the cached copy was used. Callers must only read the
// library, so that it stays the same for the next run.
func Cached(ctx context.Context, n int) (string, ImportStats, error) {
	path := Path(n)
	if _, err := os.Stat(path); err == nil {
		return path, ImportStats{}, nil
	}
	if err := os.MkdirAll(CacheDir(), 0o755); err != nil {
		return "", ImportStats{}, fmt.Errorf("cache dir: %w", err)
	}
	tmp := path + ".tmp"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(tmp + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", ImportStats{}, err
		}
	}
	lib, err := db.Open(ctx, tmp)
	if err != nil {
		return "", ImportStats{}, err
	}
	stats, err := Import(ctx, lib, n)
	if cerr := lib.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", stats, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", stats, fmt.Errorf("cache library: %w", err)
	}
	return path, stats, nil
}
