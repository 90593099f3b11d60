package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/central"
)

// authSchema holds the bearer tokens (hashes only) and each kiosk's count
// of lent numbers per day.
func authSchema(blob string) []string {
	return []string{
		// hash is UNIQUE, so its index serves the look-up of every request.
		`CREATE TABLE IF NOT EXISTS tokens (
			id TEXT PRIMARY KEY, hash ` + blob + ` NOT NULL UNIQUE,
			role TEXT NOT NULL, branch TEXT NOT NULL, kiosk TEXT NOT NULL, name TEXT NOT NULL,
			created_at BIGINT NOT NULL, revoked_at BIGINT NOT NULL DEFAULT 0)`,
		`CREATE TABLE IF NOT EXISTS lend_counts (
			kiosk TEXT NOT NULL, day TEXT NOT NULL, lent INTEGER NOT NULL, used INTEGER NOT NULL,
			PRIMARY KEY (kiosk, day))`,
	}
}

// AddToken stores a token's hash and grant.
func (s *Store) AddToken(ctx context.Context, t central.TokenRecord) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		taken, err := s.exists(bg, tx, `SELECT 1 FROM tokens WHERE id = ? OR hash = ?`, t.ID, t.Hash)
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("%s: token id or hash in use: %w", s.d.Name, central.ErrConflict)
		}
		if _, err := tx.ExecContext(bg, s.q(`INSERT INTO tokens (id, hash, role, branch, kiosk, name, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`),
			t.ID, t.Hash, string(t.Role), t.Branch, t.Kiosk, t.Name, nanos(t.CreatedAt)); err != nil {
			return fmt.Errorf("%s: token: %w", s.d.Name, err)
		}
		return nil
	})
}

// TokenByHash returns the unrevoked token with this hash: one look-up on
// the hash's index, whose condition leaves revoked tokens out.
func (s *Store) TokenByHash(ctx context.Context, hash []byte) (central.TokenRecord, error) {
	var t central.TokenRecord
	var role string
	var created int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT id, hash, role, branch, kiosk, name, created_at FROM tokens WHERE hash = ? AND revoked_at = 0`), hash).
		Scan(&t.ID, &t.Hash, &role, &t.Branch, &t.Kiosk, &t.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return central.TokenRecord{}, fmt.Errorf("%s: token: %w", s.d.Name, central.ErrNotFound)
	}
	if err != nil {
		return central.TokenRecord{}, fmt.Errorf("%s: token: %w", s.d.Name, err)
	}
	t.Role, t.CreatedAt = central.Role(role), fromNanos(created)
	return t, nil
}

// Tokens lists every token without its hash, oldest first.
func (s *Store) Tokens(ctx context.Context) ([]central.TokenRecord, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, role, branch, kiosk, name, created_at, revoked_at FROM tokens ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("%s: tokens: %w", s.d.Name, err)
	}
	defer rows.Close()
	var out []central.TokenRecord
	for rows.Next() {
		var t central.TokenRecord
		var role string
		var created, revoked int64
		if err := rows.Scan(&t.ID, &role, &t.Branch, &t.Kiosk, &t.Name, &created, &revoked); err != nil {
			return nil, fmt.Errorf("%s: tokens: %w", s.d.Name, err)
		}
		t.Role, t.CreatedAt, t.RevokedAt = central.Role(role), fromNanos(created), fromNanos(revoked)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: tokens: %w", s.d.Name, err)
	}
	return out, nil
}

// RevokeToken marks a token revoked; a second revocation keeps the first
// time.
func (s *Store) RevokeToken(ctx context.Context, id string, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		found, err := s.exists(bg, tx, `SELECT 1 FROM tokens WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("%s: token %s: %w", s.d.Name, id, central.ErrNotFound)
		}
		if _, err := tx.ExecContext(bg, s.q(`UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0`), max(nanos(at), 1), id); err != nil {
			return fmt.Errorf("%s: revoke token: %w", s.d.Name, err)
		}
		return nil
	})
}

// outstanding is how many numbers lent to the kiosk on day no ticket has
// used yet.
func (s *Store) outstanding(ctx context.Context, db querier, kiosk, day string) (int, error) {
	// Take the row's lock first (the upsert writes it, so PostgreSQL holds
	// the lock to the commit): with several servers on one database, two
	// lends of one kiosk would otherwise both read the same count and both
	// lend up to the cap. The read after it sees the other's commit.
	if _, err := db.ExecContext(ctx, s.q(`INSERT INTO lend_counts (kiosk, day, lent, used) VALUES (?, ?, 0, 0)
		ON CONFLICT (kiosk, day) DO UPDATE SET lent = lend_counts.lent`), kiosk, day); err != nil {
		return 0, fmt.Errorf("%s: lent numbers: %w", s.d.Name, err)
	}
	var n int
	err := db.QueryRowContext(ctx, s.q(`SELECT lent - used FROM lend_counts WHERE kiosk = ? AND day = ?`), kiosk, day).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("%s: lent numbers: %w", s.d.Name, err)
	}
	return n, nil
}

// lent counts n more numbers lent to the kiosk on day.
func (s *Store) lent(ctx context.Context, db querier, kiosk, day string, n int) error {
	if _, err := db.ExecContext(ctx, s.q(`INSERT INTO lend_counts (kiosk, day, lent, used) VALUES (?, ?, ?, 0)
		ON CONFLICT (kiosk, day) DO UPDATE SET lent = lend_counts.lent + excluded.lent`), kiosk, day, n); err != nil {
		return fmt.Errorf("%s: lent numbers: %w", s.d.Name, err)
	}
	return nil
}

// lentUsed counts one of the kiosk's lent numbers of day as used.
func (s *Store) lentUsed(ctx context.Context, db querier, kiosk, day string) error {
	if _, err := db.ExecContext(ctx, s.q(`UPDATE lend_counts SET used = used + 1 WHERE kiosk = ? AND day = ? AND used < lent`), kiosk, day); err != nil {
		return fmt.Errorf("%s: lent numbers: %w", s.d.Name, err)
	}
	return nil
}
