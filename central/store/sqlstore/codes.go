package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrClearCodes is returned by New for a database whose bookings table
// holds booking codes in the clear, as versions before the codes were
// hashed wrote them.
//
// Such a database is refused rather than migrated: the store does not hold
// the server's key, which the hashes need, and the rows are only the
// bookings not yet checked in, which the appointment system can send again.
// The error says how to clear them.
var ErrClearCodes = errors.New("the bookings table holds booking codes in the clear")

// codesHashed is the meta row that says the bookings table holds keyed
// hashes of the codes.
const codesHashed = "booking_codes"

// checkCodes marks a new database as holding hashed booking codes, and
// refuses one from before, in the schema transaction.
func (s *Store) checkCodes(ctx context.Context, tx *sql.Tx) error {
	var v string
	err := tx.QueryRowContext(ctx, s.q(`SELECT value FROM meta WHERE name = ?`), codesHashed).Scan(&v)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: schema: %w", s.d.Name, err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM bookings`).Scan(&n); err != nil {
		return fmt.Errorf("%s: schema: %w", s.d.Name, err)
	}
	if n > 0 {
		return fmt.Errorf("%s: %w (%d rows, written by a version before codes were hashed); "+
			"with every server stopped, run `DELETE FROM bookings` on the database, start the server "+
			"and have the appointment system send the bookings again", s.d.Name, ErrClearCodes, n)
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`),
		codesHashed, "hmac-sha256"); err != nil {
		return fmt.Errorf("%s: schema: %w", s.d.Name, err)
	}
	return nil
}
