package web

import (
	"bytes"
	"testing"
)

// TestPictureCache_Bounded: the cache keeps at most its count and its
// bytes, dropping the least recently used picture first.
func TestPictureCache_Bounded(t *testing.T) {
	c := newPictureCache(3, 100)
	k := func(v int64) pictureKey { return pictureKey{version: v} }
	for v := range int64(3) {
		c.put(k(v), bytes.Repeat([]byte{'x'}, 10))
	}
	if _, ok := c.get(k(0)); !ok { // 0 is now the most recent
		t.Fatal("a kept picture is missing")
	}
	c.put(k(3), bytes.Repeat([]byte{'x'}, 10))
	if _, ok := c.get(k(1)); ok {
		t.Error("over the count, the least recently used picture was kept")
	}
	if n, size := c.len(); n != 3 || size != 30 {
		t.Errorf("%d pictures of %d bytes, want 3 of 30", n, size)
	}
	c.put(k(4), bytes.Repeat([]byte{'x'}, 90))
	if _, ok := c.get(k(4)); !ok {
		t.Error("the newest picture is missing")
	}
	if n, size := c.len(); size != 100 || n != 2 {
		t.Errorf("%d pictures of %d bytes, want 2 within 100 bytes", n, size)
	}
	c.put(k(5), bytes.Repeat([]byte{'x'}, 101))
	if _, ok := c.get(k(5)); ok {
		t.Error("a picture larger than the whole cache was kept")
	}
}
