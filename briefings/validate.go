package briefings

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a briefing may hold. Discord's own limits drive several:
// a title must fit an embed title.
const (
	MaxSlug        = 100
	MaxTitle       = 256
	MaxSummary     = 4000
	MaxBody        = 100_000
	MaxName        = 100
	MaxDescription = 1000
	MaxFactText    = 1000
	MaxAttribution = 200
	MaxCorrection  = 1000
	MaxAliases     = 20
	MaxTopics      = 10
	MaxFacts       = 100
	MaxActors      = 100
	MaxEvents      = 100
	MaxURL         = 2000
	MaxLocation    = 200
	MaxReason      = 1000
)

// FieldError is one validation failure: which field, what is wrong, and the
// offending value where showing it helps.
type FieldError struct {
	// Field is a path such as "facts[3].attribution" (1-based indexes).
	Field string
	// Message says what is wrong and what is allowed.
	Message string
}

// String formats the error as "field: message".
func (e FieldError) String() string { return e.Field + ": " + e.Message }

// ValidationError lists every field that failed validation.
type ValidationError struct {
	// Fields are the failures in field order.
	Fields []FieldError
}

// Error joins the failures into one line per field.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		lines[i] = f.String()
	}
	return "invalid briefing: " + strings.Join(lines, "; ")
}

// AsError converts the validation failures into an EINVALID application
// error, or nil when there are none.
func (e *ValidationError) AsError() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	lines := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		lines[i] = f.String()
	}
	return &Error{Code: EINVALID, Message: strings.Join(lines, "\n")}
}

type checker struct{ errs []FieldError }

func (c *checker) add(field, format string, args ...any) {
	c.errs = append(c.errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// text checks a string's length in characters, that required ones are set,
// and that it holds no control characters but line breaks and tabs: a NUL
// or an escape sequence would travel into every message, export and
// terminal that shows the text.
func (c *checker) text(field, v string, required bool, max int) {
	n := len(v) // no fewer bytes than characters: count them only when it matters
	if n > max {
		n = utf8.RuneCountInString(v)
	}
	switch {
	case required && strings.TrimSpace(v) == "":
		c.add(field, "required")
	case !utf8.ValidString(v):
		c.add(field, "is not valid UTF-8")
	case n > max:
		c.add(field, "is %d characters; the limit is %d", n, max)
	default:
		c.characters(field, v)
	}
}

// characters refuses control characters and bidirectional controls,
// naming the first of each. It reads plain ASCII text eight bytes at a
// time and decodes only the rest: an import checks every field of every
// briefing, and decoding each character took most of Validate.
func (c *checker) characters(field, v string) {
	ctl, bidi := rune(-1), rune(-1)
	for i := 0; i < len(v); {
		if i+8 <= len(v) && plainWord(v[i:i+8]) {
			i += 8
			continue
		}
		if b := v[i]; b < utf8.RuneSelf {
			if ctl < 0 && (b < ' ' || b == 0x7f) && b != '\n' && b != '\r' && b != '\t' {
				ctl = rune(b)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(v[i:])
		if ctl < 0 && forbiddenControl(r) {
			ctl = r
		}
		if bidi < 0 && IsBidiControl(r) {
			bidi = r
		}
		i += n
	}
	if ctl >= 0 {
		c.add(field, "contains the control character %U; remove it", ctl)
	}
	if bidi >= 0 {
		c.add(field, "contains the bidirectional control %U, which changes how the text around it is shown; remove it", bidi)
	}
}

// plainWord reports whether the eight bytes of w are all printable ASCII
// (' ' to '~'), checking them together.
func plainWord(w string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
	below := (x - ones*' ') &^ x & highs // a byte under ' ' (exact when none is ≥ 0x80)
	y := x ^ (ones * 0x7f)
	del := (y - ones) &^ y & highs // a DEL byte
	return x&highs == 0 && below == 0 && del == 0
}

// date checks that a date the store will write fits its formats once in UTC.
func (c *checker) date(field string, d Date) {
	if err := d.CheckRange(); err != nil {
		c.add(field, "%v", err)
	}
}

// forbiddenControl reports whether r is a control character other than a
// line break or a tab.
func forbiddenControl(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
}

func (c *checker) count(field string, n, max int) {
	if n > max {
		c.add(field, "has %d entries; the limit is %d", n, max)
	}
}

// quote shortens a value for an error message.
func quote(v string) string {
	return fmt.Sprintf("%q", Truncate(v, 60))
}

// Validate checks a briefing against every rule of the file format, and
// against what the store will do with it (dates are checked as the store
// writes them, in UTC), and returns a *ValidationError listing all
// failures, or nil.
func Validate(b *Briefing) *ValidationError {
	c := &checker{}
	if b.Slug != "" {
		if utf8.RuneCountInString(b.Slug) > MaxSlug {
			c.add("slug", "is %d characters; the limit is %d", utf8.RuneCountInString(b.Slug), MaxSlug)
		} else if Slugify(b.Slug) != b.Slug {
			c.add("slug", "%s may hold only lowercase letters, digits and single hyphens (try %q)", quote(b.Slug), Slugify(b.Slug))
		}
	}
	c.text("title", b.Title, true, MaxTitle)
	if b.Slug == "" && Slugify(b.Title) == "" && strings.TrimSpace(b.Title) != "" {
		c.add("slug", "required: the title %s gives no slug", quote(b.Title))
	}
	c.text("summary", b.Summary, true, MaxSummary)
	c.text("body", b.Body, false, MaxBody)
	if b.Published.IsZero() {
		c.add("published", "required: a date such as 2025-08-12")
	}
	c.date("published", b.Published)
	c.text("source.name", b.Source.Name, false, MaxName)
	if b.Source.URL != "" {
		if utf8.RuneCountInString(b.Source.URL) > MaxURL {
			c.add("source.url", "is %d characters; the limit is %d", utf8.RuneCountInString(b.Source.URL), MaxURL)
		} else if u, err := url.Parse(b.Source.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			c.add("source.url", "%s is not an http or https URL", quote(b.Source.URL))
		} else {
			c.characters("source.url", b.Source.URL)
		}
	}
	if len(b.Topics) == 0 {
		c.add("topics", "required: at least one topic")
	}
	c.count("topics", len(b.Topics), MaxTopics)
	for i, t := range b.Topics {
		if Slugify(t) == "" {
			c.add(fmt.Sprintf("topics[%d]", i+1), "%s gives no topic slug", quote(t))
		} else {
			c.text(fmt.Sprintf("topics[%d]", i+1), t, true, MaxName)
		}
	}
	if b.Status != "" && !b.Status.Valid() {
		c.add("status", "%s is not one of draft, published, retracted", quote(string(b.Status)))
	}
	c.text("retraction_reason", b.RetractionReason, false, MaxReason)
	for i, k := range b.Corrections {
		f := fmt.Sprintf("corrections[%d]", i+1)
		if k.Date.IsZero() {
			c.add(f+".date", "required")
		}
		c.date(f+".date", k.Date)
		c.text(f+".text", k.Text, true, MaxCorrection)
	}

	c.count("actors", len(b.Actors), MaxActors)
	names := map[string]string{} // folded name or alias -> field that declared it
	for i, a := range b.Actors {
		f := fmt.Sprintf("actors[%d]", i+1)
		c.text(f+".name", a.Name, true, MaxName)
		if a.Kind != "" && !a.Kind.Valid() {
			c.add(f+".kind", "%s is not one of person, country, organization, group, place", quote(string(a.Kind)))
		}
		c.text(f+".description", a.Description, false, MaxDescription)
		c.count(f+".aliases", len(a.Aliases), MaxAliases)
		for j, al := range append([]string{a.Name}, a.Aliases...) {
			field := f + ".name"
			if j > 0 {
				field = fmt.Sprintf("%s.aliases[%d]", f, j)
				c.text(field, al, true, MaxName)
			}
			key := Fold(al)
			if key == "" {
				continue
			}
			if prev, ok := names[key]; ok && !strings.HasPrefix(prev, f+".") {
				c.add(field, "%s is already used by %s", quote(al), prev)
			}
			names[key] = field
		}
	}

	c.count("events", len(b.Events), MaxEvents)
	events := map[string]bool{}
	for i, e := range b.Events {
		f := fmt.Sprintf("events[%d]", i+1)
		c.text(f+".name", e.Name, true, MaxName)
		if events[Fold(e.Name)] && e.Name != "" {
			c.add(f+".name", "%s appears twice", quote(e.Name))
		}
		events[Fold(e.Name)] = true
		if e.Date.IsZero() {
			c.add(f+".date", "required: YYYY, YYYY-MM or YYYY-MM-DD")
		}
		c.date(f+".date", e.Date)
		c.date(f+".end", e.End)
		if !e.End.IsZero() && !e.Date.IsZero() && e.End.T.Before(e.Date.T) {
			c.add(f+".end", "%s is before the date %s", e.End, e.Date)
		}
		c.text(f+".location", e.Location, false, MaxLocation)
		c.text(f+".description", e.Description, false, MaxDescription)
		for j, p := range e.Participants {
			c.text(fmt.Sprintf("%s.participants[%d]", f, j+1), p, true, MaxName)
		}
	}

	c.count("facts", len(b.Facts), MaxFacts)
	for i, ft := range b.Facts {
		f := fmt.Sprintf("facts[%d]", i+1)
		c.text(f+".text", ft.Text, true, MaxFactText)
		c.text(f+".attribution", ft.Attribution, true, MaxAttribution)
		for j, a := range ft.Actors {
			c.text(fmt.Sprintf("%s.actors[%d]", f, j+1), a, true, MaxName)
		}
		c.text(f+".event", ft.Event, false, MaxName)
		c.date(f+".as_of", ft.AsOf)
	}
	if len(c.errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: c.errs}
}

// Checked is a briefing that Validate passed, sealed: Check keeps its own
// copy, so that changing the briefing afterwards changes nothing it holds.
// A store saves a Checked briefing without running Validate again (an
// import used to validate every briefing twice, once as it was read and
// once as it was saved); the checks that need the library still run. The
// zero Checked holds no briefing.
type Checked struct{ b *Briefing }

// Check validates b as Validate does and returns it sealed when it passes.
func Check(b *Briefing) (Checked, *ValidationError) {
	if verr := Validate(b); verr != nil {
		return Checked{}, verr
	}
	return Checked{b: b.clone()}, nil
}

// Briefing returns a copy of the checked briefing, nil for the zero
// Checked.
func (c Checked) Briefing() *Briefing {
	if c.b == nil {
		return nil
	}
	return c.b.clone()
}

// clone copies b down to its lists, which are all that a copy of the
// struct would share with it: strings cannot change.
func (b *Briefing) clone() *Briefing {
	n := *b
	n.Topics = slices.Clone(b.Topics)
	n.Corrections = slices.Clone(b.Corrections)
	n.Actors = slices.Clone(b.Actors)
	for i := range n.Actors {
		n.Actors[i].Aliases = slices.Clone(n.Actors[i].Aliases)
	}
	n.Events = slices.Clone(b.Events)
	for i := range n.Events {
		n.Events[i].Participants = slices.Clone(n.Events[i].Participants)
	}
	n.Facts = slices.Clone(b.Facts)
	for i := range n.Facts {
		n.Facts[i].Actors = slices.Clone(n.Facts[i].Actors)
	}
	return &n
}

// ItemError is the validation failure of one briefing in a batch.
type ItemError struct {
	// Index is the briefing's position in the batch, from 0.
	Index int
	// Slug or title identifies the briefing for people.
	Slug string
	// Fields are its failures.
	Fields []FieldError
}

// BatchError reports every invalid briefing of a batch that was saved all or
// nothing, so nothing was written. Its code is EINVALID.
type BatchError struct {
	// Items are the failing briefings in batch order.
	Items []ItemError
}

// Error lists each failing briefing and field on its own line.
func (e *BatchError) Error() string {
	var b strings.Builder
	for i, it := range e.Items {
		for j, f := range it.Fields {
			if i > 0 || j > 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, "briefing %d (%s): %s", it.Index+1, it.Slug, f)
		}
	}
	return b.String()
}

// Unwrap exposes the EINVALID code to ErrorCode and ErrorMessage.
func (e *BatchError) Unwrap() error { return &Error{Code: EINVALID, Message: e.Error()} }
