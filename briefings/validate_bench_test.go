package briefings_test

import (
	"sync"
	"testing"

	"briefbot/briefings"
	"briefbot/internal/gen"
)

// BenchmarkValidate checks the generated library's briefings, as an
// import does for every briefing it reads.
func BenchmarkValidate(b *testing.B) {
	bs := generated()
	b.ResetTimer()
	for i := range b.N {
		if err := briefings.Validate(bs[i%len(bs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// generated is the generated library's first 1,000 briefings, made once.
var generated = sync.OnceValue(func() []*briefings.Briefing { return gen.New(1000).Next(1000) })
