package console

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"briefbot/briefings"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
	"github.com/chzyer/readline"
)

// ModeratorPermissions are the permission bits a console member gets with
// Options.Moderator: Manage Messages, Manage Channels and
// Administrator.
const ModeratorPermissions int64 = discordgo.PermissionManageMessages | discordgo.PermissionManageChannels | discordgo.PermissionAdministrator

// The IDs the console uses when Options leaves them empty.
const (
	ConsoleUserID    = "100000000000000001"
	ConsoleChannelID = "100000000000000002"
	ConsoleAppID     = "100000000000000003"
	// ConsoleGuildID is the console's own server, where `briefbot console
	// --moderator` runs when no --guild is given: moderators' commands
	// need a server.
	ConsoleGuildID = "100000000000000004"
)

// Options configures a Console.
type Options struct {
	// In is where lines come from; nil means os.Stdin.
	In io.Reader
	// Out receives responses (and the echo of piped lines); nil means os.Stdout.
	Out io.Writer
	// Err receives errors about lines; nil means os.Stderr.
	Err io.Writer
	// GuildID is the guild the commands run in; empty means a direct message.
	GuildID string
	// ChannelID is the channel the commands run in; empty means ConsoleChannelID.
	ChannelID string
	// UserID and Username name the person typing; empty means ConsoleUserID
	// and "console".
	UserID, Username string
	// Moderator gives the member ModeratorPermissions; otherwise none.
	Moderator bool
	// Interactive shows a prompt, edits lines with history, prompts for each
	// field of a form and shows bold as bold. Otherwise lines are read as a
	// script: each is echoed after "> " before its output. Set it when In is
	// a terminal.
	Interactive bool
	// HistoryFile keeps interactive history; empty means a file in the
	// user's cache directory, "-" means none.
	HistoryFile string
	// Now is the clock for relative timestamps; nil means time.Now.
	Now func() time.Time
	// Logger receives details of internal failures; nil discards them.
	Logger *slog.Logger
	// SaveDir is where the files a response attaches (a timeline picture,
	// an export) are written, each under its own name, not overwriting
	// what is there; the console prints each file's path. Empty means
	// files are only named, not written.
	SaveDir string
	// Zone is the time zone the person typing reads timestamps in, as
	// Discord shows them to a reader there; nil means UTC.
	Zone *time.Location
}

// Console runs the command router on a terminal or a piped script, so the
// bot can be tried without Discord. Each line is a slash command written
// the way people type it in Discord, or one of the console's own words:
// help, press, submit, cancel, quit.
type Console struct {
	router *commands.Router
	opts   Options
	render TextRenderer
	seq    int64

	current  *discordgo.Message // the last message shown, for press
	controls []control          // its buttons and menus, numbered from 1
	form     *form              // an open modal waiting for its fields
}

// form is a modal the user is filling in.
type form struct {
	customID string
	fields   []modalField
	values   map[string]string
	next     int                // the field the interactive prompt asks for
	message  *discordgo.Message // the message whose button opened it, if any
}

// New returns a Console that answers lines with router.
func New(router *commands.Router, opts Options) *Console {
	if opts.In == nil {
		opts.In = os.Stdin
	}
	if opts.Out == nil {
		opts.Out = os.Stdout
	}
	if opts.Err == nil {
		opts.Err = os.Stderr
	}
	if opts.ChannelID == "" {
		opts.ChannelID = ConsoleChannelID
	}
	if opts.UserID == "" {
		opts.UserID = ConsoleUserID
	}
	if opts.Username == "" {
		opts.Username = "console"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Console{router: router, opts: opts, render: TextRenderer{ANSI: opts.Interactive, Zone: opts.Zone}}
}

// errInterrupt is Ctrl-C on an empty line.
var errInterrupt = errors.New("interrupted")

// lineSource reads one line at a time after showing a prompt.
type lineSource interface {
	readLine(prompt string) (string, error)
	close() error
}

type readResult struct {
	line string
	err  error
}

// Run reads and answers lines until the input ends, the user quits or
// presses Ctrl-C on an empty line, or ctx is done; all of these return nil.
// A bad line prints an error and the console goes on. Run returns an error
// only when the input cannot be read. When ctx ends while a read is
// blocked, that read is abandoned.
func (c *Console) Run(ctx context.Context) error {
	src, err := c.open()
	if err != nil {
		return err
	}
	defer src.close()
	if c.opts.Interactive {
		fmt.Fprintln(c.opts.Out, "briefbot console: type a slash command such as /help, help to list them, quit to leave.")
	}

	prompts := make(chan string)
	results := make(chan readResult, 1)
	defer close(prompts)
	go func() {
		for p := range prompts {
			line, err := src.readLine(p)
			results <- readResult{line, err}
		}
	}()

	for ctx.Err() == nil {
		select {
		case prompts <- c.prompt():
		case <-ctx.Done():
			return nil
		}
		var r readResult
		select {
		case r = <-results:
		case <-ctx.Done():
			return nil
		}
		switch {
		case errors.Is(r.err, errInterrupt) && c.form != nil:
			c.form = nil
			fmt.Fprintln(c.opts.Out, "(form cancelled)")
			continue
		case errors.Is(r.err, errInterrupt), errors.Is(r.err, io.EOF):
			return nil
		case r.err != nil:
			return fmt.Errorf("read console input: %w", r.err)
		}
		if ctx.Err() != nil {
			return nil
		}
		if quit := c.Exec(ctx, r.line); quit {
			return nil
		}
	}
	return nil
}

func (c *Console) prompt() string {
	if !c.opts.Interactive {
		return ""
	}
	if f := c.form; f != nil && f.next < len(f.fields) {
		fd := f.fields[f.next]
		if fd.required {
			return fd.label + ": "
		}
		return fd.label + " (optional): "
	}
	return "briefbot> "
}

func (c *Console) open() (lineSource, error) {
	if !c.opts.Interactive {
		return &scriptSource{r: bufio.NewReader(c.opts.In)}, nil
	}
	in, ok := c.opts.In.(io.ReadCloser)
	if !ok {
		in = io.NopCloser(c.opts.In)
	}
	rl, err := readline.NewEx(&readline.Config{
		Prompt:          "briefbot> ",
		HistoryFile:     c.historyFile(),
		Stdin:           in,
		Stdout:          c.opts.Out,
		Stderr:          c.opts.Err,
		InterruptPrompt: "^C",
		EOFPrompt:       "quit",
		AutoComplete:    completer{c},
	})
	if err != nil {
		return nil, fmt.Errorf("start line editor: %w", err)
	}
	return &terminalSource{rl: rl}, nil
}

// historyFile picks a writable history file, or none.
func (c *Console) historyFile() string {
	switch c.opts.HistoryFile {
	case "-":
		return ""
	case "":
		dir, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(dir, "briefbot")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return ""
		}
		return writableOrNone(filepath.Join(dir, "console_history"))
	}
	return writableOrNone(c.opts.HistoryFile)
}

func writableOrNone(path string) string {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return ""
	}
	f.Close()
	return path
}

type scriptSource struct{ r *bufio.Reader }

func (s *scriptSource) readLine(string) (string, error) {
	line, err := s.r.ReadString('\n')
	if err == io.EOF && line != "" {
		err = nil
	}
	return strings.TrimRight(line, "\r\n"), err
}

func (s *scriptSource) close() error { return nil }

type terminalSource struct{ rl *readline.Instance }

func (t *terminalSource) readLine(prompt string) (string, error) {
	t.rl.SetPrompt(prompt)
	for {
		line, err := t.rl.Readline()
		if errors.Is(err, readline.ErrInterrupt) {
			if line == "" {
				return "", errInterrupt
			}
			continue // Ctrl-C clears a line being typed
		}
		return line, err
	}
}

func (t *terminalSource) close() error { return t.rl.Close() }

// completer completes command names on Tab from the catalog.
type completer struct{ c *Console }

func (k completer) Do(line []rune, pos int) ([][]rune, int) {
	typed := string(line[:pos])
	if !strings.HasPrefix(typed, "/") || strings.ContainsAny(typed, " \t") {
		return nil, 0
	}
	var out [][]rune
	for _, cmd := range k.c.router.Commands() {
		if cmd != nil && isChat(cmd) && strings.HasPrefix(cmd.Name, typed[1:]) {
			out = append(out, []rune(cmd.Name[len(typed)-1:]+" "))
		}
	}
	return out, len([]rune(typed)) - 1
}

// Exec answers one line as Run does and reports whether the user asked to
// quit. Errors about the line go to Options.Err.
func (c *Console) Exec(ctx context.Context, line string) (quit bool) {
	trimmed := strings.TrimSpace(line)
	if trimmed == "" && (c.form == nil || !c.opts.Interactive) {
		return false
	}
	if !c.opts.Interactive {
		if strings.HasPrefix(trimmed, "#") {
			fmt.Fprintln(c.opts.Out, briefings.EscapeControl(trimmed))
			return false
		}
		fmt.Fprintln(c.opts.Out, "> "+briefings.EscapeControl(trimmed))
	}
	if strings.HasPrefix(trimmed, "#") && c.form == nil {
		return false
	}
	if err := c.exec(ctx, line, trimmed); err != nil {
		if errors.Is(err, errQuit) {
			return true
		}
		fmt.Fprintln(c.opts.Err, "error: "+briefings.EscapeControl(err.Error()))
	}
	if !c.opts.Interactive || c.form == nil {
		fmt.Fprintln(c.opts.Out) // a blank line between answers, but not between a form's prompts
	}
	return false
}

var errQuit = errors.New("quit")

func (c *Console) exec(ctx context.Context, line, trimmed string) error {
	if c.form != nil {
		return c.formLine(ctx, line, trimmed)
	}
	word, arg, _ := strings.Cut(trimmed, " ")
	switch strings.ToLower(word) {
	case "quit", "exit":
		return errQuit
	case "help":
		fmt.Fprint(c.opts.Out, consoleHelp+"\n"+HelpText(c.router.Commands()))
		return nil
	case "press", "select":
		return c.press(ctx, strings.TrimSpace(arg))
	}
	if !strings.HasPrefix(trimmed, "/") {
		return fmt.Errorf("%q is not a command: type a slash command such as /help, or help to list them", word)
	}
	cl, err := ParseLine(c.router.Commands(), trimmed)
	if err != nil {
		return err
	}
	i := c.interaction(discordgo.InteractionApplicationCommand)
	if cl.Autocomplete() {
		i.Type = discordgo.InteractionApplicationCommandAutocomplete
	}
	i.Data = cl.Data
	c.show(c.router.Handle(ctx, i), false)
	return nil
}

const consoleHelp = `Type a slash command the way you would in Discord, such as /actor name:Kim Jong Un.
End a line with ? to list suggestions for the last option: /actor name:ki?
press N presses button N of the last message; press N M picks option M of menu N.
A form is filled with field: value lines, then submit (or cancel).
Moderators' commands (/briefing, /settings) need a server: start the console
with briefbot console --moderator (add --guild ID to pick the server).
quit leaves. The commands:
`

// interaction starts an interaction from the console's user in its guild or DM.
func (c *Console) interaction(t discordgo.InteractionType) *discordgo.Interaction {
	c.seq++
	user := &discordgo.User{ID: c.opts.UserID, Username: c.opts.Username, GlobalName: c.opts.Username}
	i := &discordgo.Interaction{
		ID:             strconv.FormatInt(1_200_000_000_000_000_000+c.seq, 10),
		AppID:          ConsoleAppID,
		Type:           t,
		GuildID:        c.opts.GuildID,
		ChannelID:      c.opts.ChannelID,
		Token:          "console-" + strconv.FormatInt(c.seq, 10),
		Version:        1,
		Locale:         discordgo.EnglishGB,
		AppPermissions: discordgo.PermissionViewChannel | discordgo.PermissionSendMessages | discordgo.PermissionEmbedLinks,
	}
	if c.opts.GuildID == "" {
		i.User = user
		i.Context = discordgo.InteractionContextBotDM
		return i
	}
	var perms int64
	if c.opts.Moderator {
		perms = ModeratorPermissions
	}
	locale := discordgo.EnglishGB
	i.GuildLocale = &locale
	i.Context = discordgo.InteractionContextGuild
	i.Member = &discordgo.Member{GuildID: c.opts.GuildID, User: user, Permissions: perms}
	return i
}

// show prints a response and remembers the message it shows, its controls
// and any form it opens.
func (c *Console) show(resp *discordgo.InteractionResponse, fromComponent bool) {
	c.render.Now = c.opts.Now()
	text, controls := c.render.response(resp)
	fmt.Fprint(c.opts.Out, c.render.terminal(text))
	if resp == nil {
		return
	}
	if resp.Data != nil {
		c.saveFiles(resp.Data.Files)
	}
	switch resp.Type {
	case discordgo.InteractionResponseChannelMessageWithSource:
		c.seq++
		c.current = c.message(strconv.FormatInt(1_300_000_000_000_000_000+c.seq, 10), resp.Data)
		c.controls = controls
	case discordgo.InteractionResponseUpdateMessage:
		id := strconv.FormatInt(1_300_000_000_000_000_000+c.seq, 10)
		if fromComponent && c.current != nil {
			id = c.current.ID
		}
		c.current = c.message(id, resp.Data)
		c.controls = controls
	case discordgo.InteractionResponseModal:
		c.openForm(resp.Data)
		if c.form != nil && fromComponent {
			c.form.message = c.current
		}
	}
}

// message is the Discord message a response becomes, with its components
// as discordgo decodes them from JSON.
func (c *Console) message(id string, d *discordgo.InteractionResponseData) *discordgo.Message {
	m := &discordgo.Message{
		ID:        id,
		ChannelID: c.opts.ChannelID,
		GuildID:   c.opts.GuildID,
		Author:    &discordgo.User{ID: ConsoleAppID, Username: "briefbot", Bot: true},
		Timestamp: c.opts.Now(),
	}
	if d != nil {
		m.Content, m.Embeds, m.Flags = d.Content, d.Embeds, d.Flags
		m.Components = decodeComponents(d.Components)
	}
	return m
}

func decodeComponents(cs []discordgo.MessageComponent) []discordgo.MessageComponent {
	out := make([]discordgo.MessageComponent, 0, len(cs))
	for _, comp := range cs {
		raw, err := json.Marshal(comp)
		if err != nil {
			out = append(out, comp)
			continue
		}
		d, err := discordgo.MessageComponentFromJSON(raw)
		if err != nil {
			out = append(out, comp)
			continue
		}
		out = append(out, d)
	}
	return out
}

// press answers "press N" or "press N M[,M...]".
func (c *Console) press(ctx context.Context, arg string) error {
	if len(c.controls) == 0 {
		return errors.New("the last message has nothing to press")
	}
	which, rest, _ := strings.Cut(arg, " ")
	n, err := strconv.Atoi(which)
	if err != nil || n < 1 || n > len(c.controls) {
		return fmt.Errorf("press takes a number from 1 to %d, such as press 1", len(c.controls))
	}
	ctl := c.controls[n-1]
	if ctl.disabled {
		return fmt.Errorf("[%d] %s is unavailable", n, ctl.label)
	}
	data := discordgo.MessageComponentInteractionData{CustomID: ctl.customID, ComponentType: ctl.kind}
	if ctl.kind != discordgo.ButtonComponent {
		values, err := pickOptions(ctl, n, strings.TrimSpace(rest))
		if err != nil {
			return err
		}
		data.Values = values
	}
	i := c.interaction(discordgo.InteractionMessageComponent)
	i.Data = data
	i.Message = c.current
	c.show(c.router.Handle(ctx, i), true)
	return nil
}

// pickOptions turns "2" or "1,3" into the values of a select menu's options.
func pickOptions(ctl control, n int, arg string) ([]string, error) {
	if arg == "" || len(ctl.options) == 0 {
		return nil, fmt.Errorf("choose an option of menu %d, such as press %d 1", n, n)
	}
	var values []string
	for _, p := range strings.Split(arg, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || k < 1 || k > len(ctl.options) {
			return nil, fmt.Errorf("menu %d has options 1 to %d; got %q", n, len(ctl.options), strings.TrimSpace(p))
		}
		values = append(values, ctl.options[k-1].Value)
	}
	if len(values) > ctl.max {
		if ctl.max == 1 {
			return nil, fmt.Errorf("menu %d takes one option", n)
		}
		return nil, fmt.Errorf("menu %d takes at most %d options", n, ctl.max)
	}
	return values, nil
}

func (c *Console) openForm(d *discordgo.InteractionResponseData) {
	if d == nil {
		return
	}
	f := &form{customID: d.CustomID, fields: modalFields(d.Components), values: map[string]string{}}
	for _, fd := range f.fields {
		if fd.value != "" {
			f.values[fd.id] = fd.value
		}
	}
	c.form = f
	if !c.opts.Interactive {
		fmt.Fprintln(c.opts.Out, "Fill it in with field: value lines (\\n for a new line), then submit or cancel.")
		return
	}
	fmt.Fprintln(c.opts.Out, "Answer each field; press Ctrl-C to cancel.")
}

// formLine takes one line while a form is open.
func (c *Console) formLine(ctx context.Context, line, trimmed string) error {
	f := c.form
	if c.opts.Interactive && f.next < len(f.fields) {
		fd := f.fields[f.next]
		value := strings.TrimSpace(line)
		if value == "" && fd.value != "" {
			value = fd.value
		}
		if value == "" && fd.required {
			return fmt.Errorf("%s is required", fd.label)
		}
		f.values[fd.id] = strings.ReplaceAll(value, `\n`, "\n")
		f.next++
		if f.next < len(f.fields) {
			return nil
		}
		return c.submit(ctx)
	}
	switch strings.ToLower(trimmed) {
	case "submit":
		return c.submit(ctx)
	case "cancel":
		c.form = nil
		fmt.Fprintln(c.opts.Out, "(form cancelled)")
		return nil
	}
	id, value, ok := strings.Cut(trimmed, ":")
	var fd *modalField
	for k := range f.fields {
		if ok && strings.EqualFold(f.fields[k].id, strings.TrimSpace(id)) {
			fd = &f.fields[k]
		}
	}
	if fd == nil {
		ids := make([]string, len(f.fields))
		for k, x := range f.fields {
			ids[k] = x.id
		}
		return fmt.Errorf("a form is open: write one of %s as field: value, then submit or cancel", strings.Join(ids, ", "))
	}
	f.values[fd.id] = strings.ReplaceAll(strings.TrimSpace(value), `\n`, "\n")
	return nil
}

// submit sends the form as a modal submit interaction.
func (c *Console) submit(ctx context.Context) error {
	i, err := c.formInteraction()
	if err != nil {
		return err
	}
	fromMessage := c.form.message != nil
	c.form = nil
	c.show(c.router.Handle(ctx, i), fromMessage)
	return nil
}

// formInteraction builds the modal submit of the open form, with each field
// in its own action row as Discord sends them.
func (c *Console) formInteraction() (*discordgo.Interaction, error) {
	f := c.form
	var missing []string
	rows := make([]discordgo.MessageComponent, 0, len(f.fields))
	for _, fd := range f.fields {
		v := f.values[fd.id]
		if fd.required && strings.TrimSpace(v) == "" {
			missing = append(missing, fd.id)
		}
		rows = append(rows, &discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			&discordgo.TextInput{CustomID: fd.id, Value: v},
		}})
	}
	if len(missing) > 0 {
		if c.opts.Interactive {
			f.next = 0
		}
		return nil, fmt.Errorf("fill in %s before submitting", strings.Join(missing, " and "))
	}
	i := c.interaction(discordgo.InteractionModalSubmit)
	i.Data = discordgo.ModalSubmitInteractionData{CustomID: f.customID, Components: rows}
	i.Message = f.message
	return i, nil
}
