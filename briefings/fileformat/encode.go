package fileformat

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"briefbot/briefings"
)

// Encode writes bs in the briefing file format, one document per briefing
// separated by "---" lines, fields in the documented order. Empty optional
// fields are left out, and so is the status when it is published; text of
// several lines is written as a literal block (|). The output depends only
// on bs, and decoding it gives back the same briefings, so encoding again
// writes the same bytes. Store fields (IDs, versions, guild, authors and
// times) are not part of the format and are not written.
func Encode(w io.Writer, bs []*briefings.Briefing) error {
	e := &encoder{}
	for i, b := range bs {
		if b == nil {
			return fmt.Errorf("encode briefing %d: nil briefing", i+1)
		}
		if i > 0 {
			e.buf.WriteString("---\n")
		}
		e.briefing(b)
		if e.err != nil {
			return fmt.Errorf("encode briefing %d (%s): %w", i+1, b.Slug, e.err)
		}
	}
	if _, err := w.Write(e.buf.Bytes()); err != nil {
		return fmt.Errorf("write briefings: %w", err)
	}
	return nil
}

// encoder writes YAML by hand so that the layout and quoting never depend
// on a library's choices.
type encoder struct {
	buf bytes.Buffer
	err error
}

func (e *encoder) briefing(b *briefings.Briefing) {
	e.text("", "slug", b.Slug)
	e.text("", "title", b.Title)
	e.date("", "published", b.Published)
	if b.Status != "" && b.Status != briefings.StatusPublished {
		e.text("", "status", string(b.Status))
	}
	e.text("", "retraction_reason", b.RetractionReason)
	if b.Source != (briefings.Source{}) {
		e.buf.WriteString("source:\n")
		e.text("  ", "name", b.Source.Name)
		e.text("  ", "url", b.Source.URL)
	}
	e.texts("", "topics", b.Topics)
	e.text("", "summary", b.Summary)
	e.text("", "body", b.Body)
	if len(b.Actors) > 0 {
		e.buf.WriteString("actors:\n")
	}
	for _, a := range b.Actors {
		f := e.item()
		e.text(f(), "name", a.Name)
		e.text(f(), "kind", string(a.Kind))
		e.texts(f(), "aliases", a.Aliases)
		e.text(f(), "description", a.Description)
		e.close(f)
	}
	if len(b.Events) > 0 {
		e.buf.WriteString("events:\n")
	}
	for _, ev := range b.Events {
		f := e.item()
		e.text(f(), "name", ev.Name)
		e.date(f(), "date", ev.Date)
		e.date(f(), "end", ev.End)
		e.text(f(), "location", ev.Location)
		e.texts(f(), "participants", ev.Participants)
		e.text(f(), "description", ev.Description)
		e.close(f)
	}
	if len(b.Facts) > 0 {
		e.buf.WriteString("facts:\n")
	}
	for _, ft := range b.Facts {
		f := e.item()
		e.text(f(), "text", ft.Text)
		e.text(f(), "attribution", ft.Attribution)
		e.texts(f(), "actors", ft.Actors)
		e.text(f(), "event", ft.Event)
		e.date(f(), "as_of", ft.AsOf)
		e.close(f)
	}
	if len(b.Corrections) > 0 {
		e.buf.WriteString("corrections:\n")
	}
	for _, c := range b.Corrections {
		f := e.item()
		e.date(f(), "date", c.Date)
		e.text(f(), "text", c.Text)
		e.close(f)
	}
}

// item starts a list entry and returns the prefix for its next field: "  - "
// for the first field written, "    " after. Callers evaluate it only for
// fields they write, since empty fields write nothing.
func (e *encoder) item() func() string {
	start := e.buf.Len()
	return func() string {
		if e.buf.Len() == start {
			return "  - "
		}
		return "    "
	}
}

// close writes an empty mapping for an entry with no fields at all, so the
// list keeps its length.
func (e *encoder) close(prefix func() string) {
	if prefix() == "  - " {
		e.buf.WriteString("  - {}\n")
	}
}

// text writes "key: value" after prefix, leaving empty values out.
func (e *encoder) text(prefix, key, v string) {
	if v == "" {
		return
	}
	if !utf8.ValidString(v) {
		e.fail(fmt.Errorf("%s is not valid UTF-8", key))
		return
	}
	e.buf.WriteString(prefix + key + ":")
	if block, ok := literal(v, len(prefix)+2); ok {
		e.buf.WriteString(" " + block)
		return
	}
	e.buf.WriteString(" " + scalar1(v, false) + "\n")
}

// texts writes a list of text as a flow sequence: "key: [a, b]".
func (e *encoder) texts(prefix, key string, vs []string) {
	if len(vs) == 0 {
		return
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		if !utf8.ValidString(v) {
			e.fail(fmt.Errorf("%s is not valid UTF-8", key))
			return
		}
		parts[i] = scalar1(v, true)
	}
	e.buf.WriteString(prefix + key + ": [" + strings.Join(parts, ", ") + "]\n")
}

// date writes a date in the form that keeps its precision.
func (e *encoder) date(prefix, key string, d briefings.Date) {
	var s string
	switch d.P {
	case briefings.PrecisionNone:
		return
	case briefings.PrecisionTime:
		s = d.T.UTC().Format(time.RFC3339Nano)
	default:
		s = d.String()
	}
	if s == "" {
		e.fail(fmt.Errorf("%s has an unknown precision %d", key, d.P))
		return
	}
	e.buf.WriteString(prefix + key + ": " + s + "\n")
}

func (e *encoder) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// literal writes v as a literal block scalar indented by indent spaces, with
// its header and a final line break, when v holds several lines that a
// block can carry exactly; ok is false otherwise.
func literal(v string, indent int) (block string, ok bool) {
	if !strings.Contains(v, "\n") || strings.TrimSpace(v) == "" {
		return "", false
	}
	lines := strings.Split(v, "\n")
	for _, l := range lines {
		if strings.HasSuffix(l, " ") || strings.HasPrefix(l, "\t") {
			return "", false
		}
		for _, r := range l {
			if r != '\t' && !unicode.IsPrint(r) {
				return "", false
			}
		}
	}
	header := "|"
	for _, l := range lines {
		if l != "" {
			if l[0] == ' ' {
				// The indentation indicator counts from the parent's
				// indentation, which is always two spaces less.
				header += "2"
			}
			break
		}
	}
	// The chomping indicator keeps the trailing line breaks exactly.
	body := strings.TrimRight(v, "\n")
	switch trailing := len(v) - len(body); {
	case trailing == 0:
		header += "-"
	case trailing > 1:
		header += "+"
	}
	var b strings.Builder
	b.WriteString(header + "\n")
	pad := strings.Repeat(" ", indent)
	for _, l := range strings.Split(body, "\n") {
		if l != "" {
			b.WriteString(pad + l)
		}
		b.WriteByte('\n')
	}
	for range len(v) - len(body) - 1 {
		b.WriteByte('\n')
	}
	return b.String(), true
}

// reserved are plain words YAML readers turn into booleans or null.
var reserved = map[string]bool{
	"true": true, "false": true, "yes": true, "no": true, "on": true,
	"off": true, "y": true, "n": true, "null": true,
}

// scalar1 writes v on one line: plain when that is unambiguous for any YAML
// reader, double-quoted otherwise. In a flow list, commas and colons also
// need quotes.
func scalar1(v string, flow bool) string {
	if plain(v, flow) {
		return v
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range v {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == ' ' || unicode.IsPrint(r):
			b.WriteRune(r)
		case r > 0xFFFF:
			fmt.Fprintf(&b, `\U%08X`, r)
		default:
			fmt.Fprintf(&b, `\u%04X`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// plain reports whether v can be written without quotes: it starts with a
// letter, holds only letters, digits, marks, single spaces and harmless
// punctuation, and cannot be read as anything but text.
func plain(v string, flow bool) bool {
	first, _ := utf8.DecodeRuneInString(v)
	if v == "" || !unicode.IsLetter(first) || reserved[strings.ToLower(v)] {
		return false
	}
	if strings.HasSuffix(v, " ") || strings.HasSuffix(v, ":") || strings.Contains(v, ": ") || strings.Contains(v, "  ") {
		return false
	}
	for _, r := range v {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), unicode.IsMark(r):
		case strings.ContainsRune(" -_.;'’‘“”«»…–—()/&?!%+", r):
		case r == ':' || r == ',':
			if flow {
				return false
			}
		default:
			return false
		}
	}
	return true
}
