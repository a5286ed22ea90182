package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"briefbot/db"
)

// runBackup implements `briefbot backup [--force] FILE`: an online copy of
// the library that is safe to take while the bot runs. It backs up only a
// library that exists, and replaces an existing FILE only with --force.
func (m *Main) runBackup(ctx context.Context, args []string) error {
	fs := m.subFlags("backup", "[--force] FILE")
	force := fs.Bool("force", false, "replace FILE if it already exists")
	files, err := parseFlags(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(files) != 1 {
		fs.Usage()
		return fmt.Errorf("backup needs exactly one destination file: %w", errUsage)
	}
	if db.IsPostgresURL(m.Config.DBPath) {
		return errors.New("briefbot backup copies a SQLite library; this library is on PostgreSQL: back it up with pg_dump " +
			"(for example pg_dump --format=custom --file=briefbot.dump DATABASE_URL) and restore it with pg_restore, see README.md")
	}
	if err := m.openExistingDB(ctx); err != nil {
		return err
	}
	dest := files[0]
	if err := m.DB.Backup(ctx, dest, db.BackupOptions{Overwrite: *force}); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s already exists and was left as it is: choose another file, or add --force to replace it", dest)
		}
		return err
	}
	fmt.Fprintf(m.Stderr, "backed up %s to %s (integrity check passed)\n", m.Config.DBPath, dest)
	return nil
}
