// Package pgtest gives each test its own PostgreSQL database on the server
// that BRIEFBOT_TEST_POSTGRES names (make test starts a throwaway cluster and
// sets it, see .ci/postgres.sh), and drops it when the test ends. Tests that
// use it run in parallel without seeing each other's rows.
//
// Without BRIEFBOT_TEST_POSTGRES a test that needs PostgreSQL fails when CI
// is set to true (CI must never pass by skipping PostgreSQL) and skips with a
// message that says how to run it otherwise.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	// The stdlib driver registers "pgx" with database/sql.
	_ "github.com/jackc/pgx/v5/stdlib"
)

// EnvURL is the environment variable that holds the server's URL.
const EnvURL = "BRIEFBOT_TEST_POSTGRES"

// ServerURL returns the server's URL from EnvURL. When it is unset the test
// fails if the CI environment variable is "true", and is skipped otherwise.
func ServerURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u != "" {
		return u
	}
	msg := EnvURL + " is not set: run `make test` (it starts a throwaway PostgreSQL cluster), " +
		"or `.ci/postgres.sh go test -tags sqlite_fts5 ./...`, or point " + EnvURL + " at a server"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// NewDatabase creates an empty database with a random name on the server
// and returns its URL. The database is dropped, with any connections still
// open to it, when the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	server := ServerURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("pgtest: open %s: %v", redact(server), err)
	}
	defer admin.Close()
	name := "briefbot_test_" + randomSuffix(t)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database %s on %s: %v", name, redact(server), err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := sql.Open("pgx", server)
		if err != nil {
			t.Errorf("pgtest: open %s: %v", redact(server), err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return WithDatabase(t, server, name)
}

// WithDatabase returns server's URL with its database replaced by name.
func WithDatabase(t testing.TB, server, name string) string {
	t.Helper()
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("pgtest: %s is not a URL: %v", EnvURL, err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomSuffix(t testing.TB) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("pgtest: random name: %v", err)
	}
	return hex.EncodeToString(b[:])
}

// redact drops a password from a URL for messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the server"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return strings.TrimSpace(fmt.Sprint(u))
}
