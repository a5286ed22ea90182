package console_test

import (
	"os"
	"testing"

	"briefbot/internal/testlib"
)

// TestMain drops the PostgreSQL template databases of testlib's stores.
func TestMain(m *testing.M) {
	os.Exit(testlib.Main(m))
}
