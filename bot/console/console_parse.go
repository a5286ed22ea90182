package console

import (
	"errors"
	"fmt"
	"math"
	"mime"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// CommandLine is one console line parsed against the command catalog: the
// command data exactly as discordgo would decode it from Discord's JSON, and
// the option being completed when the line asked for suggestions.
type CommandLine struct {
	// Data is the command with its subcommand group, subcommand and typed
	// options: strings as string, integers and numbers as float64, booleans
	// as bool, users, channels and roles as ID strings; a file (a local
	// path) as the ID of an attachment in Resolved, whose URL is the file's
	// file:// URL.
	Data discordgo.ApplicationCommandInteractionData
	// Focused names the option being completed when the line ends in "?"
	// after an option that has autocomplete; it is empty otherwise.
	Focused string
}

// Autocomplete reports whether the line asks for suggestions rather than
// running the command.
func (c *CommandLine) Autocomplete() bool { return c.Focused != "" }

// ParseLine parses a line typed the way people type slash commands in
// Discord, such as "/actor name:Kim Jong Un" or
// "/briefing fact add briefing:x text:...", against catalog.
//
// Subcommand groups and subcommands follow the command name as words. An
// option's value runs to the next " name:" where name is one of the
// command's options, so values may hold colons and URLs; a backslash makes
// the next character literal. A trailing "?" after an option with
// autocomplete asks for suggestions for the value typed so far.
//
// The error, when there is one, is written for the person who typed the
// line: it names the command or option and says what is expected.
// ParseLine never panics, whatever the input.
func ParseLine(catalog []*discordgo.ApplicationCommand, line string) (*CommandLine, error) {
	text := trimSpace(unescape(line))
	if len(text) == 0 || text[0].r != '/' || text[0].esc {
		return nil, fmt.Errorf("commands start with /, such as /help; type help to list them")
	}
	text = text[1:]
	word, rest := nextWord(text)
	if word == "" {
		return nil, fmt.Errorf("type a command name after /; type help to list them")
	}
	cmd := findCommand(catalog, word)
	if cmd == nil {
		return nil, unknownCommand(catalog, word)
	}

	path := "/" + cmd.Name
	data := discordgo.ApplicationCommandInteractionData{
		ID:          commandID(cmd),
		Name:        cmd.Name,
		CommandType: discordgo.ChatApplicationCommand,
	}
	defs := cmd.Options
	target := &data.Options
	for hasSubcommands(defs) {
		word, rest = nextWord(rest)
		if word == "" || strings.Contains(word, ":") {
			return nil, fmt.Errorf("%s needs one of: %s", path, strings.Join(subcommandNames(defs), ", "))
		}
		sub := findOption(defs, strings.TrimSuffix(word, "?"))
		if sub == nil || (sub.Type != discordgo.ApplicationCommandOptionSubCommand && sub.Type != discordgo.ApplicationCommandOptionSubCommandGroup) {
			return nil, fmt.Errorf("%s has no subcommand %q; use one of: %s", path, word, strings.Join(subcommandNames(defs), ", "))
		}
		path += " " + sub.Name
		opt := &discordgo.ApplicationCommandInteractionDataOption{Name: sub.Name, Type: sub.Type}
		*target = append(*target, opt)
		target = &opt.Options
		defs = sub.Options
	}

	given, focused, err := parseOptions(path, defs, rest)
	if err != nil {
		return nil, err
	}
	if focused == "" {
		var missing []string
		for _, d := range defs {
			if d.Required && findGiven(given, d.Name) == nil {
				missing = append(missing, d.Name)
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("%s needs %s; usage: %s", path, strings.Join(missing, " and "), usage(path, defs))
		}
	}
	if focused == "" {
		if err := attachFiles(given, &data); err != nil {
			return nil, err
		}
	}
	*target = append(*target, given...)
	if len(data.Options) == 0 {
		data.Options = nil
	}
	return &CommandLine{Data: data, Focused: focused}, nil
}

// attachFiles turns the local paths given to attachment options into
// attachments in the command's resolved data, keyed by an ID that becomes
// the option's value, as Discord sends them. The URL is the file's
// absolute path as a file:// URL, which LocalFiles reads.
func attachFiles(given []*discordgo.ApplicationCommandInteractionDataOption, data *discordgo.ApplicationCommandInteractionData) error {
	n := 0
	for _, o := range given {
		if o.Type != discordgo.ApplicationCommandOptionAttachment {
			continue
		}
		path, _ := o.Value.(string)
		abs, err := filepath.Abs(path)
		if err != nil {
			return fmt.Errorf("option %s: %q is not a path I can use: %v", o.Name, path, err)
		}
		st, err := os.Stat(abs)
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("option %s: there is no file at %s; give the path of a file, such as %s:briefings.yaml", o.Name, abs, o.Name)
		} else if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the message names the path already
			}
			return fmt.Errorf("option %s: cannot read %q: %v", o.Name, path, err)
		}
		if st.IsDir() {
			return fmt.Errorf("option %s: %s is a folder; give the path of a file in it", o.Name, abs)
		}
		n++
		id := strconv.FormatInt(1_400_000_000_000_000_000+int64(n), 10)
		slashed := filepath.ToSlash(abs)
		if !strings.HasPrefix(slashed, "/") {
			slashed = "/" + slashed // a Windows drive letter
		}
		if data.Resolved == nil {
			data.Resolved = &discordgo.ApplicationCommandInteractionDataResolved{}
		}
		if data.Resolved.Attachments == nil {
			data.Resolved.Attachments = map[string]*discordgo.MessageAttachment{}
		}
		data.Resolved.Attachments[id] = &discordgo.MessageAttachment{
			ID:          id,
			Filename:    filepath.Base(abs),
			ContentType: mime.TypeByExtension(filepath.Ext(abs)),
			Size:        int(st.Size()),
			URL:         (&url.URL{Scheme: "file", Path: slashed}).String(),
		}
		o.Value = id
	}
	return nil
}

// char is one character of a line and whether a backslash escaped it.
type char struct {
	r   rune
	esc bool
}

func unescape(s string) []char {
	out := make([]char, 0, len(s))
	esc := false
	for _, r := range s {
		switch {
		case esc:
			out = append(out, char{r: r, esc: true})
			esc = false
		case r == '\\':
			esc = true
		default:
			out = append(out, char{r: r})
		}
	}
	if esc { // a lone backslash at the end stands for itself
		out = append(out, char{r: '\\', esc: true})
	}
	return out
}

func str(cs []char) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteRune(c.r)
	}
	return b.String()
}

func isSpace(c char) bool { return !c.esc && unicode.IsSpace(c.r) }

func trimSpace(cs []char) []char {
	for len(cs) > 0 && isSpace(cs[0]) {
		cs = cs[1:]
	}
	for len(cs) > 0 && isSpace(cs[len(cs)-1]) {
		cs = cs[:len(cs)-1]
	}
	return cs
}

// nextWord splits off the first whitespace-separated word.
func nextWord(cs []char) (string, []char) {
	cs = trimSpace(cs)
	i := 0
	for i < len(cs) && !isSpace(cs[i]) {
		i++
	}
	return str(cs[:i]), cs[i:]
}

func isNameRune(c char) bool {
	return !c.esc && (unicode.IsLetter(c.r) || unicode.IsDigit(c.r) || c.r == '-' || c.r == '_')
}

// optionAt reports the option name written as "name:" at cs[i], and where
// its value starts; it returns "" when cs[i] starts no "name:".
func optionAt(cs []char, i int) (string, int) {
	j := i
	for j < len(cs) && isNameRune(cs[j]) {
		j++
	}
	if j == i || j >= len(cs) || cs[j].esc || cs[j].r != ':' {
		return "", 0
	}
	return strings.ToLower(str(cs[i:j])), j + 1
}

// parseOptions splits "a:1 b:two words" into typed options of defs.
func parseOptions(path string, defs []*discordgo.ApplicationCommandOption, rest []char) ([]*discordgo.ApplicationCommandInteractionDataOption, string, error) {
	rest = trimSpace(rest)
	ask := len(rest) > 0 && !rest[len(rest)-1].esc && rest[len(rest)-1].r == '?'
	if ask {
		rest = trimSpace(rest[:len(rest)-1])
	}
	if len(rest) == 0 {
		if ask {
			for _, d := range defs {
				if d.Autocomplete && d.Type != discordgo.ApplicationCommandOptionSubCommand {
					return []*discordgo.ApplicationCommandInteractionDataOption{{Name: d.Name, Type: d.Type, Value: "", Focused: true}}, d.Name, nil
				}
			}
			return nil, "", fmt.Errorf("%s has no option to suggest values for; usage: %s", path, usage(path, defs))
		}
		return nil, "", nil
	}
	if len(defs) == 0 {
		return nil, "", fmt.Errorf("%s takes no options, but %q follows it", path, str(rest))
	}

	type span struct {
		def        *discordgo.ApplicationCommandOption
		start, end int // the value's characters
	}
	var spans []span
	for i := 0; i < len(rest); i++ {
		if i > 0 && !isSpace(rest[i-1]) {
			continue
		}
		name, start := optionAt(rest, i)
		if name == "" {
			if i == 0 {
				return nil, "", fmt.Errorf("%s expects options written as name:value; usage: %s", path, usage(path, defs))
			}
			continue
		}
		def := findOption(defs, name)
		if def == nil {
			if i == 0 {
				return nil, "", fmt.Errorf("%s has no option %q; its options are %s", path, name, optionNames(defs))
			}
			continue // part of the previous value, such as "note: 12:30"
		}
		if len(spans) > 0 {
			spans[len(spans)-1].end = i
		}
		spans = append(spans, span{def: def, start: start, end: len(rest)})
	}

	var out []*discordgo.ApplicationCommandInteractionDataOption
	focused := ""
	for n, s := range spans {
		raw := trimSpace(rest[s.start:s.end])
		value := str(raw)
		if findGiven(out, s.def.Name) != nil {
			return nil, "", fmt.Errorf("option %s is given twice; give it once", s.def.Name)
		}
		opt := &discordgo.ApplicationCommandInteractionDataOption{Name: s.def.Name, Type: s.def.Type}
		last := n == len(spans)-1
		if last && ask {
			if s.def.Autocomplete {
				// Discord sends the text typed so far, as typed.
				opt.Value, opt.Focused, focused = value, true, s.def.Name
				out = append(out, opt)
				continue
			}
			value += "?" // a question, not a request for suggestions
		}
		v, err := convertValue(s.def, value)
		if err != nil {
			return nil, "", err
		}
		opt.Value = v
		out = append(out, opt)
	}
	return out, focused, nil
}

// convertValue types a value the way Discord's JSON carries it.
func convertValue(def *discordgo.ApplicationCommandOption, value string) (any, error) {
	name := def.Name
	if value == "" {
		return nil, fmt.Errorf("option %s needs a value after %s", name, name+":")
	}
	if len(def.Choices) > 0 {
		return choiceValue(def, value)
	}
	switch def.Type {
	case discordgo.ApplicationCommandOptionString:
		n := utf8.RuneCountInString(value)
		if def.MinLength != nil && n < *def.MinLength {
			return nil, fmt.Errorf("option %s needs at least %d characters, got %d", name, *def.MinLength, n)
		}
		if def.MaxLength > 0 && n > def.MaxLength {
			return nil, fmt.Errorf("option %s takes at most %d characters, got %d", name, def.MaxLength, n)
		}
		return value, nil
	case discordgo.ApplicationCommandOptionInteger:
		i, err := strconv.ParseInt(value, 10, 64)
		if err != nil || i > 1<<53 || i < -(1<<53) {
			return nil, fmt.Errorf("option %s expects a whole number such as 5, got %q", name, value)
		}
		return checkRange(def, float64(i))
	case discordgo.ApplicationCommandOptionNumber:
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("option %s expects a number such as 2.5, got %q", name, value)
		}
		return checkRange(def, f)
	case discordgo.ApplicationCommandOptionBoolean:
		switch strings.ToLower(value) {
		case "true", "yes", "on", "1":
			return true, nil
		case "false", "no", "off", "0":
			return false, nil
		}
		return nil, fmt.Errorf("option %s expects true or false, got %q", name, value)
	case discordgo.ApplicationCommandOptionUser, discordgo.ApplicationCommandOptionChannel,
		discordgo.ApplicationCommandOptionRole, discordgo.ApplicationCommandOptionMentionable:
		id := strings.TrimSuffix(value, ">")
		for _, p := range []string{"<@&", "<@!", "<@", "<#"} {
			if strings.HasPrefix(id, p) {
				id = id[len(p):]
				break
			}
		}
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return nil, fmt.Errorf("option %s expects a mention such as <@123> or a numeric ID, got %q", name, value)
		}
		return id, nil
	case discordgo.ApplicationCommandOptionAttachment:
		return value, nil // a local path, which ParseLine turns into an attachment
	}
	return nil, fmt.Errorf("option %s has a type the console does not know (%d)", name, def.Type)
}

func checkRange(def *discordgo.ApplicationCommandOption, f float64) (any, error) {
	if def.MinValue != nil && f < *def.MinValue {
		return nil, fmt.Errorf("option %s must be at least %s", def.Name, strconv.FormatFloat(*def.MinValue, 'f', -1, 64))
	}
	if def.MaxValue != 0 && f > def.MaxValue {
		return nil, fmt.Errorf("option %s must be at most %s", def.Name, strconv.FormatFloat(def.MaxValue, 'f', -1, 64))
	}
	return f, nil
}

// choiceValue matches value against a choice's name or value.
func choiceValue(def *discordgo.ApplicationCommandOption, value string) (any, error) {
	names := make([]string, 0, len(def.Choices))
	for _, c := range def.Choices {
		if c == nil {
			continue
		}
		if strings.EqualFold(c.Name, value) || strings.EqualFold(fmt.Sprint(c.Value), value) {
			switch v := c.Value.(type) {
			case int:
				return float64(v), nil
			case int64:
				return float64(v), nil
			case float32:
				return float64(v), nil
			}
			return c.Value, nil
		}
		names = append(names, fmt.Sprint(c.Value))
	}
	return nil, fmt.Errorf("option %s must be one of: %s; got %q", def.Name, strings.Join(names, ", "), value)
}

func findCommand(catalog []*discordgo.ApplicationCommand, name string) *discordgo.ApplicationCommand {
	for _, c := range catalog {
		if c != nil && isChat(c) && strings.EqualFold(c.Name, name) {
			return c
		}
	}
	return nil
}

func isChat(c *discordgo.ApplicationCommand) bool {
	return c.Type == 0 || c.Type == discordgo.ChatApplicationCommand
}

func unknownCommand(catalog []*discordgo.ApplicationCommand, name string) error {
	var names []string
	for _, c := range catalog {
		if c != nil && isChat(c) {
			names = append(names, c.Name)
		}
	}
	if near := briefings.Closest(name, names, 1); len(near) > 0 {
		return fmt.Errorf("there is no command /%s; did you mean /%s? Type help to list them", name, near[0])
	}
	return fmt.Errorf("there is no command /%s; type help to list them", name)
}

// commandID is the catalog's ID for cmd, or a stable stand-in before the
// catalog was registered with Discord.
func commandID(cmd *discordgo.ApplicationCommand) string {
	if cmd.ID != "" {
		return cmd.ID
	}
	return "console-" + cmd.Name
}

func findOption(defs []*discordgo.ApplicationCommandOption, name string) *discordgo.ApplicationCommandOption {
	for _, d := range defs {
		if d != nil && strings.EqualFold(d.Name, name) {
			return d
		}
	}
	return nil
}

func findGiven(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range opts {
		if o.Name == name {
			return o
		}
	}
	return nil
}

func isSubcommand(d *discordgo.ApplicationCommandOption) bool {
	return d != nil && (d.Type == discordgo.ApplicationCommandOptionSubCommand || d.Type == discordgo.ApplicationCommandOptionSubCommandGroup)
}

func hasSubcommands(defs []*discordgo.ApplicationCommandOption) bool {
	for _, d := range defs {
		if isSubcommand(d) {
			return true
		}
	}
	return false
}

func subcommandNames(defs []*discordgo.ApplicationCommandOption) []string {
	var names []string
	for _, d := range defs {
		if isSubcommand(d) {
			names = append(names, d.Name)
		}
	}
	return names
}

func optionNames(defs []*discordgo.ApplicationCommandOption) string {
	var names []string
	for _, d := range defs {
		if d != nil {
			names = append(names, d.Name)
		}
	}
	return strings.Join(names, ", ")
}

// usage shows how to type a leaf command: required options first, optional
// ones in brackets.
func usage(path string, defs []*discordgo.ApplicationCommandOption) string {
	parts := []string{path}
	for _, d := range defs {
		if d != nil && d.Required {
			parts = append(parts, d.Name+":<"+typeHint(d)+">")
		}
	}
	for _, d := range defs {
		if d != nil && !d.Required {
			parts = append(parts, "["+d.Name+":<"+typeHint(d)+">]")
		}
	}
	return strings.Join(parts, " ")
}

func typeHint(d *discordgo.ApplicationCommandOption) string {
	if len(d.Choices) > 0 && len(d.Choices) <= 6 {
		var vs []string
		for _, c := range d.Choices {
			if c != nil {
				vs = append(vs, fmt.Sprint(c.Value))
			}
		}
		return strings.Join(vs, "|")
	}
	switch d.Type {
	case discordgo.ApplicationCommandOptionInteger:
		return "number"
	case discordgo.ApplicationCommandOptionNumber:
		return "decimal"
	case discordgo.ApplicationCommandOptionBoolean:
		return "true|false"
	case discordgo.ApplicationCommandOptionUser:
		return "@user"
	case discordgo.ApplicationCommandOptionChannel:
		return "#channel"
	case discordgo.ApplicationCommandOptionRole:
		return "@role"
	case discordgo.ApplicationCommandOptionMentionable:
		return "@mention"
	case discordgo.ApplicationCommandOptionAttachment:
		return "file"
	}
	return "text"
}

// HelpText lists the chat commands of catalog with their subcommands and
// options, one usage line each followed by its description.
func HelpText(catalog []*discordgo.ApplicationCommand) string {
	var b strings.Builder
	var walk func(path, desc string, defs []*discordgo.ApplicationCommandOption)
	walk = func(path, desc string, defs []*discordgo.ApplicationCommandOption) {
		if hasSubcommands(defs) {
			for _, d := range defs {
				if isSubcommand(d) {
					walk(path+" "+d.Name, d.Description, d.Options)
				}
			}
			return
		}
		b.WriteString(usage(path, defs))
		b.WriteByte('\n')
		if desc != "" {
			b.WriteString("    " + desc + "\n")
		}
	}
	for _, c := range catalog {
		if c != nil && isChat(c) {
			walk("/"+c.Name, c.Description, c.Options)
		}
	}
	if b.Len() == 0 {
		return "No commands are available yet.\n"
	}
	return b.String()
}
