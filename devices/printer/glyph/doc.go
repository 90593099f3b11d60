// Package glyph draws characters into printer-sized cells from an embedded
// font: the user-defined characters a printer without the Kazakh letters is
// sent, the raster lines of the last-resort strategy, and the text of
// ticket previews.
//
// # Font
//
// The font is DejaVu Sans Mono Bold, embedded as data. Its licence (the
// Bitstream Vera licence with DejaVu's public-domain changes, in
// LICENSE-DejaVu.txt beside it) allows copying and redistribution with the
// software. It has every Kazakh letter: Ә Ғ Қ Ң Ө Ұ Ү Һ І and their small
// forms. The Go fonts (golang.org/x/image/font/gofont) have basic Cyrillic
// and І but none of Ә Ғ Қ Ң Ө Ұ Ү Һ, so they cannot serve.
//
// # Sets
//
// Render draws a list of runes once, at start-up, into a Set: a read-only
// table of 1-bit cell bitmaps that any number of goroutines may read. The
// font rasteriser itself is not safe for concurrent use, so nothing draws
// after Render returns. A Set also answers the reverse question, which rune
// a cell's dots show (Lookup), which is how a preview names the
// user-defined characters in a job's bytes.
//
// # Cells
//
// A cell is the printer's character box, 12×24 dots for Epson's Font A.
// The glyph is sized so that its advance fills the cell width but one dot
// (a blank column between letters, as in printer fonts), with the
// baseline four fifths of the way down, which leaves room for the tails of
// Қ and Ң and the marks above Ё and Й.
package glyph
