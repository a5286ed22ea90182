// Command briefbot is a Discord bot that keeps a curated library of news
// briefings and answers questions about their actors and events.
//
// Usage:
//
//	briefbot [--db PATH] [command] [flags]
//
// With no command it opens the local console, or connects to Discord when
// DISCORD_TOKEN is set. Run `briefbot help` for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"briefbot/bot/discord"
	"briefbot/briefings"
	"briefbot/db"

	"github.com/bwmarrin/discordgo"
)

const usage = `briefbot keeps a library of news briefings and answers questions about them.

Usage:
  briefbot [--db PATH] [command] [flags]

Commands:
  (none)     the console, or the Discord bot when DISCORD_TOKEN is set
  console    try every slash command in a local console [--guild ID] [--user ID] [--moderator] [--timezone ZONE]
  import     import briefing files [--guild ID] FILE...,
             or draft one from an article: --extract ARTICLE.txt|URL --topic T [-o FILE]
  export     export briefings [--guild ID] [--topic T] [-o FILE]
  run        the Discord bot over the gateway (needs DISCORD_TOKEN)
  serve      answer signed HTTP interactions on BRIEFBOT_HTTP_ADDR (needs DISCORD_PUBLIC_KEY)
  digest     preview a topic's digest in the terminal --topic T
  deliver    deliver the digests that are due [--once] (needs DISCORD_TOKEN),
             or print them and where they would go [--dry-run]
  feed       follow news feeds whose items become drafts: add, list, remove, pause, resume,
             and poll --once (see: briefbot feed help)
  feeds      poll the feeds continuously (run polls them too)
  backup     copy the library to FILE while the bot runs (online backup) [--force] FILE
  copy       move a whole library between SQLite and PostgreSQL, and check both export the same:
             --from sqlite:FILE|postgres://… --to sqlite:FILE|postgres://… [--replace]
  help       show this help

Global flags:
  --db PATH  the SQLite database (env BRIEFBOT_DB, default briefbot.db);
             only run, serve, console and import create it

Flags may come before or after a command's files.

Configuration comes from the environment and .env; see .env.example.
`

// errUsage marks errors caused by how the command was typed (exit code 2).
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	stop()
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	os.Exit(exitStatus(os.Stderr, err))
}

// exConfig is the exit status for a configuration Discord refuses
// (EX_CONFIG in sysexits.h): a supervisor should not restart the bot
// until someone fixes it.
const exConfig = 78

// exitStatus writes err, if any, to w and returns the process's exit
// status: 0 for success and --help, 2 for a mistyped command, 78
// (EX_CONFIG) when Discord refuses the bot's configuration (token, intents,
// shard), 1 for any other error.
func exitStatus(w io.Writer, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	msg := err.Error()
	if errors.Is(err, errUsage) {
		msg = strings.TrimSuffix(msg, ": "+errUsage.Error()) // the exit status says it
	}
	fmt.Fprintln(w, "briefbot:", briefings.EscapeControl(msg))
	var refused *discord.RefusedError
	switch {
	case errors.Is(err, errUsage):
		return 2
	case errors.As(err, &refused):
		return exConfig
	}
	return 1
}

// Main holds what one run of briefbot builds, so tests can drive it end to
// end with their own streams and environment.
type Main struct {
	// Stdin, Stdout and Stderr are the process's streams.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment.
	Getenv func(string) string
	// DotEnv is the .env file read before the environment; empty skips it.
	DotEnv string
	// helpOut is where usage text goes: Stdout when help was asked for,
	// Stderr when it explains a mistyped command.
	helpOut io.Writer
	// StdinIsTerminal reports whether Stdin is interactive.
	StdinIsTerminal func() bool
	// StderrIsTerminal reports whether Stderr is interactive (for progress).
	StderrIsTerminal func() bool

	// ConfigureSession, when set, adjusts the Discord session before it
	// connects; tests point it at a fake Discord.
	ConfigureSession func(*discordgo.Session)

	// SaveDir is where the console writes attached files, such as the
	// timeline picture; empty means the current directory.
	SaveDir string

	// Config is filled in by Run.
	Config Config
	// DB is the opened library, once a command needs it.
	DB *db.DB
	// Logger writes structured logs to Stderr.
	Logger *slog.Logger
}

// NewMain returns a Main wired to the process.
func NewMain() *Main {
	return &Main{
		Stdin:            os.Stdin,
		Stdout:           os.Stdout,
		Stderr:           os.Stderr,
		Getenv:           os.Getenv,
		DotEnv:           ".env",
		StdinIsTerminal:  func() bool { return isTerminal(os.Stdin) },
		StderrIsTerminal: func() bool { return isTerminal(os.Stderr) },
	}
}

// Close releases what Run opened.
func (m *Main) Close() error {
	if m.DB != nil {
		err := m.DB.Close()
		m.DB = nil
		if err != nil {
			return fmt.Errorf("close db: %w", err)
		}
	}
	return nil
}

// Run parses the global flags and runs the chosen command.
func (m *Main) Run(ctx context.Context, args []string) error {
	cfg, err := LoadConfig(m.Getenv, m.DotEnv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	m.Config = cfg
	m.Logger = newLogger(m.Stderr, cfg.LogLevel)

	m.helpOut = m.Stderr
	if asksForHelp(args) {
		m.helpOut = m.Stdout // asked for, help is output: `briefbot import --help | less`
	}
	fs := flag.NewFlagSet("briefbot", flag.ContinueOnError)
	fs.SetOutput(m.helpOut)
	fs.Usage = func() { fmt.Fprint(m.helpOut, usage) }
	fs.StringVar(&m.Config.DBPath, "db", m.Config.DBPath, "the SQLite database")
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	args = fs.Args()
	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "":
		if m.Config.DiscordToken != "" {
			return m.runGateway(ctx, args)
		}
		fmt.Fprintln(m.Stderr, "briefbot: no DISCORD_TOKEN set, so this is the local console with the sample library. Set DISCORD_TOKEN (see README.md) to connect to Discord.")
		return m.runConsole(ctx, args)
	case "console":
		return m.runConsole(ctx, args)
	case "import":
		return m.runImport(ctx, args)
	case "export":
		return m.runExport(ctx, args)
	case "run":
		return m.runGateway(ctx, args)
	case "serve":
		return m.runServe(ctx, args)
	case "backup":
		return m.runBackup(ctx, args)
	case "copy":
		return m.runCopy(ctx, args)
	case "feed":
		return m.runFeed(ctx, args)
	case "feeds":
		return m.runFeeds(ctx, args)
	case "digest":
		return m.runDigest(ctx, args)
	case "deliver":
		return m.runDeliver(ctx, args)
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q: run `briefbot help` for the list: %w", cmd, errUsage)
}

// subFlags returns a flag set for a subcommand that also accepts --db.
func (m *Main) subFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	out := m.usageOut()
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: briefbot %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	fs.StringVar(&m.Config.DBPath, "db", m.Config.DBPath, "the SQLite database")
	return fs
}

// usageOut is where usage text goes: standard output when help was asked
// for, standard error when it explains a mistyped command.
func (m *Main) usageOut() io.Writer {
	if m.helpOut == nil {
		return m.Stderr
	}
	return m.helpOut
}

// asksForHelp reports whether args ask for help (-h, -help or --help
// before any "--"), so that the help goes to standard output.
func asksForHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

func usageErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return fmt.Errorf("%v: %w", err, errUsage)
}

// parseFlags parses args with fs, accepting flags before, between and after
// the positional arguments (`import a.yaml --guild 1`), and returns the
// positional ones. Everything after "--" is positional.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// openExistingDB opens the library for a command that only reads or copies
// it (export, digest, deliver, backup). Only run, serve, console and import
// create a library, so a mistyped --db is refused rather than answered
// from a new, empty one.
func (m *Main) openExistingDB(ctx context.Context) error {
	if m.DB != nil {
		return nil
	}
	if _, err := os.Stat(m.Config.DBPath); !db.IsPostgresURL(m.Config.DBPath) && errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("there is no library at %s: check --db or BRIEFBOT_DB (briefbot creates a library only with run, serve, console or import)", m.Config.DBPath)
	}
	d, err := db.Open(ctx, m.Config.DBPath)
	if err != nil {
		return fmt.Errorf("open library %s: %w", db.DisplayName(m.Config.DBPath), err)
	}
	m.DB = d
	return nil
}

// openDB opens the library, creating it if needed (run, serve, console and
// import), and, on first start, loads the sample.
func (m *Main) openDB(ctx context.Context) error {
	if m.DB != nil {
		return nil
	}
	d, err := db.Open(ctx, m.Config.DBPath)
	if err != nil {
		return fmt.Errorf("open library %s: %w", db.DisplayName(m.Config.DBPath), err)
	}
	m.DB = d
	if m.Config.Sample {
		if err := m.loadSampleIfEmpty(ctx); err != nil {
			return err
		}
	}
	return nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
