// Package fileformat reads and writes briefing files: YAML (or JSON, which
// is YAML too) holding one briefing per document, documents separated by
// "---" lines. docs/briefing-format.md describes the format for moderators.
//
// Decode checks a whole file before returning anything, so an import can be
// all or nothing: every problem of every document comes back at once, each
// naming the file, the document and the field. Encode writes briefings back
// in the same format, byte for byte the same on every run.
package fileformat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"briefbot/briefings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Problem is one thing wrong with a briefing file.
type Problem struct {
	// File is the name the file was decoded under.
	File string
	// Doc is the document's position in the file, from 1; 0 when the
	// problem concerns the whole file.
	Doc int
	// Line is the 1-based line of the file the problem is on, or 0 when it
	// is not known.
	Line int
	// Field is the field's path, such as "facts[3].attribution" (indexes
	// from 1); empty for problems with the document as a whole, such as a
	// YAML syntax error.
	Field string
	// Message says what is wrong and what is allowed.
	Message string
}

// String formats the problem as "file:doc 2: facts[3].attribution: required".
// A problem without a field names the line instead, when it is known.
// Control characters and bidirectional controls from the file, such as the
// escape sequences of a hostile field name, are shown escaped ("\x1b"), so
// that printing a problem never drives a terminal.
func (p Problem) String() string {
	return briefings.EscapeControl(p.rawString())
}

func (p Problem) rawString() string {
	var b strings.Builder
	b.WriteString(p.File)
	switch {
	case p.Doc > 0 && p.File != "":
		fmt.Fprintf(&b, ":doc %d: ", p.Doc)
	case p.Doc > 0:
		fmt.Fprintf(&b, "doc %d: ", p.Doc)
	case p.File != "":
		b.WriteString(": ")
	}
	switch {
	case p.Field != "":
		b.WriteString(p.Field + ": ")
	case p.Line > 0:
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	b.WriteString(p.Message)
	return b.String()
}

// Error lists every problem found in a briefing file. Its code is
// briefings.EINVALID.
type Error struct {
	// Problems are in document order, each document's in file order: the
	// first MaxProblems of them.
	Problems []Problem
	// More counts the problems found after those.
	More int
}

// Error puts each problem on its own line, and then how many more there are.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems), len(e.Problems)+1)
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	if e.More > 0 {
		lines = append(lines, MoreProblems(e.More))
	}
	return strings.Join(lines, "\n")
}

// MoreProblems says how many problems a capped list leaves out:
// "…and 99,950 more".
func MoreProblems(n int) string {
	return "…and " + thousands(n) + " more"
}

// add keeps p when fewer than MaxProblems are kept, and counts it otherwise.
func (e *Error) add(ps ...Problem) {
	for _, p := range ps {
		if len(e.Problems) < MaxProblems {
			e.Problems = append(e.Problems, p)
		} else {
			e.More++
		}
	}
}

// Unwrap exposes the EINVALID code to briefings.ErrorCode and
// briefings.ErrorMessage.
func (e *Error) Unwrap() error {
	return &briefings.Error{Code: briefings.EINVALID, Message: e.Error()}
}

// Decode reads every briefing in r, a file called name (used in problems),
// and checks each with briefings.Validate. It returns the briefings only when
// the whole file is valid; otherwise the error is an *Error listing the
// problems of every document (the first MaxProblems, and how many more). An
// empty file is an error.
//
// Hostile files are refused before they reach the YAML parser: a file larger
// than MaxFileBytes, text that is not UTF-8, and a document beyond the other
// limits (MaxDocuments, MaxDocumentBytes, MaxDepth, MaxValues, MaxFields) get
// one problem naming the limit and the line. A file of up to 1 MiB, the most
// a moderator can attach, is decoded in well under 100 MB of memory.
//
// A briefing without a slug gets briefings.Slugify of its title, one without
// a status is published, and topics are kept as written, slug or display
// name. Actor names in participants and facts are not resolved here: that
// needs the library and is the store's job.
func Decode(r io.Reader, name string) ([]*briefings.Briefing, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxFileBytes {
		return nil, &Error{Problems: []Problem{TooLarge(name)}}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n")) // YAML's other line break
	if line, col := invalidUTF8(data); line > 0 {
		return nil, &Error{Problems: []Problem{{File: name, Line: line, Message: fmt.Sprintf(
			"line %d is not valid UTF-8 (column %d); save the file as UTF-8", line, col)}}}
	}
	if p := prescan(name, data); p != nil {
		return nil, &Error{Problems: []Problem{*p}}
	}

	var (
		out  []*briefings.Briefing
		fail = &Error{}
		ds   = docState{file: name, slugDoc: map[string]int{}}
	)
	for _, c := range splitDocuments(data) {
		ds.chunk(c, func(b *briefings.Briefing, _ int, problems []Problem) {
			if len(fail.Problems) == 0 && len(problems) == 0 && b != nil {
				out = append(out, b)
			}
			fail.add(problems...)
		})
	}
	if ds.doc == 0 {
		fail.add(noBriefings(name))
	}
	if len(fail.Problems) > 0 {
		return nil, fail
	}
	return out, nil
}

// noBriefings is the problem of a file without a document.
func noBriefings(name string) Problem {
	return Problem{File: name, Message: "no briefings: the file holds no YAML document; see docs/briefing-format.md for an example"}
}

// noFastJSON turns parseFastJSON off, for tests that compare it with the
// YAML parser.
var noFastJSON = false

// docState numbers the documents of one file and remembers their slugs.
type docState struct {
	file    string
	doc     int
	slugDoc map[string]int // slug -> document that has it
}

// chunk parses one part of the file and calls each for every document in
// it, in order, with its briefing (nil when it is not a mapping or could
// not be parsed), its number and its problems.
func (ds *docState) chunk(c chunk, each func(b *briefings.Briefing, doc int, problems []Problem)) {
	ds.checkedChunk(c, func(b *briefings.Briefing, _ briefings.Checked, doc int, problems []Problem) { each(b, doc, problems) })
}

// checkedChunk is chunk, also passing each the briefing sealed
// (briefings.Check) when it passed briefings.Validate.
func (ds *docState) checkedChunk(c chunk, each func(b *briefings.Briefing, checked briefings.Checked, doc int, problems []Problem)) {
	if b, ok := parseFastJSON(c.text); ok && !noFastJSON {
		dd := &docDecoder{file: ds.file, doc: ds.doc + 1, lineOffset: c.line - 1, lines: map[string]int{}}
		dd.finish(b)
		if _, dup := ds.slugDoc[b.Slug]; len(dd.problems) == 0 && !dup {
			ds.doc++
			if b.Slug != "" {
				ds.slugDoc[b.Slug] = ds.doc
			}
			each(b, dd.checked, ds.doc, nil)
			return
		}
	}
	docs, perr := parseChunk(c.text)
	if perr != nil {
		ds.doc++
		each(nil, briefings.Checked{}, ds.doc, []Problem{syntaxProblem(ds.file, ds.doc, c.line, perr)})
		return
	}
	for _, d := range docs {
		if d.Body == nil {
			continue
		}
		ds.doc++
		dd := &docDecoder{file: ds.file, doc: ds.doc, lineOffset: c.line - 1, lines: map[string]int{}, anchors: map[string]ast.Node{}}
		b := dd.briefing(d.Body)
		if b != nil {
			dd.finish(b)
			if prev, ok := ds.slugDoc[b.Slug]; ok && b.Slug != "" {
				dd.add("slug", dd.lineOf("slug"), "%q is also the slug of document %d; give each briefing its own slug", b.Slug, prev)
			} else if b.Slug != "" {
				ds.slugDoc[b.Slug] = ds.doc
			}
		}
		each(b, dd.checked, ds.doc, dd.problems)
	}
}

// TooLarge is the problem of a file larger than MaxFileBytes, for callers
// that can tell the size before reading.
func TooLarge(name string) Problem {
	return Problem{File: name, Message: fmt.Sprintf("the file is larger than %s, the most one import reads; split it into several files", byteSize(MaxFileBytes))}
}

// chunk is the text of one "---"-separated part of a file and the line it
// starts on.
type chunk struct {
	text []byte
	line int
}

// splitDocuments cuts data before every line that starts a document ("---"
// alone or followed by a space), so that a syntax error in one document
// does not hide the problems of the others.
func splitDocuments(data []byte) []chunk {
	var (
		out   []chunk
		start int
		line  = 1
		first = 1
	)
	for pos := 0; pos < len(data); {
		end := bytes.IndexByte(data[pos:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += pos + 1
		}
		l := data[pos:end]
		if pos > start && bytes.HasPrefix(l, []byte("---")) && (len(l) == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\n') {
			out = append(out, chunk{text: data[start:pos], line: first})
			start, first = pos, line
		}
		pos = end
		line++
	}
	return append(out, chunk{text: data[start:], line: first})
}

// parseChunk parses one part of a file, turning a panic inside the YAML
// parser into an error so that no input can crash an import.
func parseChunk(text []byte) (docs []*ast.DocumentNode, err error) {
	defer func() {
		if r := recover(); r != nil {
			docs, err = nil, fmt.Errorf("the YAML could not be read (%v)", r)
		}
	}()
	f, err := parser.ParseBytes(text, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, err
	}
	return f.Docs, nil
}

// syntaxProblem turns a parser error into a problem naming the line.
func syntaxProblem(file string, doc, firstLine int, err error) Problem {
	p := Problem{File: file, Doc: doc, Message: err.Error()}
	var se *yaml.SyntaxError
	if errors.As(err, &se) {
		p.Message = "YAML syntax: " + se.Message
		if se.Token != nil && se.Token.Position != nil {
			p.Line = se.Token.Position.Line + firstLine - 1
		}
	}
	if p.Line == 0 {
		p.Line = firstLine
	}
	return p
}
