package main

import (
	"context"
	"fmt"
)

// runBackup implements `briefbot backup FILE`: an online copy of the
// library that is safe to take while the bot runs.
func (m *Main) runBackup(ctx context.Context, args []string) error {
	fs := m.subFlags("backup", "FILE")
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("backup needs exactly one destination file: %w", errUsage)
	}
	if err := m.openDB(ctx); err != nil {
		return err
	}
	dest := fs.Arg(0)
	if err := m.DB.Backup(ctx, dest); err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "backed up %s to %s (integrity check passed)\n", m.Config.DBPath, dest)
	return nil
}
