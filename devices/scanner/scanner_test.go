package scanner_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/devices/scanner/scannertest"
)

// epoch is the fake clock's start; the MRZ century rule reads it.
var epoch = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

// clock is a settable clock for Opts.Now.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(epoch.UnixNano())
	return c
}

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// waitLimit only stops a broken test from hanging; no test waits for it
// when the driver works.
const waitLimit = 20 * time.Second

// rig runs a real Dev on a fake scanner's pty.
type rig struct {
	t      testing.TB
	port   *scannertest.Port
	dev    *scanner.Dev
	clock  *clock
	events chan scanner.Event
	cancel context.CancelFunc
	done   chan error
}

// start plugs in a fake scanner and runs a Dev on it. opts may be nil;
// its clock and backoff are set for tests.
func start(t testing.TB, opts *scanner.Opts) *rig {
	t.Helper()
	port, err := scannertest.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { port.Close() })
	return startOn(t, port, opts)
}

func startOn(t testing.TB, port *scannertest.Port, opts *scanner.Opts) *rig {
	t.Helper()
	var o scanner.Opts
	if opts != nil {
		o = *opts
	}
	var err error
	r := &rig{t: t, port: port, clock: newClock(), events: make(chan scanner.Event, 1024), done: make(chan error, 1)}
	o.Now = r.clock.Now
	if o.ReopenMin == 0 {
		o.ReopenMin, o.ReopenMax = time.Millisecond, 10*time.Millisecond
	}
	if o.DedupeWindow == 0 {
		o.DedupeWindow = -1
	}
	r.dev, err = scanner.New(&scanner.Serial{Path: port.Path()}, &o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- r.dev.Run(ctx, func(e scanner.Event) { r.events <- e }) }()
	t.Cleanup(r.stop)
	return r
}

// stop cancels Run and waits for it to return.
func (r *rig) stop() {
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			r.t.Errorf("Run returned %v, want nil", err)
		}
		r.done <- nil // stop is idempotent
	case <-time.After(waitLimit):
		r.t.Fatalf("Run did not return %v after cancel", waitLimit)
	}
}

// next returns the next event.
func (r *rig) next() scanner.Event {
	r.t.Helper()
	select {
	case e := <-r.events:
		return e
	case <-time.After(waitLimit):
		r.t.Fatalf("no event from the scanner in %v", waitLimit)
		return scanner.Event{}
	}
}

// expectState reads the next event and checks it is a change to st whose
// error wraps kind (nil: no error).
func (r *rig) expectState(st scanner.State, kind error) scanner.Event {
	r.t.Helper()
	e := r.next()
	if e.Kind != scanner.EventState || e.State != st {
		r.t.Fatalf("event = %s, want state %s", describe(e), st)
	}
	if kind == nil && e.Err != nil || kind != nil && !errors.Is(e.Err, kind) {
		r.t.Fatalf("state %s error = %v, want %v", st, e.Err, kind)
	}
	return e
}

func (r *rig) write(s string) {
	r.t.Helper()
	if _, err := r.port.Write([]byte(s)); err != nil {
		r.t.Fatalf("write on the pty: %v", err)
	}
}

// describe renders an event for comparison and messages. A document shows
// as "doc" plus its text, so tests compare what was read.
func describe(e scanner.Event) string {
	switch e.Kind {
	case scanner.EventState:
		if e.Err != nil {
			return fmt.Sprintf("state %s: %v", e.State, e.Err)
		}
		return "state " + e.State.String()
	case scanner.EventDocument:
		return fmt.Sprintf("doc %s valid=%v %s", e.Doc.Format, e.Doc.Valid, e.Doc.DocumentNumber)
	case scanner.EventUnreadable:
		var me *mrz.Error
		if errors.As(e.Err, &me) {
			return "unreadable " + me.Kind.Error()
		}
		return fmt.Sprintf("unreadable %v", e.Err)
	case scanner.EventDropped:
		var de *scanner.DropError
		if errors.As(e.Err, &de) {
			return "dropped " + reasonName(de.Reason)
		}
	}
	return fmt.Sprintf("event %v: %v", e.Kind, e.Err)
}

func docOf(t *testing.T, text string) string {
	t.Helper()
	d, err := mrz.Parse(text, epoch)
	if err != nil {
		t.Fatalf("mrz.Parse(specimen): %v", err)
	}
	return describe(scanner.Event{Kind: scanner.EventDocument, Doc: d})
}

// TestDevStream drives the real driver through a pty: what the fake scanner
// writes, and the events that must come out, in order.
func TestDevStream(t *testing.T) {
	td3Forged := td3L1 + "\n" + td3ForgedL2
	cases := map[string]struct {
		opts   scanner.Opts
		writes []string
		want   []string // describe() of each event after "connected"
	}{
		"lines in pieces": {
			writes: pieces(cr(td3L1, td3L2), 7),
			want:   []string{docOf(t, td3)},
		},
		"noise": {
			writes: []string{"\x00\x1bRESET OK\r", "\r\n", "12\r" + cr(td3L1, td3L2)},
			want:   []string{"dropped noise", "dropped noise", docOf(t, td3)},
		},
		"10 MB without a line end": {
			writes: []string{strings.Repeat("<", 10<<20), "\r" + cr(td3L1, td3L2)},
			want:   []string{"dropped overlong", docOf(t, td3)},
		},
		"three documents back to back": {
			writes: []string{cr(td3L1, td3L2, td1L1, td1L2, td1L3, td2L1, td2L2)},
			want:   []string{docOf(t, td3), docOf(t, td1), docOf(t, td2)},
		},
		"STX/ETX": {
			writes: []string{"\x02" + cr(td1L1, td1L2, td1L3) + "\x03"},
			want:   []string{docOf(t, td1)},
		},
		"prefix and suffix": {
			opts:   scanner.Opts{Prefix: "@@", Suffix: "##"},
			writes: []string{"@@" + td2L1 + "\r\n" + td2L2 + "##"},
			want:   []string{docOf(t, td2)},
		},
		"unreadable scan": {
			writes: []string{cr(td3BadL1, td3L2)},
			want:   []string{"unreadable " + mrz.ErrCharacter.Error()},
		},
		"failed check digit is a document": {
			writes: []string{cr(td3L1, td3ForgedL2)},
			want:   []string{docOf(t, td3Forged)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := start(t, &tc.opts)
			r.expectState(scanner.StateConnected, nil)
			for _, w := range tc.writes {
				r.write(w)
			}
			for i, want := range tc.want {
				if got := describe(r.next()); got != want {
					t.Errorf("event %d = %q, want %q", i, got, want)
				}
			}
		})
	}
}

// pieces splits s into n-byte writes.
func pieces(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

func TestDevDeliversTheParsedDocument(t *testing.T) {
	r := start(t, nil)
	r.expectState(scanner.StateConnected, nil)
	r.write(cr(td3L1, td3L2))
	e := r.next()
	want, err := mrz.Parse(td3, epoch)
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != scanner.EventDocument || !reflect.DeepEqual(e.Doc, want) {
		t.Fatalf("event = %s %+v, want document %+v", describe(e), e.Doc, want)
	}
	if !e.At.Equal(epoch) || e.State != scanner.StateConnected {
		t.Errorf("event at %v in state %s, want %v, connected", e.At, e.State, epoch)
	}
}

func TestDevUnreadableKeepsTextOut(t *testing.T) {
	r := start(t, nil)
	r.expectState(scanner.StateConnected, nil)
	r.write(cr(td3BadL1, td3L2))
	e := r.next()
	var se *scanner.ScanError
	if !errors.As(e.Err, &se) || !errors.Is(e.Err, mrz.ErrCharacter) {
		t.Fatalf("event = %s, want a *ScanError wrapping mrz.ErrCharacter", describe(e))
	}
	if se.Lines != 2 || se.Length != 44 || se.Port != r.port.Path() {
		t.Errorf("ScanError = %+v, want 2 lines of 44 on %s", se, r.port.Path())
	}
	msg := e.Err.Error()
	for _, secret := range []string{"ERIKSSON", "L898902C3", "740812", "#"} {
		if strings.Contains(msg, secret) {
			t.Errorf("error message %q contains scanned text %q", msg, secret)
		}
	}
}

// TestDevUnplugReplug pulls the fake scanner out and plugs it back in.
func TestDevUnplugReplug(t *testing.T) {
	r := start(t, nil)
	r.expectState(scanner.StateConnected, nil)
	r.write(cr(td3L1, td3L2))
	if got, want := describe(r.next()), docOf(t, td3); got != want {
		t.Fatalf("before unplug: %q, want %q", got, want)
	}

	if err := r.port.Unplug(); err != nil {
		t.Fatal(err)
	}
	r.expectState(scanner.StateDisconnected, scanner.ErrPortClosed)
	// The reopen finds no device node: still disconnected, for a new reason.
	e := r.expectState(scanner.StateDisconnected, scanner.ErrPortNotFound)
	if !errors.Is(e.Err, syscall.ENOENT) {
		t.Errorf("not-found error %v does not wrap ENOENT", e.Err)
	}
	if got := r.dev.State(); got != scanner.StateDisconnected {
		t.Errorf("State() while unplugged = %s, want disconnected", got)
	}

	if err := r.port.Replug(); err != nil {
		t.Fatal(err)
	}
	r.expectState(scanner.StateConnected, nil)
	if got := r.dev.State(); got != scanner.StateConnected {
		t.Errorf("State() after replug = %s, want connected", got)
	}
	r.write(cr(td1L1, td1L2, td1L3))
	if got, want := describe(r.next()), docOf(t, td1); got != want {
		t.Fatalf("after replug: %q, want %q", got, want)
	}

	r.stop()
	r.expectState(scanner.StateDisconnected, nil)
	if got := r.dev.State(); got != scanner.StateDisconnected {
		t.Errorf("State() after Run returned = %s, want disconnected", got)
	}
}

func TestDevPortMissingAtStart(t *testing.T) {
	port, err := scannertest.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { port.Close() })
	if err := port.Unplug(); err != nil {
		t.Fatal(err)
	}
	r := startOn(t, port, nil)
	r.expectState(scanner.StateDisconnected, scanner.ErrPortNotFound)
	if err := port.Replug(); err != nil {
		t.Fatal(err)
	}
	r.expectState(scanner.StateConnected, nil)
}

// TestDevDedupe leaves the passport on the glass. Each step's scan is
// followed by a noise line, whose drop event marks that the driver has
// handled the scan before the clock moves on.
func TestDevDedupe(t *testing.T) {
	steps := []struct {
		after time.Duration // clock advance before the scan
		scan  string
		want  string // "" when the scan must be dropped as a repeat
	}{
		{0, cr(td3L1, td3L2), docOf(t, td3)},
		{time.Second, cr(td3L1, td3L2), ""},
		{4 * time.Second, cr(td3L1, td3L2), ""}, // 4s after the last sighting: still on the glass
		{time.Second, cr(td1L1, td1L2, td1L3), docOf(t, td1)},
		{time.Second, cr(td3L1, td3L2), docOf(t, td3)}, // not a repeat of the last document
		{5 * time.Second, cr(td3L1, td3L2), docOf(t, td3)},
		{100 * time.Millisecond, "  " + strings.ToLower(td3L1) + "\r\n" + td3L2 + "\r\n", ""}, // the same MRZ, framed differently
	}
	r := start(t, &scanner.Opts{DedupeWindow: 5 * time.Second})
	r.expectState(scanner.StateConnected, nil)
	for i, st := range steps {
		r.clock.Advance(st.after)
		r.write(st.scan + "MARK\r")
		if st.want != "" {
			if got := describe(r.next()); got != st.want {
				t.Fatalf("step %d: %q, want %q", i, got, st.want)
			}
		}
		if got := describe(r.next()); got != "dropped noise" {
			t.Fatalf("step %d: %q, want only the marker's drop", i, got)
		}
	}
}

func TestDevCancelClosesThePort(t *testing.T) {
	r := start(t, nil)
	r.expectState(scanner.StateConnected, nil)
	r.stop()
	r.expectState(scanner.StateDisconnected, nil)
	// The port is closed: a new Run opens it again at once.
	r2 := startOn(t, r.port, nil)
	r2.expectState(scanner.StateConnected, nil)
}

func TestDevRunTwice(t *testing.T) {
	r := start(t, nil)
	r.expectState(scanner.StateConnected, nil)
	if err := r.dev.Run(context.Background(), func(scanner.Event) {}); !errors.Is(err, scanner.ErrRunning) {
		t.Errorf("second Run = %v, want ErrRunning", err)
	}
}

func TestNewNeedsAnOpener(t *testing.T) {
	if _, err := scanner.New(nil, nil); err == nil {
		t.Error("New(nil, nil) succeeded, want an error")
	}
	if _, err := scanner.New(&scanner.Serial{Path: "/dev/null"}, &scanner.Opts{MaxLine: 10}); err == nil {
		t.Error("New with MaxLine 10 succeeded, want an error")
	}
}

func TestDevString(t *testing.T) {
	d, err := scanner.New(&scanner.Serial{Path: "/dev/ttyACM0"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.String(), "scanner(/dev/ttyACM0)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := d.State(); got != scanner.StateDisconnected {
		t.Errorf("State() before Run = %s, want disconnected", got)
	}
}
