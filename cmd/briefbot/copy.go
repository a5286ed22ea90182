package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"briefbot/db"
)

// copySynopsis is the copy command's usage line.
const copySynopsis = "--from sqlite:FILE|postgres://… --to sqlite:FILE|postgres://… [--replace]"

// runCopy implements `briefbot copy --from SOURCE --to DEST [--replace]`:
// it moves a whole library between SQLite and PostgreSQL (either way, or
// between two of one kind) with db.Copy, then exports every library of
// both and fails if any export differs.
func (m *Main) runCopy(ctx context.Context, args []string) error {
	fs := m.subFlags("copy", copySynopsis)
	from := fs.String("from", "", "the library to copy: sqlite:FILE (or a FILE) or a postgres:// URL")
	to := fs.String("to", "", "where to copy it: sqlite:FILE (or a FILE, created if missing) or a postgres:// URL")
	replace := fs.Bool("replace", false, "empty a destination that already holds a library, in the same transaction as the copy")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(rest) > 0 {
		return fmt.Errorf("copy takes no arguments (got %q); use --from and --to: %w", rest[0], errUsage)
	}
	if *from == "" || *to == "" {
		fs.Usage()
		return fmt.Errorf("copy needs both --from and --to: %w", errUsage)
	}
	srcPath, dstPath := storePath(*from), storePath(*to)
	srcName, dstName := db.DisplayName(srcPath), db.DisplayName(dstPath)
	if srcPath == dstPath {
		return fmt.Errorf("copy: --from and --to name the same library (%s): %w", srcName, errUsage)
	}
	if _, err := os.Stat(srcPath); !db.IsPostgresURL(srcPath) && errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("there is no library at %s to copy: check --from", srcName)
	}
	src, err := db.Open(ctx, srcPath)
	if err != nil {
		return fmt.Errorf("open the source library %s: %w", srcName, err)
	}
	defer src.Close()
	dst, err := db.Open(ctx, dstPath)
	if err != nil {
		return fmt.Errorf("open the destination %s: %w", dstName, err)
	}
	defer dst.Close()

	fmt.Fprintf(m.Stderr, "copying %s to %s\n", srcName, dstName)
	tables, err := db.Copy(ctx, src, dst, db.CopyOptions{Replace: *replace, Progress: func(table string, rows int64, done bool) {
		switch {
		case done:
			fmt.Fprintf(m.Stderr, "  %-20s %d rows\n", table, rows)
		case rows%50000 == 0:
			fmt.Fprintf(m.Stderr, "  %-20s %d rows so far\n", table, rows)
		}
	}})
	if errors.Is(err, db.ErrNotEmpty) {
		return fmt.Errorf("%s already holds a library and was left as it is: copy into an empty database, or add --replace to replace what it holds", dstName)
	}
	if err != nil {
		return fmt.Errorf("%w; %s was left as it was", err, dstName)
	}
	var rows int64
	for _, t := range tables {
		rows += t.Rows
	}
	fmt.Fprintf(m.Stderr, "copied %d rows of %d tables; comparing the exports\n", rows, len(tables))
	libs, briefingCount, err := compareExports(ctx, src, dst)
	if err != nil {
		return fmt.Errorf("%w: the copy at %s is not the same library as %s; do not use it (run the copy again with --replace once the cause is fixed)", err, dstName, srcName)
	}
	fmt.Fprintf(m.Stdout, "copied %s to %s: %d briefings in %d libraries, %d rows in all; both export the same\n",
		srcName, dstName, briefingCount, libs, rows)
	return nil
}

// storePath turns a --from or --to value into what db.Open takes: a
// postgres:// URL as it is, sqlite:FILE as FILE.
func storePath(s string) string {
	if db.IsPostgresURL(s) {
		return s
	}
	return strings.TrimPrefix(s, "sqlite:")
}

// compareExports exports every library of a and of b (the global one and
// each guild's) in the export command's format and returns an error naming
// the first library, and the first line, where they differ. It returns how
// many libraries and briefings were compared.
func compareExports(ctx context.Context, a, b *db.DB) (libs, total int, err error) {
	la, err := a.Libraries(ctx)
	if err != nil {
		return 0, 0, err
	}
	lb, err := b.Libraries(ctx)
	if err != nil {
		return 0, 0, err
	}
	all := append(la, lb...)
	slices.Sort(all)
	all = slices.Compact(all)
	for _, guild := range all {
		var ea, eb bytes.Buffer
		n, err := exportLibrary(ctx, a, &ea, guild, "")
		if err != nil {
			return 0, 0, err
		}
		if _, err := exportLibrary(ctx, b, &eb, guild, ""); err != nil {
			return 0, 0, err
		}
		if !bytes.Equal(ea.Bytes(), eb.Bytes()) {
			return 0, 0, fmt.Errorf("the exports of %s differ: %s", libraryName(guild), firstDifference(ea.String(), eb.String()))
		}
		total += n
	}
	return len(all), total, nil
}

// libraryName names a library in messages.
func libraryName(guild string) string {
	if guild == "" {
		return "the global library"
	}
	return "guild " + guild + "'s library"
}

// firstDifference describes the first line where two exports differ.
func firstDifference(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(la), len(lb)); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d is %q in the source and %q in the copy", i+1, x, y)
		}
	}
	return "they differ in length"
}
