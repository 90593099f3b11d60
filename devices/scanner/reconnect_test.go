package scanner_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hcsc-kz/kiosk/devices/scanner"
)

// opener is a port that the test scripts: each Open calls open. It stands
// for the device, not for our code.
type opener struct {
	name string
	open func(ctx context.Context) (io.ReadCloser, error)
}

func (o *opener) Open(ctx context.Context) (io.ReadCloser, error) { return o.open(ctx) }
func (o *opener) String() string                                  { return o.name }

var notFound = &scanner.PortError{Port: "fake", Op: "open", Kind: scanner.ErrPortNotFound, Err: syscall.ENOENT}

// TestDevBackoff checks the reopen schedule on a fake clock: the wait
// doubles from ReopenMin to ReopenMax while the port stays away, and drops
// back to ReopenMin after a session that received bytes.
func TestDevBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		pr, pw := io.Pipe()
		start := time.Now()
		var opens []time.Duration
		op := &opener{name: "fake", open: func(context.Context) (io.ReadCloser, error) {
			opens = append(opens, time.Since(start))
			switch n := len(opens); {
			case n <= 5:
				return nil, notFound
			case n == 6:
				return pr, nil
			}
			cancel()
			return nil, notFound
		}}
		dev, err := scanner.New(op, &scanner.Opts{ReopenMin: 100 * time.Millisecond, ReopenMax: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		var events []string
		done := make(chan error)
		go func() { done <- dev.Run(ctx, func(e scanner.Event) { events = append(events, describe(e)) }) }()

		synctest.Wait() // Run is reading the pipe
		if _, err := pw.Write([]byte(cr(td3L1, td3L2))); err != nil {
			t.Fatal(err)
		}
		pw.Close() // the device hangs up
		if err := <-done; err != nil {
			t.Errorf("Run = %v, want nil", err)
		}

		ms := time.Millisecond
		wantOpens := []time.Duration{0, 100 * ms, 300 * ms, 700 * ms, 1500 * ms, 2500 * ms, 2600 * ms}
		if !slices.Equal(opens, wantOpens) {
			t.Errorf("opens at %v, want %v", opens, wantOpens)
		}
		wantEvents := []string{
			"state disconnected: " + notFound.Error(), // once, however many retries
			"state connected",
			docOf(t, td3),
			"state disconnected: scanner fake: read: port closed (scanner unplugged?): EOF",
		}
		if !slices.Equal(events, wantEvents) {
			t.Errorf("events =\n%q\nwant\n%q", events, wantEvents)
		}
	})
}

// TestDevOpenFailures checks which state each kind of open failure shows.
func TestDevOpenFailures(t *testing.T) {
	weird := errors.New("weird")
	cases := map[string]struct {
		err       error
		wantState scanner.State
		wantKind  error
	}{
		"not found":      {notFound, scanner.StateDisconnected, scanner.ErrPortNotFound},
		"permission":     {&scanner.PortError{Port: "fake", Op: "open", Kind: scanner.ErrPermission}, scanner.StateError, scanner.ErrPermission},
		"busy":           {&scanner.PortError{Port: "fake", Op: "open", Kind: scanner.ErrPortBusy}, scanner.StateError, scanner.ErrPortBusy},
		"raw ENOENT":     {syscall.ENOENT, scanner.StateDisconnected, scanner.ErrPortNotFound},
		"raw EACCES":     {syscall.EACCES, scanner.StateError, scanner.ErrPermission},
		"unknown errors": {weird, scanner.StateError, weird},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				op := &opener{name: "fake", open: func(context.Context) (io.ReadCloser, error) { return nil, tc.err }}
				dev, err := scanner.New(op, nil)
				if err != nil {
					t.Fatal(err)
				}
				var first scanner.Event
				n := 0
				go func() {
					synctest.Wait()
					cancel()
				}()
				dev.Run(ctx, func(e scanner.Event) {
					if n == 0 {
						first = e
					}
					n++
				})
				var pe *scanner.PortError
				if first.Kind != scanner.EventState || first.State != tc.wantState || !errors.Is(first.Err, tc.wantKind) || !errors.As(first.Err, &pe) {
					t.Errorf("first event = %s, want state %s wrapping %v in a *PortError", describe(first), tc.wantState, tc.wantKind)
				}
			})
		})
	}
}

// TestSerialOpenErrors opens real paths that are not a usable scanner and
// checks the typed errors.
func TestSerialOpenErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		port *scanner.Serial
		kind error
	}{
		"missing":       {&scanner.Serial{Path: filepath.Join(dir, "ttyUSB9")}, scanner.ErrPortNotFound},
		"not a tty":     {&scanner.Serial{Path: file}, scanner.ErrNotSerial},
		"bad data bits": {&scanner.Serial{Path: file, DataBits: 9}, scanner.ErrBadMode},
		"bad baud":      {&scanner.Serial{Path: file, Baud: 10}, scanner.ErrBadMode},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rc, err := tc.port.Open(context.Background())
			if err == nil {
				rc.Close()
				t.Fatalf("Open(%s) succeeded, want %v", tc.port.Path, tc.kind)
			}
			var pe *scanner.PortError
			if !errors.Is(err, tc.kind) || !errors.As(err, &pe) || pe.Port != tc.port.Path {
				t.Errorf("Open(%s) = %v, want a *PortError of kind %v", tc.port.Path, err, tc.kind)
			}
		})
	}
}
