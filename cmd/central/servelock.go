package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// lockSQLite makes `central serve` the only server of a SQLite file: it
// holds an exclusive flock on a lock file beside the database while it
// serves. Two servers on one file would each number tickets and keep
// events in memory apart from the other's, so the second is refused.
// The kernel drops the lock when its process ends however it ends, so
// the lock file a dead server left blocks no one. The short commands
// (`central user add`, `central token add`) do not take it: they open
// the file beside the server, as SQLite allows, waiting on its busy
// timeout for the server's write transactions.
func lockSQLite(db string) (release func(), err error) {
	path := db + ".serve-lock"
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("central: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("central: lock %s: %w", path, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("central: another central serve is serving %s; SQLite serves one process: for more than one, use PostgreSQL (--db postgres://…)", db)
		}
		return nil, fmt.Errorf("central: lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil // closing the file releases the lock
}
