package streamconn

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"periph.io/x/conn/v3"
)

var _ conn.Conn = (*Conn)(nil)

// ErrWriteOnly is the error of a Tx that reads on a stream that cannot
// answer (a file, or a device without read deadlines).
var ErrWriteOnly = errors.New("streamconn: this stream cannot be read; set the printer's status dialect to none")

type deadliner interface {
	SetReadDeadline(t time.Time) error
}

// Conn is a stream as a conn.Conn. Its methods are safe for concurrent
// use; Tx calls are serialised.
type Conn struct {
	name string

	mu      sync.Mutex
	w       io.Writer
	r       io.Reader     // nil: write-only
	dl      deadliner     // nil: reads cannot time out
	c       io.Closer     // nil: nothing to close
	next    func() string // a folder: the path of the next job's file
	timeout time.Duration
	duplex  conn.Duplex
}

// OpenDevice opens a raw character device such as /dev/usb/lp0 for
// reading and writing.
func OpenDevice(path string) (*Conn, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("streamconn: open %s: %w; check the path, that the printer is on, and that the kiosk user is in the lp group", path, err)
	}
	c := &Conn{name: "device(" + path + ")", w: f, r: f, c: f, timeout: time.Second, duplex: conn.Full}
	// A file the runtime cannot poll refuses deadlines; then reads could
	// block for ever, so the device counts as write-only.
	if f.SetReadDeadline(time.Time{}) == nil {
		c.dl = f
	} else {
		c.r = nil
	}
	return c, nil
}

// Dial connects to a network printer at addr ("host" or "host:port"; the
// port defaults to 9100, the raw printing port).
func Dial(ctx context.Context, addr string) (*Conn, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "9100")
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("streamconn: dial %s: %w; check the address and that the printer is on the network", addr, err)
	}
	return &Conn{name: "tcp(" + addr + ")", w: nc, r: nc, dl: nc, c: nc, timeout: time.Second, duplex: conn.Full}, nil
}

// Create creates (or truncates) the file at path; every Tx appends to it.
func Create(path string) (*Conn, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("streamconn: create %s: %w", path, err)
	}
	return &Conn{name: "file(" + path + ")", w: f, c: f, duplex: conn.Half}, nil
}

// Folder writes each Tx to a new file in dir, named job-0001.bin,
// job-0002.bin, … after the files already there.
func Folder(dir string) (*Conn, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("streamconn: folder %s: %w", dir, err)
	}
	old, err := filepath.Glob(filepath.Join(dir, "job-*.bin"))
	if err != nil {
		return nil, fmt.Errorf("streamconn: folder %s: %w", dir, err)
	}
	n := len(old)
	next := func() string {
		n++
		return filepath.Join(dir, fmt.Sprintf("job-%04d.bin", n))
	}
	return &Conn{name: "folder(" + dir + ")", next: next, duplex: conn.Half}, nil
}

// New wraps any stream. rw's Read is used for answers unless rw is nil
// for reads (pass a plain io.Writer through io.MultiWriter to make it
// write-only); a SetReadDeadline method gives reads a timeout, and a Close
// method is called by Close.
func New(name string, rw io.Writer) *Conn {
	c := &Conn{name: name, w: rw, timeout: time.Second, duplex: conn.Half}
	if r, ok := rw.(io.Reader); ok {
		c.r, c.duplex = r, conn.Full
	}
	if dl, ok := rw.(deadliner); ok {
		c.dl = dl
	}
	if cl, ok := rw.(io.Closer); ok {
		c.c = cl
	}
	return c
}

// String returns e.g. "tcp(10.0.0.5:9100)" or "file(ticket.bin)".
func (c *Conn) String() string { return c.name }

// Duplex returns conn.Full for readable streams, conn.Half for the others.
func (c *Conn) Duplex() conn.Duplex { return c.duplex }

// CanRead reports whether Tx may read answers.
func (c *Conn) CanRead() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.r != nil
}

// SetTimeout sets how long Tx waits for its reads (default 1 s).
func (c *Conn) SetTimeout(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timeout = d
}

// Tx writes w, then reads exactly len(r) bytes before the timeout.
func (c *Conn) Tx(w, r []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(r) > 0 && (c.r == nil || c.dl == nil) {
		return fmt.Errorf("%s: %w", c.name, ErrWriteOnly)
	}
	if c.w == nil && c.next == nil {
		return fmt.Errorf("streamconn: %s is closed", c.name)
	}
	if c.next != nil {
		p := c.next()
		if err := os.WriteFile(p, w, 0o644); err != nil {
			return fmt.Errorf("streamconn: write %s: %w", p, err)
		}
		return nil
	}
	if _, err := c.w.Write(w); err != nil {
		return fmt.Errorf("streamconn: write %s: %w", c.name, err)
	}
	if len(r) == 0 {
		return nil
	}
	if err := c.dl.SetReadDeadline(time.Now().Add(c.timeout)); err != nil {
		return fmt.Errorf("streamconn: %s: set read deadline: %w", c.name, err)
	}
	if n, err := io.ReadFull(c.r, r); err != nil {
		return fmt.Errorf("streamconn: read %s: %d of %d bytes: %w", c.name, n, len(r), err)
	}
	return nil
}

// Close closes the stream; later Tx calls fail.
func (c *Conn) Close() error {
	c.mu.Lock()
	cl := c.c
	c.w, c.r, c.c, c.next = nil, nil, nil, nil
	c.mu.Unlock()
	if cl == nil {
		return nil
	}
	if err := cl.Close(); err != nil {
		return fmt.Errorf("streamconn: close %s: %w", c.name, err)
	}
	return nil
}
