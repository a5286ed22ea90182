package fileformat

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"briefbot/briefings"
)

// Decoder reads a briefing file one document at a time, for files too large
// to hold in memory: its memory is bounded by the largest document
// (MaxDocumentBytes), not by the file. Each document is checked against the
// limits of Decode (MaxDocumentBytes, MaxDepth, MaxValues, MaxFields, valid
// UTF-8) before it reaches the YAML parser, and a document beyond them ends
// the file with one problem naming the limit and the line, as in Decode.
// Unlike Decode, a Decoder puts no limit on the size of the file or on how
// many documents it holds.
//
// Next returns the valid briefings in file order; documents with problems
// are skipped, and Err lists their problems once Next has returned io.EOF.
// A caller that wants all or nothing must therefore check Err before it
// keeps anything Next returned.
type Decoder struct {
	name   string
	br     *bufio.Reader
	ds     docState
	fail   Error
	buf    []byte
	start  []byte // the "---" line that starts the next part, when read
	atLine bool   // the next byte read starts a line
	line   int    // lines read to the end so far
	part   int    // parts ("---"-separated chunks) read so far
	queue  []Decoded
	done   bool
}

// Decoded is a briefing a Decoder returns and the document it came from.
type Decoded struct {
	Briefing *briefings.Briefing
	// Checked is the same briefing sealed as briefings.Validate passed
	// it, for a store to save without validating it again.
	Checked briefings.Checked
	// Doc is the document's position in the file, from 1.
	Doc int
}

// NewDecoder returns a decoder reading r, a file called name (used in
// problems).
func NewDecoder(r io.Reader, name string) *Decoder {
	return &Decoder{
		name:   name,
		br:     bufio.NewReaderSize(&lineBreaks{r: r}, 64<<10),
		ds:     docState{file: name, slugDoc: map[string]int{}},
		atLine: true,
	}
}

// Next returns the next valid briefing of the file, or io.EOF when there
// are no more. Any other error is a read error.
func (d *Decoder) Next() (Decoded, error) {
	for len(d.queue) == 0 {
		if d.done {
			return Decoded{}, io.EOF
		}
		if err := d.readPart(); err != nil {
			d.done = true
			return Decoded{}, fmt.Errorf("read %s: %w", d.name, err)
		}
	}
	next := d.queue[0]
	d.queue[0] = Decoded{}
	d.queue = d.queue[1:]
	return next, nil
}

// Err returns an *Error listing the problems found so far (the first
// MaxProblems, and how many more), or nil when there are none. After Next
// returned io.EOF it covers the whole file.
func (d *Decoder) Err() error {
	if d.done && d.ds.doc == 0 && len(d.fail.Problems) == 0 {
		d.fail.add(noBriefings(d.name))
	}
	if len(d.fail.Problems) == 0 {
		return nil
	}
	return &d.fail
}

// Problems reports whether a problem was found so far.
func (d *Decoder) Problems() bool { return len(d.fail.Problems) > 0 }

// readPart reads the next "---"-separated part of the file, checks it and
// decodes its documents into the queue.
func (d *Decoder) readPart() error {
	d.buf = d.buf[:0]
	first := d.line + 1
	size, over := 0, false
	add := func(p []byte) {
		size += len(p)
		if size <= MaxDocumentBytes {
			d.buf = append(d.buf, p...)
		} else {
			over = true
		}
		d.atLine = p[len(p)-1] == '\n'
		if d.atLine {
			d.line++
		}
	}
	if d.start != nil {
		add(d.start)
		d.start = nil
	}
	for {
		p, err := d.br.ReadSlice('\n')
		if len(p) > 0 && d.part == 0 && d.line == 0 && size == 0 {
			p = bytes.TrimPrefix(p, []byte("\ufeff"))
		}
		if len(p) > 0 {
			if d.atLine && size > 0 && isDocumentStart(p) {
				d.start = append([]byte(nil), p...)
				break
			}
			add(p)
		}
		if errors.Is(err, io.EOF) {
			d.done = true
			break
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
	if size == 0 && d.done {
		return nil // an empty file, or nothing after the last "---"
	}
	d.part++
	last := d.line
	if !d.atLine {
		last++
	}
	if over {
		d.fatal(Problem{File: d.name, Doc: d.part, Line: last, Message: fmt.Sprintf(
			"the document is %s KiB; a briefing may take up to %s KiB. Split it, or check that a \"---\" line is not missing",
			thousands((size+1023)>>10), thousands(MaxDocumentBytes>>10))})
		return nil
	}
	if line, col := invalidUTF8(d.buf); line > 0 {
		line += first - 1
		d.fatal(Problem{File: d.name, Line: line, Message: fmt.Sprintf(
			"line %d is not valid UTF-8 (column %d); save the file as UTF-8", line, col)})
		return nil
	}
	if p := prescanFrom(d.name, d.part, first, d.part > 1, d.buf); p != nil {
		d.fatal(*p)
		return nil
	}
	d.ds.checkedChunk(chunk{text: d.buf, line: first}, func(b *briefings.Briefing, checked briefings.Checked, doc int, problems []Problem) {
		if len(problems) == 0 && b != nil {
			d.queue = append(d.queue, Decoded{Briefing: b, Checked: checked, Doc: doc})
		}
		d.fail.add(problems...)
	})
	return nil
}

// fatal records a problem that ends the file: nothing after it is read.
func (d *Decoder) fatal(p Problem) {
	d.fail.add(p)
	d.done = true
	d.queue = nil
}

// lineBreaks turns "\r\n" and lone "\r" into "\n", as Decode does.
type lineBreaks struct {
	r  io.Reader
	cr bool // the last byte read was "\r"
}

func (l *lineBreaks) Read(p []byte) (int, error) {
	for {
		n, err := l.r.Read(p)
		out := 0
		for _, c := range p[:n] {
			if l.cr && c == '\n' {
				l.cr = false
				continue
			}
			l.cr = c == '\r'
			if c == '\r' {
				c = '\n'
			}
			p[out] = c
			out++
		}
		if out > 0 || err != nil || n == 0 {
			return out, err
		}
	}
}
