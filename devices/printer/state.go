package printer

import (
	"errors"
	"fmt"
)

// State is what the printer can do now, for the UI and for technicians.
type State int

// States. The zero value is Unknown: no status has been read yet.
const (
	Unknown      State = iota
	Ready              // prints
	PaperNearEnd       // prints; the roll needs changing soon
	PaperOut           // cannot print: no paper
	CoverOpen          // cannot print: the cover is open
	CutterError        // cannot print: the cutter is jammed
	Offline            // cannot print: no connection, no answer, or another printer error
)

// String returns the state's name as logs, the service screen and config
// show it: "ready", "paper-near-end", "paper-out", "cover-open",
// "cutter-error", "offline" or "unknown".
func (s State) String() string {
	switch s {
	case Unknown:
		return "unknown"
	case Ready:
		return "ready"
	case PaperNearEnd:
		return "paper-near-end"
	case PaperOut:
		return "paper-out"
	case CoverOpen:
		return "cover-open"
	case CutterError:
		return "cutter-error"
	case Offline:
		return "offline"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// CanPrint reports whether a ticket may be sent in this state.
func (s State) CanPrint() bool { return s == Ready || s == PaperNearEnd }

// Err returns the sentinel error for a state that cannot print (ErrPaperOut,
// ErrCoverOpen, ErrCutter, ErrOffline), and nil for Ready and
// PaperNearEnd. Unknown gives ErrOffline.
func (s State) Err() error {
	switch s {
	case Ready, PaperNearEnd:
		return nil
	case PaperOut:
		return ErrPaperOut
	case CoverOpen:
		return ErrCoverOpen
	case CutterError:
		return ErrCutter
	}
	return ErrOffline
}

// Errors the UI maps to screens. Test with errors.Is; they arrive wrapped
// in a *JobError or with a cause.
var (
	ErrPaperOut  = errors.New("printer: out of paper; load a new roll and close the cover")
	ErrCoverOpen = errors.New("printer: cover open; close the printer cover")
	ErrCutter    = errors.New("printer: cutter error; open the cover, clear the paper at the cutter, close the cover")
	ErrOffline   = errors.New("printer: offline; check the printer's power and cable")
)

// Stage says how far a failed job got.
type Stage int

// Stages of a job.
const (
	// BeforeJob: nothing of the job was sent. The ticket was not printed;
	// the UI shows the number on screen instead.
	BeforeJob Stage = iota + 1
	// DuringJob: the job was sent, in whole or in part, and did not finish.
	// The ticket may be missing or cut short; the UI offers a reprint once
	// the printer is ready again.
	DuringJob
)

// String returns "before the ticket" or "during the ticket".
func (s Stage) String() string {
	switch s {
	case BeforeJob:
		return "before the ticket"
	case DuringJob:
		return "during the ticket"
	}
	return fmt.Sprintf("Stage(%d)", int(s))
}

// JobError is a print job that failed. Unwrap gives the cause, which is
// one of the sentinels above (possibly wrapping a transport error).
type JobError struct {
	Stage Stage
	State State // the printer's state when the job failed
	Err   error
}

// Error returns e.g. "printer: before the ticket: printer: out of paper; …".
func (e *JobError) Error() string {
	return fmt.Sprintf("printer: %s: %v", e.Stage, e.Err)
}

// Unwrap returns the cause.
func (e *JobError) Unwrap() error { return e.Err }

// causeError joins a sentinel with the transport error that caused it, so
// errors.Is finds both.
type causeError struct {
	sentinel error
	cause    error
}

func (e *causeError) Error() string   { return fmt.Sprintf("%v: %v", e.sentinel, e.cause) }
func (e *causeError) Unwrap() []error { return []error{e.sentinel, e.cause} }
