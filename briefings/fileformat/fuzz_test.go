package fileformat_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"briefbot/briefings/fileformat"
)

// FuzzDecode checks that no input makes Decode panic or fail without
// problems, and that whatever it accepts survives Encode and Decode
// unchanged, with Encode writing the same bytes the second time.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte(with("titel", "x")))
	f.Fuzz(func(t *testing.T, data []byte) {
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
