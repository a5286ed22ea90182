package sample_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"briefbot/briefings/sample"
)

// seedDir is where the articles the samples are curated from live: shared/
// beside the checkout.
var seedDir = filepath.Join("..", "..", "..", "shared", "seed")

// copiedRun is how many consecutive words of a seed may not reappear in a
// sample: the samples carry the seed's facts, not its sentences.
const copiedRun = 8

// words splits s into lowercase runs of letters and digits, so punctuation,
// quotes and line breaks do not hide a copied phrase.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func TestSamples_NoCopiedSeedSentences(t *testing.T) {
	for _, name := range sample.Names() {
		t.Run(name, func(t *testing.T) {
			seedPath := filepath.Join(seedDir, strings.TrimSuffix(name, ".yaml")+".txt")
			seed, err := os.ReadFile(seedPath)
			if errors.Is(err, fs.ErrNotExist) {
				t.Skipf("seed article %s is missing: the check needs shared/ beside the checkout", seedPath)
			} else if err != nil {
				t.Fatal(err)
			}
			runs := map[string]bool{}
			sw := words(string(seed))
			for i := 0; i+copiedRun <= len(sw); i++ {
				runs[strings.Join(sw[i:i+copiedRun], " ")] = true
			}
			if len(runs) == 0 {
				t.Fatalf("seed %s has fewer than %d words", seedPath, copiedRun)
			}

			data, err := fs.ReadFile(sample.Files, name)
			if err != nil {
				t.Fatal(err)
			}
			yw := words(string(data))
			for i := 0; i+copiedRun <= len(yw); i++ {
				if run := strings.Join(yw[i:i+copiedRun], " "); runs[run] {
					t.Errorf("%s copies the seed verbatim: %q; rewrite it in the sample's own words", name, run)
				}
			}
		})
	}
}
