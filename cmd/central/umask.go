package main

import "syscall"

// private makes every file the process creates from now on readable and
// writable by its owner alone (umask 077): the database, its -wal and -shm,
// the key, and whatever SQLite or a library makes beside them. The SQLite
// store sets its own files to 0600 as well; this covers the rest.
func private() { syscall.Umask(0o077) }
