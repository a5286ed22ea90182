package fileformat

import (
	"fmt"
	"strings"

	"briefbot/briefings"

	"github.com/goccy/go-yaml/ast"
)

// docDecoder turns the YAML tree of one document into a briefing, noting a
// problem for every field of the wrong shape.
type docDecoder struct {
	file       string
	doc        int
	lineOffset int
	problems   []Problem
	// lines maps each field path seen to its line in the file, so that
	// validation failures can point at the field (or the nearest parent).
	lines map[string]int
	// shaped holds the paths that already have a shape problem; validation
	// failures at or under them would only repeat it.
	shaped  []string
	anchors map[string]ast.Node
	aliases int
	// values counts the values read, every use of an alias included; past
	// MaxValues the rest of the document is not read.
	values   int
	overflow bool
	// checked is the briefing sealed by finish when it passed
	// briefings.Validate.
	checked briefings.Checked
}

// maxAliases bounds the uses of aliases within a document.
const maxAliases = 1000

// field is one known key of a mapping and what to do with its value.
type field struct {
	name string
	set  func(path string, v ast.Node)
}

func (d *docDecoder) add(path string, line int, format string, args ...any) {
	d.problems = append(d.problems, Problem{File: d.file, Doc: d.doc, Line: line, Field: path, Message: fmt.Sprintf(format, args...)})
}

// shape notes a problem with a field's shape and remembers the field.
func (d *docDecoder) shape(path string, n ast.Node, format string, args ...any) {
	d.add(path, d.line(n), format, args...)
	d.shaped = append(d.shaped, path)
}

func (d *docDecoder) line(n ast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line + d.lineOffset
	}
	return 0
}

// lineOf returns the line of path, or of its nearest parent that was seen.
func (d *docDecoder) lineOf(path string) int {
	for path != "" {
		if l, ok := d.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return d.lines[""]
}

// resolve looks through tags, anchors and aliases to the node that holds
// the value. It returns nil for a missing value or an unknown alias.
func (d *docDecoder) resolve(path string, n ast.Node) ast.Node {
	if d.values++; d.values > 2*MaxValues { // keys and values
		if !d.overflow {
			d.overflow = true
			d.shape(path, n, "the document holds more than %s values once its aliases are expanded; write the values out instead of repeating aliases", thousands(MaxValues))
		}
		return nil
	}
	for range 100 {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			if v.Name != nil {
				d.anchors[v.Name.GetToken().Value] = v.Value
			}
			n = v.Value
		case *ast.AliasNode:
			name := ""
			if v.Value != nil {
				name = v.Value.GetToken().Value
			}
			target, ok := d.anchors[name]
			d.aliases++
			switch {
			case d.aliases == maxAliases+1:
				d.shape(path, n, "the document uses aliases (*name) more than %s times; write the values out", thousands(maxAliases))
				return nil
			case d.aliases > maxAliases:
				d.shaped = append(d.shaped, path)
				return nil
			case !ok:
				d.shape(path, n, "alias *%s does not name an anchor (&%s) earlier in the document", name, name)
				return nil
			}
			n = target
		default:
			return n
		}
	}
	return n
}

// kind names a node's type for people.
func kind(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping of fields"
	case *ast.SequenceNode:
		return "a list"
	}
	return "text"
}

// scalar returns the text of a scalar node as written: numbers, booleans and
// dates keep their spelling. ok is false when n is a list or mapping.
func scalar(n ast.Node) (s string, ok bool) {
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return "", true
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		if v.Value == nil {
			return "", true
		}
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, true
	}
	return "", false
}

// text reads a text field.
func (d *docDecoder) text(path string, n ast.Node) string {
	n = d.resolve(path, n)
	s, ok := scalar(n)
	if !ok {
		d.shape(path, n, "must be text, not %s", kind(n))
	}
	return s
}

// date reads a date field, keeping its precision.
func (d *docDecoder) date(path string, n ast.Node) briefings.Date {
	n = d.resolve(path, n)
	s, ok := scalar(n)
	if !ok {
		d.shape(path, n, "must be a date such as 2025-08-12, not %s", kind(n))
		return briefings.Date{}
	}
	t, err := briefings.ParseDate(s)
	if err != nil {
		d.shape(path, n, "%v", err)
	}
	return t
}

// list calls item for every entry of a list field; a missing or null value
// is an empty list.
func (d *docDecoder) list(path string, n ast.Node, item func(path string, v ast.Node)) {
	n = d.resolve(path, n)
	switch v := n.(type) {
	case nil, *ast.NullNode:
	case *ast.SequenceNode:
		for i, e := range v.Values {
			p := fmt.Sprintf("%s[%d]", path, i+1)
			d.lines[p] = d.line(e)
			item(p, e)
		}
	default:
		d.shape(path, n, "must be a list such as [a, b], not %s", kind(n))
	}
}

// texts reads a list of text.
func (d *docDecoder) texts(path string, n ast.Node) []string {
	var out []string
	d.list(path, n, func(p string, v ast.Node) { out = append(out, d.text(p, v)) })
	return out
}

// mapping reads a mapping whose keys must be among fields, reporting unknown
// and repeated keys. It returns false when n is not a mapping at all.
func (d *docDecoder) mapping(path string, n ast.Node, fields []field) bool {
	n = d.resolve(path, n)
	var pairs []*ast.MappingValueNode
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return true
	case *ast.MappingNode:
		pairs = v.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{v}
	default:
		if path == "" {
			d.shape(path, n, "a briefing must be a mapping of fields such as title: and summary:, not %s; separate several briefings with --- lines", kind(n))
		} else {
			d.shape(path, n, "must be a mapping of fields, not %s", kind(n))
		}
		return false
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	seen := map[string]int{}
	for _, kv := range pairs {
		key, ok := scalar(d.resolve(path, kv.Key))
		if _, merge := kv.Key.(*ast.MergeKeyNode); merge {
			d.shape(path, kv.Key, "merge keys (<<) are not supported; write the fields out")
			continue
		}
		if !ok {
			d.shape(path, kv.Key, "field names must be plain words such as title, not %s", kind(kv.Key))
			continue
		}
		p := key
		if path != "" {
			p = path + "." + key
		}
		line := d.line(kv.Key)
		if first, dup := seen[key]; dup {
			d.shape(p, kv.Key, "appears twice in the same mapping (first on line %d); keep one", first)
			continue
		}
		seen[key] = line
		var set func(string, ast.Node)
		for _, f := range fields {
			if f.name == key {
				set = f.set
			}
		}
		if set == nil {
			d.shape(p, kv.Key, "%s", unknownField(key, names))
			continue
		}
		d.lines[p] = line
		set(p, kv.Value)
	}
	return true
}

// unknownField says a key is not part of the format and which known field
// was probably meant.
func unknownField(key string, known []string) string {
	if s := suggest(key, known); s != "" {
		return fmt.Sprintf("unknown field %q; did you mean %q?", key, s)
	}
	return fmt.Sprintf("unknown field %q; the fields here are %s", key, strings.Join(known, ", "))
}

// suggest returns the known field closest to a mistyped key: the same but
// for case or hyphens, a prefix of it, or a typo or two away (a swap of
// neighbouring letters counts as one). It returns "" when none is close.
func suggest(key string, known []string) string {
	k := strings.ToLower(strings.ReplaceAll(key, "-", "_"))
	limit := max(1, len([]rune(k))/3)
	best, bestD := "", limit+1
	for _, f := range known {
		d := typoDistance(k, f)
		if len(k) >= 3 && strings.HasPrefix(f, k) {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = f, d
		}
	}
	return best
}

// typoDistance is the edit distance between a and b counting insertions,
// deletions, substitutions and swaps of adjacent characters.
func typoDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// briefing reads a whole document, or returns nil when it is not a mapping.
func (d *docDecoder) briefing(n ast.Node) *briefings.Briefing {
	b := &briefings.Briefing{}
	d.lines[""] = d.line(n)
	ok := d.mapping("", n, []field{
		{"slug", func(p string, v ast.Node) { b.Slug = d.text(p, v) }},
		{"title", func(p string, v ast.Node) { b.Title = d.text(p, v) }},
		{"published", func(p string, v ast.Node) { b.Published = d.date(p, v) }},
		{"status", func(p string, v ast.Node) { b.Status = briefings.Status(d.text(p, v)) }},
		{"retraction_reason", func(p string, v ast.Node) { b.RetractionReason = d.text(p, v) }},
		{"source", func(p string, v ast.Node) {
			d.mapping(p, v, []field{
				{"name", func(p string, v ast.Node) { b.Source.Name = d.text(p, v) }},
				{"url", func(p string, v ast.Node) { b.Source.URL = d.text(p, v) }},
			})
		}},
		{"topics", func(p string, v ast.Node) { b.Topics = d.texts(p, v) }},
		{"summary", func(p string, v ast.Node) { b.Summary = d.text(p, v) }},
		{"body", func(p string, v ast.Node) { b.Body = d.text(p, v) }},
		{"actors", func(p string, v ast.Node) {
			d.list(p, v, func(p string, v ast.Node) { b.Actors = append(b.Actors, d.actor(p, v)) })
		}},
		{"events", func(p string, v ast.Node) {
			d.list(p, v, func(p string, v ast.Node) { b.Events = append(b.Events, d.event(p, v)) })
		}},
		{"facts", func(p string, v ast.Node) {
			d.list(p, v, func(p string, v ast.Node) { b.Facts = append(b.Facts, d.fact(p, v)) })
		}},
		{"corrections", func(p string, v ast.Node) {
			d.list(p, v, func(p string, v ast.Node) { b.Corrections = append(b.Corrections, d.correction(p, v)) })
		}},
	})
	if !ok {
		return nil
	}
	return b
}

func (d *docDecoder) actor(path string, n ast.Node) briefings.Actor {
	var a briefings.Actor
	d.mapping(path, n, []field{
		{"name", func(p string, v ast.Node) { a.Name = d.text(p, v) }},
		{"kind", func(p string, v ast.Node) { a.Kind = briefings.ActorKind(d.text(p, v)) }},
		{"aliases", func(p string, v ast.Node) { a.Aliases = d.texts(p, v) }},
		{"description", func(p string, v ast.Node) { a.Description = d.text(p, v) }},
	})
	return a
}

func (d *docDecoder) event(path string, n ast.Node) briefings.Event {
	var e briefings.Event
	d.mapping(path, n, []field{
		{"name", func(p string, v ast.Node) { e.Name = d.text(p, v) }},
		{"date", func(p string, v ast.Node) { e.Date = d.date(p, v) }},
		{"end", func(p string, v ast.Node) { e.End = d.date(p, v) }},
		{"location", func(p string, v ast.Node) { e.Location = d.text(p, v) }},
		{"participants", func(p string, v ast.Node) { e.Participants = d.texts(p, v) }},
		{"description", func(p string, v ast.Node) { e.Description = d.text(p, v) }},
	})
	return e
}

func (d *docDecoder) fact(path string, n ast.Node) briefings.Fact {
	var f briefings.Fact
	d.mapping(path, n, []field{
		{"text", func(p string, v ast.Node) { f.Text = d.text(p, v) }},
		{"attribution", func(p string, v ast.Node) { f.Attribution = d.text(p, v) }},
		{"actors", func(p string, v ast.Node) { f.Actors = d.texts(p, v) }},
		{"event", func(p string, v ast.Node) { f.Event = d.text(p, v) }},
		{"as_of", func(p string, v ast.Node) { f.AsOf = d.date(p, v) }},
	})
	return f
}

func (d *docDecoder) correction(path string, n ast.Node) briefings.Correction {
	var c briefings.Correction
	d.mapping(path, n, []field{
		{"date", func(p string, v ast.Node) { c.Date = d.date(p, v) }},
		{"text", func(p string, v ast.Node) { c.Text = d.text(p, v) }},
	})
	return c
}

// finish fills the defaults and adds the validation failures that are not
// already explained by a shape problem.
func (d *docDecoder) finish(b *briefings.Briefing) {
	if b.Slug == "" {
		b.Slug = briefings.Slugify(b.Title)
	}
	if b.Status == "" {
		b.Status = briefings.StatusPublished
	}
	if d.overflow {
		return // the document was not read to the end; its gaps are no news
	}
	checked, verr := briefings.Check(b)
	if verr == nil {
		d.checked = checked
		return
	}
	for _, f := range verr.Fields {
		if d.explained(f.Field) {
			continue
		}
		d.add(f.Field, d.lineOf(f.Field), "%s", f.Message)
	}
}

// explained reports whether a shape problem at path or one of its parents
// already covers a validation failure at path.
func (d *docDecoder) explained(path string) bool {
	for _, s := range d.shaped {
		if path == s || strings.HasPrefix(path, s+".") || strings.HasPrefix(path, s+"[") {
			return true
		}
	}
	return false
}
