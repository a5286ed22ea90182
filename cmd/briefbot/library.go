package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"briefbot/briefings"
	"briefbot/briefings/answer"
	"briefbot/briefings/fileformat"
	"briefbot/briefings/sample"
	"briefbot/db"
)

// runImport implements `briefbot import [--guild ID] FILE...`: the files
// are read one document at a time and saved as they are read (see
// importFiles), and nothing is imported if anything is wrong.
func (m *Main) runImport(ctx context.Context, args []string) error {
	if wantsExtract(args) {
		return m.runExtract(ctx, args)
	}
	fs := m.subFlags("import", "[--guild ID] FILE...")
	guild := fs.String("guild", "", "import into this guild's library instead of the global one")
	fs.Usage = func() {
		fmt.Fprintln(m.usageOut(), "Usage: briefbot import [--guild ID] FILE...")
		fs.PrintDefaults()
		xfs, _ := m.extractFlags()
		fmt.Fprintln(m.usageOut(), "\nOr draft a briefing from an article, to review and then import:\n  "+extractSynopsis)
		xfs.PrintDefaults()
	}
	files, err := parseFlags(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(files) == 0 {
		fs.Usage()
		return fmt.Errorf("import needs at least one file: %w", errUsage)
	}
	out, err := m.importWaiting(ctx, *guild, files)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, o := range out {
		counts[o.Action]++
	}
	scope := "the global library"
	if *guild != "" {
		scope = "guild " + *guild
	}
	fmt.Fprintf(m.Stdout, "imported %d briefings into %s: %d created, %d updated, %d unchanged\n",
		len(out), scope, counts["created"], counts["updated"], counts["unchanged"])
	m.embedImported(ctx)
	return nil
}

// embedImported embeds what an import added or changed, when
// OPENAI_EMBEDDING_MODEL is set. The briefings are saved either way; a
// failure is reported and the running bot embeds them later.
func (m *Main) embedImported(ctx context.Context) {
	e, err := newEmbedder(m.Config, m.Logger)
	if err != nil || e == nil {
		return
	}
	n, err := (&answer.Indexer{Store: m.DB, Embedder: e}).RunOnce(ctx)
	if err != nil {
		m.Logger.Warn("embedding the imported briefings failed; the bot embeds them when it next runs", "model", e.Name(), "embedded", n, "err", err)
		return
	}
	fmt.Fprintf(m.Stdout, "embedded %d facts, events and actors with %s\n", n, briefings.EscapeControl(e.Name()))
}

// problemList gathers the problems of an import, keeping the first
// fileformat.MaxProblems and counting the rest: 100,000 bad documents make
// a list a person can read, not megabytes of it.
type problemList struct {
	lines []string
	more  int
}

func (l *problemList) add(line string) {
	if len(l.lines) < fileformat.MaxProblems {
		l.lines = append(l.lines, line)
	} else {
		l.more++
	}
}

func (l *problemList) len() int { return len(l.lines) + l.more }

func (l *problemList) err() error {
	lines := l.lines
	if l.more > 0 {
		lines = append(lines[:len(lines):len(lines)], fileformat.MoreProblems(l.more))
	}
	return fmt.Errorf("nothing was imported; fix these and run it again:\n  %s", strings.Join(lines, "\n  "))
}

// runExport implements `briefbot export [--guild ID] [--topic T] [-o FILE]`.
// Briefings come out oldest first, then by slug, so that the same library
// always exports to the same bytes.
func (m *Main) runExport(ctx context.Context, args []string) error {
	fs := m.subFlags("export", "[--guild ID] [--topic T] [-o FILE]")
	guild := fs.String("guild", "", "export this guild's library instead of the global one")
	topic := fs.String("topic", "", "export only briefings on this topic")
	out := fs.String("o", "", "write to this file instead of standard output")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return usageErr(err)
	}
	if len(rest) > 0 {
		return fmt.Errorf("export takes no arguments (got %q); use -o FILE: %w", rest[0], errUsage)
	}
	if err := m.openExistingDB(ctx); err != nil {
		return err
	}
	var buf bytes.Buffer
	n, err := m.exportTo(ctx, &buf, *guild, *topic)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = m.Stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(*out, buf.Bytes()); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(m.Stderr, "exported %d briefings to %s\n", n, *out)
	return nil
}

// exportTo encodes the briefings of one library (only that library, not the
// global one a guild also sees) to w.
func (m *Main) exportTo(ctx context.Context, w io.Writer, guild, topic string) (int, error) {
	return exportLibrary(ctx, m.DB, w, guild, topic)
}

// exportLibrary is exportTo on the store d.
func exportLibrary(ctx context.Context, d *db.DB, w io.Writer, guild, topic string) (int, error) {
	if topic != "" {
		t, err := d.TopicToCurate(ctx, guild, topic)
		if err != nil {
			return 0, fmt.Errorf("export: %s", briefings.ErrorMessage(err))
		}
		topic = t.Slug
	}
	bs, _, err := d.Briefings(ctx, briefings.BriefingQuery{
		GuildID:  guild,
		Topic:    topic,
		Statuses: []briefings.Status{briefings.StatusDraft, briefings.StatusPublished, briefings.StatusRetracted},
	})
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	own := bs[:0]
	for _, b := range bs {
		if b.GuildID == guild {
			own = append(own, b)
		}
	}
	sort.SliceStable(own, func(i, j int) bool {
		if !own[i].Published.T.Equal(own[j].Published.T) {
			return own[i].Published.T.Before(own[j].Published.T)
		}
		return own[i].Slug < own[j].Slug
	})
	if err := fileformat.Encode(w, own); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	return len(own), nil
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".briefbot-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// loadSampleIfEmpty loads the embedded sample library into a database that
// holds no briefings at all.
func (m *Main) loadSampleIfEmpty(ctx context.Context) error {
	_, total, err := m.DB.Briefings(ctx, briefings.BriefingQuery{
		Statuses: []briefings.Status{briefings.StatusDraft, briefings.StatusPublished, briefings.StatusRetracted},
		Limit:    1,
	})
	if err != nil {
		return fmt.Errorf("check for an empty library: %w", err)
	}
	if total > 0 {
		return nil
	}
	bs, err := sampleBriefings()
	if err != nil {
		return err
	}
	if _, err := m.DB.SaveBriefings(ctx, "", bs, "sample"); err != nil {
		return fmt.Errorf("load the sample library: %w", err)
	}
	m.Logger.Info("loaded the sample library into an empty database", "briefings", len(bs), "db", db.DisplayName(m.Config.DBPath))
	return nil
}

// sampleBriefings decodes every embedded sample file.
func sampleBriefings() ([]*briefings.Briefing, error) {
	var all []*briefings.Briefing
	err := fs.WalkDir(sample.Files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		f, err := sample.Files.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		bs, err := fileformat.Decode(f, path)
		if err != nil {
			return err
		}
		all = append(all, bs...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("decode the sample library: %w", err)
	}
	return all, nil
}
