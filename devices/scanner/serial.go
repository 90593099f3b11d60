package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"syscall"

	"go.bug.st/serial"
	"periph.io/x/conn/v3/physic"
)

// Serial opens a serial port with go.bug.st/serial. It is the Opener a kiosk
// uses; the zero values of Baud, DataBits, Parity and StopBits give 9600 8N1.
type Serial struct {
	Path     string           // e.g. "/dev/ttyACM0", or a udev symlink
	Baud     physic.Frequency // 9600 * physic.Hertz, …; a whole number of hertz
	DataBits int              // 5 to 8
	Parity   serial.Parity    // serial.NoParity, serial.EvenParity, …
	StopBits serial.StopBits  // serial.OneStopBit, …
}

var _ Opener = (*Serial)(nil)

// String returns the port's path.
func (s *Serial) String() string { return s.Path }

// mode checks s and converts it to the library's Mode. InitialStatusBits
// stays nil: setting it makes Open fail on ports without modem lines
// (a pty, some USB CDC scanners), and an MRZ scanner does not need them.
func (s *Serial) mode() (*serial.Mode, error) {
	baud := s.Baud
	if baud == 0 {
		baud = 9600 * physic.Hertz
	}
	if baud < 50*physic.Hertz || baud%physic.Hertz != 0 {
		return nil, fmt.Errorf("scanner %s: baud %s is not a whole number of hertz of at least 50Hz (did you forget to multiply by physic.Hertz?)", s.Path, baud)
	}
	bits := s.DataBits
	if bits == 0 {
		bits = 8
	}
	if bits < 5 || bits > 8 {
		return nil, fmt.Errorf("scanner %s: %d data bits; want 5 to 8 (MRZ scanners use 7 or 8)", s.Path, bits)
	}
	return &serial.Mode{
		BaudRate: int(baud / physic.Hertz),
		DataBits: bits,
		Parity:   s.Parity,
		StopBits: s.StopBits,
	}, nil
}

// Open opens the port in raw mode without a read timeout: Run unblocks a
// pending Read by closing the port. Its errors are *PortError.
func (s *Serial) Open(ctx context.Context) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := s.mode()
	if err != nil {
		return nil, &PortError{Port: s.Path, Op: "open", Kind: ErrBadMode, Err: err}
	}
	p, err := serial.Open(s.Path, m)
	if err != nil {
		return nil, &PortError{Port: s.Path, Op: "open", Kind: kindOf(err), Err: err}
	}
	return &serialPort{p: p, path: s.Path}, nil
}

// serialPort gives the library's read errors our shape.
type serialPort struct {
	p    serial.Port
	path string
}

var _ io.ReadCloser = (*serialPort)(nil)

func (s *serialPort) Read(b []byte) (int, error) {
	n, err := s.p.Read(b)
	if err != nil {
		return n, &PortError{Port: s.path, Op: "read", Kind: kindOf(err), Err: err}
	}
	return n, nil
}

func (s *serialPort) Close() error {
	if err := s.p.Close(); err != nil {
		return &PortError{Port: s.path, Op: "close", Kind: kindOf(err), Err: err}
	}
	return nil
}

// kindOf maps the serial library's and the OS's errors to our kinds: the
// library returns its own *PortError (no Unwrap) for some causes and raw
// errnos for others (a missing port is a bare ENOENT).
func kindOf(err error) error {
	var pe *serial.PortError
	if errors.As(err, &pe) {
		switch pe.Code() {
		case serial.PortNotFound:
			return ErrPortNotFound
		case serial.PortClosed:
			return ErrPortClosed
		case serial.PermissionDenied:
			return ErrPermission
		case serial.PortBusy:
			return ErrPortBusy
		case serial.InvalidSerialPort:
			return ErrNotSerial
		case serial.InvalidSpeed, serial.InvalidDataBits, serial.InvalidParity, serial.InvalidStopBits:
			return ErrBadMode
		}
		return nil
	}
	switch {
	case errors.Is(err, syscall.ENOENT), errors.Is(err, syscall.ENODEV), errors.Is(err, syscall.ENXIO):
		return ErrPortNotFound
	case errors.Is(err, syscall.EIO), errors.Is(err, io.EOF):
		return ErrPortClosed // a tty whose other end hung up
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return ErrPermission
	case errors.Is(err, syscall.EBUSY):
		return ErrPortBusy
	case errors.Is(err, syscall.ENOTTY):
		return ErrNotSerial
	}
	return nil
}

// parity names as in the config file.
func parseParity(s string) (serial.Parity, error) {
	switch s {
	case "", "none":
		return serial.NoParity, nil
	case "odd":
		return serial.OddParity, nil
	case "even":
		return serial.EvenParity, nil
	case "mark":
		return serial.MarkParity, nil
	case "space":
		return serial.SpaceParity, nil
	}
	return 0, fmt.Errorf("scanner: parity %q; want \"none\", \"even\", \"odd\", \"mark\" or \"space\"", s)
}

func parseStopBits(s string) (serial.StopBits, error) {
	switch s {
	case "", "1":
		return serial.OneStopBit, nil
	case "1.5":
		return serial.OnePointFiveStopBits, nil
	case "2":
		return serial.TwoStopBits, nil
	}
	return 0, fmt.Errorf("scanner: stop bits %q; want \"1\", \"1.5\" or \"2\"", s)
}

// baudOf converts a config baud (an int, 0 for the default).
func baudOf(n int) (physic.Frequency, error) {
	if n < 0 {
		return 0, errors.New("scanner: baud " + strconv.Itoa(n) + " is negative")
	}
	return physic.Frequency(n) * physic.Hertz, nil
}
