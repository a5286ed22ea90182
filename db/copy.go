package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// copyTables are the tables Copy carries from one store to another, in an
// order that inserts a row after the rows it refers to. briefing_actors
// comes before event_participants and briefing_events: inserting into
// those two makes the schema's triggers add the participants of an event
// to the briefings that mention it, which the copied briefing_actors
// already hold, so the triggers add nothing.
var copyTables = []string{
	"topics", "topic_aliases",
	"briefings", "briefing_topics", "corrections", "briefing_versions",
	"actors", "actor_names", "actors_fts",
	"events", "briefing_actors", "event_participants", "briefing_events",
	"facts", "fact_actors",
	"audit_log", "guild_settings", "form_drafts",
	"subscriptions", "digests", "outbox",
	"answer_feedback", "feeds", "feed_items", "record_vectors", "reading_rooms",
}

// copyLeftOut are the tables of a store that Copy does not carry, and why:
// the destination keeps its own schema_migrations and counts its own
// library_version (its triggers count the copied rows), and an import in
// progress is not copied (Copy refuses to start while one is staged).
// SQLite's FTS5 indexes of briefings, facts and events are rebuilt by the
// destination's triggers, and PostgreSQL's search columns are generated.
var copyLeftOut = []string{
	"schema_migrations", "library_version", "import_stagings", "import_staged",
	"briefings_fts", "facts_fts", "events_fts",
}

// copyTransient are columns that hold no one's work: the leases that the
// processes sharing the source give each other on pending deliveries
// (PostgreSQL only) and due feeds. They are left behind, and the
// destination starts them empty, free for its own processes.
var copyTransient = map[string]bool{
	"outbox.leased_until": true, "outbox.leased_by": true,
	"feeds.leased_until": true, "feeds.leased_by": true,
}

// CopyOptions are the options of Copy.
type CopyOptions struct {
	// Replace empties a destination that already holds a library, in the
	// same transaction as the copy; without it Copy refuses such a
	// destination.
	Replace bool
	// Progress, when set, is called as rows are copied: the table, the
	// rows of it copied so far and whether the table is done.
	Progress func(table string, rows int64, done bool)
}

// CopyTable is how many rows of one table Copy carried.
type CopyTable struct {
	Name string
	Rows int64
}

// ErrNotEmpty is returned by Copy for a destination that already holds a
// library when CopyOptions.Replace is not set.
var ErrNotEmpty = errors.New("the destination already holds a library")

// copyBatch is the most rows one INSERT carries, and copyMaxArgs the most
// arguments (SQLite allows 32,766, PostgreSQL 65,535).
const (
	copyBatch   = 500
	copyMaxArgs = 30000
)

// Copy copies everything src holds (briefings with their versions,
// corrections, actors, events, facts and topics, and the curation around
// them: settings, drafts, subscriptions, digests and deliveries, feeds,
// feedback, the audit log, reading rooms and stored vectors) into dst,
// keeping every id, so links and citations stay valid. src and dst may be
// SQLite or PostgreSQL, in either direction.
//
// The source is read in one snapshot and the destination written in one
// transaction: either everything is copied or nothing is. Before it
// commits, Copy checks that the destination holds as many rows of each
// table as were read. On PostgreSQL it then moves the sequences that give
// out rowids past the copied ones.
func Copy(ctx context.Context, src, dst *DB, opts CopyOptions) ([]CopyTable, error) {
	if src == dst || src.path == dst.path {
		return nil, errors.New("copy: the source and the destination are the same library")
	}
	if err := checkCopyTables(ctx, src, "source"); err != nil {
		return nil, err
	}
	if err := checkCopyTables(ctx, dst, "destination"); err != nil {
		return nil, err
	}
	rtx, err := src.readers.BeginTx(ctx, snapshotOptions(src))
	if err != nil {
		return nil, fmt.Errorf("copy: read the source: %w", err)
	}
	defer rtx.Rollback()
	var staged int
	if err := rtx.QueryRowContext(ctx, `SELECT count(*) FROM import_stagings`).Scan(&staged); err != nil {
		return nil, fmt.Errorf("copy: look for imports in progress: %w", err)
	}
	if staged > 0 {
		return nil, errors.New("copy: an import is in progress in the source library; copy it when the import has finished")
	}

	wtx, err := dst.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("copy: write the destination: %w", err)
	}
	defer wtx.Rollback()
	if err := deferForeignKeys(ctx, wtx, dst.pg); err != nil {
		return nil, err
	}
	holds, err := holdsLibrary(ctx, wtx)
	if err != nil {
		return nil, err
	}
	if holds != "" && !opts.Replace {
		return nil, fmt.Errorf("copy: %w (%s has rows)", ErrNotEmpty, holds)
	}
	if holds != "" {
		if err := emptyLibrary(ctx, wtx); err != nil {
			return nil, err
		}
	}
	var out []CopyTable
	for _, t := range copyTables {
		n, err := copyTable(ctx, rtx, src.pg, wtx, dst.pg, t, opts.Progress)
		if err != nil {
			return nil, err
		}
		var got int64
		if err := wtx.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&got); err != nil {
			return nil, fmt.Errorf("copy: count %s: %w", t, err)
		}
		if got != n {
			return nil, fmt.Errorf("copy: %s: read %d rows from the source, the destination holds %d; nothing was copied", t, n, got)
		}
		out = append(out, CopyTable{Name: t, Rows: n})
	}
	if dst.pg {
		if err := resetSequences(ctx, wtx); err != nil {
			return nil, err
		}
		// PostgreSQL plans by the tables' statistics, which autovacuum
		// gathers only some time after the copy commits; until then its
		// plans are far off (/actor took 1.3 s instead of 29 ms on a
		// 10k library copied 20 s before).
		if _, err := wtx.ExecContext(ctx, `ANALYZE `+strings.Join(copyTables, ", ")); err != nil {
			return nil, fmt.Errorf("copy: analyze: %w", err)
		}
	}
	if err := wtx.Commit(); err != nil {
		return nil, fmt.Errorf("copy: commit: %w", err)
	}
	dst.forget("") // every setting may have changed
	return out, nil
}

// snapshotOptions reads every table of one store as of one moment: a
// SQLite read transaction is one snapshot already, PostgreSQL's needs
// REPEATABLE READ.
func snapshotOptions(db *DB) *sql.TxOptions {
	if db.pg {
		return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return nil
}

// deferForeignKeys checks foreign keys at commit instead of at each row.
func deferForeignKeys(ctx context.Context, tx *sql.Tx, pg bool) error {
	q := `PRAGMA defer_foreign_keys = ON`
	if pg {
		q = `SET CONSTRAINTS ALL DEFERRED`
	}
	if _, err := tx.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("copy: defer foreign keys: %w", err)
	}
	return nil
}

// checkCopyTables refuses a store with a table Copy neither carries nor
// knows to leave out: a library made by a newer briefbot, whose rows this
// one would lose.
func checkCopyTables(ctx context.Context, db *DB, which string) error {
	names, err := storeTables(ctx, db)
	if err != nil {
		return fmt.Errorf("copy: list the tables of the %s: %w", which, err)
	}
	for _, n := range names {
		if !slices.Contains(copyTables, n) && !slices.Contains(copyLeftOut, n) {
			return fmt.Errorf("copy: the %s has a table this briefbot does not know (%s): copy it with the briefbot that made it", which, n)
		}
	}
	return nil
}

// storeTables lists the tables of a store, leaving out SQLite's own and
// the tables behind its FTS5 indexes.
func storeTables(ctx context.Context, db *DB) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
		AND name NOT LIKE '%\_fts\_%' ESCAPE '\' ORDER BY name`
	if db.pg {
		q = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`
	}
	rows, err := db.readers.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// holdsLibrary returns the first table that has rows, or "" for an empty
// library.
func holdsLibrary(ctx context.Context, tx *sql.Tx) (string, error) {
	for _, t := range append(slices.Clone(copyTables), "import_stagings") {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+t+` LIMIT 1`).Scan(&one)
		if err == nil {
			return t, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("copy: look into the destination's %s: %w", t, err)
		}
	}
	return "", nil
}

// emptyLibrary deletes every row Copy would write, and any staged import,
// children first.
func emptyLibrary(ctx context.Context, tx *sql.Tx) error {
	tables := append([]string{"import_staged", "import_stagings"}, copyTables...)
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+tables[i]); err != nil {
			return fmt.Errorf("copy: empty the destination's %s: %w", tables[i], err)
		}
	}
	return nil
}

// column is one column of a table as Copy sees it.
type column struct {
	name string
	// implicit marks SQLite's rowid of a table without an INTEGER PRIMARY
	// KEY: copied when the other side has a rowid column, and left
	// behind otherwise.
	implicit bool
	blob     bool
}

// tableColumns returns the columns of table that hold data: not the
// generated ones (PostgreSQL's search columns, briefings.rowid) nor an FTS5
// table's hidden ones, and on SQLite the rowid where the table has one of
// its own.
func tableColumns(ctx context.Context, q querier, pg bool, table string) ([]column, error) {
	var out []column
	if pg {
		rows, err := q.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'
			ORDER BY ordinal_position`, table)
		if err != nil {
			return nil, fmt.Errorf("copy: columns of %s: %w", table, err)
		}
		defer rows.Close()
		for rows.Next() {
			var name, typ string
			if err := rows.Scan(&name, &typ); err != nil {
				return nil, fmt.Errorf("copy: columns of %s: %w", table, err)
			}
			out = append(out, column{name: name, blob: typ == "bytea"})
		}
		return out, rows.Err()
	}
	rows, err := q.QueryContext(ctx, `SELECT name, upper(type), pk FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid`, table)
	if err != nil {
		return nil, fmt.Errorf("copy: columns of %s: %w", table, err)
	}
	defer rows.Close()
	aliased := false
	pks := 0
	for rows.Next() {
		var name, typ string
		var pk int
		if err := rows.Scan(&name, &typ, &pk); err != nil {
			return nil, fmt.Errorf("copy: columns of %s: %w", table, err)
		}
		if pk > 0 {
			pks++
			aliased = typ == "INTEGER"
		}
		out = append(out, column{name: name, blob: typ == "BLOB"})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("copy: columns of %s: %w", table, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("copy: the table %s is missing", table)
	}
	if !aliased || pks != 1 {
		out = append([]column{{name: "rowid", implicit: true}}, out...)
	}
	return out, nil
}

// copyColumns matches the source's columns of a table with the
// destination's, leaving out the transient ones. A column of the source
// the destination lacks is an error (its data would be lost) unless it is
// SQLite's implicit rowid.
func copyColumns(table string, from, to []column) ([]column, error) {
	var out []column
	for _, c := range from {
		if copyTransient[table+"."+c.name] {
			continue
		}
		i := slices.IndexFunc(to, func(d column) bool { return d.name == c.name })
		if i < 0 {
			if c.implicit {
				continue
			}
			return nil, fmt.Errorf("copy: the destination's %s has no column %s to hold the source's", table, c.name)
		}
		c.blob = c.blob || to[i].blob
		out = append(out, c)
	}
	return out, nil
}

// copyTable streams the rows of table from the source's snapshot into the
// destination's transaction, in batches of multi-row INSERTs, and returns
// how many it copied.
func copyTable(ctx context.Context, rtx *sql.Tx, srcPG bool, wtx *sql.Tx, dstPG bool, table string, progress func(string, int64, bool)) (int64, error) {
	from, err := tableColumns(ctx, rtx, srcPG, table)
	if err != nil {
		return 0, err
	}
	to, err := tableColumns(ctx, wtx, dstPG, table)
	if err != nil {
		return 0, err
	}
	cols, err := copyColumns(table, from, to)
	if err != nil {
		return 0, err
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	list := strings.Join(names, ", ")
	order := "rowid"
	if slices.ContainsFunc(cols, func(c column) bool { return c.name == "id" }) {
		order = "id"
	} else if !slices.ContainsFunc(cols, func(c column) bool { return c.name == "rowid" }) {
		order = list
	}
	rows, err := rtx.QueryContext(ctx, `SELECT `+list+` FROM `+table+` ORDER BY `+order)
	if err != nil {
		return 0, fmt.Errorf("copy: read %s: %w", table, err)
	}
	defer rows.Close()
	per := min(copyBatch, copyMaxArgs/len(cols))
	batch := make([]any, 0, per*len(cols))
	var n int64
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		k := len(batch) / len(cols)
		row := "(" + placeholders(len(cols)) + ")"
		q := `INSERT INTO ` + table + ` (` + list + `) VALUES ` + strings.Repeat(row+", ", k-1) + row
		if _, err := wtx.ExecContext(ctx, q, batch...); err != nil {
			return fmt.Errorf("copy: write %s: %w", table, err)
		}
		n += int64(k)
		batch = batch[:0]
		if progress != nil {
			progress(table, n, false)
		}
		return nil
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, fmt.Errorf("copy: read %s: %w", table, err)
		}
		for i, v := range vals {
			// Text may come back as bytes; only a blob column is sent as
			// bytes (PostgreSQL would take them as bytea).
			if b, ok := v.([]byte); ok && !cols[i].blob {
				v = string(b)
			}
			batch = append(batch, v)
		}
		if len(batch) == per*len(cols) {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("copy: read %s: %w", table, err)
	}
	if err := flush(); err != nil {
		return 0, err
	}
	if progress != nil {
		progress(table, n, true)
	}
	return n, nil
}

// sequenceDefault finds the sequence in a column default such as
// nextval('feed_items_rowid_seq'::regclass) or
// next_rowid('actor_names_rowid'::regclass).
var sequenceDefault = regexp.MustCompile(`^(?:nextval|next_rowid)\('([^']+)'::regclass\)$`)

// resetSequences moves every sequence behind a column default past the
// largest value of its column, so that the rows written after a copy get
// rowids of their own.
func resetSequences(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name, column_default FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_default IS NOT NULL ORDER BY table_name, column_name`)
	if err != nil {
		return fmt.Errorf("copy: list sequences: %w", err)
	}
	type seq struct{ table, column, name string }
	var seqs []seq
	for rows.Next() {
		var s seq
		var def string
		if err := rows.Scan(&s.table, &s.column, &def); err != nil {
			rows.Close()
			return fmt.Errorf("copy: list sequences: %w", err)
		}
		if m := sequenceDefault.FindStringSubmatch(def); m != nil {
			s.name = m[1]
			seqs = append(seqs, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("copy: list sequences: %w", err)
	}
	for _, s := range seqs {
		q := `SELECT setval('` + s.name + `', coalesce((SELECT max(` + s.column + `) FROM ` + s.table + `), 0) + 1, false)`
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("copy: move the sequence %s past %s.%s: %w", s.name, s.table, s.column, err)
		}
	}
	return nil
}

// Libraries returns the libraries the store holds briefings of: "" for the
// global one and the IDs of the guilds with their own, in order.
func (db *DB) Libraries(ctx context.Context) ([]string, error) {
	rows, err := db.readers.QueryContext(ctx, `SELECT DISTINCT guild_id FROM briefings ORDER BY guild_id`)
	if err != nil {
		return nil, fmt.Errorf("list libraries: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			return nil, fmt.Errorf("list libraries: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
