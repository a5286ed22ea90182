package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/fileformat"
	"briefbot/db"
	"briefbot/internal/gen"
)

// TestImport_WritersDuringALargeImport runs `briefbot import` of 20,000
// generated briefings in a child process while a console moderator
// corrects a briefing and a second import starts. The import never holds
// the write lock for long, so the correction is saved while it runs; the
// second import says that one is running and waits; both imports end
// complete.
func TestImport_WritersDuringALargeImport(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("imports 20,000 briefings")
	}
	const guild, n = "700000000000000001", 20_000
	dir := t.TempDir()
	path := filepath.Join(dir, "lib.db")
	if _, _, err := run(t, nil, "", "--db", path, "import", "--guild", guild, writeFile(t, dir, "ferry.yaml", goodDoc)); err != nil {
		t.Fatalf("first import: %v", err)
	}
	// The generator's bodies make files that take minutes to decode;
	// without them the import still writes every briefing, fact, actor and
	// event. There are four files, imported together all or nothing.
	bs := gen.New(n).Next(n)
	files := []string{"--guild", guild}
	for k := 0; k < n; k += n / 4 {
		part := bs[k : k+n/4]
		for _, b := range part {
			b.Body = ""
		}
		var buf bytes.Buffer
		if err := fileformat.Encode(&buf, part); err != nil {
			t.Fatal(err)
		}
		files = append(files, writeFile(t, dir, fmt.Sprintf("big%d.yaml", k/(n/4)), buf.String()))
		t.Logf("generated %d briefings, %d MB", len(part), buf.Len()>>20)
	}
	small := writeFile(t, t.TempDir(), "small.yaml", strings.ReplaceAll(bigImportDocs(5), "Harbour", "Marina"))

	before := countGuildBriefings(t, path, guild) // the ferry and the sample library
	start := time.Now()
	first, _, firstOut := child(t, "import", "BRIEFBOT_TEST_ARGS=--db "+path+" import "+strings.Join(files, " "))
	waitForWithin(t, firstOut, "saving", 5*time.Minute)
	staging := func() int {
		conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var k int
		if err := conn.QueryRow(`SELECT coalesce(sum(briefings), -1) FROM import_stagings`).Scan(&k); err != nil {
			t.Fatal(err)
		}
		return k
	}
	firstDone := make(chan error, 1)
	go func() { firstDone <- first.Wait() }()
	// into saving: the import has staged its first briefings (on a loaded
	// machine decoding the first of them can take longer than a second)
	for deadline := time.Now().Add(2 * time.Minute); staging() < 1; time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-firstDone:
			t.Fatalf("the import ended before it staged anything: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the import staged nothing in two minutes")
		}
	}

	second, _, secondOut := child(t, "import", "BRIEFBOT_TEST_ARGS=--db "+path+" import --guild "+guild+" "+small)
	t0 := time.Now()
	out, errOut, err := run(t, nil, "/briefing correct briefing:ferry-strike-ends text:The strike lasted three days.\n",
		"--db", path, "console", "--guild", guild, "--moderator")
	took := time.Since(t0)
	if err != nil || !strings.Contains(out, "Added the correction") || strings.Contains(out+errOut, "went wrong") {
		t.Fatalf("the correction during the import (took %v): %v\n%s\n%s", took, err, out, errOut)
	}
	t.Logf("the correction took %v; the import had staged %d briefings by then", took.Round(time.Millisecond), staging())
	select {
	case <-firstDone:
		t.Fatalf("the import had finished before the correction was saved; the test proves nothing")
	default:
	}
	// A moderator waits at most about two of the import's transactions
	// (until it has seen another writer, it pauses after every other
	// one), plus the console's start, less than the 5 s busy timeout after
	// which a write gives up. A loaded machine stretches a transaction to
	// a second and more: a fresh-clone run took 3.7 s here.
	if took > 4500*time.Millisecond {
		t.Fatalf("the correction waited %v for the import", took)
	}
	waitFor(t, secondOut, "the library is busy, retrying")

	if err := <-firstDone; err != nil {
		t.Fatalf("the large import failed: %v", err)
	}
	t.Logf("the large import took %v", time.Since(start).Round(time.Millisecond))
	waitFor(t, firstOut, fmt.Sprintf("%d created", n))
	if err := second.Wait(); err != nil {
		t.Fatalf("the second import failed: %v", err)
	}
	waitFor(t, secondOut, "5 created")
	if got, want := countGuildBriefings(t, path, guild), before+n+5; got != want {
		t.Fatalf("%d briefings in the guild's library, want %d", got, want)
	}
	if k := staging(); k != -1 {
		t.Fatalf("a staging area is left behind (%d briefings)", k)
	}
}

// bigImportDocs is the text of bigImport's file of n briefings.
func bigImportDocs(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString("---\n")
		}
		fmt.Fprintf(&b, "title: Harbour report %d\npublished: 2025-07-%02d\ntopics: [Harbour reports]\nsummary: Report %d on the harbour's traffic.\n", i, 1+i%28, i)
	}
	return b.String()
}

// countGuildBriefings counts the briefings the guild sees: its own and the
// global library's.
func countGuildBriefings(t *testing.T, path, guild string) int {
	t.Helper()
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	_, n, err := d.Briefings(context.Background(), briefings.BriefingQuery{GuildID: guild,
		Statuses: []briefings.Status{briefings.StatusDraft, briefings.StatusPublished, briefings.StatusRetracted}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
