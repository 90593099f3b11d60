package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/central"
)

// enrolSchema holds the kiosks' one-time enrolment codes (keyed hashes
// only, one per kiosk) and the certificates the kiosk CA issued.
func enrolSchema(blob string) []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS enrol_codes (
			kiosk TEXT PRIMARY KEY, hash ` + blob + ` NOT NULL UNIQUE, branch TEXT NOT NULL,
			created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT NOT NULL DEFAULT 0)`,
		`CREATE TABLE IF NOT EXISTS kiosk_certs (
			serial TEXT PRIMARY KEY, kiosk TEXT NOT NULL, branch TEXT NOT NULL, hardware_id TEXT NOT NULL,
			issued_at BIGINT NOT NULL, not_after BIGINT NOT NULL, revoked_at BIGINT NOT NULL DEFAULT 0)`,
		`CREATE INDEX IF NOT EXISTS kiosk_certs_kiosk ON kiosk_certs (kiosk, revoked_at)`,
	}
}

// AddEnrolCode stores a code in place of the kiosk's earlier one.
func (s *Store) AddEnrolCode(ctx context.Context, c central.EnrolCode) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		taken, err := s.exists(bg, tx, `SELECT 1 FROM enrol_codes WHERE hash = ? AND kiosk <> ?`, c.Hash, c.Kiosk)
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("%s: enrolment code in use: %w", s.d.Name, central.ErrConflict)
		}
		if _, err := tx.ExecContext(bg, s.q(`INSERT INTO enrol_codes (kiosk, hash, branch, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, 0)
			ON CONFLICT (kiosk) DO UPDATE SET hash = excluded.hash, branch = excluded.branch,
			created_at = excluded.created_at, expires_at = excluded.expires_at, used_at = 0`),
			c.Kiosk, c.Hash, c.Branch, nanos(c.CreatedAt), nanos(c.ExpiresAt)); err != nil {
			return fmt.Errorf("%s: enrolment code: %w", s.d.Name, err)
		}
		return nil
	})
}

// EnrolCodeByHash returns the unused code with this hash that is still
// valid at now.
func (s *Store) EnrolCodeByHash(ctx context.Context, hash []byte, now time.Time) (central.EnrolCode, error) {
	c := central.EnrolCode{Hash: hash}
	var created, expires int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT kiosk, branch, created_at, expires_at FROM enrol_codes
		WHERE hash = ? AND used_at = 0 AND expires_at > ?`), hash, nanos(now)).Scan(&c.Kiosk, &c.Branch, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return central.EnrolCode{}, fmt.Errorf("%s: enrolment code: %w", s.d.Name, central.ErrNotFound)
	}
	if err != nil {
		return central.EnrolCode{}, fmt.Errorf("%s: enrolment code: %w", s.d.Name, err)
	}
	c.CreatedAt, c.ExpiresAt = fromNanos(created), fromNanos(expires)
	return c, nil
}

// Enrol uses the code and stores the kiosk's new certificate, revoking its
// earlier ones. The code's UPDATE is the check: its condition holds for
// one transaction only (PostgreSQL's second writer waits for the first and
// then finds the row used).
func (s *Store) Enrol(ctx context.Context, hash []byte, cert central.KioskCert) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		at := max(nanos(cert.IssuedAt), 1)
		res, err := tx.ExecContext(bg, s.q(`UPDATE enrol_codes SET used_at = ?
			WHERE hash = ? AND kiosk = ? AND used_at = 0 AND expires_at > ?`), at, hash, cert.Kiosk, at)
		if err != nil {
			return fmt.Errorf("%s: enrol: %w", s.d.Name, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("%s: enrol: %w", s.d.Name, err)
		} else if n != 1 {
			return fmt.Errorf("%s: enrolment code: %w", s.d.Name, central.ErrNotFound)
		}
		if _, err := tx.ExecContext(bg, s.q(`UPDATE kiosk_certs SET revoked_at = ? WHERE kiosk = ? AND revoked_at = 0`), at, cert.Kiosk); err != nil {
			return fmt.Errorf("%s: enrol: %w", s.d.Name, err)
		}
		if _, err := tx.ExecContext(bg, s.q(`INSERT INTO kiosk_certs (serial, kiosk, branch, hardware_id, issued_at, not_after, revoked_at)
			VALUES (?, ?, ?, ?, ?, ?, 0)`), cert.Serial, cert.Kiosk, cert.Branch, cert.HardwareID, nanos(cert.IssuedAt), nanos(cert.NotAfter)); err != nil {
			return fmt.Errorf("%s: enrol: %w", s.d.Name, err)
		}
		return nil
	})
}

const kioskCertCols = `serial, kiosk, branch, hardware_id, issued_at, not_after, revoked_at`

func scanKioskCert(sc interface{ Scan(...any) error }) (central.KioskCert, error) {
	var c central.KioskCert
	var issued, notAfter, revoked int64
	if err := sc.Scan(&c.Serial, &c.Kiosk, &c.Branch, &c.HardwareID, &issued, &notAfter, &revoked); err != nil {
		return central.KioskCert{}, err
	}
	c.IssuedAt, c.NotAfter, c.RevokedAt = fromNanos(issued), fromNanos(notAfter), fromNanos(revoked)
	return c, nil
}

// CurrentKioskCert returns the kiosk's unrevoked certificate.
func (s *Store) CurrentKioskCert(ctx context.Context, kiosk string) (central.KioskCert, error) {
	c, err := scanKioskCert(s.r.QueryRowContext(ctx, s.q(`SELECT `+kioskCertCols+` FROM kiosk_certs
		WHERE kiosk = ? AND revoked_at = 0 ORDER BY issued_at DESC LIMIT 1`), kiosk))
	if errors.Is(err, sql.ErrNoRows) {
		return central.KioskCert{}, fmt.Errorf("%s: kiosk certificate: %w", s.d.Name, central.ErrNotFound)
	}
	if err != nil {
		return central.KioskCert{}, fmt.Errorf("%s: kiosk certificate: %w", s.d.Name, err)
	}
	return c, nil
}

// KioskCerts lists every certificate issued, by kiosk, oldest first.
func (s *Store) KioskCerts(ctx context.Context) ([]central.KioskCert, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+kioskCertCols+` FROM kiosk_certs ORDER BY kiosk, issued_at, serial`)
	if err != nil {
		return nil, fmt.Errorf("%s: kiosk certificates: %w", s.d.Name, err)
	}
	defer rows.Close()
	var out []central.KioskCert
	for rows.Next() {
		c, err := scanKioskCert(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: kiosk certificates: %w", s.d.Name, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: kiosk certificates: %w", s.d.Name, err)
	}
	return out, nil
}

// RevokeKioskCerts revokes the kiosk's unrevoked certificates.
func (s *Store) RevokeKioskCerts(ctx context.Context, kiosk string, at time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(context.Background(), s.q(`UPDATE kiosk_certs SET revoked_at = ? WHERE kiosk = ? AND revoked_at = 0`),
			max(nanos(at), 1), kiosk)
		if err != nil {
			return fmt.Errorf("%s: revoke kiosk certificates: %w", s.d.Name, err)
		}
		n, err = res.RowsAffected()
		if err != nil {
			return fmt.Errorf("%s: revoke kiosk certificates: %w", s.d.Name, err)
		}
		return nil
	})
	return int(n), err
}
