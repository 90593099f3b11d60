package sqlite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// ErrServed: another process serves the database.
var ErrServed = errors.New("another process serves this SQLite database")

// LockServe makes the calling process the only server of a SQLite file
// (`central serve`, the kiosk demo's backend): it holds an exclusive
// flock on a lock file beside the database while it serves. Two servers on
// one file would each number tickets and hear only their own events, so
// the second is refused with ErrServed. The lock file is named after the
// database's real path, so another spelling of it or a symbolic link
// finds the same lock. The kernel drops the lock when its process ends
// however it ends, so a lock file a dead server left blocks no one. The
// short commands (`central user add`, `central token add`) do not take
// it: they open the file beside the server, as SQLite allows, waiting on
// its busy timeout for the server's write transactions.
func LockServe(db string) (release func(), err error) {
	path, err := filepath.Abs(db)
	if err != nil {
		return nil, fmt.Errorf("sqlite: lock %s: %w", db, err)
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	} else if dir, err := filepath.EvalSymlinks(filepath.Dir(path)); err == nil {
		path = filepath.Join(dir, filepath.Base(path)) // the database is yet to be made
	}
	path += ".serve-lock"
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: lock %s: %w", path, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("sqlite: %s: %w (a central serve or a kiosk demo); SQLite serves one process: for more than one, use PostgreSQL (--db postgres://…)", db, ErrServed)
		}
		return nil, fmt.Errorf("sqlite: lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil // closing the file releases the lock
}
