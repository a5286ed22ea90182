package pgtest

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestDatabasesAreSeparate connects to two databases made for one test,
// checks the server is a PostgreSQL with the extension search needs, and
// that a table made in one is not seen in the other.
func TestDatabasesAreSeparate(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, b := open(t, NewDatabase(t)), open(t, NewDatabase(t))

	var version int
	if err := a.QueryRowContext(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&version); err != nil {
		t.Fatalf("server version: %v", err)
	}
	if version < 150000 {
		t.Fatalf("server version %d, want PostgreSQL 15 or later", version)
	}
	if _, err := a.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm`); err != nil {
		t.Fatalf("pg_trgm: %v", err)
	}
	var sim float64
	if err := a.QueryRowContext(ctx, `SELECT similarity('Zelensky', 'Zelenskyy')`).Scan(&sim); err != nil || sim <= 0.5 {
		t.Fatalf("similarity('Zelensky', 'Zelenskyy') = %v, %v; want over 0.5", sim, err)
	}
	if _, err := a.ExecContext(ctx, `CREATE TABLE only_in_a (n int); INSERT INTO only_in_a VALUES (1)`); err != nil {
		t.Fatalf("create table in a: %v", err)
	}
	var n int
	if err := a.QueryRowContext(ctx, `SELECT count(*) FROM only_in_a`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("count in a = %d, %v; want 1", n, err)
	}
	var exists bool
	if err := b.QueryRowContext(ctx, `SELECT to_regclass('only_in_a') IS NOT NULL`).Scan(&exists); err != nil {
		t.Fatalf("look in b: %v", err)
	}
	if exists {
		t.Fatal("a table made in one test database is visible in another")
	}
}

// TestDroppedAtTheEnd checks that a test's database is gone once the test
// (and its cleanups) ended, even with a connection still open.
func TestDroppedAtTheEnd(t *testing.T) {
	t.Parallel()
	server := ServerURL(t)
	var name string
	t.Run("inner", func(t *testing.T) {
		u := NewDatabase(t)
		name = u[strings.LastIndex(u, "/")+1:]
		if i := strings.IndexByte(name, '?'); i >= 0 {
			name = name[:i]
		}
		db := open(t, u)
		if err := db.Ping(); err != nil {
			t.Fatal(err)
		}
		// Left open on purpose: the drop must not wait for it.
		conn, err := db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
	})
	admin := open(t, server)
	var n int
	if err := admin.QueryRow(`SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("database %s still exists after its test ended", name)
	}
}

// TestFailsInCIWithoutServer runs a test that needs PostgreSQL with CI=true
// and no server named: it must fail, not skip, so CI cannot go green
// without PostgreSQL.
func TestFailsInCIWithoutServer(t *testing.T) {
	if os.Getenv("PGTEST_CHILD") == "1" {
		NewDatabase(t)
		return
	}
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	for _, tc := range []struct {
		ci, want string
		fail     bool
	}{
		{ci: "true", want: "--- FAIL", fail: true},
		{ci: "", want: "--- SKIP", fail: false},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFailsInCIWithoutServer$", "-test.v")
		cmd.Env = append(withoutEnv(os.Environ(), EnvURL, "CI"), "PGTEST_CHILD=1", "CI="+tc.ci)
		out, err := cmd.CombinedOutput()
		if (err != nil) != tc.fail || !strings.Contains(string(out), tc.want) || !strings.Contains(string(out), EnvURL+" is not set") {
			t.Errorf("CI=%q: err %v, output:\n%s\nwant %q and a message naming %s", tc.ci, err, out, tc.want, EnvURL)
		}
	}
}

func withoutEnv(env []string, names ...string) []string {
	var out []string
next:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

func open(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
