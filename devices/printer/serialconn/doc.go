// Package serialconn adapts a go.bug.st/serial port to periph's
// uart.PortCloser and conn.Conn, so the printer driver (and any periph
// device driver) can run on a USB-serial adapter or a built-in UART.
//
// # Why
//
// periph's host/v3/serial enumerates /dev/ttyS* but registers no usable
// UART (no termios set-up, an unexported constructor), so nothing reaches
// a tty through uartreg. This package does, with go.bug.st/serial.
//
// # Use
//
//	p, err := serialconn.Open("/dev/ttyUSB0")
//	c, err := p.Connect(115200*physic.Hertz, uart.One, uart.NoParity, uart.NoFlow, 8)
//	dev, err := printer.New(c, nil)
//
// Connect picks the lower of the device's rated speed and LimitSpeed's
// cap. Flow control is not offered by go.bug.st/serial v1.8, so Connect
// refuses RTS/CTS and XON/XOFF rather than pretending.
//
// # Tx
//
// Tx(w, r) discards stale input, writes all of w, then reads exactly
// len(r) bytes before the timeout (SetTimeout, default 1 s), counting a
// read that returns no data and no error as a timeout. A timeout error
// satisfies errors.Is(err, ErrTimeout) and has Timeout() true; any other
// error (the adapter unplugged, the port closed) means the port is gone.
//
// # Errors
//
// go.bug.st/serial returns *serial.PortError (which has no Unwrap) for some
// failures and raw syscall errors for others, such as a missing device.
// Both are wrapped here with the port name and a hint.
package serialconn
