package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/mattn/go-sqlite3"

	"briefbot/briefings"
)

// A large import is staged: it saves up to stageMax briefings per
// transaction, each at most about stageBudget, so other writers (a moderator's correction)
// wait at most that long instead of for the whole import. Its new
// briefings are written under a hidden library, guild_id "staging:<id>",
// which no read asks for; briefings it updates are checked and their actors
// and events saved, but the briefings themselves are written at the end.
// Publishing moves the hidden briefings into the library and saves the
// updated ones in one short transaction. Until then what the import did to
// the library's actors, events and topics is logged (import_staged), so a
// failed import is undone, and an import whose process died (its heartbeat
// stops) is undone by the next import or the next start.

// stageChunk is the most briefings an import saves in one transaction
// without staging them, and how many a discard deletes per transaction.
const stageChunk = 250

// stampLayout is the fixed-width UTC time of import_stagings, which
// compares as text.
const stampLayout = "2006-01-02T15:04:05.000000000Z"

// stamp formats t for import_stagings.
func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

// stageMax is the most briefings one transaction of a staged import
// saves, and how many an Import gathers before it stages them;
// stageBudget bounds a transaction first on a slow machine.
const stageMax = 1000

// stageBudget is how long a transaction of a staged import goes on
// saving briefings before it commits, however few it has saved: on a busy
// machine 500 briefings can take seconds.
const stageBudget = 500 * time.Millisecond

// stagePause is the pause between two transactions of a staged import.
// SQLite's busy handler polls, sleeping up to 100 ms between tries; a
// pause longer than that lets a writer of another connection waiting for
// the lock have it before the next transaction takes it again.
const stagePause = 150 * time.Millisecond

// quietPauses is how often the import pauses while no other connection
// has written for othersGone: every quietPauses-th transaction, so that a
// writer that starts waiting gets in after at most that many. Once one
// has written (seen by SQLite's data_version), the import pauses after
// every transaction until othersGone has passed without another write.
// On PostgreSQL, whose writers wait for rows rather than the whole
// database, the import pauses after every transaction as well.
const quietPauses = 2

// othersGone is how long after another connection's last write the
// import goes on pausing after every transaction.
const othersGone = 10 * time.Second

// staleImport is how long a staged import may go without a transaction
// before it counts as abandoned and is swept away.
const staleImport = 2 * time.Minute

// ImportBriefings saves bs into guildID's library all or nothing, as
// SaveBriefings does, and records an import entry in the audit log for
// each briefing it creates or changes. More than stageChunk briefings are
// staged (see above). Only one import is saved at a time: another returns
// EBUSY, saying so.
func (db *DB) ImportBriefings(ctx context.Context, guildID string, bs []*briefings.Briefing, by string) ([]briefings.SaveOutcome, error) {
	im := db.NewImport(guildID, by)
	if err := im.Add(ctx, bs...); err != nil {
		return nil, im.fail(ctx, err)
	}
	return im.Commit(ctx)
}

// Import is an import saved as its briefings arrive, for imports too large
// to hold in memory: Add stages them in transactions of up to stageBudget,
// and Commit publishes them all or returns an error having saved nothing.
// An import of at most stageChunk briefings is saved by Commit in one
// transaction, as ImportBriefings saves it. After an error from Add, or
// when the caller gives up, Abort undoes what was staged.
//
// Only briefings the library does not have yet leave memory as they are
// staged; those that update a briefing are kept until Commit.
type Import struct {
	db          *DB
	guildID, by string
	pending     []added
	st          *staged
	last        time.Time // when the last chunk was committed
	// othersWrote is when another connection was last seen to have
	// written between two of the import's transactions, and chunks how
	// many transactions the import has committed.
	othersWrote time.Time
	chunks      int
	ended       bool
	// release puts back the writer's settings once staging is over.
	release func()
}

// NewImport starts an import into guildID's library, by whom. Nothing is
// written until stageChunk briefings have been added, or Commit.
func (db *DB) NewImport(guildID, by string) *Import {
	return &Import{db: db, guildID: guildID, by: by}
}

// Add adds briefings to the import, staging them in chunks once there
// are more than stageChunk. Problems with a briefing are reported by
// Commit; an error from Add (EBUSY when another import is being saved)
// means the import cannot go on, and Abort undoes it.
func (im *Import) Add(ctx context.Context, bs ...*briefings.Briefing) error {
	for _, b := range bs {
		im.pending = append(im.pending, added{b: b})
	}
	return im.stagePending(ctx)
}

// AddChecked adds briefings that briefings.Check passed, as Add does. The
// store does not run briefings.Validate on them again, only the checks
// that need the library (actors and events named but not declared, names
// and slugs that look like the library's).
func (im *Import) AddChecked(ctx context.Context, cs ...briefings.Checked) error {
	for _, c := range cs {
		im.pending = append(im.pending, added{b: c.Briefing(), checked: true})
	}
	return im.stagePending(ctx)
}

// stagePending stages the pending briefings in chunks once there are
// more than stageChunk.
func (im *Import) stagePending(ctx context.Context) error {
	if im.ended {
		return errors.New("import: already committed or aborted")
	}
	if im.st == nil {
		if len(im.pending) <= stageChunk {
			return nil
		}
		if err := im.db.SweepImports(ctx); err != nil {
			return err
		}
		id, err := im.db.beginStaging(ctx, im.guildID, im.by)
		if err != nil {
			return err
		}
		im.st = &staged{id: id, hidden: fmt.Sprintf("staging:%d", id), guildID: im.guildID, by: im.by, slugs: map[string]int{}}
		if im.release, err = im.db.holdBatchSettings(ctx); err != nil {
			return err
		}
	}
	for len(im.pending) >= stageMax {
		if err := im.stage(ctx); err != nil {
			return err
		}
	}
	return nil
}

// stage saves one chunk of the pending briefings, after a pause since the
// last one.
func (im *Import) stage(ctx context.Context) error {
	// Time spent decoding the next briefings counts towards the pause.
	if wait := stagePause - time.Since(im.last); !im.last.IsZero() && wait > 0 && im.pause() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
	st := im.st
	st.bs = im.pending
	st.outcomes = append(st.outcomes, make([]briefings.SaveOutcome, len(st.bs))...)
	n, others, err := im.db.stageChunk(ctx, st, 0)
	st.outcomes = st.outcomes[:st.base+n]
	if err != nil {
		return err
	}
	im.last = time.Now()
	im.chunks++
	if others {
		im.othersWrote = im.last
	}
	st.base += n
	rest := copy(im.pending, im.pending[n:])
	clear(im.pending[rest:])
	im.pending = im.pending[:rest]
	st.bs = nil
	return nil
}

// pause reports whether the import pauses before its next transaction
// (see quietPauses).
func (im *Import) pause() bool {
	return im.db.pg || time.Since(im.othersWrote) < othersGone || im.chunks%quietPauses == 0
}

// Commit saves what remains and publishes the import, all or nothing: a
// *briefings.BatchError lists the briefings with problems, indexed in the
// order they were added, and nothing is imported then.
func (im *Import) Commit(ctx context.Context) ([]briefings.SaveOutcome, error) {
	if im.ended {
		return nil, errors.New("import: already committed or aborted")
	}
	if im.st == nil {
		im.ended = true
		return im.db.saveBatch(ctx, im.guildID, im.pending, im.by, true)
	}
	for len(im.pending) > 0 {
		if err := im.stage(ctx); err != nil {
			return nil, im.fail(ctx, err)
		}
	}
	im.releaseSettings()
	st := im.st
	if len(st.batch.Items) > 0 {
		return nil, im.fail(ctx, &st.batch)
	}
	if err := im.db.publishStaging(ctx, st); err != nil {
		return nil, im.fail(ctx, err)
	}
	im.ended = true
	return st.outcomes, nil
}

// fail aborts the import after err and returns err, joined with any error
// undoing it.
func (im *Import) fail(ctx context.Context, err error) error {
	if aerr := im.Abort(ctx); aerr != nil {
		return errors.Join(err, aerr)
	}
	return err
}

// Abort undoes what the import staged; it does nothing after Commit
// succeeded or when nothing was staged.
func (im *Import) Abort(ctx context.Context) error {
	if im.ended {
		return nil
	}
	im.ended = true
	im.pending = nil
	im.releaseSettings()
	if im.st == nil {
		return nil
	}
	return im.db.discardStaging(context.WithoutCancel(ctx), im.st.id)
}

// releaseSettings puts back the writer's settings, once.
func (im *Import) releaseSettings() {
	if im.release != nil {
		im.release()
		im.release = nil
	}
}

// staged is the state of one staged import.
type staged struct {
	id          int64
	hidden      string // guild_id of its hidden briefings
	guildID, by string
	// bs are the briefings being staged; bs[0] is briefing base of the
	// import.
	bs       []added
	base     int
	outcomes []briefings.SaveOutcome // by index in the import
	slugs    map[string]int          // slug → index of the first briefing with it
	// updates are the briefings the library already has, normalized,
	// saved when the import is published.
	updates []update
	batch   briefings.BatchError
	// dataVersion is SQLite's data_version in the import's last
	// transaction, 0 before the first, and changes the writer
	// connection's total_changes() when that transaction ended.
	dataVersion, changes int64
	// seen and looks are what the last transaction's saver knew of the
	// library's names (import_cache.go, confusable.go), which the next
	// one starts from when nothing else has written since (SQLite only):
	// read again for every transaction, the skeletons of the library's
	// slugs took a scan of all of them.
	seen  lookups
	looks *lookalikes
}

// update is a briefing of an import that the library already has.
type update struct {
	i       int
	n       *briefings.Briefing
	checked bool
}

// beginStaging registers an import, or returns EBUSY when another one is
// being saved.
func (db *DB) beginStaging(ctx context.Context, guildID, by string) (int64, error) {
	now, _ := db.now()
	at := stamp(now)
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return 0, busy(err, "import: begin")
	}
	defer tx.Rollback()
	if err := checkNoImport(ctx, tx, now); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO import_stagings (guild_id, by, started_at, heartbeat_at, host, pid) VALUES (?, ?, ?, ?, ?, ?)`,
		guildID, by, at, at, hostname(), os.Getpid())
	if err != nil {
		return 0, fmt.Errorf("import: register: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, busy(err, "import: register")
	}
	return id, nil
}

// checkNoImport returns EBUSY when another import is being staged.
func checkNoImport(ctx context.Context, q querier, now time.Time) error {
	live, _, err := stagings(ctx, q, now)
	if err != nil || len(live) == 0 {
		return err
	}
	return briefings.Errorf(briefings.EBUSY, "Another import is being saved (started %s UTC, %d briefings so far). Nothing was imported; try again when it has finished.",
		live[0].started.Format("15:04"), live[0].briefings)
}

// staging is a row of import_stagings.
type staging struct {
	id        int64
	started   time.Time
	briefings int
}

// stagings returns the imports being staged by a live process, and the
// ids of those whose process has died: one on this machine whose process
// is gone, or any that has made no progress for staleImport.
func stagings(ctx context.Context, q querier, now time.Time) (live []staging, dead []int64, err error) {
	rows, err := q.QueryContext(ctx, `SELECT id, started_at, briefings, heartbeat_at < ?, host, pid FROM import_stagings ORDER BY id`,
		stamp(now.Add(-staleImport)))
	if err != nil {
		return nil, nil, fmt.Errorf("imports being saved: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st staging
		var started, host string
		var stale bool
		var pid int
		if err := rows.Scan(&st.id, &started, &st.briefings, &stale, &host, &pid); err != nil {
			return nil, nil, fmt.Errorf("imports being saved: %w", err)
		}
		st.started, _ = time.Parse(stampLayout, started)
		if stale || (host == hostname() && !alive(pid)) {
			dead = append(dead, st.id)
		} else {
			live = append(live, st)
		}
	}
	return live, dead, rows.Err()
}

// stageChunk saves briefings st.bs[from:] in one transaction, at most
// stageMax of them and for about stageBudget, and returns the index of the
// next one, and whether another connection wrote to the database since
// the import's previous transaction (SQLite only).
func (db *DB) stageChunk(ctx context.Context, st *staged, from int) (next int, others bool, err error) {
	now, at := db.now()
	// Statements run without ctx's cancellation, which cost a goroutine
	// per statement in database/sql and go-sqlite3; the loop below checks
	// ctx between briefings instead, and an error rolls everything back.
	done := ctx.Err
	ctx = context.WithoutCancel(ctx)
	// The import holds the batch settings (holdBatchSettings).
	conn, err := db.writer.Conn(ctx)
	if err != nil {
		return 0, false, busy(err, "import")
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, busy(err, "import: begin")
	}
	t0 := time.Now()
	defer tx.Rollback()
	// Audit entries are written with the briefings, hidden with them (see
	// AuditLog), so publishing has none to write.
	s := &saver{pg: db.pg, tx: tx, guildID: st.guildID, by: st.by, at: at, batch: &queued{}, staging: st.hidden, undo: &undoLog{},
		auditCreated: true}
	if err := s.deferForeignKeys(ctx); err != nil {
		return 0, false, err
	}
	if !db.pg {
		// data_version changes when another connection commits; the
		// import's own commits leave it as it is. total_changes() counts
		// the rows the writer's connection changed, the import's and
		// those of other writes of this process through it.
		var v, changes int64
		if err := tx.QueryRowContext(ctx, `SELECT data_version, total_changes() FROM pragma_data_version`).Scan(&v, &changes); err != nil {
			return 0, false, fmt.Errorf("import: data version: %w", err)
		}
		others = st.dataVersion != 0 && v != st.dataVersion
		if st.dataVersion != 0 && !others && changes == st.changes {
			s.seen, s.looks = st.seen, st.looks
		}
		st.dataVersion, st.seen, st.looks = v, lookups{}, nil
	}
	to := from
	prep := st.prepare(from, min(len(st.bs)-from, stageMax))
	for ; to < len(st.bs) && to-from < stageMax && (to == from || time.Since(t0) < stageBudget); to++ {
		if err := done(); err != nil {
			prep.end()
			return 0, false, err
		}
		prep.next(to)
		if err := s.stageOne(ctx, st, to); err != nil {
			prep.end()
			return 0, false, err
		}
	}
	prep.end()
	if err := s.flush(ctx); err != nil {
		return 0, false, err
	}
	if err := s.undo.write(ctx, s, st.id); err != nil {
		return 0, false, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE import_stagings SET heartbeat_at = ?, briefings = briefings + ? WHERE id = ?`, stamp(now), to-from, st.id)
	if err != nil {
		return 0, false, fmt.Errorf("import: heartbeat: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, false, fmt.Errorf("import: its staging area was swept away as abandoned (no progress for %v)", staleImport)
	}
	var changes int64
	if !db.pg {
		if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&changes); err != nil {
			return 0, false, fmt.Errorf("import: changes: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, false, busy(err, "import: commit")
	}
	if !db.pg {
		st.changes, st.seen, st.looks = changes, s.seen, s.looks
	}
	return to, others, nil
}

// stageOne checks briefing st.bs[j] of the import and saves it into the
// hidden library, or, when the library has its slug, saves its actors and
// events and leaves the briefing for publishStaging.
func (s *saver) stageOne(ctx context.Context, st *staged, j int) error {
	a, i := st.bs[j], st.base+j
	b := a.b
	if b == nil {
		st.batch.Items = append(st.batch.Items, briefings.ItemError{Index: i, Fields: []briefings.FieldError{{Field: "briefing", Message: "is empty"}}})
		return nil
	}
	n := a.normalized(st.guildID)
	name := n.Slug
	if name == "" {
		name = briefings.Truncate(n.Title, 60)
	}
	if prev, ok := st.slugs[n.Slug]; ok && n.Slug != "" {
		fields := []briefings.FieldError{{Field: "slug",
			Message: fmt.Sprintf("%q is also the slug of briefing %d in this batch; give each briefing its own slug", n.Slug, prev+1)}}
		if !a.checked {
			if verr := briefings.Validate(n); verr != nil {
				fields = append(fields, verr.Fields...)
			}
		}
		st.batch.Items = append(st.batch.Items, briefings.ItemError{Index: i, Slug: name, Fields: fields})
		return nil
	}
	st.slugs[n.Slug] = i
	var exists int
	err := s.QueryRowContext(ctx, `SELECT count(*) FROM briefings WHERE guild_id = ? AND slug = ?`, st.guildID, n.Slug).Scan(&exists)
	if err != nil {
		return fmt.Errorf("import %q: %w", n.Slug, err)
	}
	var fields []briefings.FieldError
	if exists > 0 {
		if fields, err = s.validate(ctx, n, a.checked); err == nil && len(fields) == 0 {
			_, err = s.entities(ctx, n)
		}
		st.updates = append(st.updates, update{i: i, n: n, checked: a.checked})
	} else {
		s.prepared = added{n: n, snap: a.snap}
		fields, st.outcomes[i], err = s.one(ctx, n, a.checked)
		s.prepared = added{}
	}
	if err != nil {
		return conflict(err, "import %q", n.Slug)
	}
	if len(fields) > 0 {
		st.batch.Items = append(st.batch.Items, briefings.ItemError{Index: i, Slug: name, Fields: fields})
	}
	return nil
}

// publishStaging saves the briefings the import updates and moves its
// hidden briefings into the library, in one transaction.
func (db *DB) publishStaging(ctx context.Context, st *staged) error {
	_, at := db.now()
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return busy(err, "import: publish: begin")
	}
	defer tx.Rollback()
	var live int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM import_stagings WHERE id = ?`, st.id).Scan(&live); err != nil || live == 0 {
		return fmt.Errorf("import: publish: its staging area was swept away as abandoned (%v)", err)
	}
	var clashes []string
	if err := eachRow(ctx, tx, `SELECT h.slug FROM briefings h JOIN briefings b ON b.guild_id = ? AND b.slug = h.slug
		WHERE h.guild_id = ? ORDER BY h.slug LIMIT 5`, []any{st.guildID, st.hidden}, func(rows *sql.Rows) error {
		var slug string
		clashes = append(clashes, slug)
		return rows.Scan(&clashes[len(clashes)-1])
	}); err != nil {
		return fmt.Errorf("import: publish: %w", err)
	}
	if len(clashes) > 0 {
		return briefings.Errorf(briefings.ECONFLICT, "While the import was being saved, briefings with these slugs were added to the library: %s. Nothing was imported; run it again.",
			strings.Join(clashes, ", "))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE briefings SET guild_id = ? WHERE guild_id = ?`, st.guildID, st.hidden); err != nil {
		return conflict(err, "import: publish")
	}
	s := &saver{pg: db.pg, tx: tx, guildID: st.guildID, by: st.by, at: at}
	for _, u := range st.updates {
		i, n := u.i, u.n
		before, err := s.snapshotOf(ctx, n.Slug)
		if err != nil {
			return err
		}
		fields, out, err := s.one(ctx, n, u.checked)
		if err != nil {
			return err
		}
		if len(fields) > 0 {
			st.batch.Items = append(st.batch.Items, briefings.ItemError{Index: i, Slug: n.Slug, Fields: fields})
			continue
		}
		st.outcomes[i] = out
		if out.Action != "unchanged" {
			if err := s.audit(ctx, briefings.AuditImport, n.Slug, before, ""); err != nil {
				return err
			}
		}
	}
	if len(st.batch.Items) > 0 {
		return &st.batch
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM import_stagings WHERE id = ?`, st.id); err != nil {
		return fmt.Errorf("import: publish: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return busy(conflict(err, "import: publish: commit"), "import: publish")
	}
	return nil
}

// SweepImports undoes the staged imports whose process has died: one on
// this machine whose process is gone, or any that has made no progress for
// staleImport. Open and every large import call it, so an abandoned import
// leaves nothing behind.
func (db *DB) SweepImports(ctx context.Context) error {
	now, _ := db.now()
	_, dead, err := stagings(ctx, db.writer, now)
	if err != nil {
		return fmt.Errorf("sweep abandoned imports: %w", err)
	}
	for _, id := range dead {
		if err := db.discardStaging(ctx, id); err != nil {
			return fmt.Errorf("sweep abandoned import %d: %w", id, err)
		}
	}
	return nil
}

// hostname names this machine in import_stagings.
func hostname() string {
	h, _ := os.Hostname()
	return h
}

// alive reports whether a process with the id runs on this machine.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// discardStaging deletes a staged import's hidden briefings, stageChunk at a
// time, then undoes its changes to the library in one transaction.
func (db *DB) discardStaging(ctx context.Context, id int64) error {
	hidden := fmt.Sprintf("staging:%d", id)
	for more := true; more; {
		var err error
		if more, err = db.discardChunk(ctx, hidden); err != nil {
			return err
		}
	}
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return busy(err, "discard import: begin")
	}
	defer tx.Rollback()
	if err := undoStaged(ctx, tx, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM import_stagings WHERE id = ?`, id); err != nil {
		return fmt.Errorf("discard import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return busy(err, "discard import: commit")
	}
	return nil
}

// discardChunk deletes up to stageChunk hidden briefings of a staged import
// and their audit entries, and reports whether it found any.
func (db *DB) discardChunk(ctx context.Context, hidden string) (bool, error) {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return false, busy(err, "discard import: begin")
	}
	defer tx.Rollback()
	var ids []any
	if err := eachRow(ctx, tx, `SELECT id FROM briefings WHERE guild_id = ? LIMIT ?`, []any{hidden, stageChunk}, func(rows *sql.Rows) error {
		var id int64
		err := rows.Scan(&id)
		ids = append(ids, id)
		return err
	}); err != nil || len(ids) == 0 {
		return false, err
	}
	in := `(` + placeholders(len(ids)) + `)`
	if _, err := tx.ExecContext(ctx, `DELETE FROM audit_log WHERE briefing_id IN `+in, ids...); err != nil {
		return false, fmt.Errorf("discard import: audit: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM briefings WHERE id IN `+in, ids...); err != nil {
		return false, fmt.Errorf("discard import: %w", err)
	}
	return true, busy(tx.Commit(), "discard import: commit")
}

// busy turns SQLite's "database is locked" into EBUSY for people, and
// wraps anything else with context.
func busy(err error, context string) error {
	if err == nil || briefings.ErrorCode(err) != briefings.EINTERNAL {
		return err
	}
	if isBusy(err) {
		return fmt.Errorf("%s: %w: %w", context, errBusy, err)
	}
	return fmt.Errorf("%s: %w", context, err)
}

// errBusy is the EBUSY error a write returns when another write, such as
// an import, kept the library locked for longer than busyTimeout.
var errBusy = briefings.Errorf(briefings.EBUSY, "The library is busy saving other changes, such as an import. Nothing was saved; try again in a moment.")

// isBusy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED, or
// PostgreSQL giving up on a lock.
func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) || pgBusy(err)
}
