package printer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"periph.io/x/conn/v3"
	"periph.io/x/conn/v3/conntest"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"

	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
)

// statusOp is the exchange of one Status: DLE EOT 1, 2, 3, 4 and the four
// answers (0x12 is "all clear": bits 1 and 4 are fixed at 1).
func statusOp(printerB, offline, fault, paper byte) conntest.IO {
	return conntest.IO{W: escpos.StatusRequest(1, 2, 3, 4), R: []byte{printerB, offline, fault, paper}}
}

// Status bytes, named.
const (
	clear     = 0x12
	isOffline = 0x1A // DLE EOT 1: bit 3
	coverOpen = 0x16 // DLE EOT 2: bit 2
	paperStop = 0x32 // DLE EOT 2: bit 5
	errOccur  = 0x52 // DLE EOT 2: bit 6
	cutterErr = 0x1A // DLE EOT 3: bit 3
	autoErr   = 0x52 // DLE EOT 3: bit 6 (head overheated, …)
	nearEnd   = 0x1E // DLE EOT 4: bits 2–3
	rollEnd   = 0x72 // DLE EOT 4: bits 5–6
)

func newDev(t *testing.T, c conn.Conn, o printer.Opts) *printer.Dev {
	t.Helper()
	if o.Profile.Name == "" {
		o.Profile, _ = printer.LookupProfile("epson-tm-t20iii")
	}
	d, err := printer.New(c, &o)
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	return d
}

func TestStatus(t *testing.T) {
	tests := map[string]struct {
		ops             []conntest.IO
		nearPin, covPin gpio.Level
		want            printer.State
		wantErr         error
	}{
		"ready":             {ops: []conntest.IO{statusOp(clear, clear, clear, clear)}, want: printer.Ready},
		"near end":          {ops: []conntest.IO{statusOp(clear, clear, clear, nearEnd)}, want: printer.PaperNearEnd},
		"paper out":         {ops: []conntest.IO{statusOp(isOffline, paperStop, clear, rollEnd)}, want: printer.PaperOut},
		"cover open":        {ops: []conntest.IO{statusOp(isOffline, coverOpen, clear, clear)}, want: printer.CoverOpen},
		"cutter jammed":     {ops: []conntest.IO{statusOp(isOffline, errOccur, cutterErr, clear)}, want: printer.CutterError},
		"head overheated":   {ops: []conntest.IO{statusOp(isOffline, errOccur, autoErr, clear)}, want: printer.Offline},
		"feed button held":  {ops: []conntest.IO{statusOp(isOffline, clear, clear, clear)}, want: printer.Offline},
		"garbage answer":    {ops: []conntest.IO{statusOp(0, 0xFF, 0, 0)}, want: printer.Offline, wantErr: printer.ErrOffline},
		"near-end pin":      {ops: []conntest.IO{statusOp(clear, clear, clear, clear)}, nearPin: gpio.High, want: printer.PaperNearEnd},
		"cover pin, no bus": {covPin: gpio.High, want: printer.CoverOpen},
		"cover pin low":     {ops: []conntest.IO{statusOp(clear, clear, clear, clear)}, covPin: gpio.Low, want: printer.Ready},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			pb := &conntest.Playback{Ops: tt.ops, DontPanic: true}
			near := &gpiotest.Pin{N: "PAPER_NEAR_END", Num: 17}
			cover := &gpiotest.Pin{N: "COVER_OPEN", Num: 27}
			d := newDev(t, pb, printer.Opts{NearEnd: near, CoverOpen: cover})
			// Set the levels after New, whose In would reset them.
			near.Out(tt.nearPin)
			cover.Out(tt.covPin)
			got, err := d.Status(context.Background())
			if got != tt.want || !errors.Is(err, tt.wantErr) {
				t.Errorf("Status() = %s, %v; want %s, %v", got, err, tt.want, tt.wantErr)
			}
			if d.State() != tt.want {
				t.Errorf("State() = %s after Status, want %s", d.State(), tt.want)
			}
			if err := pb.Close(); err != nil {
				t.Errorf("playback: %v", err)
			}
		})
	}
}

// stall is a playback some of whose Tx calls (counted from 1) time out,
// as with a printer that stops mid-job: nothing comes back in time. The
// calls that time out use no playback op.
type stall struct {
	conntest.Playback
	timeouts map[int]bool
	n        int
}

type timeoutErr struct{}

func (timeoutErr) Error() string { return "no answer before the timeout" }
func (timeoutErr) Timeout() bool { return true }

func (s *stall) Tx(w, r []byte) error {
	s.n++
	if s.timeouts[s.n] {
		return timeoutErr{}
	}
	return s.Playback.Tx(w, r)
}

// jobOp is the exchange of one job: the bytes, GS r 1, and its answer.
func jobOp(job []byte, answer byte) conntest.IO {
	w := append(append([]byte(nil), job...), escpos.GS, 'r', 1)
	return conntest.IO{W: w, R: []byte{answer}}
}

func TestPrintTicket(t *testing.T) {
	tk := sampleTicket("kk", "ru", "en")
	job, err := layout(t, "epson-tm-t20iii").Ticket(tk)
	if err != nil {
		t.Fatal(err)
	}
	ready := statusOp(clear, clear, clear, clear)
	tests := map[string]struct {
		ops       []conntest.IO
		timeouts  []int // the Tx calls that time out
		cover     gpio.Level
		wantState printer.State
		wantStage printer.Stage // 0: no error
		wantErr   error
	}{
		"printed": {
			ops: []conntest.IO{ready, jobOp(job, 0x00)}, wantState: printer.Ready,
		},
		"printed, roll nearly out": {
			ops: []conntest.IO{ready, jobOp(job, 0x03)}, wantState: printer.PaperNearEnd,
		},
		"paper out before: nothing sent": {
			ops:       []conntest.IO{statusOp(isOffline, paperStop, clear, rollEnd)},
			wantState: printer.PaperOut, wantStage: printer.BeforeJob, wantErr: printer.ErrPaperOut,
		},
		"cover open before (pin): nothing sent": {
			cover: gpio.High, wantState: printer.CoverOpen, wantStage: printer.BeforeJob, wantErr: printer.ErrCoverOpen,
		},
		"cutter jammed before": {
			ops:       []conntest.IO{statusOp(isOffline, errOccur, cutterErr, clear)},
			wantState: printer.CutterError, wantStage: printer.BeforeJob, wantErr: printer.ErrCutter,
		},
		"paper ran out during": {
			ops:       []conntest.IO{ready, statusOp(isOffline, paperStop, clear, rollEnd)},
			timeouts:  []int{2},
			wantState: printer.PaperOut, wantStage: printer.DuringJob, wantErr: printer.ErrPaperOut,
		},
		"no answer during, none after": {
			ops:       []conntest.IO{ready},
			timeouts:  []int{2, 3},
			wantState: printer.Offline, wantStage: printer.DuringJob, wantErr: printer.ErrOffline,
		},
		"unplugged during": { // the playback has no op for the job: Tx fails as a dead port does
			ops: []conntest.IO{ready}, wantState: printer.Offline, wantStage: printer.DuringJob, wantErr: printer.ErrOffline,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := &stall{Playback: conntest.Playback{Ops: tt.ops, DontPanic: true}, timeouts: map[int]bool{}}
			for _, n := range tt.timeouts {
				s.timeouts[n] = true
			}
			checkPrint(t, s, tk, tt.cover, tt.wantState, tt.wantStage, tt.wantErr, &s.Playback)
		})
	}
}

func checkPrint(t *testing.T, c conn.Conn, tk *printer.Ticket, cover gpio.Level, wantState printer.State, wantStage printer.Stage, wantErr error, pb *conntest.Playback) {
	t.Helper()
	pin := &gpiotest.Pin{N: "COVER_OPEN", Num: 27}
	d := newDev(t, c, printer.Opts{CoverOpen: pin})
	pin.Out(cover)
	err := d.PrintTicket(context.Background(), tk)
	var je *printer.JobError
	switch {
	case wantStage == 0 && err != nil:
		t.Errorf("PrintTicket() error = %v, want nil", err)
	case wantStage != 0 && !errors.As(err, &je):
		t.Errorf("PrintTicket() error = %v, want a *JobError", err)
	case wantStage != 0 && (je.Stage != wantStage || je.State != wantState || !errors.Is(err, wantErr)):
		t.Errorf("PrintTicket() error = %v (stage %s, state %s), want stage %s, state %s, %v", err, je.Stage, je.State, wantStage, wantState, wantErr)
	}
	if d.State() != wantState {
		t.Errorf("State() = %s, want %s", d.State(), wantState)
	}
	if err := pb.Close(); err != nil {
		t.Errorf("playback: %v (a refused ticket must send no byte)", err)
	}
}

// TestPrintRecord records a real job and checks the bytes on the wire are
// the golden ticket plus GS r 1, in one Tx.
func TestPrintRecord(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "tickets", "epson-tm-t20iii-kk-ru-en.bin"))
	if err != nil {
		t.Fatal(err)
	}
	pb := &conntest.Playback{Ops: []conntest.IO{statusOp(clear, clear, clear, clear), jobOp(want, 0)}, DontPanic: true}
	rec := &conntest.Record{Conn: pb}
	d := newDev(t, rec, printer.Opts{})
	if err := d.PrintTicket(context.Background(), sampleTicket("kk", "ru", "en")); err != nil {
		t.Fatalf("PrintTicket() error = %v", err)
	}
	if len(rec.Ops) != 2 {
		t.Fatalf("recorded %d exchanges, want 2 (status, job)", len(rec.Ops))
	}
	if got := rec.Ops[1].W; string(got) != string(jobOp(want, 0).W) {
		t.Errorf("job on the wire is %d bytes, want the golden %d + GS r 1", len(got), len(want))
	}
}

// TestRunReopens unplugs the printer (every Tx fails) and checks that Run
// reports Offline, reopens with backoff, and reports Ready again.
func TestRunReopens(t *testing.T) {
	dead := &conntest.Playback{DontPanic: true} // no ops: every Tx fails
	fresh := &conntest.Playback{Ops: []conntest.IO{statusOp(clear, clear, clear, clear)}, DontPanic: true}
	attempts := 0
	// Watch keeps only a watcher's latest state: the port comes back only
	// once the test has read Offline, or Ready could replace it unread.
	sawOffline := make(chan struct{})
	reopen := func(ctx context.Context) (conn.Conn, error) {
		attempts++
		if attempts < 3 {
			return nil, errors.New("no such device")
		}
		select {
		case <-sawOffline:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return fresh, nil
	}
	d := newDev(t, dead, printer.Opts{Reopen: reopen, ReopenMin: time.Millisecond, ReopenMax: 2 * time.Millisecond, PollInterval: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	states := d.Watch(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	var seen []printer.State
	deadline := time.After(10 * time.Second)
	for len(seen) == 0 || seen[len(seen)-1] != printer.Ready {
		select {
		case s := <-states:
			seen = append(seen, s)
			if s == printer.Offline && !containsState(seen[:len(seen)-1], printer.Offline) {
				close(sawOffline)
			}
		case <-deadline:
			t.Fatalf("states seen %v, never Ready", seen)
		}
	}
	if !containsState(seen, printer.Offline) {
		t.Errorf("states seen %v, want Offline before Ready", seen)
	}
	if attempts != 3 {
		t.Errorf("Reopen called %d times, want 3 (two failures, then the port)", attempts)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run() = %v, want context.Canceled", err)
	}
	if err := fresh.Close(); err != nil {
		t.Errorf("fresh playback: %v", err)
	}
}

func containsState(ss []printer.State, s printer.State) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

func TestNewWithoutConn(t *testing.T) {
	if _, err := printer.New(nil, nil); err == nil {
		t.Fatal("New(nil, nil) = nil error, want one: nothing to print on")
	}
	d, err := printer.New(nil, &printer.Opts{Reopen: func(context.Context) (conn.Conn, error) { return nil, errors.New("unplugged") }})
	if err != nil {
		t.Fatal(err)
	}
	err = d.PrintTicket(context.Background(), sampleTicket("kk"))
	var je *printer.JobError
	if !errors.As(err, &je) || je.Stage != printer.BeforeJob || !errors.Is(err, printer.ErrOffline) {
		t.Errorf("PrintTicket() offline = %v, want a BeforeJob JobError with ErrOffline", err)
	}
}

func TestStateNames(t *testing.T) {
	want := map[printer.State]string{
		printer.Unknown: "unknown", printer.Ready: "ready", printer.PaperNearEnd: "paper-near-end",
		printer.PaperOut: "paper-out", printer.CoverOpen: "cover-open", printer.CutterError: "cutter-error",
		printer.Offline: "offline",
	}
	for s, name := range want {
		if s.String() != name {
			t.Errorf("State(%d).String() = %q, want %q", int(s), s.String(), name)
		}
		if s.CanPrint() != (s.Err() == nil) {
			t.Errorf("%s: CanPrint() = %t but Err() = %v", s, s.CanPrint(), s.Err())
		}
	}
}
