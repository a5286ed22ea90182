package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"briefbot/commands"
	"briefbot/db"

	"github.com/bwmarrin/discordgo"
)

// The child processes of these tests are this test binary run again with
// BRIEFBOT_TEST_CHILD set: "lock" holds the write lock of the database at
// BRIEFBOT_TEST_DB until its stdin closes; "import" runs `briefbot import`
// and prints its peak resident memory ("peak-rss-kb N") last.
const childEnv = "BRIEFBOT_TEST_CHILD"

func TestHelperProcess(t *testing.T) {
	switch os.Getenv(childEnv) {
	case "":
		t.Skip("runs only as a child process of the reliability tests")
	case "lock":
		conn, err := sql.Open("sqlite3", "file:"+os.Getenv("BRIEFBOT_TEST_DB")+"?_busy_timeout=5000")
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(2)
		}
		ctx := context.Background()
		c, err := conn.Conn(ctx)
		if err == nil {
			_, err = c.ExecContext(ctx, `BEGIN IMMEDIATE`)
		}
		if err == nil {
			_, err = c.ExecContext(ctx, `INSERT INTO audit_log (at, action, note) VALUES ('2025-01-01T00:00:00Z', 'lock', 'held by a test')`)
		}
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(2)
		}
		fmt.Println("locked")
		_, _ = io.Copy(io.Discard, os.Stdin) // until the parent closes it
		_, _ = c.ExecContext(ctx, `ROLLBACK`)
		os.Exit(0)
	case "import":
		m := NewMain()
		m.DotEnv = ""
		m.StderrIsTerminal = func() bool { return true } // print "saving …"
		err := m.Run(context.Background(), strings.Fields(os.Getenv("BRIEFBOT_TEST_ARGS")))
		m.Close()
		if raw, rerr := os.ReadFile("/proc/self/status"); rerr == nil {
			for _, line := range strings.Split(string(raw), "\n") {
				if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					fmt.Fprintln(os.Stderr, "peak-rss-kb", strings.TrimSpace(strings.TrimSuffix(rest, "kB")))
				}
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
}

// child starts this test binary as a child process of the given kind and
// returns it with its stdin and a reader of its output (stdout and
// stderr together).
func child(t *testing.T, kind string, env ...string) (*exec.Cmd, io.WriteCloser, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), append(env, childEnv+"="+kind)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		r.Close()
	})
	return cmd, stdin, bufio.NewReader(r)
}

// waitFor reads the child's output until a line contains want.
func waitFor(t *testing.T, out *bufio.Reader, want string) {
	t.Helper()
	waitForWithin(t, out, want, 60*time.Second)
}

// waitForWithin is waitFor with a limit of d.
func waitForWithin(t *testing.T, out *bufio.Reader, want string, d time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	var seen strings.Builder
	go func() {
		for {
			line, err := out.ReadString('\n')
			seen.WriteString(line)
			if strings.Contains(line, want) {
				done <- nil
				return
			}
			if err != nil {
				done <- fmt.Errorf("child ended before %q: %w", want, err)
				return
			}
		}
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%v\n%s", err, seen.String())
		}
	case <-time.After(d):
		t.Fatalf("child did not print %q within %v", want, d)
	}
}

// handle runs one interaction in guild g as user with perms and returns
// what the user reads, failing if it takes longer than limit: the bot must
// not hang on a locked database.
func handle(t *testing.T, r *commands.Router, perms int64, limit time.Duration, name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) string {
	t.Helper()
	i := &discordgo.Interaction{ID: "1", Type: discordgo.InteractionApplicationCommand, GuildID: "700000000000000001",
		Member: &discordgo.Member{User: &discordgo.User{ID: "700000000000000002"}, Permissions: perms},
		Data:   discordgo.ApplicationCommandInteractionData{Name: name, Options: opts}}
	got := make(chan *discordgo.InteractionResponse, 1)
	go func() { got <- r.Handle(context.Background(), i) }()
	select {
	case resp := <-got:
		raw, _ := json.Marshal(resp)
		return string(raw)
	case <-time.After(limit):
		t.Fatalf("/%s did not answer within %v", name, limit)
		return ""
	}
}

func str(name, value string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: value}
}

// TestReliability_BusyDatabase holds the database's write lock in a second
// process: reads are answered as usual, and a write waits and retries
// until the lock is free instead of failing with an apology.
func TestReliability_BusyDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	out, _, err := run(t, nil, "", "--db", path, "import", "--guild", "700000000000000001", writeFile(t, t.TempDir(), "ferry.yaml", goodDoc))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	t.Log(strings.TrimSpace(out))
	lib, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	var logs strings.Builder
	r := commands.New(lib, commands.Options{Curator: lib, Logger: newLogger(&logs, "debug")})

	_, stdin, childOut := child(t, "lock", "BRIEFBOT_TEST_DB="+path)
	waitFor(t, childOut, "locked")

	for _, tc := range []struct {
		name string
		opts []*discordgo.ApplicationCommandInteractionDataOption
		want string
	}{
		{"actor", []*discordgo.ApplicationCommandInteractionDataOption{str("name", "Ferry Union")}, "Ferry Union"},
		{"search", []*discordgo.ApplicationCommandInteractionDataOption{str("query", "strike")}, "strike"},
		{"brief", nil, "Ferry strike ends"},
	} {
		// Reads never wait for the writer in WAL mode.
		if got := handle(t, r, 0, 3*time.Second, tc.name, tc.opts...); !strings.Contains(got, tc.want) || strings.Contains(got, "went wrong") {
			t.Errorf("/%s while the database is locked: %s", tc.name, got)
		}
	}

	// A write waits while the other process holds the lock, saying the
	// library is busy and retrying, and succeeds once it lets go: never the
	// generic apology.
	correct := &discordgo.ApplicationCommandInteractionDataOption{Name: "correct", Type: discordgo.ApplicationCommandOptionSubCommand,
		Options: []*discordgo.ApplicationCommandInteractionDataOption{str("briefing", "ferry-strike-ends"), str("text", "The strike lasted three days.")}}
	release := time.AfterFunc(8*time.Second, func() { stdin.Close() })
	defer release.Stop()
	got := handle(t, r, discordgo.PermissionManageMessages, 45*time.Second, "briefing", correct)
	if !strings.Contains(got, "Added the correction") || strings.Contains(got, "went wrong") {
		t.Errorf("a write while another process held the lock got: %s", got)
	}
	if !strings.Contains(logs.String(), "database is locked") || !strings.Contains(logs.String(), "library busy") {
		t.Errorf("the log does not say the library was busy:\n%s", logs.String())
	}
}

// bigImport writes n briefings into one file.
func bigImport(t *testing.T, dir string, round, n int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString("---\n")
		}
		fmt.Fprintf(&b, `title: Harbour report %d number %d
published: 2025-07-%02d
topics: [Harbour reports]
summary: Report %d on the harbour's traffic, berths and the ferry timetable.
actors:
  - name: Harbour Board %d
    kind: organization
facts:
  - text: The harbour handled %d ships in week %d.
    attribution: harbour board
    actors: [Harbour Board %d]
  - text: Berth %d reopened after repairs.
    attribution: port office
`, round, i, 1+i%28, i, i%50, 100+i, i, i%50, i)
	}
	return writeFile(t, dir, "big.yaml", b.String())
}

// TestReliability_CrashDuringImport kills `briefbot import` with SIGKILL
// while it saves a large batch. The database passes integrity_check and
// holds none or all of the batch, never part of it.
func TestReliability_CrashDuringImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "crash.db")
	if _, _, err := run(t, nil, "", "--db", path, "import", writeFile(t, dir, "ferry.yaml", goodDoc)); err != nil {
		t.Fatalf("first import: %v", err)
	}
	const batch = 600
	before := countBriefings(t, path)

	// A first import runs to the end, to learn how long saving takes.
	cmd, _, out := child(t, "import", "BRIEFBOT_TEST_ARGS=--db "+path+" import "+bigImport(t, t.TempDir(), 0, batch))
	waitFor(t, out, "saving")
	start := time.Now()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the full import failed: %v", err)
	}
	saving := time.Since(start)
	if got, want := countBriefings(t, path), before+batch; got != want {
		t.Fatalf("after the full import %d briefings, want %d", got, want)
	}
	before += batch
	t.Logf("saving %d briefings took %v", batch, saving.Round(time.Millisecond))

	// Then imports killed a quarter, half and three quarters of the way.
	for round := 1; round <= 3; round++ {
		after := saving * time.Duration(round) / 4
		cmd, _, out := child(t, "import", "BRIEFBOT_TEST_ARGS=--db "+path+" import "+bigImport(t, t.TempDir(), round, batch))
		waitFor(t, out, "saving")
		time.Sleep(after)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		killed := err != nil && strings.Contains(err.Error(), "killed")

		// Opening replays or drops what the killed writer left in the
		// write-ahead log, as the next start of the bot would.
		d, err := db.Open(ctx, path)
		if err != nil {
			t.Fatalf("open after the crash: %v", err)
		}
		d.Close()
		if err := db.IntegrityCheck(ctx, path); err != nil {
			t.Fatalf("integrity_check after the crash: %v", err)
		}
		// A killed import's staging area is swept away when the database
		// is next opened.
		if left := stagedLeft(t, path); left != 0 {
			t.Fatalf("after the crash and a restart, %d rows of a staged import are left", left)
		}
		switch n := countBriefings(t, path); n {
		case before:
			t.Logf("killed %v after \"saving\" (killed=%v): nothing imported", after.Round(time.Millisecond), killed)
		case before + batch:
			t.Logf("killed %v after \"saving\" (killed=%v): the whole batch was in", after.Round(time.Millisecond), killed)
			before = n
		default:
			t.Fatalf("killed %v after \"saving\": %d briefings, want %d or %d", after, n, before, before+batch)
		}
	}
}

// stagedLeft counts the rows a staged import leaves until it is published
// or swept away: hidden briefings and its staging record.
func stagedLeft(t *testing.T, path string) int {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(`SELECT (SELECT count(*) FROM briefings WHERE guild_id LIKE 'staging:%')
		+ (SELECT count(*) FROM import_stagings)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
