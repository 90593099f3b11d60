// Package printer drives the kiosk's thermal ticket printer over ESC/POS
// on a periph.io conn.Conn, and lays out the queue ticket.
//
// # Driver
//
// New takes a connection, not a path: a serial UART (serialconn), a raw
// character device, a TCP 9100 socket or a file (streamconn), or a
// conntest fake. The hw package opens the right one from config.Printer.
//
//	dev, err := printer.New(c, &printer.Opts{Profile: p, CoverOpen: pin})
//	err = dev.PrintTicket(ctx, &ticket)
//
// Every job is one Tx: the whole ticket, then (with the DLE EOT dialect)
// GS r 1, whose one-byte answer comes only once the ticket is printed. So
// "printed" means printed, not "written to a buffer".
//
// # States
//
// State is one of Ready, PaperNearEnd, PaperOut, CoverOpen, CutterError,
// Offline (and Unknown before the first read). Status reads it now: the
// cover-open pin first (no bus traffic when it is High), then DLE EOT 1,
// 2, 3 and 4 in one exchange, then the near-end pin. Watch delivers each
// change; Run polls while idle and reopens a lost connection with a
// backoff (a USB printer unplugged), the state Offline meanwhile.
//
// # Errors
//
// Print and PrintTicket check the state before each job. A printer that
// cannot print gives a *JobError with Stage BeforeJob before any byte of
// the ticket is sent, so the UI can show the number on screen. A job that
// fails once sent gives Stage DuringJob; the ticket may be missing or
// short, and calling PrintTicket again reprints it. errors.Is finds
// ErrPaperOut, ErrCoverOpen, ErrCutter or ErrOffline in either, and the
// transport's own error beside it. Layout errors (ErrNoNumber,
// ErrPersonalData) come before the state is even read.
//
// # Kazakh
//
// A Profile names the model's code table numbers and picks a Strategy:
// KZ1048 (plain text on the KZ-1048 table, one byte a letter), UserChars
// (CP866 or WPC1251, with the Kazakh letters the ticket uses downloaded as
// ESC & user-defined characters on ASCII codes the ticket does not print,
// drawn at start-up from the embedded DejaVu font and sent with every
// ticket because ESC @ erases them), or Raster (GS v 0 images of just the
// lines that need them). A character the profile cannot print at all is
// transliterated (Қ → К, « → ", — → -), never sent as '?'.
//
// # Ticket
//
// A Ticket carries already-localised text blocks, Kazakh first. The
// layout: branch lines, the number captions joined by " / ", the number as
// large as the paper allows, the booked mark, the kiosk and time lines
// (each distinct line once), then per language the service (bold), the
// wait, the ready date, the checklist (a single item on its heading's
// line, more as a list with hanging indents), and the free-of-charge
// notice; then the QR code and the cut. Every line wraps to
// the paper width; a word longer than a line is broken. Tickets carry no
// personal data, and a text holding twelve digits in a row (an IIN) is
// refused.
//
// # Profiles
//
// Profiles lists the shipped models; each Profile.Source says which of its
// numbers come from the vendor's tables and which are assumed. Run
// "kiosk print-test" on a new model to check them.
//
// # Tests
//
// The tests drive the real Dev through periph's conntest (Playback with
// DontPanic, and Record) and gpiotest pins, compare jobs with golden files
// in testdata (go test -update rewrites them), and read the jobs back with
// the preview package.
package printer
