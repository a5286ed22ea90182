package fileformat

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"briefbot/briefings"
)

// fastJSON reads a part of a file that is one JSON object in the plain
// form export tools write, without the YAML parser, which takes most of an
// import's time. It reads only what it can read exactly as the YAML parser
// would: an object of known fields, strings without unusual escapes, lists
// of them, nothing repeated, nothing after the object. Anything else (and
// any briefing briefings.Validate refuses) makes it return false, and the
// part goes to the YAML parser, which reads it in full and says what is
// wrong with it where.
type fastJSON struct {
	s   []byte
	i   int
	bad bool
}

// parseFastJSON returns the briefing in text, or false.
func parseFastJSON(text []byte) (*briefings.Briefing, bool) {
	p := &fastJSON{s: text}
	p.space()
	if p.i+3 <= len(p.s) && string(p.s[p.i:p.i+3]) == "---" {
		p.i += 3
		if p.i < len(p.s) && p.s[p.i] != ' ' && p.s[p.i] != '\t' && p.s[p.i] != '\n' {
			return nil, false
		}
		p.space()
	}
	if p.i >= len(p.s) || p.s[p.i] != '{' {
		return nil, false
	}
	b := &briefings.Briefing{}
	p.object(func(key string) {
		switch key {
		case "slug":
			b.Slug = p.str()
		case "title":
			b.Title = p.str()
		case "published":
			b.Published = p.date()
		case "status":
			b.Status = briefings.Status(p.str())
		case "retraction_reason":
			b.RetractionReason = p.str()
		case "source":
			p.object(func(key string) {
				switch key {
				case "name":
					b.Source.Name = p.str()
				case "url":
					b.Source.URL = p.str()
				default:
					p.bad = true
				}
			})
		case "topics":
			b.Topics = p.strs()
		case "summary":
			b.Summary = p.str()
		case "body":
			b.Body = p.str()
		case "actors":
			p.list(func() { b.Actors = append(b.Actors, p.actor()) })
		case "events":
			p.list(func() { b.Events = append(b.Events, p.event()) })
		case "facts":
			p.list(func() { b.Facts = append(b.Facts, p.fact()) })
		case "corrections":
			p.list(func() { b.Corrections = append(b.Corrections, p.correction()) })
		default:
			p.bad = true
		}
	})
	p.space()
	if p.bad || p.i != len(p.s) {
		return nil, false
	}
	return b, true
}

func (p *fastJSON) actor() briefings.Actor {
	var a briefings.Actor
	p.object(func(key string) {
		switch key {
		case "name":
			a.Name = p.str()
		case "kind":
			a.Kind = briefings.ActorKind(p.str())
		case "aliases":
			a.Aliases = p.strs()
		case "description":
			a.Description = p.str()
		default:
			p.bad = true
		}
	})
	return a
}

func (p *fastJSON) event() briefings.Event {
	var e briefings.Event
	p.object(func(key string) {
		switch key {
		case "name":
			e.Name = p.str()
		case "date":
			e.Date = p.date()
		case "end":
			e.End = p.date()
		case "location":
			e.Location = p.str()
		case "participants":
			e.Participants = p.strs()
		case "description":
			e.Description = p.str()
		default:
			p.bad = true
		}
	})
	return e
}

func (p *fastJSON) fact() briefings.Fact {
	var f briefings.Fact
	p.object(func(key string) {
		switch key {
		case "text":
			f.Text = p.str()
		case "attribution":
			f.Attribution = p.str()
		case "actors":
			f.Actors = p.strs()
		case "event":
			f.Event = p.str()
		case "as_of":
			f.AsOf = p.date()
		default:
			p.bad = true
		}
	})
	return f
}

func (p *fastJSON) correction() briefings.Correction {
	var c briefings.Correction
	p.object(func(key string) {
		switch key {
		case "date":
			c.Date = p.date()
		case "text":
			c.Text = p.str()
		default:
			p.bad = true
		}
	})
	return c
}

// space skips blanks and line breaks; a comment makes the part not plain.
func (p *fastJSON) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n':
			p.i++
		case '#':
			p.bad = true
			return
		default:
			return
		}
	}
}

// expect consumes c after blanks.
func (p *fastJSON) expect(c byte) bool {
	p.space()
	if p.bad || p.i >= len(p.s) || p.s[p.i] != c {
		p.bad = true
		return false
	}
	p.i++
	return true
}

// object reads {"key": value, ...}, calling field for each key with the
// value next; a repeated key is not plain.
func (p *fastJSON) object(field func(key string)) {
	if !p.expect('{') {
		return
	}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return
	}
	var seen []string
	for !p.bad {
		key := p.str()
		for _, k := range seen {
			if k == key {
				p.bad = true
			}
		}
		seen = append(seen, key)
		if !p.expect(':') {
			return
		}
		if field(key); p.bad {
			return
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		p.expect('}')
		return
	}
}

// list reads [value, ...], calling item for each.
func (p *fastJSON) list(item func()) {
	if !p.expect('[') {
		return
	}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return
	}
	for !p.bad {
		if item(); p.bad {
			return
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		p.expect(']')
		return
	}
}

// strs reads a list of strings; an empty list is nil, as in docDecoder.
func (p *fastJSON) strs() []string {
	var out []string
	p.list(func() { out = append(out, p.str()) })
	return out
}

// date reads a date string.
func (p *fastJSON) date() briefings.Date {
	s := p.str()
	if p.bad {
		return briefings.Date{}
	}
	d, err := briefings.ParseDate(s)
	if err != nil {
		p.bad = true
	}
	return d
}

// str reads a string with the escapes JSON and YAML read alike; any other
// escape, a control character or a lone surrogate is not plain.
func (p *fastJSON) str() string {
	if !p.expect('"') {
		return ""
	}
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			s := string(p.s[start:p.i])
			p.i++
			return s
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.i++
	}
	buf := append([]byte(nil), p.s[start:p.i]...)
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(buf)
		case c < 0x20:
			p.bad = true
			return ""
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.s) {
			break
		}
		e := p.s[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\':
			buf = append(buf, e)
		case 'n':
			buf = append(buf, '\n')
		case 't':
			buf = append(buf, '\t')
		case 'r':
			buf = append(buf, '\r')
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'u':
			if p.i+4 > len(p.s) {
				p.bad = true
				return ""
			}
			n, err := strconv.ParseUint(string(p.s[p.i:p.i+4]), 16, 16)
			if err != nil || utf16.IsSurrogate(rune(n)) || n == 0 {
				p.bad = true
				return ""
			}
			buf = utf8.AppendRune(buf, rune(n))
			p.i += 4
		default:
			p.bad = true
			return ""
		}
	}
	p.bad = true
	return ""
}
