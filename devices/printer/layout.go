package printer

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
	"github.com/hcsc-kz/kiosk/devices/printer/glyph"
	"github.com/hcsc-kz/kiosk/devices/printer/internal/qrcode"
)

// Layout turns tickets into ESC/POS jobs for one printer profile. It draws
// the glyphs the profile's strategy needs once, in NewLayout; after that it
// is read-only and safe for concurrent use.
type Layout struct {
	p      Profile
	cs     *escpos.Charset
	table  byte
	glyphs *glyph.Set // Kazakh letters (UserChars), or every printable rune (Raster); nil for KZ1048
}

// NewLayout validates p and prepares its glyphs.
func NewLayout(p Profile) (*Layout, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	cs, err := escpos.LookupCharset(p.Charset)
	if err != nil {
		return nil, fmt.Errorf("printer: profile %s: %w", p.Name, err)
	}
	l := &Layout{p: p, cs: cs, table: p.Tables[p.Charset]}
	var runes []rune
	switch p.Kazakh {
	case UserChars:
		for _, r := range glyph.Kazakh {
			if _, ok := cs.Encode(r); !ok {
				runes = append(runes, r)
			}
		}
	case Raster:
		runes = []rune(glyph.Kazakh)
		for b := 0x20; b < 0x100; b++ {
			if r := cs.Decode(byte(b)); r != 0xFFFD {
				runes = append(runes, r)
			}
		}
	}
	if len(runes) > 0 {
		if l.glyphs, err = glyph.Render(p.CellW, p.CellH, runes); err != nil {
			return nil, fmt.Errorf("printer: profile %s: %w", p.Name, err)
		}
	}
	return l, nil
}

// Profile returns the profile the layout was made for.
func (l *Layout) Profile() Profile { return l.p }

// Columns returns how many normal-size characters fit on a line.
func (l *Layout) Columns() int { return l.p.Dots / l.p.CellW }

// ErrNoNumber is returned for a ticket without a queue number.
var ErrNoNumber = errors.New("printer: ticket has no queue number; the flow must assign one before printing")

// ErrPersonalData is returned for a ticket whose text holds what looks like
// an IIN (twelve digits in a row): tickets must carry no personal data.
var ErrPersonalData = errors.New("printer: ticket text holds twelve digits in a row, which looks like an IIN; tickets carry no personal data")

// para is one paragraph of the ticket before wrapping.
type para struct {
	text   []rune // printable runes only
	align  escpos.Align
	size   int // character multiplier, 1 normal
	bold   bool
	lead   int // indent of the first line
	indent int // hanging indent of continuation lines
}

// Ticket returns the ESC/POS job that prints t: ESC @ and FS . first, the
// cut (or a feed past the tear bar) last. Long texts wrap at the paper
// width; characters the profile cannot print are transliterated.
func (l *Layout) Ticket(t *Ticket) ([]byte, error) {
	if clean(t.Number) == "" {
		return nil, ErrNoNumber
	}
	if err := checkPersonal(t); err != nil {
		return nil, err
	}
	paras := l.paragraphs(t)
	udc := l.allocate(paras)
	b := escpos.NewBuilder(1536)
	l.start(b, udc)
	l.emit(b, paras, udc, false)
	if t.Status != "" {
		if err := l.qr(b, clean(t.Status)); err != nil {
			return nil, err
		}
	}
	l.finish(b)
	return b.Bytes(), nil
}

// paragraphs lays the ticket out as paragraphs of printable runes. A
// ticket in several languages prints each line once with its text in every
// language, one after the other (a list item's second language indented
// under its first), not the whole ticket once a language: the ticket stays
// short, and a visitor reads their own language beside the state one.
func (l *Layout) paragraphs(t *Ticket) []para {
	var ps []para
	add := func(s string, align escpos.Align, size int, bold bool, lead, indent int) {
		if s = clean(s); s != "" {
			ps = append(ps, para{text: l.printable(s), align: align, size: size, bold: bold, lead: lead, indent: indent})
		}
	}
	blank := func() { ps = append(ps, para{size: 1}) }
	// texts returns a field's distinct texts in block order: a text the
	// flow repeats in every language (a branch code) prints once.
	texts := func(get func(Block) string) []string {
		var out []string
		for _, bl := range t.Blocks {
			if s := clean(get(bl)); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		return out
	}
	joined := func(get func(Block) string) string { return strings.Join(texts(get), " / ") }
	each := func(get func(Block) string, align escpos.Align, bold bool) {
		for _, s := range texts(get) {
			add(s, align, 1, bold, 0, 0)
		}
	}

	add(joined(func(b Block) string { return b.Branch }), escpos.Center, 1, false, 0, 0)
	add(joined(func(b Block) string { return b.NumberLabel }), escpos.Center, 1, false, 0, 0)
	num := l.printable(clean(t.Number))
	ps = append(ps, para{text: num, align: escpos.Center, size: l.numberSize(len(num))})
	if t.Booked {
		add(joined(func(b Block) string { return b.Booked }), escpos.Center, 1, true, 0, 0)
	}
	each(func(b Block) string { return b.Priority }, escpos.Center, true)
	if s := clean(t.KioskLine); s != "" {
		add(s, escpos.Center, 1, false, 0, 0)
	} else if len(t.Blocks) > 0 {
		add(t.Blocks[0].Kiosk, escpos.Center, 1, false, 0, 0)
		add(t.Blocks[0].Issued, escpos.Center, 1, false, 0, 0)
	}

	blank()
	each(func(b Block) string { return b.Service }, escpos.Left, true)
	each(func(b Block) string { return b.Wait }, escpos.Left, false)
	each(func(b Block) string { return b.Ready }, escpos.Left, false)
	l.checklist(t.Blocks, add)
	each(func(b Block) string { return b.Notice }, escpos.Left, false)
	if clean(t.Status) != "" {
		// The caption needs no blank line above: it is centred under the
		// left-aligned text, and the code's quiet zone follows.
		each(func(b Block) string { return b.StatusCaption }, escpos.Center, false)
	}
	return ps
}

// checklist adds the list of what to bring: the heading in every
// language on one line, then each item once, its first language after a
// dash and the others indented under it. A ticket in one language with a
// single item prints it on the heading's line.
func (l *Layout) checklist(blocks []Block, add func(s string, align escpos.Align, size int, bold bool, lead, indent int)) {
	var heads []string
	var items [][]string // items[i] is the i-th item's distinct texts
	for _, bl := range blocks {
		if h := clean(bl.BringHeading); h != "" && !slices.Contains(heads, h) {
			heads = append(heads, h)
		}
		n := 0
		for _, item := range bl.Bring {
			if item = clean(item); item == "" {
				continue
			}
			if n == len(items) {
				items = append(items, nil)
			}
			if !slices.Contains(items[n], item) {
				items[n] = append(items[n], item)
			}
			n++
		}
	}
	head := strings.Join(heads, " / ")
	if len(items) == 1 && len(items[0]) == 1 && head != "" {
		add(head+" "+items[0][0], escpos.Left, 1, false, 0, 2) // one item: on the heading's line
		return
	}
	add(head, escpos.Left, 1, false, 0, 0)
	for _, item := range items {
		add("- "+item[0], escpos.Left, 1, false, 0, 2)
		for _, other := range item[1:] {
			add(other, escpos.Left, 1, false, 2, 2)
		}
	}
}

// numberSize is the largest character multiplier (up to 4 on 58 mm paper,
// 5 on 80 mm) at which n characters fit on a line.
func (l *Layout) numberSize(n int) int {
	limit := 4
	if l.p.Dots >= 512 {
		limit = 5
	}
	return max(1, min(limit, l.p.Dots/(max(n, 1)*l.p.CellW)))
}

// canPrint reports whether r prints as it is: from the code table, or as a
// glyph the strategy sends.
func (l *Layout) canPrint(r rune) bool {
	if _, ok := l.cs.Encode(r); ok {
		return true
	}
	return l.glyphs != nil && l.glyphs.Has(r)
}

// printable returns s with every character the profile cannot print
// transliterated, or dropped when there is no stand-in.
func (l *Layout) printable(s string) []rune {
	out := make([]rune, 0, len(s))
	var put func(r rune, depth int)
	put = func(r rune, depth int) {
		if r == NoBreakSpace || l.canPrint(r) { // line prints a no-break space as a space
			out = append(out, r)
			return
		}
		if depth == 3 {
			return
		}
		for _, c := range translit(r) {
			put(c, depth+1)
		}
	}
	for _, r := range s {
		put(r, 0)
	}
	return out
}

// allocate picks, for each character the ticket sends as a user-defined
// character, an ASCII code the ticket does not print, preferring codes at
// the top of the range so they form few runs. Letters that find no free
// code are transliterated in paras.
func (l *Layout) allocate(paras []para) map[rune]byte {
	if l.p.Kazakh != UserChars {
		return nil
	}
	for {
		var used [128]bool
		count := map[rune]int{}
		for _, p := range paras {
			for _, r := range p.text {
				if r < 0x80 {
					used[r] = true
				} else if _, ok := l.cs.Encode(r); !ok && r != NoBreakSpace {
					count[r]++
				}
			}
		}
		need := make([]rune, 0, len(count))
		for r := range count {
			need = append(need, r)
		}
		// Most used first; ties in rune order, so the job is deterministic.
		sort.Slice(need, func(i, j int) bool {
			if count[need[i]] != count[need[j]] {
				return count[need[i]] > count[need[j]]
			}
			return need[i] < need[j]
		})
		var free []byte
		for c := 0x7E; c > 0x20; c-- {
			if !used[c] {
				free = append(free, byte(c))
			}
		}
		if len(need) <= len(free) {
			// Hand the codes out in rune order so related letters sit
			// together; the codes are all free either way.
			sort.Slice(need, func(i, j int) bool { return need[i] < need[j] })
			udc := make(map[rune]byte, len(need))
			for i, r := range need {
				udc[r] = free[len(need)-1-i] // ascending codes
			}
			return udc
		}
		drop := map[rune]bool{}
		for _, r := range need[len(free):] {
			drop[r] = true
		}
		for i := range paras {
			var t []rune
			for _, r := range paras[i].text {
				if drop[r] {
					t = append(t, []rune(translit(r))...)
				} else {
					t = append(t, r)
				}
			}
			paras[i].text = t
		}
	}
}

// start appends ESC @, FS ., ESC t, the line pitch and the user-defined
// characters.
func (l *Layout) start(b *escpos.Builder, udc map[rune]byte) {
	b.Init().CancelKanji().CodeTable(l.table).LineSpacing(byte(l.pitch()))
	if len(udc) == 0 {
		return
	}
	codes := make([]int, 0, len(udc))
	byCode := make(map[byte]rune, len(udc))
	for r, c := range udc {
		codes = append(codes, int(c))
		byCode[c] = r
	}
	sort.Ints(codes)
	y := l.p.CellH / 8
	for i := 0; i < len(codes); {
		j := i + 1
		for j < len(codes) && codes[j] == codes[j-1]+1 {
			j++
		}
		chars := make([]escpos.UserChar, 0, j-i)
		for _, c := range codes[i:j] {
			chars = append(chars, escpos.UserChar{Width: l.p.CellW, Data: l.glyphs.Columns(byCode[byte(c)])})
		}
		b.DefineChars(y, byte(codes[i]), chars)
		i = j
	}
	b.UserChars(true)
}

// pen tracks the print modes set so far, to send each change only once.
type pen struct {
	align escpos.Align
	size  int
	bold  bool
}

// emit appends the paragraphs, wrapped. With reset it ends at normal size,
// not bold, left-aligned; without, the caller sets what it needs next.
func (l *Layout) emit(b *escpos.Builder, paras []para, udc map[rune]byte, reset bool) {
	cur := pen{align: escpos.Left, size: 1}
	for _, p := range paras {
		if len(p.text) == 0 {
			b.LF()
			continue
		}
		if p.align != cur.align {
			b.Align(p.align)
			cur.align = p.align
		}
		if p.size != cur.size {
			b.Size(p.size, p.size)
			cur.size = p.size
		}
		if p.bold != cur.bold {
			b.Bold(p.bold)
			cur.bold = p.bold
		}
		for _, line := range wrap(p.text, l.p.Dots/(l.p.CellW*p.size), p.lead, p.indent) {
			l.line(b, line, p, udc)
		}
	}
	if !reset {
		return
	}
	if cur.size != 1 {
		b.Size(1, 1)
	}
	if cur.bold {
		b.Bold(false)
	}
	if cur.align != escpos.Left {
		b.Align(escpos.Left)
	}
}

// line appends one wrapped line as text, or as a bit image when the Raster
// strategy must draw one of its characters.
func (l *Layout) line(b *escpos.Builder, line []rune, p para, udc map[rune]byte) {
	start := b.Len()
	for _, r := range line {
		if r == NoBreakSpace {
			r = ' ' // the line is already broken: it is a space now
		}
		if c, ok := l.cs.Encode(r); ok {
			b.Raw(c)
		} else if c, ok := udc[r]; ok {
			b.Raw(c)
		} else {
			// Only Raster gets here: the line needs a drawn glyph.
			l.rasterLine(b, start, line, p)
			return
		}
	}
	b.LF()
}

// rasterLine drops the text appended since start and appends line as a
// bit image at p's size and alignment.
func (l *Layout) rasterLine(b *escpos.Builder, start int, line []rune, p para) {
	b.Truncate(start)
	cw, ch := l.p.CellW*p.size, l.p.CellH*p.size
	bm := escpos.NewBitmap(len(line)*cw, ch)
	for i, r := range line {
		cell := l.glyphs.Bitmap(r)
		if cell == nil {
			continue
		}
		if p.size == 1 {
			bm.Draw(i*cw, 0, cell)
			continue
		}
		for y := 0; y < ch; y++ {
			for x := 0; x < cw; x++ {
				if cell.At(x/p.size, y/p.size) {
					bm.Set(i*cw+x, y, true)
				}
			}
		}
	}
	l.image(b, bm.Trim(), escpos.RasterNormal, p.align, len(line)*cw, cw)
}

// image appends a bit image at align. A centred or right-aligned image
// is drawn at its place inside a bitmap as wide as the paper and sent with
// no left margin and whatever ESC a is in force: printers differ on whether
// ESC a applies to GS v 0, some ignore GS L there, and a decoder that
// applies both draws the line off-centre; only an image the paper's width
// lands the same on all of them. w is the width to place (a text line's
// cells, not just its ink); the place is rounded to whole steps, so a line
// of text keeps its characters in whole cells.
func (l *Layout) image(b *escpos.Builder, bm *escpos.Bitmap, scale escpos.RasterScale, align escpos.Align, w, step int) {
	full := l.p.Dots
	if scale == escpos.RasterDouble {
		full /= 2
	}
	x := 0
	switch align {
	case escpos.Center:
		x = (full - w) / 2
	case escpos.Right:
		x = full - w
	}
	x = min((x+step/2)/step*step, full-bm.W)
	if x <= 0 {
		b.Raster(bm, scale)
		return
	}
	wide := escpos.NewBitmap(full, bm.H)
	wide.Draw(x, 0, bm)
	b.Raster(wide, scale)
}

// qr appends the QR code, centred, natively or as a bit image, after a
// quiet zone of four modules: printers draw none of their own, and a
// caption line too close above stops a phone reading the code.
func (l *Layout) qr(b *escpos.Builder, data string) error {
	module := 4 // dots; the bit image is drawn at 2 × 2 dots a bit
	if l.p.NativeQR && l.p.Dots >= 512 {
		module = 6
	}
	quiet := func() { b.LineSpacing(byte(4 * module)).LF().LineSpacing(byte(l.pitch())) }
	if l.p.NativeQR {
		quiet()
		b.Align(escpos.Center).QR([]byte(data), module, escpos.QRLevelM)
		return nil
	}
	bm, _, err := qrcode.Bitmap(data, module/2)
	if err != nil {
		return fmt.Errorf("printer: status QR code: %w", err)
	}
	quiet()
	l.image(b, bm, escpos.RasterDouble, escpos.Center, bm.W, 1)
	return nil
}

// pitch is the line pitch in dots: the cell and a gap of a twelfth of it.
// The printer's default (ESC 2, 1/6 inch: 30 to 34 dots) spends a fifth
// of the paper on the gaps and differs between models; an explicit pitch
// keeps the ticket short and its length the same on all of them. A
// user-defined Kazakh letter fills its cell, so the gap is all that keeps
// a Қ's tail off the Ё below it.
func (l *Layout) pitch() int { return l.p.CellH + l.p.CellH/12 }

// finish appends the cut, or a feed past the tear bar.
func (l *Layout) finish(b *escpos.Builder) {
	if l.p.Cutter {
		b.Cut()
	} else {
		b.Feed(4)
	}
}

// checkPersonal rejects tickets holding an IIN-like run of twelve digits.
func checkPersonal(t *Ticket) error {
	texts := []string{t.Number, t.Status, t.KioskLine}
	for _, bl := range t.Blocks {
		texts = append(texts, bl.NumberLabel, bl.Booked, bl.Priority, bl.Service, bl.Branch, bl.Kiosk,
			bl.Issued, bl.Wait, bl.Ready, bl.BringHeading, bl.Notice, bl.StatusCaption)
		texts = append(texts, bl.Bring...)
	}
	for _, s := range texts {
		run := 0
		for _, r := range s + " " {
			if unicode.IsDigit(r) {
				run++
				continue
			}
			if run == 12 {
				return ErrPersonalData
			}
			run = 0
		}
	}
	return nil
}
