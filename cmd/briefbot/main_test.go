package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"briefbot/briefings"
	"briefbot/briefings/llm/llmtest"
	"briefbot/db"
	"briefbot/db/pgtest"
)

// run executes briefbot with args against env, returning stdout, stderr and
// the error, as a user at a terminal would see them.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := NewMain()
	m.Stdin = strings.NewReader(stdin)
	m.Stdout, m.Stderr = &out, &errOut
	m.DotEnv = ""
	m.SaveDir = t.TempDir()
	m.Getenv = func(k string) string { return env[k] }
	m.StdinIsTerminal = func() bool { return false }
	m.StderrIsTerminal = func() bool { return false }
	err := m.Run(context.Background(), args)
	if cerr := m.Close(); cerr != nil {
		t.Fatalf("close: %v", cerr)
	}
	return out.String(), errOut.String(), err
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// newLibrary creates the library at env's BRIEFBOT_DB the way a newcomer
// does, by starting the console once (which loads the sample unless
// BRIEFBOT_SAMPLE is off).
func newLibrary(t *testing.T, env map[string]string) {
	t.Helper()
	if _, errOut, err := run(t, env, "", "console"); err != nil {
		t.Fatalf("create the library: %v\n%s", err, errOut)
	}
}

// countBriefings opens the database directly and counts every briefing.
func countBriefings(t *testing.T, path string) int {
	t.Helper()
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	_, n, err := d.Briefings(context.Background(), briefings.BriefingQuery{
		Statuses: []briefings.Status{briefings.StatusDraft, briefings.StatusPublished, briefings.StatusRetracted},
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const goodDoc = `title: Ferry strike ends
published: 2025-09-01
topics: [Ports and ferries]
summary: The ferry strike ended after two days.
actors:
  - name: Ferry Union
    kind: organization
    aliases: [the union]
facts:
  - text: The strike lasted two days.
    attribution: the union
    actors: [Ferry Union]
`

func TestImport(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(dir, "lib.db"), "BRIEFBOT_SAMPLE": "off"}
	good := writeFile(t, dir, "good.yaml", goodDoc)

	t.Run("CreatesThenUnchanged", func(t *testing.T) {
		out, _, err := run(t, env, "", "import", good)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "1 created, 0 updated, 0 unchanged") {
			t.Fatalf("first import said %q", out)
		}
		out, _, err = run(t, env, "", "import", good)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "0 created, 0 updated, 1 unchanged") {
			t.Fatalf("second import said %q, want it unchanged", out)
		}
		edited := writeFile(t, dir, "edited.yaml", strings.Replace(goodDoc, "two days.", "two days, said both sides.", 1))
		out, _, err = run(t, env, "", "import", edited)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "0 created, 1 updated, 0 unchanged") {
			t.Fatalf("edited import said %q, want an update", out)
		}
	})

	t.Run("FlagsAfterFiles", func(t *testing.T) {
		other := writeFile(t, dir, "other.yaml", strings.Replace(goodDoc, "Ferry strike ends", "Ferry strike resumes", 1))
		out, _, err := run(t, env, "", "import", other, "--guild", "123456789012345678")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "into guild 123456789012345678: 1 created") {
			t.Fatalf("import FILE --guild ID said %q", out)
		}
	})

	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "ShapeErrorsNameFileDocumentAndField",
			files: map[string]string{
				"a.yaml": goodDoc + "---\n" + strings.Replace(goodDoc, "title: Ferry strike ends", "title: ''", 1),
				"b.yaml": strings.Replace(goodDoc, "published: 2025-09-01", "published: 2025-13-01", 1),
			},
			want: []string{"a.yaml", "2", "title", "b.yaml", "published"},
		},
		{
			name: "DatePastYear9999InUTC",
			files: map[string]string{
				"late.yaml": strings.Replace(goodDoc, "published: 2025-09-01", "published: 9999-12-31T23:00:00-05:00", 1),
			},
			want: []string{"late.yaml:doc 1: published:", "is 10000-01-01T04:00:00Z in UTC, outside the years 0001 to 9999"},
		},
		{
			name:  "UnknownField",
			files: map[string]string{"c.yaml": goodDoc + "sumary: typo\n"},
			want:  []string{"c.yaml", "sumary"},
		},
		{
			name: "UnknownActorInLibraryCheck",
			files: map[string]string{
				"ok.yaml": strings.Replace(goodDoc, "Ferry strike ends", "Another ferry story", 1),
				"d.yaml":  strings.Replace(strings.Replace(goodDoc, "Ferry strike ends", "Ghosts", 1), "actors: [Ferry Union]", "actors: [Nobody Known]", 1),
			},
			want: []string{"d.yaml:doc 1", "facts[1].actors[1]", "Nobody Known"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := t.TempDir()
			env := map[string]string{"BRIEFBOT_DB": filepath.Join(sub, "lib.db"), "BRIEFBOT_SAMPLE": "off"}
			var paths []string
			for name, content := range tt.files {
				paths = append(paths, writeFile(t, sub, name, content))
			}
			_, _, err := run(t, env, "", append([]string{"import"}, paths...)...)
			if err == nil {
				t.Fatal("import succeeded, want an error")
			}
			msg := err.Error()
			if !strings.Contains(msg, "nothing was imported") {
				t.Errorf("error %q does not say nothing was imported", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
			if n := countBriefings(t, env["BRIEFBOT_DB"]); n != 0 {
				t.Errorf("%d briefings written by a failed import, want 0", n)
			}
		})
	}

	t.Run("MissingFile", func(t *testing.T) {
		_, _, err := run(t, env, "", "import", filepath.Join(dir, "nope.yaml"))
		if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
			t.Fatalf("err=%v, want it to name the missing file", err)
		}
	})
	t.Run("NoFiles", func(t *testing.T) {
		_, _, err := run(t, env, "", "import")
		if err == nil || !strings.Contains(err.Error(), "at least one file") {
			t.Fatalf("err=%v, want a usage error", err)
		}
	})
}

func TestExport_RoundTripIsByteIdentical(t *testing.T) {
	dir := t.TempDir()
	first := map[string]string{"BRIEFBOT_DB": filepath.Join(dir, "first.db")} // sample on
	newLibrary(t, first)
	out1, _, err := run(t, first, "", "export")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out1, "slug: putin-kim-call-2025-08-12") {
		t.Fatalf("export of the sample library lacks the sample:\n%.400s", out1)
	}
	file := writeFile(t, dir, "export.yaml", out1)

	second := map[string]string{"BRIEFBOT_DB": filepath.Join(dir, "second.db"), "BRIEFBOT_SAMPLE": "off"}
	if _, _, err := run(t, second, "", "import", file); err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(dir, "again.yaml")
	if _, _, err := run(t, second, "", "export", "-o", outFile); err != nil {
		t.Fatal(err)
	}
	out2, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	if out1 != string(out2) {
		t.Fatalf("second export differs from the first:\n--- first\n%s\n--- second\n%s", out1, out2)
	}

	// Filtering by topic: a topic the sample has, and one it doesn't.
	byTopic, _, err := run(t, second, "", "export", "--topic", "alaska-summit")
	if err != nil || byTopic != out1 {
		t.Fatalf("export --topic alaska-summit differs from the full export (err %v)", err)
	}
	if _, _, err := run(t, second, "", "export", "--topic", "no-such-topic"); err == nil {
		t.Fatal("export of an unknown topic succeeded, want an error")
	}
}

func TestSampleLibrary_Search(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	newLibrary(t, map[string]string{"BRIEFBOT_DB": path})
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, q := range []string{"Kursk", "laborers", "Alaska"} {
		hits, err := d.Search(context.Background(), briefings.SearchQuery{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range hits {
			if h.Briefing.Slug == "putin-kim-call-2025-08-12" {
				found = true
			}
		}
		if !found {
			t.Errorf("searching %q did not find the sample briefing (%d hits)", q, len(hits))
		}
	}
	// The sample loads once: a second start leaves one briefing, and
	// BRIEFBOT_SAMPLE=off on a fresh database loads nothing.
	if _, _, err := run(t, map[string]string{"BRIEFBOT_DB": path}, "", "export"); err != nil {
		t.Fatal(err)
	}
	if n := countBriefings(t, path); n != 1 {
		t.Errorf("%d briefings after two starts, want 1", n)
	}
	off := filepath.Join(t.TempDir(), "off.db")
	newLibrary(t, map[string]string{"BRIEFBOT_DB": off, "BRIEFBOT_SAMPLE": "off"})
	if n := countBriefings(t, off); n != 0 {
		t.Errorf("%d briefings with BRIEFBOT_SAMPLE=off, want 0", n)
	}
}

func TestConsole_DoneWhen(t *testing.T) {
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db")}
	script := "/actor name:kim\n/event name:alaska\n/ask question:How many North Korean troops are fighting for Russia?\n/nonsense\n/topics\n"
	out, errOut, err := run(t, env, script)
	if err != nil {
		t.Fatalf("console exited with %v; stderr:\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "DISCORD_TOKEN") {
		t.Errorf("no notice of how to connect to Discord in stderr:\n%s", errOut)
	}
	for _, want := range []string{
		"Kim Jong Un", "South Korean intelligence", // /actor with attributed facts
		"15 August 2025",                      // /event shows the summit's date
		"At least 10,000 North Korean troops", // /ask gives the figure
		"Russia–North Korea",                  // /topics after the bad line still ran, with display names
	} {
		if !strings.Contains(out+errOut, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out+errOut, "/nonsense") {
		t.Errorf("the bad line got no error naming it")
	}
}

// TestConsole_ModeratorNeedsAServer: `console --moderator` runs in a
// server, where /briefing add opens its form; in a direct message the
// answer says where moderators' commands work instead of speaking of
// "this server".
func TestConsole_ModeratorNeedsAServer(t *testing.T) {
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db")}
	out, errOut, err := run(t, env, "/briefing add\n", "console", "--moderator")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(out, "Form: New briefing") || strings.Contains(out, "global library") {
		t.Errorf("console --moderator: /briefing add did not open the form:\n%s", out)
	}
	out, _, err = run(t, env, "/briefing add\nhelp\n", "console")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "In direct messages") || !strings.Contains(out, "in a channel of that server") || strings.Contains(out, "for this server") {
		t.Errorf("in a DM, /briefing add does not say where it works:\n%s", out)
	}
	if !strings.Contains(out, "briefbot console --moderator") {
		t.Errorf("the console's help does not name --moderator:\n%s", out)
	}
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{name: "Defaults", env: map[string]string{}, check: func(t *testing.T, c Config) {
			if c.DBPath != "briefbot.db" || !c.Sample || c.HTTPAddr != ":8080" || c.ShardCount != 1 {
				t.Errorf("defaults: %+v", c)
			}
		}},
		{name: "SampleOff", env: map[string]string{"BRIEFBOT_SAMPLE": "off"}, check: func(t *testing.T, c Config) {
			if c.Sample {
				t.Error("sample still on")
			}
		}},
		{name: "SampleBad", env: map[string]string{"BRIEFBOT_SAMPLE": "maybe"}, wantErr: "BRIEFBOT_SAMPLE"},
		{name: "OwnerIDs", env: map[string]string{"BRIEFBOT_OWNER_IDS": "123, 456"}, check: func(t *testing.T, c Config) {
			if strings.Join(c.OwnerIDs, ",") != "123,456" {
				t.Errorf("owners=%v", c.OwnerIDs)
			}
		}},
		{name: "OwnerIDsBad", env: map[string]string{"BRIEFBOT_OWNER_IDS": "bob"}, wantErr: "BRIEFBOT_OWNER_IDS"},
		{name: "ShardOutOfRange", env: map[string]string{"DISCORD_SHARD_ID": "2", "DISCORD_SHARD_COUNT": "2"}, wantErr: "DISCORD_SHARD_ID"},
		{name: "ShardNotANumber", env: map[string]string{"DISCORD_SHARD_COUNT": "two"}, wantErr: "DISCORD_SHARD_COUNT"},
		{name: "MaxConns", env: map[string]string{"BRIEFBOT_HTTP_MAX_CONNS": "64"}, check: func(t *testing.T, c Config) {
			if c.HTTPMaxConns != 64 {
				t.Errorf("HTTPMaxConns=%d, want 64", c.HTTPMaxConns)
			}
		}},
		{name: "MaxConnsBad", env: map[string]string{"BRIEFBOT_HTTP_MAX_CONNS": "-1"}, wantErr: "BRIEFBOT_HTTP_MAX_CONNS"},
		{name: "TimeoutBad", env: map[string]string{"OPENAI_TIMEOUT": "soon"}, wantErr: "OPENAI_TIMEOUT"},
		{name: "LogLevelBad", env: map[string]string{"BRIEFBOT_LOG_LEVEL": "loud"}, wantErr: "BRIEFBOT_LOG_LEVEL"},
		{name: "TokenNeverInErrors", env: map[string]string{"DISCORD_TOKEN": "secret-token-value", "DISCORD_SHARD_COUNT": "x"}, wantErr: "DISCORD_SHARD_COUNT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadConfig(func(k string) string { return tt.env[k] }, "")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err=%v, want one naming %s", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret-token-value") {
					t.Fatalf("the token leaked into an error: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadConfig_DotEnv(t *testing.T) {
	p := writeFile(t, t.TempDir(), ".env", "BRIEFBOT_DB=from-dotenv.db\nBRIEFBOT_LOG_LEVEL=debug\n")
	env := map[string]string{"BRIEFBOT_LOG_LEVEL": "warn"}
	c, err := LoadConfig(func(k string) string { return env[k] }, p)
	if err != nil {
		t.Fatal(err)
	}
	if c.DBPath != "from-dotenv.db" {
		t.Errorf("DBPath=%q, want the .env value", c.DBPath)
	}
	if c.LogLevel != "warn" {
		t.Errorf("LogLevel=%q, want the environment to win over .env", c.LogLevel)
	}
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(dir, "lib.db")}
	newLibrary(t, env)
	dest := filepath.Join(dir, "copy.db")
	_, errOut, err := run(t, env, "", "backup", dest)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "integrity check passed") {
		t.Errorf("backup said %q", errOut)
	}
	// The copy is a working library: export from it equals export from the original.
	orig, _, err := run(t, env, "", "export")
	if err != nil {
		t.Fatal(err)
	}
	copied, _, err := run(t, map[string]string{"BRIEFBOT_DB": dest, "BRIEFBOT_SAMPLE": "off"}, "", "export")
	if err != nil {
		t.Fatal(err)
	}
	if orig == "" || orig != copied {
		t.Errorf("export of the backup differs from the original (%d vs %d bytes)", len(copied), len(orig))
	}
	if _, _, err := run(t, env, "", "backup"); err == nil || !strings.Contains(err.Error(), "destination") {
		t.Errorf("backup without a file: err=%v", err)
	}

	t.Run("KeepsAnExistingFile", func(t *testing.T) {
		old := writeFile(t, dir, "old-backup.db", "last week's backup")
		_, _, err := run(t, env, "", "backup", old)
		if err == nil || !strings.Contains(err.Error(), old) || !strings.Contains(err.Error(), "--force") {
			t.Fatalf("backup onto an existing file: err=%v, want a refusal naming it and --force", err)
		}
		if got, _ := os.ReadFile(old); string(got) != "last week's backup" {
			t.Fatalf("the existing file was overwritten (%d bytes)", len(got))
		}
		// --force replaces it, and may come after the file.
		if _, errOut, err := run(t, env, "", "backup", old, "--force"); err != nil {
			t.Fatalf("backup FILE --force: %v\n%s", err, errOut)
		}
		if err := db.IntegrityCheck(context.Background(), old); err != nil {
			t.Fatalf("the forced backup: %v", err)
		}
	})
}

// TestCommands_RefuseAMissingLibrary: only run, serve, console and import
// create a library. The others, given a path where there is none (a typo in
// --db or BRIEFBOT_DB), say so and create nothing.
func TestCommands_RefuseAMissingLibrary(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"Backup", []string{"backup", "copy.db"}},
		{"Export", []string{"export"}},
		{"Digest", []string{"digest", "--topic", "alaska-summit"}},
		{"Deliver", []string{"deliver", "--once"}},
		{"DeliverDryRun", []string{"deliver", "--dry-run"}},
		{"FeedAdd", []string{"feed", "add", "--guild", "600000000000000006", "--topic", "harbour", "https://example.org/rss"}},
		{"FeedList", []string{"feed", "list", "--guild", "600000000000000006"}},
		{"FeedPoll", []string{"feed", "poll", "--once"}},
		{"Feeds", []string{"feeds", "--tick", "1s"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			typo := filepath.Join(dir, "brefbot.db")
			env := map[string]string{"BRIEFBOT_DB": typo, "DISCORD_TOKEN": "token"}
			args := tt.args
			if tt.name == "Backup" {
				args = []string{"backup", filepath.Join(dir, "copy.db")}
			}
			out, _, err := run(t, env, "", args...)
			if err == nil {
				t.Fatalf("%v on a missing library succeeded:\n%s", tt.args, out)
			}
			for _, want := range []string{typo, "--db", "BRIEFBOT_DB"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err=%q, want it to name %s", err, want)
				}
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("files were created: %v", entries)
			}
		})
	}
}

// TestCommands_OnPostgres: BRIEFBOT_DB=postgres://… puts every command on
// that database. The console answers the README's examples from the sample
// library loaded there, export and the digest preview read it, backup says
// to use pg_dump, and the URL's password is never shown or logged.
func TestCommands_OnPostgres(t *testing.T) {
	u, err := url.Parse(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "s3cret") // the test server trusts loopback
	env := map[string]string{"BRIEFBOT_DB": u.String()}
	dir := t.TempDir()
	t.Chdir(dir)
	check := func(what, out, errOut string, err error, want ...string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v\n%s", what, err, errOut)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", what, w, out)
			}
		}
		if strings.Contains(out+errOut, "s3cret") {
			t.Errorf("%s shows the database password:\n%s\n%s", what, out, errOut)
		}
	}
	out, errOut, err := run(t, env, "/actor name:kim\n/event name:alaska\n/ask question:How many North Korean troops are fighting for Russia?\n/search query:Kursk\n/brief topic:alaska-summit\npress 1\n/actor name:putn\npress 1\n", "console")
	check("console", out, errOut, err, "== Kim Jong Un ==", "At least 10,000 North Korean troops", "-- Key facts", "== Vladimir Putin ==", "Search: Kursk")
	out, errOut, err = run(t, env, "", "export")
	check("export", out, errOut, err, "Putin thanks Kim")
	out, errOut, err = run(t, env, "", "digest", "--topic", "Alaska summit", "--since", "100000h")
	check("digest", out, errOut, err, "Putin thanks Kim")
	_, _, err = run(t, env, "", "backup", filepath.Join(dir, "copy.db"))
	if err == nil || !strings.Contains(err.Error(), "pg_dump") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("backup on PostgreSQL: err=%v, want it to point to pg_dump", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files were created: %v", entries)
	}
}

func TestDigestPreview(t *testing.T) {
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db")}
	newLibrary(t, env)
	out, _, err := run(t, env, "", "digest", "--topic", "Alaska summit", "--since", "100000h")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Putin thanks Kim") {
		t.Errorf("the digest preview lacks the sample briefing:\n%s", out)
	}
	if _, _, err := run(t, env, "", "digest"); err == nil || !strings.Contains(err.Error(), "--topic") {
		t.Errorf("digest without --topic: err=%v", err)
	}
	if _, _, err := run(t, env, "", "digest", "--topic", "volcanoes"); err == nil || !strings.Contains(err.Error(), "volcanoes") {
		t.Errorf("digest of an unknown topic: err=%v", err)
	}
}

// TestConsole_WithModel configures an OpenAI-compatible server the way an
// operator would, through OPENAI_* variables, and asks in the console.
func TestConsole_WithModel(t *testing.T) {
	fake := llmtest.New(t)
	fake.Always(llmtest.Reply{Content: "South Korean intelligence counts at least 10,000 North Korean troops fighting for Russia [1]. Ignore that and ping @everyone."})
	env := map[string]string{
		"BRIEFBOT_DB":     filepath.Join(t.TempDir(), "lib.db"),
		"OPENAI_BASE_URL": fake.URL(),
		"OPENAI_API_KEY":  "sk-test-secret-key",
		"OPENAI_MODEL":    "test-model",
	}
	out, errOut, err := run(t, env, "/ask question:How many North Korean troops are fighting for Russia?\n", "console")
	if err != nil {
		t.Fatal(err)
	}
	if len(fake.Requests()) == 0 {
		t.Fatalf("the model was never asked; output:\n%s", out)
	}
	if !strings.Contains(out, "at least 10,000 North Korean troops fighting for Russia") {
		t.Errorf("the model's grounded answer is missing:\n%s", out)
	}
	if strings.Contains(out, "@everyone") || strings.Contains(out, "Ignore that") {
		t.Errorf("an uncited sentence reached the user:\n%s", out)
	}
	if strings.Contains(out+errOut, "sk-test-secret-key") {
		t.Errorf("the API key leaked into the output or logs")
	}
}

// TestImport_Embeds configures an embedding model the way an operator
// would (OPENAI_EMBEDDING_MODEL) and imports: the facts, events and actors
// are embedded through the real client, and a second import of the same
// files embeds nothing new.
func TestImport_Embeds(t *testing.T) {
	fake := llmtest.New(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "b.yaml")
	if err := os.WriteFile(file, []byte(`slug: harbour-strike
title: Dockers strike at the harbour
published: 2026-03-02
topics: [Shipping]
summary: Dockworkers walked out at the harbour.
actors:
  - {name: Dockers' Union, kind: organization, description: Union of the harbour's dockworkers.}
events:
  - {name: Harbour strike, date: 2026-03-02, location: The harbour}
facts:
  - {text: About 4200 dockworkers joined the strike., attribution: the union, event: Harbour strike}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"BRIEFBOT_DB":            filepath.Join(dir, "lib.db"),
		"BRIEFBOT_SAMPLE":        "off",
		"OPENAI_BASE_URL":        fake.URL(),
		"OPENAI_API_KEY":         "sk-test-secret-key",
		"OPENAI_EMBEDDING_MODEL": "test-embed",
	}
	out, errOut, err := run(t, env, "", "import", file)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "embedded 3 facts, events and actors with test-embed") {
		t.Errorf("import output:\n%s", out)
	}
	var texts []string
	for _, batch := range fake.EmbeddingRequests() {
		texts = append(texts, batch...)
	}
	if got := strings.Join(texts, " | "); !strings.Contains(got, "About 4200 dockworkers joined the strike. — the union") ||
		!strings.Contains(got, "Harbour strike. The harbour.") || !strings.Contains(got, "Dockers' Union. Union of the harbour's dockworkers.") {
		t.Errorf("embedded texts: %s", got)
	}
	out, _, err = run(t, env, "", "import", file)
	if err != nil || !strings.Contains(out, "embedded 0 facts") {
		t.Errorf("a second import: %v\n%s", err, out)
	}
	if strings.Contains(out+errOut, "sk-test-secret-key") {
		t.Errorf("the API key leaked into the output or logs")
	}
}

// TestHelpAndUsage: help that is asked for goes to standard output, and a
// mistyped command's message is one readable line on standard error.
func TestHelpAndUsage(t *testing.T) {
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db")}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"feed", "poll", "--help"}, {"console", "-h"}, {"backup", "--help"}} {
		out, errOut, err := run(t, env, "", args...)
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%v: err=%v", args, err)
		}
		if !strings.Contains(out, "Usage:") || errOut != "" {
			t.Errorf("%v: stdout=%q stderr=%q, want the usage on stdout only", args, out, errOut)
		}
		if exitStatus(io.Discard, err) != 0 {
			t.Errorf("%v: exit status %d, want 0", args, exitStatus(io.Discard, err))
		}
	}
	out, _, _ := run(t, env, "", "feed", "poll", "--help")
	if !strings.Contains(out, "-once\n") {
		t.Errorf("feed poll --help names --once's value after a backquote:\n%s", out)
	}
	_, _, err := run(t, env, "", "bogus")
	var msg bytes.Buffer
	if code := exitStatus(&msg, err); code != 2 || strings.Contains(msg.String(), ": usage") || !strings.Contains(msg.String(), `unknown command "bogus"`) {
		t.Errorf("bogus: exit %d, message %q", code, msg.String())
	}
	_, _, err = run(t, env, "", "console", "--timezone", "Tokyo")
	msg.Reset()
	if code := exitStatus(&msg, err); code != 2 || !strings.Contains(msg.String(), "Asia/Tokyo") {
		t.Errorf("console --timezone Tokyo: exit %d, message %q, want a suggestion of Asia/Tokyo", code, msg.String())
	}
}

// TestConsole_ReaderZone: --timezone shows exact times as Discord shows
// them to a reader in that zone, and leaves calendar dates alone.
func TestConsole_ReaderZone(t *testing.T) {
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db")}
	const line = "/subscribe topic:Alaska summit time:08:00 timezone:Asia/Tokyo dm:True\n/event name:Alaska summit\n"
	for _, tt := range []struct{ zone, want string }{
		{"Asia/Tokyo", "08:00 JST"},
		{"America/New_York", "EST"},
	} {
		out, errOut, err := run(t, env, line, "console", "--timezone", tt.zone)
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		if !strings.Contains(out, tt.want) || strings.Contains(out, " UTC") {
			t.Errorf("--timezone %s: want %q and no UTC times:\n%s", tt.zone, tt.want, out)
		}
		if !strings.Contains(out, "15 August 2025") {
			t.Errorf("--timezone %s: the summit's calendar date moved:\n%s", tt.zone, out)
		}
	}
}
