// Package preview decodes the ESC/POS jobs the ticket printer driver
// builds back into text and a picture of the paper, so tests can assert on
// what a ticket says and how it is laid out, and a person can look at each
// ticket without a printer.
//
// # What it reads
//
// Exactly the subset the escpos package builds: ESC @, FS ., ESC t, ESC a,
// ESC E, ESC 3, ESC 2, ESC %, ESC &, ESC d, LF, GS !, GS L, GS V, GS v 0,
// GS ( k (QR code functions 165, 167, 169, 180 and 181), GS r and DLE EOT.
// Anything else is an error that names the bytes and their offset.
//
// # Text
//
// Bytes are read in the selected code table (Options.Tables says which
// ESC t number is which table, since vendors number them differently).
// User-defined characters are named by matching their dots against the
// embedded font's rendering of every known character, the same rendering
// the driver sends, so a Kazakh letter sent as a user character decodes to
// that letter. Image lines of normal size are read the same way, cell by
// cell, which lets tests read the raster strategy's lines too.
//
// # Picture
//
// Result.WritePNG draws the paper at one pixel per dot: user characters
// and images exactly as sent, QR codes as the printer would draw them from
// the stored data, resident characters with the embedded font in the
// printer's cells (close to, not the same as, the printer's own font), and
// a dashed line at each cut.
package preview
