// Package scanner drives the serial MRZ scanner: it keeps the port open
// across unplugs, cuts the byte stream into documents whatever the
// framing, drops noise and repeats, and hands parsed documents (see
// package mrz) or typed errors to its caller.
//
// # Use
//
// A kiosk builds the port and options from its configuration, then runs
// the driver until shutdown:
//
//	port, opts, err := scanner.FromConfig(cfg.Scanner)
//	dev, err := scanner.New(port, opts)
//	err = dev.Run(ctx, func(e scanner.Event) {
//		app.QueueUpdateDraw(func() { screen.Scanner(e) })
//	})
//
// Run calls the func for each [Event], in order, on its own goroutine:
// EventDocument with the [mrz.Document], EventUnreadable when a scan did not
// parse (ask the visitor to scan again), EventState when the connection
// changes, and EventDropped for bytes thrown away (for technicians; the
// visitor's screen ignores it). Cancel ctx to stop: Run closes the port and
// returns. [Dev.State] gives the state to a screen that polls.
//
// # Framing
//
// Scanners differ in how they end lines and documents. The [Assembler]
// understands, without settings: CR, LF and CRLF line ends; STX (0x02)
// starting a document and ETX (0x03) ending it; a whole MRZ sent as one
// line (72, 88 or 90 characters). Opts.Prefix and Opts.Suffix add a
// scanner's own markers, such as an AIM identifier "]M" or a GS+CR
// trailer. Lines may arrive in any number of reads, with pauses shorter
// than Opts.FrameGap anywhere. Spaces around a line are removed, letters
// upper-cased, and other control bytes (NUL at power-up, ESC, TAB) ignored.
//
// # Resync
//
// MRZ lines are 30 (TD1, 3 lines), 36 (TD2, MRV-B; 2 lines) or 44 (TD3,
// MRV-A, the Russian internal passport; 2 lines) characters. A line of one
// of those lengths starts or continues a document; a line of another
// length is noise and throws away any unfinished document, as do a line of
// a different MRZ length, STX, ETX, the prefix, the suffix and a pause
// longer than FrameGap. A complete set of lines is parsed at once. So
// after any garbage the next well-framed scan is read correctly; the fuzz
// target FuzzAssembler checks this.
//
// Driving licences are not ICAO documents, but a visitor puts them on the
// scanner all the same, and must hear that the kiosk wants a passport
// rather than see nothing happen. So their zones are documents too, for
// the parser to refuse with mrz.ErrNotICAO: a line of 30 that starts a
// document with "D" and holds digits (ISO/IEC 18013, one line; no TD1
// line looks like that) is a whole document at once, and a line of 9 MRZ
// characters with a filler starts a Swiss licence's lines of 9, 30 and 30.
//
// The lines' content is left to the parser: a set of lines of the right
// shape with a character outside A–Z, 0–9 and '<' is delivered as a
// [*ScanError]. Wrong check digits are not an error: the Document comes
// with Valid false.
//
// # Memory
//
// The driver's memory is fixed when the port opens: a 4 KiB read buffer,
// a line of at most Opts.MaxLine bytes and one document. A line that grows
// past MaxLine is reported once as ErrOverlong and its bytes are skipped,
// not stored, until its line end (or STX, or the prefix), so a device
// streaming megabytes without a line end costs nothing more.
//
// # Duplicates
//
// A visitor who leaves the passport on the glass makes some scanners read
// it again and again. A document whose MRZ is the same as the previous
// one's, arriving less than Opts.DedupeWindow after the last sighting, is
// dropped without an event; each repeat restarts the window. Only a hash
// of the last MRZ is kept.
//
// # Reconnecting
//
// When the port cannot be opened or goes away, Run reports
// [StateDisconnected] (the device node is missing, or the port closed:
// unplugged) or [StateError] (it is there but unusable: permissions,
// settings, not a tty), and tries again after Opts.ReopenMin, doubling the
// wait up to Opts.ReopenMax while it keeps failing. A state event is sent
// when the state or its reason changes, not on every retry.
//
// # Errors
//
// go.bug.st/serial returns its own PortError (which has no Unwrap) for
// some failures and raw errnos for others, and on a read timeout returns
// (0, nil). This package gives them one shape: a [*PortError] whose Kind is
// one of ErrPortNotFound, ErrPortClosed, ErrPermission, ErrPortBusy,
// ErrNotSerial or ErrBadMode, for errors.Is, with the cause kept for
// errors.Is on errnos. Messages name the port and the fix, and never carry
// scanned text: names, numbers and dates are personal data.
//
// # Testing
//
// Package scannertest is a fake scanner on a pseudo-terminal reached
// through a stable symlink: the tests drive the real driver and its real
// serial port code through it, including unplugging and plugging back in.
// The reconnect schedule is tested with a scripted [Opener] under
// testing/synctest.
package scanner
