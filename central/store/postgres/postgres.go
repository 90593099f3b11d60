package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hcsc-kz/kiosk/central/store/sqlstore"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Open connects to the database at dsn (postgres://…) and creates the tables
// when missing.
func Open(ctx context.Context, dsn string, logger *slog.Logger) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect (is the server up, and the DSN right?): %w", redact(err))
	}
	s, err := sqlstore.New(ctx, sqlstore.Options{
		Write: db, Read: db, Logger: logger,
		Dialect: sqlstore.Dialect{
			Name: "postgres", Dollar: true, Blob: "BYTEA", Transient: transient,
			Lock: "SELECT pg_advisory_xact_lock(7300451)",
		},
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Store{Store: s, dsn: dsn, log: logger}, nil
}

// transient: serialization failure, deadlock, unique violation (a number or
// id raced in by another server; the retry then sees it and answers).
func transient(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", "40P01", "23505":
		return true
	}
	return false
}

// redact drops the DSN (which may hold a password) from connection errors.
func redact(err error) error {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return errors.New(ce.Unwrap().Error())
	}
	return err
}
