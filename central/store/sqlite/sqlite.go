package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"

	"github.com/hcsc-kz/kiosk/central/store/sqlstore"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Open opens (creating when missing) the store in the file at path.
func Open(ctx context.Context, path string, logger *slog.Logger) (*sqlstore.Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty path; give a file such as ./var/central.db")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	if err := ownerOnly(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	w.SetMaxOpenConns(1) // one writer; sqlstore batches behind it
	r, err := sql.Open("sqlite", dsn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", filepath.Base(path), err)
	}
	s, err := sqlstore.New(ctx, sqlstore.Options{
		Write: w, Read: r, Logger: logger,
		Dialect: sqlstore.Dialect{Name: "sqlite", Blob: "BLOB"},
	})
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	return s, nil
}

// ownerOnly makes the database file, and the -wal and -shm files an earlier
// run left, readable and writable by the owner alone, whatever the umask.
// SQLite gives the -wal and -shm files it makes the database file's mode, so
// the three stay 0600.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("sqlite: %w", err)
		}
	}
	return nil
}
