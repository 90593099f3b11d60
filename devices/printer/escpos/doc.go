// Package escpos builds the bytes of ESC/POS print jobs: the small subset of
// the Epson command set the kiosk's ticket printer driver emits, plus the
// character tables those bytes are read in.
//
// # Builder
//
// A Builder appends commands to one buffer. The driver builds a whole job
// (a ticket) in one Builder and sends it in a single conn.Conn Tx, so a job
// is one write on every transport:
//
//	var b escpos.Builder
//	b.Init().CancelKanji().CodeTable(53)
//	b.Align(escpos.Center).Size(4, 4).Text([]byte("A042")).LF()
//	b.Cut()
//	job := b.Bytes()
//
// The Builder never fails: arguments out of range are clamped to what the
// command accepts (a size of 9 becomes 8, a module size of 20 becomes 16).
// It allocates only when its buffer grows; Reset keeps the buffer.
//
// # Commands
//
// The subset is: ESC @ (initialise), FS . (cancel Kanji mode, so Chinese
// firmware does not read bytes ≥ 0x80 as double-byte characters), ESC t
// (character code table), ESC a (justification), GS L (left margin), GS !
// (character size), ESC E (emphasised), ESC 3 / ESC 2 (line spacing), ESC %
// and ESC & (user-defined characters), LF and ESC d (feed), GS V (cut), GS v 0
// (raster bit image), GS ( k (QR code, model 2), GS r 1 (paper sensor
// status, processed in order) and DLE EOT (real-time status). The preview
// package decodes exactly this subset.
//
// # Character tables
//
// Charset maps the upper half (0x80–0xFF) of a code table to runes and back.
// CP866 and WPC1251 come from golang.org/x/text; KZ-1048 (STRK1048-2002,
// WPC1251 with the Kazakh letters in sixteen places) is a table here.
// The lower half is ASCII on every table the driver selects.
//
// # Bitmaps
//
// Bitmap is a 1-bit image packed the way GS v 0 wants it: rows of bytes,
// most significant bit leftmost, 1 is a black dot. Columns gives the same
// pixels in the column-major form ESC & wants for user-defined characters.
package escpos
