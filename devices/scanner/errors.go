package scanner

import (
	"errors"
	"strconv"
	"strings"

	"github.com/hcsc-kz/kiosk/devices/mrz"
)

// Kinds of port failure. A [*PortError] wraps one of them, so the UI and the
// service screen can branch with errors.Is and tell the technician the fix.
var (
	// ErrPortNotFound: the device path does not exist. On a kiosk this is
	// almost always an unplugged scanner, so Run reports it as
	// [StateDisconnected] and keeps retrying.
	ErrPortNotFound = errors.New("scanner: port not found (is the scanner plugged in, and is [scanner] port right?)")
	// ErrPortClosed: the port went away while open (unplugged, or the
	// device hung up). Run reports [StateDisconnected] and reopens.
	ErrPortClosed = errors.New("scanner: port closed (scanner unplugged?)")
	// ErrPermission: the kiosk user may not open the port.
	ErrPermission = errors.New("scanner: permission denied (add the kiosk user to the dialout group)")
	// ErrPortBusy: another process holds the port.
	ErrPortBusy = errors.New("scanner: port busy (is another kiosk or scan-test running?)")
	// ErrNotSerial: the path exists but is not a serial port.
	ErrNotSerial = errors.New("scanner: not a serial port (check [scanner] port)")
	// ErrBadMode: the port refused the speed, data bits, parity or stop
	// bits asked for.
	ErrBadMode = errors.New("scanner: port settings not supported (check [scanner] baud, data_bits, parity, stop_bits)")
	// ErrRunning: Run was called while another Run of the same Dev is
	// still going; one Dev reads its port from one goroutine.
	ErrRunning = errors.New("scanner: Run called while already running")
)

// PortError is a failure to open or read the scanner's port. It exists
// because go.bug.st/serial mixes its own PortError (without Unwrap) with raw
// errnos: PortError gives both one shape, with Kind for branching and Err
// for the technician.
type PortError struct {
	Port string // the device path, or the opener's name
	Op   string // "open" or "read"
	// Kind is ErrPortNotFound, ErrPortClosed, ErrPermission, ErrPortBusy,
	// ErrNotSerial or ErrBadMode; nil when the cause fits none of them.
	Kind error
	// Err is the cause as the OS or the serial library gave it.
	Err error
}

// Error names the port, the operation, the fix and the cause, e.g.
// "scanner /dev/ttyACM0: open: port not found (is the scanner plugged in,
// …): no such file or directory".
func (e *PortError) Error() string {
	var b strings.Builder
	b.WriteString("scanner ")
	b.WriteString(e.Port)
	b.WriteString(": ")
	b.WriteString(e.Op)
	if e.Kind != nil {
		b.WriteString(": ")
		b.WriteString(strings.TrimPrefix(e.Kind.Error(), "scanner: "))
	}
	if e.Err != nil && e.Err != e.Kind {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Kind and Err, so both errors.Is(err, ErrPortNotFound) and
// errors.Is(err, syscall.ENOENT) hold.
func (e *PortError) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// ScanError is a complete set of MRZ-shaped lines that the parser refused
// (a character outside the MRZ alphabet, an unknown layout). The visitor
// should scan again. Failed check digits are not a ScanError: they give a
// Document with Valid false.
//
// Its message never contains the scanned text, only its shape and the
// parser's verdict, because the text is personal data.
type ScanError struct {
	Port   string
	Lines  int   // how many lines were scanned
	Length int   // the length of each line
	Err    error // the parser's error, usually an *mrz.Error
}

// Error describes the scan and the parser's verdict without the scanned
// text, e.g. "scanner /dev/ttyACM0: unreadable scan (2 lines of 44): mrz:
// character outside the MRZ alphabet: line 2 column 7".
func (e *ScanError) Error() string {
	var b strings.Builder
	b.WriteString("scanner ")
	b.WriteString(e.Port)
	b.WriteString(": unreadable scan (")
	b.WriteString(strconv.Itoa(e.Lines))
	b.WriteString(" lines of ")
	b.WriteString(strconv.Itoa(e.Length))
	b.WriteString(")")
	var me *mrz.Error
	switch {
	case errors.As(e.Err, &me):
		// The kind and place only: Detail may quote the scanned text.
		b.WriteString(": ")
		b.WriteString(me.Kind.Error())
		if me.Line > 0 {
			b.WriteString(": line ")
			b.WriteString(strconv.Itoa(me.Line))
		}
		if me.Column > 0 {
			b.WriteString(" column ")
			b.WriteString(strconv.Itoa(me.Column))
		}
	case e.Err != nil:
		b.WriteString(": parser error")
	}
	return b.String()
}

// Unwrap returns the parser's error, so errors.Is(err, mrz.ErrCharacter)
// holds.
func (e *ScanError) Unwrap() error { return e.Err }

// Reasons the assembler drops bytes. A [*DropError] wraps one of them.
var (
	// ErrNoise: a line whose length is not an MRZ line's (30, 36 or 44
	// characters, or 72, 88 or 90 for a whole MRZ sent without line
	// breaks). A steady stream of these means the framing settings are
	// wrong.
	ErrNoise = errors.New("scanner: dropped a line that is not an MRZ line")
	// ErrOverlong: a line longer than Opts.MaxLine; its bytes are skipped
	// up to the next line end without being kept.
	ErrOverlong = errors.New("scanner: dropped an over-long line")
	// ErrIncomplete: a document's lines were cut short by a frame start or
	// end (STX, ETX, prefix, suffix) or by a line of another length.
	ErrIncomplete = errors.New("scanner: dropped an incomplete document")
	// ErrStale: a partial line or document whose bytes stopped arriving for
	// longer than Opts.FrameGap.
	ErrStale = errors.New("scanner: dropped a document whose bytes stopped arriving")
)

// DropError says what the assembler threw away and why, by size only: the
// bytes themselves may be part of a passport's MRZ and are never kept.
type DropError struct {
	Reason error // ErrNoise, ErrOverlong, ErrIncomplete or ErrStale
	// Length is the length of the dropped line (for ErrOverlong: the limit
	// it passed); 0 when no line was dropped.
	Length int
	// Lines is the number of complete lines of an unfinished document
	// dropped with it.
	Lines int
}

// Error gives the reason and the sizes, e.g. "scanner: dropped a line that
// is not an MRZ line (12 characters; 1 line of a document before it)".
func (e *DropError) Error() string {
	var b strings.Builder
	b.WriteString(e.Reason.Error())
	var parts []string
	switch {
	case e.Reason == ErrOverlong:
		parts = append(parts, "more than "+strconv.Itoa(e.Length)+" bytes")
	case e.Length > 0:
		parts = append(parts, strconv.Itoa(e.Length)+" characters")
	}
	switch e.Lines {
	case 0:
	case 1:
		parts = append(parts, "1 line of a document")
	default:
		parts = append(parts, strconv.Itoa(e.Lines)+" lines of a document")
	}
	if len(parts) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(parts, "; "))
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the reason, for errors.Is(err, ErrNoise).
func (e *DropError) Unwrap() error { return e.Reason }
