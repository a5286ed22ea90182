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
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
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

// templates are the template databases made by NewDatabaseFrom, by key.
var templates struct {
	sync.Mutex
	server string
	byKey  map[string]*template
}

type template struct {
	once sync.Once
	name string
	err  error

	// ahead is how many copies KeepReady asked to keep made ahead; ready
	// holds them as they are made, and pending counts the copies being
	// made and the databases being dropped in the background.
	ahead    int
	start    sync.Once
	ready    chan made
	pending  sync.WaitGroup
	dropErrs sync.Map // database name → error
}

// made is a copy of a template made ahead, or why it could not be.
type made struct {
	name string
	err  error
}

// KeepReady makes NewDatabaseFrom keep n copies of key's template made
// ahead in the background, once the template exists, so that a test takes
// a database of its own without waiting for CREATE DATABASE (a second or
// more on a busy server), and drop each test's database in the
// background. Call it before the tests start (from TestMain), and call
// DropTemplates when they end: it waits for the background work.
func KeepReady(key string, n int) {
	templates.Lock()
	defer templates.Unlock()
	templateOf(key).ahead = n
}

// templateOf returns key's template, made empty the first time; the caller
// holds templates' lock.
func templateOf(key string) *template {
	if templates.byKey == nil {
		templates.byKey = map[string]*template{}
	}
	tm := templates.byKey[key]
	if tm == nil {
		tm = &template{}
		templates.byKey[key] = tm
	}
	return tm
}

// makeAhead starts making one copy of the template.
func (tm *template) makeAhead(server string) {
	tm.pending.Add(1)
	go func() {
		defer tm.pending.Done()
		name := "briefbot_test_" + suffix()
		tm.ready <- made{name: name, err: runOn(server, "CREATE DATABASE "+name+" TEMPLATE "+tm.name)}
	}()
}

// NewDatabaseFrom is NewDatabase with the new database a copy of a template
// that setup fills once per test process and key (for example, by bringing
// a schema up to date), which is much faster than filling each database
// anew. setup must close its connections to the template before it returns.
// Call DropTemplates when the tests end (from TestMain).
func NewDatabaseFrom(t testing.TB, key string, setup func(url string) error) string {
	t.Helper()
	server := ServerURL(t)
	templates.Lock()
	templates.server = server
	tm := templateOf(key)
	templates.Unlock()
	tm.once.Do(func() {
		name := "briefbot_template_" + randomSuffix(t)
		if tm.err = runOn(server, "CREATE DATABASE "+name); tm.err != nil {
			return
		}
		tm.name = name
		tm.err = setup(WithDatabase(t, server, name))
	})
	if tm.err != nil {
		t.Fatalf("pgtest: template %s: %v", key, tm.err)
	}
	if tm.ahead > 0 {
		tm.start.Do(func() {
			tm.ready = make(chan made, tm.ahead)
			for range tm.ahead {
				tm.makeAhead(server)
			}
		})
		m := <-tm.ready
		tm.makeAhead(server)
		if m.err != nil {
			t.Fatalf("pgtest: create database %s from %s: %v", m.name, tm.name, m.err)
		}
		name := m.name
		// The test's connections are closed by the time its cleanups
		// reach this one (registered first, it runs last); the drop
		// runs on while the next tests start, and DropTemplates waits
		// for it. A failed drop is reported there.
		t.Cleanup(func() {
			tm.pending.Add(1)
			go func() {
				defer tm.pending.Done()
				if err := runOn(server, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
					tm.dropErrs.Store(name, err)
				}
			}()
		})
		return WithDatabase(t, server, name)
	}
	name := "briefbot_test_" + randomSuffix(t)
	if err := runOn(server, "CREATE DATABASE "+name+" TEMPLATE "+tm.name); err != nil {
		t.Fatalf("pgtest: create database %s from %s: %v", name, tm.name, err)
	}
	t.Cleanup(func() {
		if err := runOn(server, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return WithDatabase(t, server, name)
}

// DropTemplates waits for the databases KeepReady makes and drops in the
// background, drops the copies made ahead that no test took, and drops
// the template databases NewDatabaseFrom made.
func DropTemplates() error {
	templates.Lock()
	defer templates.Unlock()
	var errs []error
	for _, tm := range templates.byKey {
		tm.pending.Wait()
		if tm.ready != nil {
			close(tm.ready)
			for m := range tm.ready {
				if m.err == nil {
					errs = append(errs, runOn(templates.server, "DROP DATABASE IF EXISTS "+m.name+" WITH (FORCE)"))
				}
			}
		}
		tm.dropErrs.Range(func(name, err any) bool {
			errs = append(errs, fmt.Errorf("drop database %s: %w", name, err.(error)))
			return true
		})
		if tm.name != "" {
			errs = append(errs, runOn(templates.server, "DROP DATABASE IF EXISTS "+tm.name+" WITH (FORCE)"))
		}
	}
	templates.byKey = nil
	return errors.Join(errs...)
}

// runOn runs one statement on the server's maintenance database.
func runOn(server, stmt string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return fmt.Errorf("open %s: %w", redact(server), err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return nil
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

// suffix is randomSuffix for work outside a test: crypto/rand does not
// fail (it crashes the program if the system cannot give randomness).
func suffix() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
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
