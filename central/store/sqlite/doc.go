// Package sqlite opens the central store embedded in one SQLite file
// (modernc.org/sqlite, no cgo): the default for a single hall and for the
// demo.
//
// # Durability
//
// The file runs in WAL mode with synchronous=FULL: a ticket is answered only
// after its batch is synced to disk, so a power cut or kill -9 loses nothing
// that a kiosk saw acknowledged. Writes are group-committed by package
// sqlstore; reads use their own connections and never wait for the writer.
//
// # Permissions
//
// Open makes the database file, and the -wal and -shm files an earlier run
// left, mode 0600 whatever the umask; SQLite gives the -wal and -shm files
// it creates the database file's mode, so all three stay the owner's alone.
package sqlite
