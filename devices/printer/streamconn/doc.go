// Package streamconn wraps byte streams as periph conn.Conn values for the
// ticket printer: a raw character device (/dev/usb/lp0), a TCP socket to a
// network printer (port 9100), a single file, or a folder that gets one
// file per job (the demo and previews).
//
// # Tx
//
// Tx(w, r) writes all of w, then reads exactly len(r) bytes before the
// timeout (SetTimeout, default 1 s) using the stream's read deadline. A
// timeout error has Timeout() true (it wraps os.ErrDeadlineExceeded); any
// other error means the stream is gone. Files and folders are write-only:
// a Tx that reads fails with ErrWriteOnly, so a printer on one must use
// the status dialect "none".
//
// # Character devices
//
// Reads from a character device can time out only when the kernel driver
// supports poll (usblp does). CanRead reports whether the device got a
// read deadline; when it did not, reads fail with ErrWriteOnly rather than
// block for ever.
package streamconn
