package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync/atomic"

	"briefbot/briefings"
	"briefbot/briefings/fileformat"
	"briefbot/db"
)

// importGoMemory is the soft limit of the Go runtime's memory while an
// import runs (runtime/debug.SetMemoryLimit); SQLite's page cache and
// statements come on top of it.
const importGoMemory = 128 << 20

// decoded is a briefing read from a file, and where it came from.
type decoded struct {
	b    briefings.Checked
	file int32 // index in the import's files
	doc  int32 // document in the file, from 1
}

// importFiles reads files one document at a time, checking each as it
// comes, and saves them through a db.Import while it reads, so that memory
// does not grow with the files. Reading runs beside saving, one goroutine
// each. All or nothing: at the first problem in a file what was staged is
// undone, and reading goes on only to list every problem. The library is
// opened when the first valid briefing arrives, so files that are wrong
// from the start do not touch it. An EBUSY error comes back as it is, for
// importWaiting to try again.
func (m *Main) importFiles(ctx context.Context, guildID string, files []string) ([]briefings.SaveOutcome, error) {
	// Saving runs SQLite on this goroutine's thread alone. The C
	// library gives each thread that allocates a heap of its own and
	// keeps what is freed there; SQLite's memory for an import's
	// statements, spread by the scheduler over every thread, took 250-350
	// MB of a 100,000-briefing import's memory, against about 200 MB on
	// one thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// The Go heap of an import holds what is being read and saved and
	// what the import remembers of every briefing, and was collected
	// only when it had doubled: a 100,000-briefing import peaked at 262
	// MB in all. A soft limit makes the collector run sooner near it.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(importGoMemory))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	progress := m.StderrIsTerminal != nil && m.StderrIsTerminal()
	var (
		items    = make(chan decoded, 1000) // about as many as the store stages at a time
		problems problemList                // owned by the reader until items is closed
		bad      atomic.Bool
	)
	go func() {
		defer close(items)
		for i, path := range files {
			if !readFile(ctx, path, int32(i), items, &problems, &bad) {
				return
			}
		}
	}()
	var (
		im      *db.Import
		origins []decoded // briefing (nil) and where, by index in the import
		err     error
		shown   = int32(-1) // the file the progress line shows
	)
	for it := range items {
		if err != nil || bad.Load() {
			continue // drain: the reader lists every problem
		}
		if im == nil {
			if err = m.openDB(ctx); err != nil {
				cancel()
				continue
			}
			im = m.DB.NewImport(guildID, "cli")
			if progress {
				fmt.Fprintln(m.Stderr, "saving briefings as they are read; they appear when all are read and valid…")
			}
		}
		if progress && it.file != shown {
			shown = it.file
			fmt.Fprintf(m.Stderr, "\rreading file %d/%d: %s\033[K", it.file+1, len(files), briefings.EscapeControl(files[it.file]))
		}
		origins = append(origins, decoded{file: it.file, doc: it.doc})
		if err = im.AddChecked(ctx, it.b); err != nil {
			cancel()
		}
	}
	if progress {
		fmt.Fprint(m.Stderr, "\r\033[K")
	}
	if err == nil && problems.len() > 0 {
		err = problems.err()
	}
	if err != nil {
		if im != nil {
			if aerr := im.Abort(ctx); aerr != nil {
				m.Logger.Error("import: undo what was staged", "err", aerr)
			}
		}
		if briefings.ErrorCode(err) == briefings.EBUSY || problems.len() > 0 {
			return nil, err
		}
		return nil, m.importError(err, len(origins))
	}
	if im == nil {
		return nil, errors.New("nothing was imported: the files hold no briefings")
	}
	if progress {
		fmt.Fprintf(m.Stderr, "publishing %d briefings…\n", len(origins))
	}
	out, err := im.Commit(ctx)
	var berr *briefings.BatchError
	if errors.As(err, &berr) {
		for _, it := range berr.Items {
			o := origins[it.Index]
			for _, f := range it.Fields {
				p := fileformat.Problem{File: files[o.file], Doc: int(o.doc), Field: f.Field, Message: f.Message}
				problems.add(p.String())
			}
		}
		return nil, problems.err()
	}
	if err != nil && briefings.ErrorCode(err) != briefings.EBUSY {
		return nil, m.importError(err, len(origins))
	}
	return out, err
}

// importError words an error of the store for the person importing.
func (m *Main) importError(err error, n int) error {
	if briefings.ErrorCode(err) == briefings.EINTERNAL {
		// The store's own words mean nothing to the person importing; the
		// log keeps them.
		m.Logger.Error("import failed", "err", err, "briefings", n)
		return errors.New("nothing was imported: the library could not save the briefings; the log line above has the details")
	}
	return fmt.Errorf("nothing was imported: %s", briefings.EscapeControl(briefings.ErrorMessage(err)))
}

// readFile decodes the file at path into items, adding its problems to
// problems and setting bad at the first. Once bad is set, it only reads on
// for problems. It returns false when ctx was cancelled.
func readFile(ctx context.Context, path string, file int32, items chan<- decoded, problems *problemList, bad *atomic.Bool) bool {
	defer func() {
		if problems.len() > 0 {
			bad.Store(true)
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		problems.add(briefings.EscapeControl(fmt.Errorf("%s: %w", path, errors.Unwrap(err)).Error()))
		return true
	}
	defer f.Close()
	d := fileformat.NewDecoder(f, path)
	for {
		got, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems.add(briefings.EscapeControl(err.Error()))
			return true
		}
		if d.Problems() {
			bad.Store(true)
		}
		if bad.Load() {
			continue // nothing will be saved
		}
		if ctx.Err() != nil {
			return false
		}
		select {
		case items <- decoded{b: got.Checked, file: file, doc: int32(got.Doc)}:
		case <-ctx.Done():
			return false
		}
	}
	var ferr *fileformat.Error
	if errors.As(d.Err(), &ferr) {
		for _, p := range ferr.Problems {
			problems.add(p.String())
		}
		problems.more += ferr.More
	}
	return true
}
