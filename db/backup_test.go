package db_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"briefbot/briefings"
	"briefbot/db"
)

// TestDB_BackupDuringWrites takes backups while a second connection to the
// same file keeps saving briefings, as the bot would while an operator runs
// `briefbot backup`. Every backup must open, pass integrity_check and hold
// a consistent library.
func TestDB_BackupDuringWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, path := mustOpen(t)
	mustSave(t, d, "", simple("Before the backup", briefings.DayOf(2025, 1, 1)))

	writer, err := db.Open(ctx, path) // a second handle, like the running bot
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var saved int
	var werr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			b := simple(fmt.Sprintf("Busy briefing %d", i), briefings.DayOf(2025, 2, 1+i%28))
			b.Body = strings.Repeat("Continuous writes fill pages. ", 200)
			if _, err := writer.SaveBriefings(ctx, "", []*briefings.Briefing{b}, "writer"); err != nil {
				werr = err
				return
			}
			saved++
		}
	}()

	dir := t.TempDir()
	for i := range 5 {
		dest := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		if err := d.Backup(ctx, dest, db.BackupOptions{}); err != nil {
			close(stop)
			wg.Wait()
			t.Fatalf("backup %d: %v", i, err)
		}
		if err := db.IntegrityCheck(ctx, dest); err != nil {
			t.Errorf("backup %d: %v", i, err)
		}
		copyDB, err := db.Open(ctx, dest)
		if err != nil {
			t.Fatalf("open backup %d: %v", i, err)
		}
		list, total, err := copyDB.Briefings(ctx, briefings.BriefingQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if total < 1 || len(list) != total {
			t.Errorf("backup %d holds %d briefings (listed %d)", i, total, len(list))
		}
		// Every briefing in the copy is whole: its search row came along.
		hits, err := copyDB.Search(ctx, briefings.SearchQuery{Text: "before the backup"})
		if err != nil || len(hits) == 0 {
			t.Errorf("backup %d: search for the first briefing: %v %v", i, hits, err)
		}
		copyDB.Close()
	}
	close(stop)
	wg.Wait()
	if werr != nil {
		t.Fatalf("writes failed during the backups: %v", werr)
	}
	if saved == 0 {
		t.Fatal("no write happened during the backups; the test proved nothing")
	}
	t.Logf("%d briefings saved while 5 backups were taken", saved)
}

func TestDB_BackupRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, path := mustOpen(t)
	if err := d.Backup(ctx, path, db.BackupOptions{Overwrite: true}); err == nil || !strings.Contains(err.Error(), "database itself") {
		t.Errorf("backup onto the database itself: err=%v", err)
	}
	if err := d.Backup(ctx, filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"), db.BackupOptions{}); err == nil {
		t.Error("backup into a missing directory succeeded")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("a temporary file was left behind: %s", e.Name())
		}
	}
}

// TestDB_BackupKeepsAnExistingFile: a backup never replaces a file already
// at its destination unless asked to, and then replaces it whole.
func TestDB_BackupKeepsAnExistingFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, _ := mustOpen(t)
	mustSave(t, d, "", simple("In the library", briefings.DayOf(2025, 1, 1)))
	dest := filepath.Join(t.TempDir(), "yesterday.db")
	if err := os.WriteFile(dest, []byte("yesterday's backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := d.Backup(ctx, dest, db.BackupOptions{})
	if !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), dest) {
		t.Fatalf("backup onto an existing file: err=%v, want one naming it and wrapping fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(dest); string(got) != "yesterday's backup" {
		t.Fatalf("the existing file was changed to %d bytes", len(got))
	}
	if err := d.Backup(ctx, dest, db.BackupOptions{Overwrite: true}); err != nil {
		t.Fatalf("backup with Overwrite: %v", err)
	}
	if err := db.IntegrityCheck(ctx, dest); err != nil {
		t.Fatalf("the overwritten backup: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("a temporary file was left behind: %s", e.Name())
		}
	}
}
