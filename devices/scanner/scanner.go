package scanner

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hcsc-kz/kiosk/devices/mrz"
)

// Opener opens the scanner's port. Run calls it again after every unplug,
// so a test can hand Run any stream; [*Serial] is the real one.
type Opener interface {
	// Open returns the port, ready to read. Closing it from another
	// goroutine must unblock a Read in progress.
	Open(ctx context.Context) (io.ReadCloser, error)
	// String names the port in errors and logs, e.g. "/dev/ttyACM0".
	String() string
}

// State is the scanner's connection as the UI and the service screen show
// it.
type State uint32

// The states a Dev goes through. The zero value is StateDisconnected: a Dev
// that has not opened its port yet has no connection.
const (
	// StateDisconnected: the port is not there (unplugged) or has not been
	// opened yet; Run is retrying.
	StateDisconnected State = iota
	// StateConnected: the port is open and being read.
	StateConnected
	// StateError: the port is there but cannot be used (permissions,
	// settings, not a serial port); Run is retrying, but a person must
	// usually act.
	StateError
)

// String returns "disconnected", "connected" or "error".
func (s State) String() string {
	switch s {
	case StateDisconnected:
		return "disconnected"
	case StateConnected:
		return "connected"
	case StateError:
		return "error"
	}
	return fmt.Sprintf("State(%d)", uint32(s))
}

// MarshalText writes the state as String does, for JSON and logs.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// EventKind says which of an Event's fields carry news.
type EventKind uint8

// The kinds of Event.
const (
	// EventState: State changed, or stayed but for a different reason;
	// Err is the reason for StateDisconnected and StateError (a
	// *PortError), nil otherwise.
	EventState EventKind = iota + 1
	// EventDocument: Doc is a scanned document. Doc.Valid false means a
	// check digit failed (a misread or a forgery); ask for a rescan.
	EventDocument
	// EventUnreadable: a complete scan the parser refused; Err is a
	// *ScanError. Ask the visitor to scan again.
	EventUnreadable
	// EventDropped: bytes that were not a document were thrown away; Err
	// is a *DropError. The visitor's screen ignores these; technicians
	// read them to find a framing setting that is wrong.
	EventDropped
)

// String returns "state", "document", "unreadable" or "dropped".
func (k EventKind) String() string {
	switch k {
	case EventState:
		return "state"
	case EventDocument:
		return "document"
	case EventUnreadable:
		return "unreadable"
	case EventDropped:
		return "dropped"
	}
	return fmt.Sprintf("EventKind(%d)", uint8(k))
}

// Event is one thing that happened at the scanner.
type Event struct {
	Kind  EventKind
	At    time.Time     // from Opts.Now
	State State         // the scanner's state at the time of the event
	Doc   *mrz.Document // for EventDocument
	Err   error         // for EventUnreadable, EventDropped, and EventState when not connected
}

// Dev is the serial MRZ scanner: it keeps its port open across unplugs and
// turns what it sends into documents. Create one with New, then Run it.
type Dev struct {
	open    Opener
	opts    Opts
	state   atomic.Uint32
	running atomic.Bool
	seed    maphash.Seed
}

// New returns a scanner that reads the port open gives, with opts (nil
// means the defaults). It opens nothing until Run.
func New(open Opener, opts *Opts) (*Dev, error) {
	if open == nil {
		return nil, errors.New("scanner: New needs an Opener (a *Serial on a kiosk)")
	}
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	return &Dev{open: open, opts: o, seed: maphash.MakeSeed()}, nil
}

// String names the scanner by its port: "scanner(/dev/ttyACM0)".
func (d *Dev) String() string { return "scanner(" + d.open.String() + ")" }

// State returns the current state, for a screen that polls rather than
// listens. Safe from any goroutine.
func (d *Dev) State() State { return State(d.state.Load()) }

// Run opens the port, reads documents and calls emit for each event, and
// reopens the port with backoff whenever it goes away, until ctx is done.
// It then closes the port, emits a last StateDisconnected event if the
// state was another, and returns nil. It returns ErrRunning at once if this Dev
// is already running.
//
// emit runs on Run's goroutine, one event at a time, in order. While it
// runs nothing is read (the OS buffers the port), so it should hand the
// event on (for the UI: QueueUpdateDraw) rather than do slow work.
func (d *Dev) Run(ctx context.Context, emit func(Event)) error {
	if !d.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer d.running.Store(false)
	r := runner{Dev: d, emit: emit, reason: "start"}
	r.loop(ctx)
	return nil
}

// runner is the state of one Run.
type runner struct {
	*Dev
	emit   func(Event)
	reason string // the text of the last state event's error, to report each change once

	lastKey  uint64    // the last document's hash, for the duplicate filter
	lastSeen time.Time // when it was last seen; zero: none
}

func (r *runner) loop(ctx context.Context) {
	var wait time.Duration
	for {
		if wait > 0 && !sleep(ctx, wait) {
			break
		}
		if ctx.Err() != nil {
			break
		}
		rc, err := r.open.Open(ctx)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			err = r.portError("open", err)
			st := StateError
			if errors.Is(err, ErrPortNotFound) || errors.Is(err, ErrPortClosed) {
				st = StateDisconnected
			}
			r.setState(st, err)
			wait = r.grow(wait)
			continue
		}
		r.setState(StateConnected, nil)
		got, err := r.session(ctx, rc)
		if ctx.Err() != nil {
			break
		}
		err = r.portError("read", err)
		st := StateError
		if errors.Is(err, ErrPortClosed) {
			st = StateDisconnected
		}
		r.setState(st, err)
		if got {
			wait = r.opts.ReopenMin
		} else {
			wait = r.grow(wait)
		}
	}
	if r.State() != StateDisconnected {
		r.setState(StateDisconnected, nil)
	}
}

// grow is the next wait of the backoff.
func (r *runner) grow(wait time.Duration) time.Duration {
	if wait < r.opts.ReopenMin {
		return r.opts.ReopenMin
	}
	return min(2*wait, r.opts.ReopenMax)
}

// sleep waits for d or ctx, and reports whether the wait ran out.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// session reads one opening of the port until it fails or ctx is done, and
// reports whether any byte arrived.
func (r *runner) session(ctx context.Context, rc io.ReadCloser) (got bool, err error) {
	quit := make(chan struct{})
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		select {
		case <-ctx.Done():
		case <-quit:
		}
		rc.Close() // unblocks a Read in progress
	}()
	defer func() {
		close(quit)
		<-closed
	}()
	a := newAssembler(rc, &r.opts)
	for {
		f, err := a.Next(ctx)
		if !a.last.IsZero() {
			got = true
		}
		if err != nil {
			return got, err
		}
		r.frame(f)
	}
}

// frame turns one assembler frame into an event.
func (r *runner) frame(f Frame) {
	now := r.opts.Now()
	if f.Drop != nil {
		r.emit(Event{Kind: EventDropped, At: now, State: r.State(), Err: f.Drop})
		return
	}
	if r.duplicate(f.Text, now) {
		return
	}
	doc, err := mrz.Parse(f.Text, now)
	if err != nil {
		lines := strings.Count(f.Text, "\n") + 1
		r.emit(Event{Kind: EventUnreadable, At: now, State: r.State(), Err: &ScanError{
			Port: r.open.String(), Lines: lines, Length: len(f.Text) / lines, Err: err,
		}})
		return
	}
	r.emit(Event{Kind: EventDocument, At: now, State: r.State(), Doc: doc})
}

// duplicate applies the duplicate filter to a scan's text. Only a hash of
// the text is kept, not the text.
func (r *runner) duplicate(text string, now time.Time) bool {
	if r.opts.DedupeWindow < 0 {
		return false
	}
	key := maphash.String(r.seed, text)
	dup := !r.lastSeen.IsZero() && key == r.lastKey && now.Sub(r.lastSeen) < r.opts.DedupeWindow
	r.lastKey, r.lastSeen = key, now
	return dup
}

// setState records st and emits a state event when the state or its reason
// changed.
func (r *runner) setState(st State, err error) {
	reason := ""
	if err != nil {
		reason = err.Error()
	}
	old := State(r.state.Swap(uint32(st)))
	if old == st && reason == r.reason {
		return
	}
	r.reason = reason
	r.emit(Event{Kind: EventState, At: r.opts.Now(), State: st, Err: err})
}

// portError gives err the shape of a *PortError. An io.EOF from a plain
// stream counts as the port closing.
func (r *runner) portError(op string, err error) error {
	var pe *PortError
	switch {
	case err == nil:
		return &PortError{Port: r.open.String(), Op: op, Kind: ErrPortClosed}
	case errors.As(err, &pe):
		return err
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrClosedPipe):
		return &PortError{Port: r.open.String(), Op: op, Kind: ErrPortClosed, Err: err}
	}
	return &PortError{Port: r.open.String(), Op: op, Kind: kindOf(err), Err: err}
}
