package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/central"
)

// outcomeSchema keeps how each completed visit ended and which console
// user completed it. The note is sealed by the server: it may name a
// visitor's documents.
func outcomeSchema(blob string) []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS outcomes (
			id TEXT PRIMARY KEY, branch TEXT NOT NULL, usr TEXT NOT NULL, result TEXT NOT NULL,
			note ` + blob + `, at BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS outcomes_user ON outcomes (usr, at)`,
	}
}

// addOutcome records a completed visit's outcome in the transaction that
// completes it.
func (s *Store) addOutcome(ctx context.Context, tx *sql.Tx, r central.Record, o *central.Outcome, at time.Time) error {
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO outcomes (id, branch, usr, result, note, at) VALUES (?, ?, ?, ?, ?, ?)`),
		r.ID, r.Branch, o.User, string(o.Result), o.Note, nanos(at)); err != nil {
		return fmt.Errorf("%s: outcome: %w", s.d.Name, err)
	}
	return nil
}

// Tickets lists a branch's tickets of a day in issue order, without their
// payloads.
func (s *Store) Tickets(ctx context.Context, branch, day string) ([]central.Record, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT id, branch, kiosk, service, lane, day, number, state, issued_at, offline,
		printed, win, called_at, slot_at, people_ahead FROM tickets WHERE branch = ? AND day = ?
		ORDER BY issued_at, LENGTH(number), number`), branch, day)
	if err != nil {
		return nil, fmt.Errorf("%s: tickets: %w", s.d.Name, err)
	}
	defer rows.Close()
	var out []central.Record
	for rows.Next() {
		var r central.Record
		var issued, called, slot int64
		var offline int
		if err := rows.Scan(&r.ID, &r.Branch, &r.Kiosk, &r.Service, &r.Lane, &r.Day, &r.Number, &r.State,
			&issued, &offline, &r.Printed, &r.Window, &called, &slot, &r.PeopleAhead); err != nil {
			return nil, fmt.Errorf("%s: tickets: %w", s.d.Name, err)
		}
		r.IssuedAt, r.CalledAt, r.SlotAt, r.Offline = fromNanos(issued), fromNanos(called), fromNanos(slot), offline != 0
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: tickets: %w", s.d.Name, err)
	}
	return out, nil
}

// Served counts the visits a console user completed at or after since.
func (s *Store) Served(ctx context.Context, user string, since time.Time) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM outcomes WHERE usr = ? AND at >= ?`), user, nanos(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("%s: served: %w", s.d.Name, err)
	}
	return n, nil
}
