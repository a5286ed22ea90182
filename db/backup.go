package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mattn/go-sqlite3"
)

// BackupOptions adjusts Backup.
type BackupOptions struct {
	// Overwrite replaces a file already at the destination; without it
	// Backup refuses one (an error wrapping fs.ErrExist) and leaves it as
	// it is.
	Overwrite bool
}

// Backup copies the whole database to dest with SQLite's online backup API
// while the bot keeps running. The copy is taken in one step inside a read
// transaction, so it is a consistent snapshot and, in WAL mode, never blocks
// writers. It is written to a temporary file beside dest, checked with
// PRAGMA integrity_check, and only then given dest's name, so a failed backup
// never leaves a half-written file under dest's name. An existing dest is
// kept unless opts.Overwrite is set; the check and the naming are one step
// (a hard link, which fails when the name exists), so a file that appears
// meanwhile is not overwritten either.
func (db *DB) Backup(ctx context.Context, dest string, opts BackupOptions) error {
	if dest == "" {
		return errors.New("backup: destination required")
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if src, err := filepath.Abs(db.path); err == nil && src == abs {
		return fmt.Errorf("backup: %s is the database itself; choose another file", dest)
	}
	if !opts.Overwrite {
		if _, err := os.Lstat(abs); err == nil {
			return fmt.Errorf("backup: %s already exists: %w", dest, fs.ErrExist)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".tmp-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	// The copy keeps the source's WAL mode, so checking it leaves -wal and
	// -shm files beside it (empty: the check only reads); they go with it.
	defer func() {
		for _, p := range []string{tmpPath, tmpPath + "-wal", tmpPath + "-shm"} {
			os.Remove(p)
		}
	}()

	if err := db.copyTo(ctx, tmpPath); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	if err := IntegrityCheck(ctx, tmpPath); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	if opts.Overwrite {
		if err := os.Rename(tmpPath, abs); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		return nil
	}
	if err := os.Link(tmpPath, abs); errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("backup: %s already exists: %w", dest, fs.ErrExist)
	} else if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// copyTo runs the backup from one read connection into the file at path.
func (db *DB) copyTo(ctx context.Context, path string) error {
	dst, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		return err
	}
	defer dst.Close()
	dstConn, err := dst.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open copy: %w", err)
	}
	defer dstConn.Close()
	srcConn, err := db.readers.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open source: %w", err)
	}
	defer srcConn.Close()

	return dstConn.Raw(func(d any) error {
		return srcConn.Raw(func(s any) error {
			to, ok1 := d.(*sqlite3.SQLiteConn)
			from, ok2 := s.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return errors.New("not a go-sqlite3 connection")
			}
			bk, err := to.Backup("main", from, "main")
			if err != nil {
				return fmt.Errorf("start: %w", err)
			}
			// -1 copies every page in one step: one consistent snapshot.
			if _, err := bk.Step(-1); err != nil {
				bk.Finish()
				return fmt.Errorf("copy: %w", err)
			}
			if err := bk.Finish(); err != nil {
				return fmt.Errorf("finish: %w", err)
			}
			return nil
		})
	})
}

// IntegrityCheck opens the database file at path read-only and runs PRAGMA
// integrity_check, returning an error that lists what is wrong.
func IntegrityCheck(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	conn, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("integrity check: %w", err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check failed: %v", problems)
	}
	return nil
}
