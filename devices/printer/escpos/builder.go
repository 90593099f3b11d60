package escpos

// Control bytes that start ESC/POS commands.
const (
	LF  = 0x0A // print and line feed
	DLE = 0x10 // real-time commands: DLE EOT n
	EOT = 0x04
	ESC = 0x1B
	FS  = 0x1C
	GS  = 0x1D
)

// Real-time status requests, the n of DLE EOT n. Each is answered by one
// byte, even while the printer is offline.
const (
	StatusPrinter = 1 // printer status: bit 3 offline
	StatusOffline = 2 // offline cause: bit 2 cover open, bit 5 paper end, bit 6 error
	StatusError   = 3 // error cause: bit 3 autocutter, bit 5 unrecoverable, bit 6 auto-recoverable
	StatusPaper   = 4 // roll paper sensor: bits 2–3 near end, bits 5–6 roll end
)

// Align is the justification of the following lines (ESC a).
type Align byte

// Justifications.
const (
	Left   Align = 0
	Center Align = 1
	Right  Align = 2
)

// QRLevel is a QR code error-correction level (GS ( k function 169).
type QRLevel byte

// Error-correction levels, as ESC/POS numbers them.
const (
	QRLevelL QRLevel = 48 // 7 %
	QRLevelM QRLevel = 49 // 15 %
	QRLevelQ QRLevel = 50 // 25 %
	QRLevelH QRLevel = 51 // 30 %
)

// RasterScale is the m of GS v 0: how many printer dots one bitmap pixel
// covers.
type RasterScale byte

// Raster scales.
const (
	RasterNormal RasterScale = 0 // one dot per pixel
	RasterDouble RasterScale = 3 // 2×2 dots per pixel (double width and height)
)

// Builder appends ESC/POS commands to a buffer. The zero value is ready to
// use. Methods return the Builder so calls chain.
type Builder struct {
	buf []byte
}

// NewBuilder returns a Builder whose buffer starts with room for n bytes.
func NewBuilder(n int) *Builder { return &Builder{buf: make([]byte, 0, n)} }

// Bytes returns the job built so far. The slice aliases the Builder's
// buffer until the next call that appends.
func (b *Builder) Bytes() []byte { return b.buf }

// Len returns the number of bytes built so far.
func (b *Builder) Len() int { return len(b.buf) }

// Reset empties the buffer and keeps its capacity.
func (b *Builder) Reset() { b.buf = b.buf[:0] }

// Truncate drops everything after the first n bytes.
func (b *Builder) Truncate(n int) {
	if n >= 0 && n < len(b.buf) {
		b.buf = b.buf[:n]
	}
}

// Raw appends bytes as they are: text already in the selected code table,
// or a command the Builder has no method for.
func (b *Builder) Raw(p ...byte) *Builder {
	b.buf = append(b.buf, p...)
	return b
}

// Text appends encoded text. It is Raw under a name that says what the
// bytes are; the caller encodes and must not pass control bytes.
func (b *Builder) Text(p []byte) *Builder {
	b.buf = append(b.buf, p...)
	return b
}

// Init appends ESC @: clear the print buffer, reset every mode to its
// power-on value, and erase the user-defined characters.
func (b *Builder) Init() *Builder { return b.Raw(ESC, '@') }

// CancelKanji appends FS .: leave Kanji (double-byte) mode. Printers with
// Chinese firmware start in it and would print each pair of bytes ≥ 0x80 as
// one Chinese character.
func (b *Builder) CancelKanji() *Builder { return b.Raw(FS, '.') }

// CodeTable appends ESC t n: select character code table n for bytes
// 0x80–0xFF. The numbers are the vendor's; see the printer profiles.
func (b *Builder) CodeTable(n byte) *Builder { return b.Raw(ESC, 't', n) }

// Align appends ESC a n.
func (b *Builder) Align(a Align) *Builder { return b.Raw(ESC, 'a', byte(a)) }

// Size appends GS ! n: characters w times as wide and h times as tall as
// normal, each clamped to 1–8.
func (b *Builder) Size(w, h int) *Builder {
	w, h = clamp(w, 1, 8), clamp(h, 1, 8)
	return b.Raw(GS, '!', byte((w-1)<<4|(h-1)))
}

// Bold appends ESC E n: emphasised printing on or off.
func (b *Builder) Bold(on bool) *Builder { return b.Raw(ESC, 'E', boolByte(on)) }

// LeftMargin appends GS L nL nH: lines start n dots from the left edge of
// the printable area. Text, bit images and QR codes all start there. It is
// taken at the start of a line only.
func (b *Builder) LeftMargin(n int) *Builder {
	n = clamp(n, 0, 0xFFFF)
	return b.Raw(GS, 'L', byte(n), byte(n>>8))
}

// LineSpacing appends ESC 3 n: n motion units (dots on 203 dpi printers)
// from one baseline to the next.
func (b *Builder) LineSpacing(n byte) *Builder { return b.Raw(ESC, '3', n) }

// DefaultLineSpacing appends ESC 2: back to the printer's default spacing.
func (b *Builder) DefaultLineSpacing() *Builder { return b.Raw(ESC, '2') }

// UserChars appends ESC % n: print defined user characters instead of the
// resident ones (on), or the resident ones again (off). Codes with no user
// character defined print the resident character either way.
func (b *Builder) UserChars(on bool) *Builder { return b.Raw(ESC, '%', boolByte(on)) }

// UserChar is one user-defined character for DefineChars: Width columns of
// y bytes each, top to bottom, most significant bit at the top.
type UserChar struct {
	Width int
	Data  []byte
}

// DefineChars appends ESC & y c1 c2 and the characters: defines codes
// first, first+1, … as the given glyphs, each y bytes (8·y dots) tall.
// Codes must stay within 0x20–0x7E; characters past 0x7E are dropped.
func (b *Builder) DefineChars(y int, first byte, chars []UserChar) *Builder {
	if len(chars) == 0 || first < 0x20 || first > 0x7E {
		return b
	}
	if n := 0x7E - int(first) + 1; len(chars) > n {
		chars = chars[:n]
	}
	b.Raw(ESC, '&', byte(y), first, first+byte(len(chars)-1))
	for _, c := range chars {
		b.buf = append(b.buf, byte(c.Width))
		b.buf = append(b.buf, c.Data[:c.Width*y]...)
	}
	return b
}

// LF appends a line feed: print the line buffer and advance one line.
func (b *Builder) LF() *Builder { return b.Raw(LF) }

// Feed appends ESC d n: print the line buffer and feed n lines.
func (b *Builder) Feed(n int) *Builder { return b.Raw(ESC, 'd', byte(clamp(n, 0, 255))) }

// Cut appends GS V 66 0: feed the paper to the cutter and cut, leaving
// one point uncut (a partial cut) where the mechanism does that.
func (b *Builder) Cut() *Builder { return b.Raw(GS, 'V', 66, 0) }

// Raster appends GS v 0: print bm as a raster bit image at the given scale.
func (b *Builder) Raster(bm *Bitmap, scale RasterScale) *Builder {
	if bm == nil || bm.W == 0 || bm.H == 0 {
		return b
	}
	x, y := bm.Stride, bm.H
	b.Raw(GS, 'v', '0', byte(scale), byte(x), byte(x>>8), byte(y), byte(y>>8))
	b.buf = append(b.buf, bm.Pix[:x*y]...)
	return b
}

// QR appends the GS ( k sequence that stores data and prints it as a QR
// code with modules of size dots (1–16) and error correction level ec.
// It leaves the model at its power-on default, model 2 (function 165 is
// not sent: ESC @ restores the default, and it saves 9 bytes a ticket).
func (b *Builder) QR(data []byte, size int, ec QRLevel) *Builder {
	b.Raw(GS, '(', 'k', 3, 0, 49, 67, byte(clamp(size, 1, 16))) // function 167: module size
	b.Raw(GS, '(', 'k', 3, 0, 49, 69, byte(ec))                 // function 169: error correction
	n := len(data) + 3
	b.Raw(GS, '(', 'k', byte(n), byte(n>>8), 49, 80, 48) // function 180: store
	b.buf = append(b.buf, data...)
	return b.Raw(GS, '(', 'k', 3, 0, 49, 81, 48) // function 181: print
}

// PaperStatus appends GS r 1: send the paper sensor status byte. Unlike
// DLE EOT it is processed in order, after everything before it has been
// printed, so its answer says the job before it is done.
func (b *Builder) PaperStatus() *Builder { return b.Raw(GS, 'r', 1) }

// StatusRequest returns DLE EOT n for each n, in order: real-time status
// requests, answered with one byte each even while the printer is busy or
// offline.
func StatusRequest(n ...byte) []byte {
	out := make([]byte, 0, 3*len(n))
	for _, v := range n {
		out = append(out, DLE, EOT, v)
	}
	return out
}

func clamp(v, lo, hi int) int {
	return max(lo, min(v, hi))
}

func boolByte(on bool) byte {
	if on {
		return 1
	}
	return 0
}
