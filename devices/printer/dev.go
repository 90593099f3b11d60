package printer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"periph.io/x/conn/v3"
	"periph.io/x/conn/v3/gpio"

	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
)

var _ conn.Resource = (*Dev)(nil)

// Opts are the driver's settings. The zero value of each field means its
// default.
type Opts struct {
	// Profile is the printer model; empty means LookupProfile("generic").
	Profile Profile
	// NearEnd and CoverOpen are optional sensors, High when paper is near
	// its end or the cover is open. nil when not fitted.
	NearEnd   gpio.PinIn
	CoverOpen gpio.PinIn
	// StatusTimeout bounds the wait for a real-time status answer
	// (default 500 ms).
	StatusTimeout time.Duration
	// JobTimeout bounds the wait for a job to print, from the first byte
	// sent to the answer to the GS r 1 that ends it (default 15 s).
	JobTimeout time.Duration
	// Reopen, when set, opens the connection again after it failed (a USB
	// printer unplugged and plugged back). Run calls it with a backoff from
	// ReopenMin (default 500 ms) doubling up to ReopenMax (default 30 s).
	Reopen               func(ctx context.Context) (conn.Conn, error)
	ReopenMin, ReopenMax time.Duration
	// PollInterval is how often Run reads the status while idle
	// (default 5 s).
	PollInterval time.Duration
}

// DefaultOpts returns the default settings with the generic profile.
func DefaultOpts() Opts {
	p, _ := LookupProfile("generic")
	return Opts{
		Profile:       p,
		StatusTimeout: 500 * time.Millisecond,
		JobTimeout:    15 * time.Second,
		ReopenMin:     500 * time.Millisecond,
		ReopenMax:     30 * time.Second,
		PollInterval:  5 * time.Second,
	}
}

// Timeouter is implemented by connections whose reads can time out
// (serialconn.Port, streamconn.Conn). Before each Tx that reads, Dev sets
// the timeout to the one that applies, shortened to ctx's deadline.
type Timeouter interface {
	SetTimeout(d time.Duration)
}

// Dev is an ESC/POS ticket printer on a conn.Conn. Its methods are safe
// for concurrent use; jobs and status reads are serialised.
type Dev struct {
	opts   Opts
	layout *Layout

	mu sync.Mutex // serialises use of the connection; guards c
	c  conn.Conn

	smu      sync.Mutex // guards state and watchers
	state    State
	watchers map[chan State]struct{}
}

// New returns a driver for the printer on c. c may be nil when
// opts.Reopen is set: the printer starts offline and Run connects it.
// New renders the profile's glyphs and sets up the sensor pins; it sends
// nothing to the printer.
func New(c conn.Conn, opts *Opts) (*Dev, error) {
	o := DefaultOpts()
	if opts != nil {
		if opts.Profile.Name != "" {
			o.Profile = opts.Profile
		}
		o.NearEnd, o.CoverOpen, o.Reopen = opts.NearEnd, opts.CoverOpen, opts.Reopen
		setDur(&o.StatusTimeout, opts.StatusTimeout)
		setDur(&o.JobTimeout, opts.JobTimeout)
		setDur(&o.ReopenMin, opts.ReopenMin)
		setDur(&o.ReopenMax, opts.ReopenMax)
		setDur(&o.PollInterval, opts.PollInterval)
	}
	if c == nil && o.Reopen == nil {
		return nil, errors.New("printer: no connection and no Reopen function; give New one of them")
	}
	l, err := NewLayout(o.Profile)
	if err != nil {
		return nil, err
	}
	for _, p := range []gpio.PinIn{o.NearEnd, o.CoverOpen} {
		if p == nil {
			continue
		}
		if err := p.In(gpio.PullNoChange, gpio.NoEdge); err != nil {
			return nil, fmt.Errorf("printer: sensor pin %s: %w", p, err)
		}
	}
	d := &Dev{opts: o, layout: l, c: c, watchers: map[chan State]struct{}{}}
	if c == nil {
		d.state = Offline
	}
	return d, nil
}

func setDur(dst *time.Duration, v time.Duration) {
	if v > 0 {
		*dst = v
	}
}

// String returns "escpos(CONN, PROFILE)".
func (d *Dev) String() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := "offline"
	if d.c != nil {
		c = d.c.String()
	}
	return fmt.Sprintf("escpos(%s, %s)", c, d.opts.Profile.Name)
}

// Layout returns the ticket layout of the printer's profile.
func (d *Dev) Layout() *Layout { return d.layout }

// Halt implements conn.Resource. A job in progress cannot be recalled from
// the printer's buffer, so Halt has nothing to stop and returns nil.
func (d *Dev) Halt() error { return nil }

// Close closes the connection when it is an io.Closer and leaves the
// printer offline.
func (d *Dev) Close() error {
	d.mu.Lock()
	c := d.c
	d.c = nil
	d.mu.Unlock()
	d.setState(Offline)
	if cl, ok := c.(io.Closer); ok {
		if err := cl.Close(); err != nil {
			return fmt.Errorf("printer: close %s: %w", c, err)
		}
	}
	return nil
}

// State returns the last state seen, without asking the printer.
func (d *Dev) State() State {
	d.smu.Lock()
	defer d.smu.Unlock()
	return d.state
}

// Watch returns a channel that receives the current state at once and
// then each change. A slow reader sees only the latest state. The channel
// is closed when ctx is done.
func (d *Dev) Watch(ctx context.Context) <-chan State {
	ch := make(chan State, 1)
	d.smu.Lock()
	d.watchers[ch] = struct{}{}
	ch <- d.state
	d.smu.Unlock()
	go func() {
		<-ctx.Done()
		d.smu.Lock()
		delete(d.watchers, ch)
		close(ch)
		d.smu.Unlock()
	}()
	return ch
}

func (d *Dev) setState(s State) {
	d.smu.Lock()
	defer d.smu.Unlock()
	if s == d.state {
		return
	}
	d.state = s
	for ch := range d.watchers {
		select { // keep only the latest state in the buffer
		case <-ch:
		default:
		}
		ch <- s
	}
}

// Status asks the printer for its state now (sensor pins first, then
// DLE EOT 1–4 in one exchange) and returns it. The error is non-nil only
// when the state could not be read; the state is then Offline.
func (d *Dev) Status(ctx context.Context) (State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.status(ctx)
}

// status is Status with d.mu held.
func (d *Dev) status(ctx context.Context) (State, error) {
	if err := ctx.Err(); err != nil {
		return d.State(), fmt.Errorf("printer: status: %w", err)
	}
	if d.c == nil {
		d.setState(Offline)
		return Offline, ErrOffline
	}
	if high(d.opts.CoverOpen) {
		d.setState(CoverOpen)
		return CoverOpen, nil
	}
	s := Ready
	if d.opts.Profile.Status == DLEEOT {
		var r [4]byte
		if err := d.tx(ctx, escpos.StatusRequest(escpos.StatusPrinter, escpos.StatusOffline, escpos.StatusError, escpos.StatusPaper), r[:], d.opts.StatusTimeout); err != nil {
			return Offline, &causeError{ErrOffline, fmt.Errorf("status request: %w", err)}
		}
		for _, b := range r {
			if b&0x93 != 0x12 {
				d.setState(Offline)
				return Offline, &causeError{ErrOffline, fmt.Errorf("status answer % x is not DLE EOT status; check the baud rate and that the printer is in ESC/POS mode", r)}
			}
		}
		s = decodeStatus(r)
	}
	if s == Ready && high(d.opts.NearEnd) {
		s = PaperNearEnd
	}
	d.setState(s)
	return s, nil
}

// decodeStatus reads the answers to DLE EOT 1, 2, 3 and 4.
func decodeStatus(r [4]byte) State {
	printer, offline, fault, paper := r[0], r[1], r[2], r[3]
	switch {
	case offline&0x04 != 0:
		return CoverOpen
	case paper&0x60 != 0 || offline&0x20 != 0:
		return PaperOut
	case fault&0x08 != 0:
		return CutterError
	case fault&0x60 != 0 || offline&0x40 != 0 || printer&0x08 != 0:
		return Offline // head overheated, a voltage fault, the feed button held, …
	case paper&0x0C != 0:
		return PaperNearEnd
	}
	return Ready
}

func high(p gpio.PinIn) bool { return p != nil && p.Read() == gpio.High }

// tx runs one exchange with the timeout set, with d.mu held. A failure
// other than a timeout means the connection is gone: it is closed and
// dropped so Run reopens it. Either way the state becomes Offline.
func (d *Dev) tx(ctx context.Context, w, r []byte, timeout time.Duration) error {
	if t, ok := d.c.(Timeouter); ok && len(r) > 0 {
		if dl, ok := ctx.Deadline(); ok {
			timeout = min(timeout, time.Until(dl))
		}
		t.SetTimeout(max(timeout, time.Millisecond))
	}
	err := d.c.Tx(w, r)
	if err == nil {
		return nil
	}
	d.setState(Offline)
	var te interface{ Timeout() bool }
	if !(errors.As(err, &te) && te.Timeout()) {
		if cl, ok := d.c.(io.Closer); ok {
			_ = cl.Close() // the port is gone; its close error says nothing more
		}
		d.c = nil
	}
	return fmt.Errorf("%s: %w", d.cString(), err)
}

func (d *Dev) cString() string {
	if d.c == nil {
		return "connection"
	}
	return d.c.String()
}

// PrintTicket lays t out and prints it. See Print for the errors.
func (d *Dev) PrintTicket(ctx context.Context, t *Ticket) error {
	job, err := d.layout.Ticket(t)
	if err != nil {
		return err
	}
	return d.Print(ctx, job)
}

// PrintTestPage prints the layout's test page (see Layout.TestPage).
func (d *Dev) PrintTestPage(ctx context.Context) error {
	job, err := d.layout.TestPage()
	if err != nil {
		return err
	}
	return d.Print(ctx, job)
}

// Print sends one job in a single Tx, after checking the state. With the
// DLE EOT dialect it appends GS r 1 and waits for the answer, which the
// printer sends only once everything before it is printed.
//
// A printer that cannot print (paper out, cover open, cutter error,
// offline) gives a *JobError with Stage BeforeJob before any byte is sent.
// A job that fails once sent gives Stage DuringJob and the state found
// after it. errors.Is finds the sentinel (ErrPaperOut, …) in both.
func (d *Dev) Print(ctx context.Context, job []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.status(ctx)
	if err != nil {
		return &JobError{Stage: BeforeJob, State: s, Err: err}
	}
	if err := s.Err(); err != nil {
		return &JobError{Stage: BeforeJob, State: s, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return &JobError{Stage: BeforeJob, State: s, Err: fmt.Errorf("printer: %w", err)}
	}
	if d.opts.Profile.Status != DLEEOT {
		if err := d.tx(ctx, job, nil, d.opts.JobTimeout); err != nil {
			return &JobError{Stage: DuringJob, State: Offline, Err: &causeError{ErrOffline, err}}
		}
		return nil
	}
	w := make([]byte, 0, len(job)+3)
	w = append(append(w, job...), escpos.GS, 'r', 1)
	var r [1]byte
	if err := d.tx(ctx, w, r[:], d.opts.JobTimeout); err != nil {
		// The job stopped short: ask why, if the printer still answers.
		if d.c != nil {
			if s, serr := d.status(ctx); serr == nil && !s.CanPrint() {
				return &JobError{Stage: DuringJob, State: s, Err: &causeError{s.Err(), err}}
			}
		}
		return &JobError{Stage: DuringJob, State: Offline, Err: &causeError{ErrOffline, err}}
	}
	// GS r 1: bits 2–3 roll end, bits 0–1 near end. The ticket is out
	// either way; the next one will be refused or warned about.
	switch {
	case r[0]&0x0C != 0:
		d.setState(PaperOut)
	case r[0]&0x03 != 0 || high(d.opts.NearEnd):
		d.setState(PaperNearEnd)
	default:
		d.setState(Ready)
	}
	return nil
}

// Run keeps the state current until ctx is done: it reads the status every
// PollInterval, and while the connection is gone it calls Reopen with a
// backoff. It returns ctx's error.
func (d *Dev) Run(ctx context.Context) error {
	backoff := d.opts.ReopenMin
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
		d.mu.Lock()
		gone := d.c == nil
		d.mu.Unlock()
		if !gone {
			_, _ = d.Status(ctx) // the state and its watchers carry the result
			d.mu.Lock()
			gone = d.c == nil
			d.mu.Unlock()
			if !gone {
				timer.Reset(d.opts.PollInterval)
				continue
			}
		}
		if d.opts.Reopen == nil {
			timer.Reset(d.opts.PollInterval)
			continue
		}
		d.setState(Offline)
		c, err := d.opts.Reopen(ctx)
		if err != nil {
			timer.Reset(backoff)
			backoff = min(2*backoff, d.opts.ReopenMax)
			continue
		}
		backoff = d.opts.ReopenMin
		d.mu.Lock()
		d.c = c
		d.mu.Unlock()
		timer.Reset(0)
	}
}
