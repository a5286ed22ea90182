package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"briefbot/briefings"
	"briefbot/briefings/fileformat"
	"briefbot/briefings/llm"
)

// isLink reports whether an --extract argument is a web address to fetch
// rather than a file.
func isLink(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// newModel builds the language model the configuration names, or returns
// nil when OPENAI_MODEL is unset: then every feature answers as it does
// without one. OPENAI_API_KEY and OPENAI_BASE_URL alone do not switch it on,
// so a key meant for other tools changes nothing.
func newModel(c Config, log *slog.Logger) (briefings.Model, error) {
	if c.OpenAIModel == "" {
		if c.OpenAIKey != "" || c.OpenAIBaseURL != "" {
			log.Warn("OPENAI_API_KEY or OPENAI_BASE_URL is set but OPENAI_MODEL is not: answers stay deterministic")
		}
		return nil, nil
	}
	m, err := llm.New(llm.Config{BaseURL: c.OpenAIBaseURL, APIKey: c.OpenAIKey, Model: c.OpenAIModel,
		Timeout: c.OpenAITimeout, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("language model: %w", err)
	}
	return m, nil
}

// newEmbedder builds the embedding model of hybrid retrieval, or returns
// nil when OPENAI_EMBEDDING_MODEL is unset.
func newEmbedder(c Config, log *slog.Logger) (briefings.Embedder, error) {
	if c.OpenAIEmbeddingModel == "" {
		return nil, nil
	}
	e, err := llm.NewEmbedder(llm.Config{BaseURL: c.OpenAIBaseURL, APIKey: c.OpenAIKey, Model: c.OpenAIEmbeddingModel,
		Timeout: c.OpenAITimeout, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("embedding model: %w", err)
	}
	return e, nil
}

// wantsExtract reports whether `briefbot import` was asked to draft a
// briefing from an article rather than import briefing files.
func wantsExtract(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "--extract" || a == "-extract" || strings.HasPrefix(a, "--extract=") || strings.HasPrefix(a, "-extract=") {
			return true
		}
	}
	return false
}

// extractSynopsis is how `briefbot import --extract` is typed.
const extractSynopsis = "briefbot import --extract ARTICLE.txt|URL [--topic T]... [--published YYYY-MM-DD] [--source NAME] [-o FILE]"

// extractOptions are the flags of `briefbot import --extract`.
type extractOptions struct {
	article, published, source, out string
	topics                          topicList
}

// extractFlags returns the flag set of `briefbot import --extract`, which
// `briefbot import --help` also lists.
func (m *Main) extractFlags() (*flag.FlagSet, *extractOptions) {
	o := &extractOptions{}
	fs := flag.NewFlagSet("import --extract", flag.ContinueOnError)
	fs.SetOutput(m.usageOut())
	fs.Usage = func() {
		fmt.Fprintln(m.usageOut(), "Usage: "+extractSynopsis)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.article, "extract", "", "draft a briefing from this article: a plain-text file, - for standard input, or an http(s) link to fetch")
	fs.Var(&o.topics, "topic", "a `topic` of the draft (repeat it, or separate topics with commas); every briefing needs one")
	fs.StringVar(&o.published, "published", "", "the article's publication date (YYYY-MM-DD); relative dates resolve against it; default: the date the article states")
	fs.StringVar(&o.source, "source", "", "the publication, used as the source and as the attribution of unattributed facts")
	fs.StringVar(&o.out, "o", "", "write the draft to this file instead of standard output")
	return fs, o
}

// topicList collects --topic values: repeated, or separated by commas.
type topicList []string

func (l *topicList) String() string { return strings.Join(*l, ", ") }

func (l *topicList) Set(v string) error {
	for _, t := range strings.Split(v, ",") {
		if t = strings.TrimSpace(t); t != "" {
			*l = append(*l, t)
		}
	}
	return nil
}

// runExtract implements `briefbot import --extract ARTICLE.txt|URL [--topic
// T] [--published DATE] [--source NAME] [-o FILE]`: it drafts a briefing
// from the article, fetched when it is a link (the page's date and site
// name count unless --published and --source say otherwise), with the language model when one is configured and the
// deterministic extractor otherwise, and writes it in the briefing format
// for a moderator to review and then import. The topics given with --topic
// replace any the model suggests. Nothing is written to the library.
func (m *Main) runExtract(ctx context.Context, args []string) error {
	fs, o := m.extractFlags()
	rest, err := parseFlags(fs, args)
	if err != nil {
		return usageErr(err)
	}
	switch {
	case o.article == "":
		fs.Usage()
		return fmt.Errorf("import --extract needs the article: --extract ARTICLE.txt: %w", errUsage)
	case len(rest) > 0:
		fs.Usage()
		return fmt.Errorf("import --extract takes one article, given as --extract ARTICLE.txt, and no briefing files (got %q): %w", rest[0], errUsage)
	}
	var pub briefings.Date
	if o.published != "" {
		d, err := briefings.ParseDate(o.published)
		if err != nil {
			return usageErr(fmt.Errorf("--published: %w", err))
		}
		pub = d
	}
	in := briefings.ExtractInput{Published: pub, DefaultAttribution: strings.TrimSpace(o.source)}
	var link string
	if isLink(o.article) {
		a, err := m.articles().Fetch(ctx, o.article)
		if err != nil {
			return fmt.Errorf("%s: %s", o.article, briefings.ErrorMessage(err))
		}
		fetched := a.ExtractInput()
		in.Text, link = fetched.Text, a.URL
		if in.Published.IsZero() {
			in.Published = fetched.Published
		}
		if in.DefaultAttribution == "" {
			in.DefaultAttribution = fetched.DefaultAttribution
		}
	} else {
		text, err := m.readArticle(o.article)
		if err != nil {
			return err
		}
		in.Text = text
	}
	log := m.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	model, err := newModel(m.Config, log)
	if err != nil {
		return err
	}
	d, err := briefings.ExtractWithModel(ctx, model, in)
	if err != nil {
		return fmt.Errorf("%s: %s", o.article, briefings.ErrorMessage(err))
	}
	if link != "" {
		d.Briefing.Source.URL = link
	}
	if len(o.topics) > 0 {
		d.Briefing.Topics = append([]string(nil), o.topics...)
	}
	if err := m.writeDraft(o.out, d.Briefing); err != nil {
		return err
	}
	m.reportDraft(d, model, o.out)
	return nil
}

// readArticle reads the article from a file or, for "-", standard input.
func (m *Main) readArticle(path string) (string, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(m.Stdin, briefings.MaxBody*4+1))
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return "", fmt.Errorf("read article %s: %w", path, err)
	}
	if strings.TrimSpace(string(data)) == "" {
		return "", fmt.Errorf("the article %s is empty", path)
	}
	return string(data), nil
}

// writeDraft writes the draft in the briefing format to path, or to
// standard output.
func (m *Main) writeDraft(path string, b *briefings.Briefing) error {
	if path == "" {
		return fileformat.Encode(m.Stdout, []*briefings.Briefing{b})
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists: choose another file with -o, or remove it first", path)
	}
	if err != nil {
		return fmt.Errorf("write draft: %w", err)
	}
	if err := fileformat.Encode(f, []*briefings.Briefing{b}); err != nil {
		f.Close()
		return fmt.Errorf("write draft %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write draft %s: %w", path, err)
	}
	return nil
}

// reportDraft tells the moderator on standard error what was drafted, what
// was left out, and what the draft still needs.
func (m *Main) reportDraft(d *briefings.Draft, model briefings.Model, path string) {
	b := d.Briefing
	by := "the deterministic extractor"
	if d.ByModel {
		by = "the language model " + model.Name()
	}
	fmt.Fprintf(m.Stderr, "Drafted by %s: %s, %s, %s, %s.\n", by, counted(len(b.Facts), "fact"), counted(len(b.Actors), "actor"),
		counted(len(b.Events), "event"), counted(len(b.Topics), "topic"))
	if d.Note != "" {
		fmt.Fprintln(m.Stderr, d.Note)
	}
	for _, why := range d.Dropped {
		fmt.Fprintln(m.Stderr, "Left out, the article does not support it:", why)
	}
	if verr := briefings.Validate(b); verr != nil {
		fmt.Fprintln(m.Stderr, "Before importing, fix:")
		for _, f := range verr.Fields {
			fmt.Fprintln(m.Stderr, "  "+f.String())
		}
		if len(b.Topics) == 0 {
			fmt.Fprintln(m.Stderr, `  (name the topics in the file, or run it again with --topic, such as --topic "Ukraine war")`)
		}
	}
	where := "the draft above"
	if path != "" {
		where = path
	}
	fmt.Fprintf(m.Stderr, "Review %s, then load it with `briefbot import FILE`; it stays a draft until a moderator publishes it.\n", where)
}

// counted writes a count with its noun, singular for one: "1 event",
// "3 facts".
func counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
