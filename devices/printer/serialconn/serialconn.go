package serialconn

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"go.bug.st/serial"
	"periph.io/x/conn/v3"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/uart"
)

var (
	_ uart.PortCloser = (*Port)(nil)
	_ conn.Conn       = (*Port)(nil)
)

// ErrTimeout is the error of a Tx whose answer did not arrive in time. The
// error a Tx returns wraps it and has Timeout() true.
var ErrTimeout error = timeoutError{}

type timeoutError struct{}

func (timeoutError) Error() string {
	return "serialconn: no answer before the timeout; check the cable, the baud rate and that the device is on"
}

// Timeout reports true, as net.Error does for timeouts.
func (timeoutError) Timeout() bool { return true }

// Port is one serial port. Its methods are safe for concurrent use; Tx
// calls are serialised.
type Port struct {
	name string

	mu      sync.Mutex
	p       serial.Port
	limit   physic.Frequency
	timeout time.Duration

	closed atomic.Bool
}

// Open opens the serial port at path at 9600 8N1; Connect sets the real
// parameters. Modem lines are left alone, so a pty works too.
func Open(path string) (*Port, error) {
	p, err := serial.Open(path, &serial.Mode{BaudRate: 9600, DataBits: 8})
	if err != nil {
		hint := "check the path and that the adapter is plugged in"
		if errors.Is(err, os.ErrPermission) {
			hint = "add the kiosk user to the dialout group"
		}
		return nil, fmt.Errorf("serialconn: open %s: %w; %s", path, err, hint)
	}
	return &Port{name: path, p: p, timeout: time.Second}, nil
}

// String returns "serial(PATH)".
func (p *Port) String() string { return "serial(" + p.name + ")" }

// LimitSpeed caps the speed Connect may choose (for long or noisy lines).
func (p *Port) LimitSpeed(f physic.Frequency) error {
	if f < physic.Hertz {
		return fmt.Errorf("serialconn: invalid speed %s; did you forget to multiply by physic.Hertz?", f)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.limit = f
	return nil
}

// Connect sets the line parameters and returns the port as a conn.Conn.
// f is the device's rated speed; the lower of it and LimitSpeed's cap is
// used.
func (p *Port) Connect(f physic.Frequency, stop uart.Stop, parity uart.Parity, flow uart.Flow, bits int) (conn.Conn, error) {
	if f < physic.Hertz {
		return nil, fmt.Errorf("serialconn: invalid speed %s; did you forget to multiply by physic.Hertz?", f)
	}
	if flow != uart.NoFlow && flow != 0 {
		return nil, fmt.Errorf("serialconn: flow control %s is not supported by go.bug.st/serial; use uart.NoFlow and turn it off on the device", flow)
	}
	m := serial.Mode{DataBits: bits}
	switch stop {
	case uart.One:
		m.StopBits = serial.OneStopBit
	case uart.OneHalf:
		m.StopBits = serial.OnePointFiveStopBits
	case uart.Two:
		m.StopBits = serial.TwoStopBits
	default:
		return nil, fmt.Errorf("serialconn: unknown stop bits %d", stop)
	}
	switch parity {
	case uart.NoParity:
		m.Parity = serial.NoParity
	case uart.Odd:
		m.Parity = serial.OddParity
	case uart.Even:
		m.Parity = serial.EvenParity
	case uart.Mark:
		m.Parity = serial.MarkParity
	case uart.Space:
		m.Parity = serial.SpaceParity
	default:
		return nil, fmt.Errorf("serialconn: unknown parity %q", parity)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.limit != 0 && p.limit < f {
		f = p.limit
	}
	m.BaudRate = int(f / physic.Hertz)
	if err := p.p.SetMode(&m); err != nil {
		return nil, fmt.Errorf("serialconn: %s at %d baud %d%c%d: %w", p.name, m.BaudRate, bits, parity, stop, err)
	}
	return p, nil
}

// SetTimeout sets how long Tx waits for its reads (default 1 s).
func (p *Port) SetTimeout(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.timeout = d
}

// Duplex returns conn.Full.
func (p *Port) Duplex() conn.Duplex { return conn.Full }

// Tx writes w, then reads exactly len(r) bytes before the timeout.
func (p *Port) Tx(w, r []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed.Load() {
		return fmt.Errorf("serialconn: %s is closed", p.name)
	}
	if len(r) > 0 {
		// A late answer to an earlier, timed-out request would be read as
		// this one's.
		if err := p.p.ResetInputBuffer(); err != nil {
			return fmt.Errorf("serialconn: %s: discard input: %w", p.name, err)
		}
	}
	for len(w) > 0 {
		n, err := p.p.Write(w)
		if err != nil {
			return fmt.Errorf("serialconn: write %s: %w", p.name, err)
		}
		w = w[n:]
	}
	deadline := time.Now().Add(p.timeout)
	for got := 0; got < len(r); {
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("serialconn: %s: %d of %d bytes: %w", p.name, got, len(r), ErrTimeout)
		}
		if err := p.p.SetReadTimeout(left); err != nil {
			return fmt.Errorf("serialconn: %s: set read timeout: %w", p.name, err)
		}
		n, err := p.p.Read(r[got:])
		if err != nil {
			return fmt.Errorf("serialconn: read %s: %w", p.name, err)
		}
		got += n // n == 0 and no error: the read timed out; the loop checks the deadline
	}
	return nil
}

// Close closes the port. It does not wait for a Tx in progress: a Tx
// blocked in a read returns an error at once.
func (p *Port) Close() error {
	p.closed.Store(true)
	if err := p.p.Close(); err != nil {
		return fmt.Errorf("serialconn: close %s: %w", p.name, err)
	}
	return nil
}
