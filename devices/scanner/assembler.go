package scanner

import (
	"bytes"
	"context"
	"io"
	"time"
)

// Framing bytes every scanner may use whatever the settings.
const (
	stx = 0x02 // start of text: a document starts
	etx = 0x03 // end of text: the document ends
)

const (
	readBufSize = 4096
	// maxFrameBytes is the longest document: three TD1 lines and two
	// separators (a TD3 is two lines of 44 and one separator, 89).
	maxFrameBytes = 3*30 + 2
	// maxQueue bounds the frames one byte can produce (at most three: a
	// line end, a suffix and a prefix in the same byte), plus one spare.
	maxQueue = 4
)

// Frame is one thing the Assembler found in the byte stream: the lines of a
// document, or a report of bytes it threw away.
type Frame struct {
	// Text is the document's 2 or 3 lines (a driving licence's 1 or 3,
	// see the package documentation) joined by "\n", upper-cased,
	// spaces around each line removed: the input mrz.Parse expects. Empty
	// when Drop is set.
	Text string
	// Drop says what was thrown away and why; nil for a document.
	Drop *DropError
}

// Assembler cuts a scanner's byte stream into MRZ documents, whatever the
// framing, with fixed memory. It is the part of the driver that knows no
// device: give it any io.Reader. See the package documentation for the
// rules.
//
// An Assembler is used from one goroutine.
type Assembler struct {
	r       io.Reader
	now     func() time.Time
	gap     time.Duration
	maxLine int
	prefix  []byte
	suffix  []byte
	// suffixInLine is how many of the suffix's last bytes land in the line
	// buffer (the bytes after its last control byte), to cut off when the
	// suffix matches.
	suffixInLine int
	prefixInLine int

	buf      []byte // read buffer; buf[pos:end] not yet fed
	pos, end int
	err      error     // the reader's error, returned once buf is fed
	last     time.Time // when bytes last arrived

	line     []byte // the current line, at most maxLine bytes
	skipping bool   // the current line passed maxLine: skip to its end
	frame    []byte // the document's complete lines so far, "\n"-joined
	nlines   int    // complete lines in frame
	width    int    // their length

	recent  []byte // the last len(recent) bytes seen, to match prefix and suffix
	nrecent int    // how many of recent are real bytes

	queue  [maxQueue]Frame
	qh, qn int // queue head and length
}

// NewAssembler returns an Assembler reading r with the framing, MaxLine,
// FrameGap and Now of opts (nil means the defaults). Its memory is fixed
// here: about 4 KiB plus MaxLine.
func NewAssembler(r io.Reader, opts *Opts) (*Assembler, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	return newAssembler(r, &o), nil
}

// newAssembler takes resolved opts.
func newAssembler(r io.Reader, o *Opts) *Assembler {
	a := &Assembler{
		r:       r,
		now:     o.Now,
		gap:     o.FrameGap,
		maxLine: o.MaxLine,
		prefix:  []byte(o.Prefix),
		suffix:  []byte(o.Suffix),
		buf:     make([]byte, readBufSize),
		line:    make([]byte, 0, o.MaxLine),
		frame:   make([]byte, 0, maxFrameBytes),
	}
	a.prefixInLine = inLine(a.prefix)
	a.suffixInLine = inLine(a.suffix)
	if n := max(len(a.prefix), len(a.suffix)); n > 0 {
		a.recent = make([]byte, n)
	}
	return a
}

// inLine counts the trailing bytes of affix that the line buffer keeps.
func inLine(affix []byte) int {
	n := 0
	for i := len(affix) - 1; i >= 0 && kept(affix[i]); i-- {
		n++
	}
	return n
}

// kept reports whether a byte goes into the line buffer: anything but ASCII
// control bytes, which are framing (CR, LF, STX, ETX) or dropped (NUL, ESC,
// TAB, …).
func kept(c byte) bool { return c >= 0x20 && c != 0x7f }

// Next returns the next document or drop report. It returns an error only
// when the reader fails (io.EOF included; an unfinished document is then
// dropped without a report) or ctx is done; after that it returns the same
// error again.
//
// A read returning (0, nil), as go.bug.st/serial does on a read timeout, is
// taken as "no data yet": Next checks ctx and reads again. So a reader with
// a read timeout makes Next cancellable on its own; a reader without one
// must be closed to unblock Next.
func (a *Assembler) Next(ctx context.Context) (Frame, error) {
	for {
		if a.qn > 0 {
			f := a.queue[a.qh]
			a.queue[a.qh] = Frame{}
			a.qh = (a.qh + 1) % maxQueue
			a.qn--
			return f, nil
		}
		if a.pos < a.end {
			for a.pos < a.end && a.qn == 0 {
				c := a.buf[a.pos]
				a.pos++
				a.feed(c)
			}
			continue
		}
		if a.err != nil {
			a.clearLine()
			a.clearFrame()
			return Frame{}, a.err
		}
		if err := ctx.Err(); err != nil {
			return Frame{}, err
		}
		n, err := a.r.Read(a.buf)
		if n > 0 {
			a.arrived()
			a.pos, a.end = 0, n
		}
		if err != nil {
			a.err = err
		}
	}
}

// arrived applies FrameGap when bytes come in.
func (a *Assembler) arrived() {
	now := a.now()
	if a.gap > 0 && !a.last.IsZero() && now.Sub(a.last) > a.gap {
		a.skipping = false
		a.drop(ErrStale, len(a.line))
	}
	a.last = now
}

// feed takes one byte.
func (a *Assembler) feed(c byte) {
	switch {
	case c == '\r' || c == '\n':
		a.endLine()
	case c == stx:
		a.skipping = false
		a.drop(ErrIncomplete, len(a.line))
	case c == etx:
		a.endLine()
		a.drop(ErrIncomplete, 0)
	case !kept(c):
		// A stray control byte (NUL at power-up, ESC, TAB): not MRZ text,
		// and not worth breaking a line over.
	default:
		a.add(c)
	}
	if a.recent == nil {
		return
	}
	copy(a.recent, a.recent[1:])
	a.recent[len(a.recent)-1] = c
	a.nrecent = min(a.nrecent+1, len(a.recent))
	seen := a.recent[len(a.recent)-a.nrecent:]
	matched := false
	if len(a.suffix) > 0 && bytes.HasSuffix(seen, a.suffix) {
		matched = true
		if !a.skipping {
			a.line = a.line[:max(0, len(a.line)-a.suffixInLine)]
		}
		a.endLine()
		a.drop(ErrIncomplete, 0)
	}
	if len(a.prefix) > 0 && bytes.HasSuffix(seen, a.prefix) {
		matched = true
		a.skipping = false
		a.drop(ErrIncomplete, max(0, len(a.line)-a.prefixInLine))
	}
	if matched {
		a.nrecent = 0
	}
}

// add appends a text byte to the line, or starts skipping an over-long one.
func (a *Assembler) add(c byte) {
	if a.skipping {
		return
	}
	if len(a.line) >= a.maxLine {
		a.skipping = true
		a.clearLine()
		a.report(ErrOverlong, a.maxLine)
		return
	}
	a.line = append(a.line, c)
}

// endLine applies the resync rule to the line just ended.
func (a *Assembler) endLine() {
	if a.skipping {
		a.skipping = false // reported when it passed maxLine
		return
	}
	l := bytes.Trim(a.line, " ")
	a.clearLine()
	if len(l) == 0 {
		return // the LF of CRLF, or blank lines
	}
	for i, c := range l {
		if 'a' <= c && c <= 'z' {
			l[i] = c - 'a' + 'A'
		}
	}
	switch n := len(l); {
	case n == swissHeadLen && swissHead(l):
		// A Swiss driving licence's first line: lines of 30 follow.
		a.drop(ErrIncomplete, 0)
		a.appendLine(l)
	case n == 30 && a.nlines == 0 && isoLicence(l):
		// A whole ISO/IEC 18013 driving licence: passed on for the
		// parser to refuse as not ICAO, so the visitor hears why.
		a.appendLine(l)
		a.emit()
	case n == 30 || n == 36 || n == 44:
		if a.nlines > 0 && a.width != n && !(a.width == swissHeadLen && n == 30) {
			a.drop(ErrIncomplete, 0)
		}
		a.appendLine(l)
		if a.nlines == linesOf(n) {
			a.emit()
		}
	case n == 2*36 || n == 2*44 || n == 3*30:
		// A whole MRZ sent without line breaks; with a space inside it
		// is not one (and cutting it could leave spaces at line ends).
		if bytes.IndexByte(l, ' ') >= 0 {
			a.report(ErrNoise, n)
			return
		}
		a.drop(ErrIncomplete, 0)
		w := 36
		switch n {
		case 2 * 44:
			w = 44
		case 3 * 30:
			w = 30
		}
		for i := 0; i < n; i += w {
			a.appendLine(l[i : i+w])
		}
		a.emit()
	default:
		a.report(ErrNoise, n)
	}
}

// swissHeadLen is the length of a Swiss driving licence's first line.
const swissHeadLen = 9

// swissHead reports whether l may be a Swiss driving licence's first line
// ("AAA001D<<"; the licence's zone is lines of 9, 30 and 30): MRZ
// characters with a filler, which a banner or a stray word has not.
func swissHead(l []byte) bool {
	return mrzText(l) && bytes.IndexByte(l, '<') >= 0
}

// isoLicence reports whether a line of 30 that starts a document is an
// ISO/IEC 18013 driving licence's one-line zone: a "D" and digits among
// MRZ characters. No line of a TD1 is that: the first starts with A, C or
// I, the second with a digit, and the third (names) has no digits.
func isoLicence(l []byte) bool {
	return l[0] == 'D' && mrzText(l) && bytes.ContainsAny(l, "0123456789")
}

// mrzText reports whether l holds only the MRZ alphabet, A–Z, 0–9 and <.
func mrzText(l []byte) bool {
	for _, c := range l {
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '<') {
			return false
		}
	}
	return true
}

// linesOf gives the number of lines of an MRZ whose lines are n long.
func linesOf(n int) int {
	if n == 30 {
		return 3
	}
	return 2
}

func (a *Assembler) appendLine(l []byte) {
	if a.nlines > 0 {
		a.frame = append(a.frame, '\n')
	}
	a.frame = append(a.frame, l...)
	a.nlines++
	a.width = len(l)
}

func (a *Assembler) emit() {
	a.put(Frame{Text: string(a.frame)})
	a.clearFrame()
}

// drop throws away the partial line and document, reporting them when there
// were any. lineLen is the partial line's length as it should be reported.
func (a *Assembler) drop(reason error, lineLen int) {
	if reason == ErrIncomplete && a.nlines == 0 {
		reason = ErrNoise // only a fragment of a line: no document was started
	}
	if a.nlines > 0 || lineLen > 0 {
		a.put(Frame{Drop: &DropError{Reason: reason, Length: lineLen, Lines: a.nlines}})
	}
	a.clearLine()
	a.clearFrame()
}

// report drops the partial document along with a line of length n.
func (a *Assembler) report(reason error, n int) {
	a.put(Frame{Drop: &DropError{Reason: reason, Length: n, Lines: a.nlines}})
	a.clearFrame()
}

func (a *Assembler) put(f Frame) {
	if a.qn == maxQueue {
		// Cannot happen: Next drains the queue before each byte, and one
		// byte makes at most three frames. Keep the newest.
		a.qh = (a.qh + 1) % maxQueue
		a.qn--
	}
	a.queue[(a.qh+a.qn)%maxQueue] = f
	a.qn++
}

func (a *Assembler) clearLine() { a.line = a.line[:0] }

func (a *Assembler) clearFrame() {
	a.frame = a.frame[:0]
	a.nlines, a.width = 0, 0
}
