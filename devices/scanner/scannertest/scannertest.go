// Package scannertest is a fake MRZ scanner on a pseudo-terminal, so tests
// and examples drive the real scanner driver (and "kiosk scan-test") through
// a real tty, opened by path, with no hardware.
//
// A Port is a pty pair reached through a stable symlink, the way udev gives
// a USB scanner a stable name: the driver opens Path, the test writes what
// the scanner would send on the master side, Unplug closes the master and
// removes the link (the device node vanishes, as on a real unplug), and
// Replug makes a fresh pty behind the same Path.
package scannertest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/creack/pty"
)

// The framings a scanner can be set up to send, for Frame.
const (
	CR   = "\r"
	LF   = "\n"
	CRLF = "\r\n"
)

// Frame joins MRZ lines the way a scanner sends them: each line followed by
// sep. For STX/ETX framing, wrap the result: "\x02" + Frame(lines, CR) + "\x03".
func Frame(lines []string, sep string) []byte {
	return []byte(strings.Join(lines, sep) + sep)
}

// Port is the fake scanner. Its methods are safe from several goroutines.
type Port struct {
	path string

	mu     sync.Mutex
	master *os.File // nil while unplugged
}

// New plugs in a fake scanner reached at dir/ttyMRZ. Close it when done.
func New(dir string) (*Port, error) {
	p := &Port{path: filepath.Join(dir, "ttyMRZ")}
	if err := p.Replug(); err != nil {
		return nil, err
	}
	return p, nil
}

// Path is the device path to give the driver.
func (p *Port) Path() string { return p.path }

// Write sends bytes as the scanner would, in one write. While the port is
// unplugged it fails. Write only once the driver has opened the port: until
// then the tty is in cooked mode, and would echo and edit what it gets.
func (p *Port) Write(b []byte) (int, error) {
	p.mu.Lock()
	m := p.master
	p.mu.Unlock()
	if m == nil {
		return 0, errors.New("scannertest: write while unplugged")
	}
	return m.Write(b)
}

// Unplug closes the scanner's side: a driver blocked in Read sees the port
// close, and Path no longer exists. Unplugging twice is harmless.
func (p *Port) Unplug() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.unplug()
}

func (p *Port) unplug() error {
	if p.master == nil {
		return nil
	}
	// The link goes first: once the master is closed its pty number may be
	// reused by another test's pty, which the link must never reach.
	err := os.Remove(p.path)
	if errors.Is(err, os.ErrNotExist) {
		err = nil
	}
	err = errors.Join(err, p.master.Close())
	p.master = nil
	return err
}

// Replug plugs a fresh pseudo-terminal in behind Path (unplugging the old
// one first if needed).
func (p *Port) Replug() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.unplug(); err != nil {
		return err
	}
	m, tty, err := pty.Open()
	if err != nil {
		return fmt.Errorf("scannertest: open pty: %w", err)
	}
	// The driver opens the slave by path; this handle is not needed. The
	// slave's node lives as long as the master is open.
	name := tty.Name()
	tty.Close()
	// The link is made beside the final name and renamed into place, so a
	// driver retrying the path never sees a half-made link.
	tmp := p.path + ".new"
	os.Remove(tmp)
	err = os.Symlink(name, tmp)
	if err == nil {
		err = os.Rename(tmp, p.path)
	}
	if err != nil {
		m.Close()
		return fmt.Errorf("scannertest: link %s: %w", p.path, err)
	}
	p.master = m
	return nil
}

// Close unplugs the scanner for good.
func (p *Port) Close() error { return p.Unplug() }
