package fileformat_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"briefbot/briefings/fileformat"
)

// FuzzDecode checks that no input makes Decode panic, fail without
// problems or allocate more than allocLimit (a fixed allowance and a
// multiple of the input: no small file may take the memory of a large one),
// and that whatever it accepts survives Encode and Decode unchanged, with
// Encode writing the same bytes the second time.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte(with("titel", "x")))
	f.Add([]byte(strings.Repeat("[", 16<<10)))
	f.Add([]byte(strings.Repeat("- ", 8<<10)))
	f.Add([]byte(minimal + "body: |\n  [[[[\nfacts:\n- text: >\n   {{{\n  attribution: '[['\n"))
	f.Add([]byte(minimal + "x: &a [b, c]\ny: [*a, *a, *a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		allocs, _ := decodeAllocs(data)
		if limit := allocLimit(len(data)); allocs > limit {
			t.Fatalf("Decode of %d bytes allocated %d bytes, more than %d\ninput: %q", len(data), allocs, limit, briefingsTruncate(data))
		}
		bs, err := fileformat.Decode(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			var fe *fileformat.Error
			if !errors.As(err, &fe) || len(fe.Problems) == 0 {
				t.Fatalf("error %T %v, want *fileformat.Error with problems", err, err)
			}
			return
		}
		first := encode(t, bs)
		again, err := fileformat.Decode(bytes.NewReader(first), "encoded.yaml")
		if err != nil {
			t.Fatalf("decode of encoded output: %v\ninput:\n%q\nencoded:\n%s", err, data, first)
		}
		if !reflect.DeepEqual(again, bs) {
			t.Fatalf("round trip changed the briefings\ninput:\n%q\nencoded:\n%s\n got %+v\nwant %+v", data, first, again, bs)
		}
		if second := encode(t, again); !bytes.Equal(first, second) {
			t.Fatalf("second encode differs\nfirst:\n%s\nsecond:\n%s", first, second)
		}
	})
}

// briefingsTruncate keeps a failing input's report readable.
func briefingsTruncate(data []byte) []byte {
	if len(data) > 200 {
		return data[:200]
	}
	return data
}
