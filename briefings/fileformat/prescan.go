package fileformat

import (
	"fmt"
	"unicode/utf8"
)

// Limits on what Decode reads. The YAML parser's memory and time grow much
// faster than its input on deep nesting (32 KB of "[" took it past 1.4 GB,
// 600 KB of nested "- " past 1.3 GB), so prescan checks these limits on the
// raw bytes, in constant memory, before any document reaches the parser.
// A real briefing is far inside all of them: it nests four levels deep, its
// largest mapping has thirteen fields, and one with every list at its limit
// holds about 6,000 values.
const (
	// MaxFileBytes is the largest file Decode reads.
	MaxFileBytes = 32 << 20
	// MaxDocumentBytes is the largest single document (briefing).
	MaxDocumentBytes = 1 << 20
	// MaxDocuments is the most documents (briefings) one file may hold.
	MaxDocuments = 10_000
	// MaxDepth is the deepest nesting of lists and mappings.
	MaxDepth = 64
	// MaxValues is the most values (keys, scalars, lists and mappings, and
	// comments, which the parser keeps too) one document may hold; Decode
	// also counts every use of an alias.
	MaxValues = 10_000
	// MaxFields is the most fields one mapping may hold.
	MaxFields = 200
	// MaxProblems is the most problems an *Error lists; it counts the rest.
	MaxProblems = 50
)

// prescan checks data, with "\n" line breaks, against the limits and
// returns the first problem, or nil. It follows the YAML structure only as
// far as the limits need: quotes, comments, block scalars, flow brackets,
// "- " entries, "key:" fields and indentation. Where it is unsure it counts
// more, never less, so that nothing it passes can surprise the parser.
func prescan(file string, data []byte) *Problem {
	return prescanFrom(file, 1, 1, false, data)
}

// prescanFrom is prescan for data that starts on line firstLine of the file
// as its document doc; later says that data starts with the "---" line of a
// document after the first, as the chunks a Decoder reads do.
func prescanFrom(file string, doc, firstLine int, later bool, data []byte) *Problem {
	s := &prescanner{file: file, doc: doc, block: noBlock}
	line := firstLine
	for pos := 0; pos < len(data); line++ {
		end := pos
		for end < len(data) && data[end] != '\n' {
			end++
		}
		l := data[pos:end]
		if pos == 0 && later && isDocumentStart(l) {
			l = l[3:]
		} else if isDocumentStart(l) && pos > s.docStart {
			if p := s.endDocument(pos, line); p != nil {
				return p
			}
			s.startDocument(pos)
			s.line = line
			if s.doc > MaxDocuments {
				return s.problem("the file holds more than %s documents (briefings); split it into several files", thousands(MaxDocuments))
			}
			l = l[3:] // content after "---" is a node of the new document
		}
		s.line = line
		if p := s.scanLine(l, len(data[pos:end])-len(l)); p != nil {
			return p
		}
		pos = end + 1
	}
	return s.endDocument(len(data), line)
}

// isDocumentStart reports whether a line starts a document: "---" alone or
// followed by a space or tab. splitDocuments cuts at the same lines.
func isDocumentStart(l []byte) bool {
	return len(l) >= 3 && l[0] == '-' && l[1] == '-' && l[2] == '-' && (len(l) == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\n')
}

// noBlock marks that no block scalar is open.
const noBlock = -2

// prescanner is prescan's state between lines.
type prescanner struct {
	file     string
	doc      int // current document, from 1
	line     int // current line, from 1
	docStart int // byte offset where the current document starts
	values   int // values seen in the current document
	// stack holds the columns of the open block levels (indentation and
	// entries that open on the same line as their parent).
	stack []int
	// fields counts the fields of the mapping open at each level.
	fields [MaxDepth + 2]int
	flow   int  // open "[" and "{"
	quote  byte // the quote of a scalar that continues on the next line
	// empty is true in flow context until an entry has a value: a second
	// "," then counts as an (empty) value of its own.
	empty bool
	// block is the indentation a block scalar's lines must exceed, or
	// noBlock; blockIndent is its content's indentation once known, or -1.
	block, blockIndent int
}

func (s *prescanner) problem(format string, args ...any) *Problem {
	return &Problem{File: s.file, Doc: s.doc, Line: s.line, Message: fmt.Sprintf(format, args...)}
}

func (s *prescanner) startDocument(pos int) {
	*s = prescanner{file: s.file, doc: s.doc + 1, docStart: pos, stack: s.stack[:0], block: noBlock}
}

// endDocument checks the size of the document that ends at pos, before
// line.
func (s *prescanner) endDocument(pos, line int) *Problem {
	if n := pos - s.docStart; n > MaxDocumentBytes {
		s.line = line - 1
		return s.problem("the document is %s KiB; a briefing may take up to %s KiB. Split it, or check that a \"---\" line is not missing", thousands((n+1023)>>10), thousands(MaxDocumentBytes>>10))
	}
	return nil
}

// value counts one value of the current document.
func (s *prescanner) value() *Problem {
	s.values++
	if s.values > MaxValues {
		return s.problem("the document holds more than %s values and comments; a briefing needs far fewer. Check for a runaway list", thousands(MaxValues))
	}
	return nil
}

// depth is the current nesting.
func (s *prescanner) depth() int { return len(s.stack) + s.flow }

// open starts a nesting level; column is its column for block levels, or -1
// for a flow bracket.
func (s *prescanner) open(column int) *Problem {
	if column >= 0 {
		s.stack = append(s.stack, column)
	} else {
		s.flow++
	}
	d := s.depth()
	if d > MaxDepth {
		return s.problem("nesting deeper than %d levels; a briefing needs no more than 4", MaxDepth)
	}
	s.fields[d] = 0
	return nil
}

// field counts a "key:" of the innermost open mapping.
func (s *prescanner) field() *Problem {
	d := s.depth()
	s.fields[d]++
	if s.fields[d] > MaxFields {
		return s.problem("a mapping with more than %d fields; a briefing has at most 13. Check for a runaway mapping", MaxFields)
	}
	return nil
}

// scanLine reads one line; offset is the column l starts at.
func (s *prescanner) scanLine(l []byte, offset int) *Problem {
	if s.quote != 0 {
		i := s.inQuote(l, 0)
		if s.quote != 0 {
			return nil
		}
		return s.afterNode(l, i, offset, offset)
	}
	indent := 0
	for indent < len(l) && l[indent] == ' ' {
		indent++
	}
	first := indent
	for first < len(l) && isBlank(l[first]) {
		first++
	}
	if first == len(l) {
		return nil // blank lines belong to whatever is open
	}
	indent += offset
	if s.block != noBlock {
		switch {
		case s.blockIndent < 0 && indent > s.block:
			s.blockIndent = indent
			return nil
		case s.blockIndent >= 0 && indent >= s.blockIndent:
			return nil
		}
		s.block = noBlock
	}
	if l[first] == '#' {
		return s.value() // the parser keeps comments too
	}
	if s.flow > 0 {
		return s.flowTokens(l, first, offset)
	}
	for len(s.stack) > 0 && s.stack[len(s.stack)-1] > indent {
		s.stack = s.stack[:len(s.stack)-1]
	}
	if len(s.stack) == 0 || s.stack[len(s.stack)-1] < indent {
		if p := s.open(indent); p != nil {
			return p
		}
	}
	parent := indent
	if offset > 0 { // the rest of a "---" line: the document's own node
		parent = -1
	}
	return s.node(l, first, offset, parent)
}

// node reads a block node starting at l[i]: entries, properties, then a
// flow collection, quoted or block scalar, alias or plain scalar, and the
// value after it when it is a key. parent is the indentation a block
// scalar here must exceed.
func (s *prescanner) node(l []byte, i, offset, parent int) *Problem {
	for i < len(l) {
		c := l[i]
		switch {
		case isBlank(c):
			i++
			continue
		case c == '#' && (i == 0 || isBlank(l[i-1])):
			return s.value()
		case (c == '-' || c == '?') && (i+1 == len(l) || isBlank(l[i+1])):
			// An entry counts as a value when it is empty; otherwise its
			// content does.
			parent = i + offset
			j := i + 1
			for j < len(l) && isBlank(l[j]) {
				j++
			}
			if j < len(l) && l[j] != '#' {
				if p := s.open(j + offset); p != nil {
					return p
				}
			} else if p := s.value(); p != nil {
				return p
			}
			i = j
			continue
		case c == '&' || c == '!':
			if p := s.value(); p != nil { // anchors and tags count too
				return p
			}
			i = skipToken(l, i)
			continue
		case c == '|' || c == '>':
			s.block, s.blockIndent = parent, -1
			return s.value()
		case c == ']' || c == '}' || c == ',':
			// No plain scalar starts with these: the parser reads them as
			// flow indicators, however many there are.
			return s.flowTokens(l, i, offset)
		}
		start := i
		if p := s.value(); p != nil {
			return p
		}
		switch c {
		case '[', '{':
			if p := s.open(-1); p != nil {
				return p
			}
			s.empty = true
			return s.flowTokens(l, i+1, offset)
		case '"', '\'':
			s.quote = c
			i = s.inQuote(l, i+1)
			if s.quote != 0 {
				return nil
			}
			return s.afterNode(l, i, offset, start+offset)
		case '*':
			return s.afterNode(l, skipToken(l, i), offset, start+offset)
		}
		// A plain scalar runs to ": " (then it was a key), " #" or the end.
		for ; i < len(l); i++ {
			if l[i] == ':' && (i+1 == len(l) || isBlank(l[i+1])) {
				return s.fieldValue(l, i+1, offset, start+offset)
			}
			if l[i] == '#' && isBlank(l[i-1]) {
				return s.value()
			}
		}
		return nil
	}
	return nil
}

// afterNode reads what follows a quoted scalar, alias or flow collection in
// block context: ":" makes it a key. Anything else is not YAML the parser
// accepts, but it may still read brackets there, so the rest of the line is
// counted as flow context.
func (s *prescanner) afterNode(l []byte, i, offset, keyColumn int) *Problem {
	for i < len(l) && isBlank(l[i]) {
		i++
	}
	if i < len(l) && l[i] == ':' && (i+1 == len(l) || isBlank(l[i+1])) {
		return s.fieldValue(l, i+1, offset, keyColumn)
	}
	return s.flowTokens(l, i, offset)
}

// fieldValue counts a field whose key started at keyColumn and reads its value
// from l[i], if it is on the same line.
func (s *prescanner) fieldValue(l []byte, i, offset, keyColumn int) *Problem {
	if p := s.field(); p != nil {
		return p
	}
	return s.node(l, i, offset, keyColumn)
}

// flowTokens reads flow context from l[i] to the end of the line, or until
// the outermost bracket closes.
func (s *prescanner) flowTokens(l []byte, i, offset int) *Problem {
	for i < len(l) {
		c := l[i]
		switch {
		case isBlank(c):
			i++
			continue
		case c == ',':
			i++
			if s.empty {
				if p := s.value(); p != nil {
					return p
				}
			}
			s.empty = true
			continue
		case c == '#' && (i == 0 || isBlank(l[i-1])):
			return s.value()
		case c == ']' || c == '}':
			i++
			if s.flow == 0 { // a stray closer: the parser still reads it
				if p := s.value(); p != nil {
					return p
				}
				continue
			}
			if s.flow--; s.flow == 0 { // back in block context: the collection may be a key
				for i < len(l) && isBlank(l[i]) {
					i++
				}
				if i < len(l) && l[i] == ':' && (i+1 == len(l) || isBlank(l[i+1])) {
					return s.fieldValue(l, i+1, offset, -1)
				}
			}
			continue
		case c == ':':
			if p := s.field(); p != nil {
				return p
			}
			i++
			continue
		}
		if p := s.value(); p != nil { // anchors and tags count too
			return p
		}
		s.empty = false
		switch c {
		case '&', '!':
			i = skipToken(l, i)
		case '[', '{':
			if p := s.open(-1); p != nil {
				return p
			}
			s.empty = true
			i++
		case '"', '\'':
			s.quote = c
			i = s.inQuote(l, i+1)
			if s.quote != 0 {
				return nil
			}
		case '*':
			i = skipToken(l, i)
		default: // a plain scalar, up to an indicator
			for i++; i < len(l); i++ {
				c := l[i]
				if c == ',' || c == '[' || c == ']' || c == '{' || c == '}' ||
					c == ':' && (i+1 == len(l) || isBlank(l[i+1]) || isFlowIndicator(l[i+1])) ||
					c == '#' && isBlank(l[i-1]) {
					break
				}
			}
		}
	}
	return nil
}

// inQuote reads a quoted scalar from l[i], after its opening quote s.quote,
// and returns the position after the closing quote, clearing s.quote; or
// len(l) when the scalar goes on to the next line.
func (s *prescanner) inQuote(l []byte, i int) int {
	for ; i < len(l); i++ {
		switch {
		case s.quote == '"' && l[i] == '\\':
			i++
		case l[i] == s.quote && s.quote == '\'' && i+1 < len(l) && l[i+1] == '\'':
			i++
		case l[i] == s.quote:
			s.quote = 0
			return i + 1
		}
	}
	return len(l)
}

// skipToken returns the position after the anchor, alias or tag at l[i].
func skipToken(l []byte, i int) int {
	for i < len(l) && !isBlank(l[i]) && !isFlowIndicator(l[i]) {
		i++
	}
	return i
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

func isFlowIndicator(c byte) bool {
	return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'
}

// invalidUTF8 returns the line and column (in bytes, from 1) of the first
// byte of data that is not UTF-8, or 0, 0 when it all is.
func invalidUTF8(data []byte) (line, column int) {
	if utf8.Valid(data) {
		return 0, 0
	}
	line, start := 1, 0
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return line, i - start + 1
		}
		if r == '\n' {
			line, start = line+1, i+1
		}
		i += n
	}
	return 0, 0
}

// byteSize shows a size in the unit people expect.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
