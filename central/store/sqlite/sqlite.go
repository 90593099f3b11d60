package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
