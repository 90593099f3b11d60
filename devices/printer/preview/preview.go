package preview

import (
	"fmt"
	"image"
	"image/png"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
	"github.com/hcsc-kz/kiosk/devices/printer/glyph"
	"github.com/hcsc-kz/kiosk/devices/printer/internal/qrcode"
)

// Options describe the printer the job was built for.
type Options struct {
	// Dots is the printable width (default 576).
	Dots int
	// CellW and CellH are the Font A cell (default 12×24).
	CellW, CellH int
	// LineSpacing is the default line pitch in dots (default 30), used
	// until the job sends ESC 3.
	LineSpacing int
	// Tables maps ESC t numbers to character table names (escpos.NameKZ1048,
	// …). Default: the Epson numbers, 0 pc437, 17 cp866, 46 wpc1251,
	// 53 kz1048. Table 0 is also the table at power-on.
	Tables map[byte]string
}

// Kind is what produced a Line.
type Kind int

// Kinds of output lines.
const (
	Text   Kind = iota + 1 // characters, resident or user-defined
	Raster                 // a GS v 0 bit image
	QR                     // a GS ( k QR code
	Cut                    // a GS V cut
)

// Line is one printed line, or one image, QR code or cut.
type Line struct {
	Kind  Kind
	Text  string       // the characters; for an image, what it reads as (see Decode); for a QR code, its data
	Align escpos.Align // the justification in force
	Size  int          // the largest character multiplier on the line
	Bold  bool         // whether any character is emphasised
	Y, H  int          // top and height in dots on the paper
	W     int          // width in dots of the ink (text and images)
	// Margin is the left margin (GS L) in dots in force for a bit image.
	// This decoder places GS v 0 by the margin alone, as Epson printers
	// do; others also apply the justification, so a line with both a
	// margin and Align centred lands differently on them.
	Margin int
}

// Result is a decoded job.
type Result struct {
	Lines []Line
	// StatusRequests counts the DLE EOT and GS r requests seen.
	StatusRequests int
	// UserChars lists, in order of definition, the runes the defined
	// user characters were recognised as ('\uFFFD' when unknown).
	UserChars []rune
	img       *image.Gray
	length    int
}

// String returns the decoded text: one line per printed line. Images that
// read as text show as "[image: TEXT]", others as "[image W×H]"; QR codes
// as "[QR: DATA]"; cuts as "--- cut ---". Centred lines are marked with a
// leading "^", right-aligned ones with ">", and large ones with "×N".
// A blank line is an empty line.
func (r *Result) String() string {
	var b strings.Builder
	for _, l := range r.Lines {
		if l.Kind == Text && l.Text == "" { // a blank line has no marks
			b.WriteByte('\n')
			continue
		}
		switch l.Align {
		case escpos.Center:
			b.WriteString("^ ")
		case escpos.Right:
			b.WriteString("> ")
		}
		if l.Size > 1 {
			fmt.Fprintf(&b, "×%d ", l.Size)
		}
		switch l.Kind {
		case Text:
			b.WriteString(l.Text)
		case Raster:
			if l.Text != "" {
				fmt.Fprintf(&b, "[image: %s]", l.Text)
			} else {
				fmt.Fprintf(&b, "[image %d×%d]", l.W, l.H)
			}
		case QR:
			fmt.Fprintf(&b, "[QR: %s]", l.Text)
		case Cut:
			b.WriteString("--- cut ---")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// Length returns the paper the job fed, in dots: from the first line to
// the end of the job, past the cut when there is one.
func (r *Result) Length() int { return r.length }

// Image returns the paper as printed: black dots on white, Dots wide with
// a margin of 16 dots around.
func (r *Result) Image() *image.Gray { return r.img }

// WritePNG writes Image as a PNG.
func (r *Result) WritePNG(w io.Writer) error {
	if err := png.Encode(w, r.img); err != nil {
		return fmt.Errorf("preview: png: %w", err)
	}
	return nil
}

// margin is the white border around the paper in the image.
const margin = 16

// Decode reads a job made of the escpos subset and returns its text and
// picture. It fails on any byte sequence outside the subset, naming it and
// its offset, so a test catches a command the decoder (and so the review
// of the driver) does not know.
//
// User-defined characters and images are drawn dot for dot as sent.
// Resident characters are drawn with the embedded font in the same cells,
// which is close to, not the same as, the printer's own font. A user
// character, or a 1× image line cut in cells, reads as the rune whose
// rendering matches it dot for dot (the driver renders with the same font).
func Decode(job []byte, opts Options) (*Result, error) {
	o := opts
	if o.Dots <= 0 {
		o.Dots = 576
	}
	if o.CellW <= 0 || o.CellH <= 0 {
		o.CellW, o.CellH = 12, 24
	}
	if o.LineSpacing <= 0 {
		o.LineSpacing = 30
	}
	if o.Tables == nil {
		o.Tables = map[byte]string{0: escpos.NamePC437, 17: escpos.NameCP866, 46: escpos.NameWPC1251, 53: escpos.NameKZ1048}
	}
	d, err := newDecoder(o)
	if err != nil {
		return nil, err
	}
	if err := d.run(job); err != nil {
		return nil, err
	}
	return d.result(), nil
}

// cell is one character placed on a pending line.
type cell struct {
	r      rune
	bm     *escpos.Bitmap // a user-defined character; nil for a resident one
	sw, sh int
	bold   bool
}

// userChar is a defined user character and the rune it shows.
type userChar struct {
	bm *escpos.Bitmap
	r  rune
}

// mark is something to draw on the paper.
type mark struct {
	x, y   int
	r      rune           // a resident character, drawn from the font
	bm     *escpos.Bitmap // or dots as sent
	sw, sh int
	bold   bool
}

type decoder struct {
	o      Options
	ref    *glyph.Set // the font's cells, to name user characters and image cells
	tables map[byte]*escpos.Charset

	cs         *escpos.Charset
	align      escpos.Align
	sw, sh     int
	bold       bool
	spacing    int
	leftMargin int
	udcOn      bool
	udc        map[byte]userChar
	qrData     []byte
	qrModule   int
	line       []cell
	y          int
	marks      []mark
	res        Result
}

func newDecoder(o Options) (*decoder, error) {
	d := &decoder{o: o, tables: map[byte]*escpos.Charset{}}
	runes := []rune(glyph.Kazakh)
	for n, name := range o.Tables {
		cs, err := escpos.LookupCharset(name)
		if err != nil {
			return nil, fmt.Errorf("preview: table %d: %w", n, err)
		}
		d.tables[n] = cs
		for b := 0x20; b < 0x100; b++ {
			if r := cs.Decode(byte(b)); r != utf8.RuneError {
				runes = append(runes, r)
			}
		}
	}
	ref, err := glyph.Render(o.CellW, o.CellH, runes)
	if err != nil {
		return nil, fmt.Errorf("preview: %w", err)
	}
	d.ref = ref
	d.reset()
	return d, nil
}

// reset is ESC @.
func (d *decoder) reset() {
	d.cs = d.tables[0]
	if d.cs == nil {
		d.cs, _ = escpos.LookupCharset(escpos.NamePC437)
	}
	d.align, d.sw, d.sh, d.bold = escpos.Left, 1, 1, false
	d.spacing, d.leftMargin, d.udcOn = d.o.LineSpacing, 0, false
	d.udc = map[byte]userChar{}
	d.qrModule = 3
}

func (d *decoder) run(p []byte) error {
	for i := 0; i < len(p); {
		n, err := d.step(p[i:])
		if err != nil {
			return fmt.Errorf("preview: at byte %d: %w", i, err)
		}
		i += n
	}
	d.flush()
	return nil
}

// need returns an error when p is shorter than n bytes.
func need(p []byte, n int) error {
	if len(p) < n {
		return fmt.Errorf("command % x cut short: %d of %d bytes", p, len(p), n)
	}
	return nil
}

// step decodes one character or command and returns its length.
func (d *decoder) step(p []byte) (int, error) {
	c := p[0]
	switch {
	case c >= 0x20 && c != 0x7F:
		d.char(c)
		return 1, nil
	case c == escpos.LF:
		if len(d.line) == 0 { // an empty line feeds one line
			d.res.Lines = append(d.res.Lines, Line{Kind: Text, Align: d.align, Size: 1, Y: d.y, H: d.spacing})
			d.y += d.spacing
		}
		d.flush()
		return 1, nil
	case c == escpos.DLE:
		if err := need(p, 3); err != nil {
			return 0, err
		}
		if p[1] != escpos.EOT || p[2] < 1 || p[2] > 4 {
			return 0, fmt.Errorf("unknown real-time command % x", p[:3])
		}
		d.res.StatusRequests++
		return 3, nil
	case c == escpos.ESC:
		return d.esc(p)
	case c == escpos.GS:
		return d.gs(p)
	case c == escpos.FS:
		if err := need(p, 2); err != nil {
			return 0, err
		}
		if p[1] != '.' {
			return 0, fmt.Errorf("unknown command FS %q", p[1])
		}
		return 2, nil
	}
	return 0, fmt.Errorf("control byte %#02x is not in the subset", c)
}

func (d *decoder) esc(p []byte) (int, error) {
	if err := need(p, 2); err != nil {
		return 0, err
	}
	arg := func() (byte, error) {
		if err := need(p, 3); err != nil {
			return 0, err
		}
		return p[2], nil
	}
	switch p[1] {
	case '@':
		d.flush()
		d.reset()
		return 2, nil
	case '2':
		d.spacing = d.o.LineSpacing
		return 2, nil
	}
	n, err := arg()
	if err != nil {
		return 0, err
	}
	switch p[1] {
	case 't':
		cs, ok := d.tables[n]
		if !ok {
			return 0, fmt.Errorf("ESC t %d: no table with that number in the profile", n)
		}
		d.cs = cs
	case 'a':
		if n >= '0' {
			n -= '0'
		}
		if n > 2 {
			return 0, fmt.Errorf("ESC a %d out of range", p[2])
		}
		d.align = escpos.Align(n)
	case 'E':
		d.bold = n&1 == 1
	case '3':
		d.spacing = int(n)
	case '%':
		d.udcOn = n&1 == 1
	case 'd':
		d.flush()
		d.y += int(n) * d.spacing
	case '&':
		return d.defineChars(p)
	default:
		return 0, fmt.Errorf("unknown command ESC %q", p[1])
	}
	return 3, nil
}

// defineChars decodes ESC & y c1 c2 [x d1…d(y·x)]….
func (d *decoder) defineChars(p []byte) (int, error) {
	if err := need(p, 5); err != nil {
		return 0, err
	}
	y, c1, c2 := int(p[2]), p[3], p[4]
	if y*8 != d.o.CellH || c1 < 0x20 || c2 > 0x7E || c1 > c2 {
		return 0, fmt.Errorf("ESC & %d %#x %#x: want y=%d and codes within 0x20–0x7E", y, c1, c2, d.o.CellH/8)
	}
	i := 5
	for c := int(c1); c <= int(c2); c++ {
		if err := need(p[i:], 1); err != nil {
			return 0, err
		}
		x := int(p[i])
		if x > d.o.CellW {
			return 0, fmt.Errorf("ESC & character %#x is %d dots wide; the cell is %d", c, x, d.o.CellW)
		}
		if err := need(p[i+1:], x*y); err != nil {
			return 0, err
		}
		data := p[i+1 : i+1+x*y]
		bm := escpos.BitmapFromColumns(x, y, data)
		r := d.nameUserChar(padColumns(data, d.o.CellW, y))
		d.udc[byte(c)] = userChar{bm: bm, r: r}
		d.res.UserChars = append(d.res.UserChars, r)
		i += 1 + x*y
	}
	return i, nil
}

// nameUserChar returns the rune a user character's dots show. Of
// look-alikes (Ө and Greek Θ, І and Latin I) it prefers a Cyrillic letter
// the selected table lacks, then any rune the table lacks (that is why it
// was sent as a user character), then the first.
func (d *decoder) nameUserChar(columns []byte) rune {
	rs := d.ref.Lookup(columns)
	if len(rs) == 0 {
		return utf8.RuneError
	}
	missing := func(r rune) bool { _, ok := d.cs.Encode(r); return !ok }
	for _, r := range rs {
		if missing(r) && unicode.Is(unicode.Cyrillic, r) {
			return r
		}
	}
	for _, r := range rs {
		if missing(r) {
			return r
		}
	}
	return rs[0]
}

func padColumns(data []byte, w, y int) []byte {
	out := make([]byte, w*y)
	copy(out, data)
	return out
}

func (d *decoder) gs(p []byte) (int, error) {
	if err := need(p, 2); err != nil {
		return 0, err
	}
	switch p[1] {
	case '!':
		if err := need(p, 3); err != nil {
			return 0, err
		}
		d.sw, d.sh = int(p[2]>>4)+1, int(p[2]&7)+1
		return 3, nil
	case 'L':
		if err := need(p, 4); err != nil {
			return 0, err
		}
		d.leftMargin = int(p[2]) | int(p[3])<<8
		return 4, nil
	case 'r':
		if err := need(p, 3); err != nil {
			return 0, err
		}
		d.res.StatusRequests++
		return 3, nil
	case 'V':
		if err := need(p, 3); err != nil {
			return 0, err
		}
		n := 3
		if p[2] == 65 || p[2] == 66 {
			if err := need(p, 4); err != nil {
				return 0, err
			}
			n = 4
		}
		d.flush()
		d.y += 2 * d.spacing // the paper feeds from the head to the blade
		d.res.Lines = append(d.res.Lines, Line{Kind: Cut, Y: d.y, W: d.o.Dots})
		d.y += 16
		return n, nil
	case 'v':
		return d.raster(p)
	case '(':
		return d.qr(p)
	}
	return 0, fmt.Errorf("unknown command GS %q", p[1])
}

// raster decodes GS v 0 m xL xH yL yH d….
func (d *decoder) raster(p []byte) (int, error) {
	if err := need(p, 8); err != nil {
		return 0, err
	}
	if p[2] != '0' && p[2] != 0 {
		return 0, fmt.Errorf("GS v %q: only GS v 0 is in the subset", p[2])
	}
	m := p[3]
	x, y := int(p[4])|int(p[5])<<8, int(p[6])|int(p[7])<<8
	if err := need(p[8:], x*y); err != nil {
		return 0, err
	}
	bm := &escpos.Bitmap{W: 8 * x, H: y, Stride: x, Pix: append([]byte(nil), p[8:8+x*y]...)}
	sw, sh := 1, 1
	switch m {
	case 0, 48:
	case 3, 51:
		sw, sh = 2, 2
	default:
		return 0, fmt.Errorf("GS v 0 mode %d not in the subset", m)
	}
	d.flush()
	w := bm.W * sw
	if w+d.leftMargin > d.o.Dots {
		return 0, fmt.Errorf("GS v 0 image %d dots wide at margin %d overflows the %d-dot line", w, d.leftMargin, d.o.Dots)
	}
	d.marks = append(d.marks, mark{x: d.leftMargin, y: d.y, bm: bm, sw: sw, sh: sh})
	d.res.Lines = append(d.res.Lines, Line{Kind: Raster, Text: d.readImage(bm, sw), Align: d.align, Size: sw, Y: d.y, H: y * sh, W: w, Margin: d.leftMargin})
	d.y += y * sh
	return 8 + x*y, nil
}

// readImage names the runes of an image line cut in cells, when every
// non-blank cell matches one, and returns "" otherwise.
func (d *decoder) readImage(bm *escpos.Bitmap, scale int) string {
	cw, ch := d.o.CellW, d.o.CellH
	if scale != 1 || bm.H != ch {
		return ""
	}
	var cells [][]rune // nil for a blank cell
	for x := 0; x < bm.W; x += cw {
		c := escpos.NewBitmap(cw, ch)
		blank := true
		for yy := 0; yy < ch; yy++ {
			for xx := 0; xx < cw; xx++ {
				if bm.At(x+xx, yy) {
					c.Set(xx, yy, true)
					blank = false
				}
			}
		}
		if blank {
			cells = append(cells, nil)
			continue
		}
		rs := d.ref.Lookup(c.Columns())
		if len(rs) == 0 {
			return ""
		}
		cells = append(cells, rs)
	}
	// The blank cells at either end are where the image sits, not text.
	return strings.Trim(resolve(cells), " ")
}

// resolve picks one rune per cell. A cell with look-alikes (Latin a or
// Cyrillic а) takes the script of the unambiguous letters of its word, or
// of the line when the word has none.
func resolve(cells [][]rune) string {
	script := func(rs []rune) int { // 0 unknown, 1 Latin, 2 Cyrillic
		cyr, lat := false, false
		for _, r := range rs {
			if unicode.Is(unicode.Cyrillic, r) {
				cyr = true
			} else if unicode.Is(unicode.Latin, r) {
				lat = true
			}
		}
		switch {
		case cyr && !lat:
			return 2
		case lat && !cyr:
			return 1
		}
		return 0
	}
	vote := func(cs [][]rune) int {
		n := [3]int{}
		for _, c := range cs {
			if c != nil {
				n[script(c)]++
			}
		}
		switch {
		case n[2] > n[1]:
			return 2
		case n[1] > n[2]:
			return 1
		}
		return 0
	}
	line := vote(cells)
	var b strings.Builder
	for i := 0; i < len(cells); {
		j := i
		for j < len(cells) && cells[j] != nil {
			j++
		}
		word := vote(cells[i:j])
		if word == 0 {
			word = line
		}
		for _, c := range cells[i:j] {
			pick := c[0]
			for _, r := range c {
				if word == 2 && unicode.Is(unicode.Cyrillic, r) || word == 1 && unicode.Is(unicode.Latin, r) {
					pick = r
					break
				}
			}
			b.WriteRune(pick)
		}
		if j < len(cells) {
			b.WriteByte(' ')
		}
		i = j + 1
	}
	return b.String()
}

// qr decodes GS ( k pL pH cn fn [parameters].
func (d *decoder) qr(p []byte) (int, error) {
	if err := need(p, 5); err != nil {
		return 0, err
	}
	if p[2] != 'k' {
		return 0, fmt.Errorf("unknown command GS ( %q", p[2])
	}
	n := int(p[3]) | int(p[4])<<8
	if err := need(p, 5+n); err != nil {
		return 0, err
	}
	args := p[5 : 5+n]
	if len(args) < 2 || args[0] != 49 {
		return 0, fmt.Errorf("GS ( k: only QR code (cn 49) is in the subset")
	}
	switch fn := args[1]; {
	case fn == 65: // model
	case fn == 67 && len(args) == 3:
		d.qrModule = int(args[2])
	case fn == 69: // error correction
	case fn == 80 && len(args) >= 3:
		d.qrData = append(d.qrData[:0], args[3:]...)
	case fn == 81:
		if err := d.printQR(); err != nil {
			return 0, err
		}
	default:
		return 0, fmt.Errorf("GS ( k QR function %d not in the subset", fn)
	}
	return 5 + n, nil
}

func (d *decoder) printQR() error {
	d.flush()
	bm, _, err := qrcode.Bitmap(string(d.qrData), d.qrModule)
	if err != nil {
		return err
	}
	avail := d.o.Dots - d.leftMargin
	if bm.W > avail {
		return fmt.Errorf("QR code %d dots wide overflows the %d-dot line", bm.W, avail)
	}
	x := d.leftMargin + offset(d.align, avail, bm.W)
	d.marks = append(d.marks, mark{x: x, y: d.y, bm: bm, sw: 1, sh: 1})
	d.res.Lines = append(d.res.Lines, Line{Kind: QR, Text: string(d.qrData), Align: d.align, Size: d.qrModule, Y: d.y, H: bm.H, W: bm.W})
	d.y += bm.H
	return nil
}

func offset(a escpos.Align, avail, w int) int {
	switch a {
	case escpos.Center:
		return (avail - w) / 2
	case escpos.Right:
		return avail - w
	}
	return 0
}

// char puts one character byte on the pending line.
func (d *decoder) char(c byte) {
	ce := cell{sw: d.sw, sh: d.sh, bold: d.bold}
	if u, ok := d.udc[c]; d.udcOn && ok {
		ce.bm, ce.r = u.bm, u.r
	} else {
		ce.r = d.cs.Decode(c)
	}
	d.line = append(d.line, ce)
}

// flush prints the pending line, or feeds one line when it is empty.
func (d *decoder) flush() {
	if len(d.line) == 0 {
		return
	}
	w, h, size := 0, 0, 1
	bold := false
	var text strings.Builder
	for _, c := range d.line {
		w += d.o.CellW * c.sw
		h = max(h, d.o.CellH*c.sh)
		size = max(size, c.sw)
		bold = bold || c.bold
		text.WriteRune(c.r)
	}
	avail := d.o.Dots - d.leftMargin
	x := d.leftMargin + offset(d.align, avail, min(w, avail))
	for _, c := range d.line {
		cw := d.o.CellW * c.sw
		if x+cw > d.o.Dots { // the printer wraps; a ticket never should
			break
		}
		d.marks = append(d.marks, mark{x: x, y: d.y + h - d.o.CellH*c.sh, r: c.r, bm: c.bm, sw: c.sw, sh: c.sh, bold: c.bold})
		x += cw
	}
	d.res.Lines = append(d.res.Lines, Line{Kind: Text, Text: strings.TrimRight(text.String(), " "), Align: d.align, Size: size, Bold: bold, Y: d.y, H: h, W: w})
	d.y += max(h, d.spacing)
	d.line = d.line[:0]
}
