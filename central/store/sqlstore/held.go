package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// hold stores an offline ticket held for a supervisor: in state held, so
// call-next never takes it, not counted as waiting, and with why.
func (s *Store) hold(ctx context.Context, tx *sql.Tx, r central.Record, h central.Hold) (central.Record, bool, error) {
	r.State, r.PeopleAhead = api.StateHeld, 0
	if err := s.insert(ctx, tx, r); err != nil {
		return central.Record{}, false, err
	}
	clock := ""
	if h.Clock != nil {
		b, err := json.Marshal(h.Clock)
		if err != nil {
			return central.Record{}, false, fmt.Errorf("%s: hold: %w", s.d.Name, err)
		}
		clock = string(b)
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO held (id, branch, reason, claimed, clock, at) VALUES (?, ?, ?, ?, ?, ?)`),
		r.ID, r.Branch, string(h.Reason), nanos(h.Claimed), clock, nanos(h.At)); err != nil {
		return central.Record{}, false, fmt.Errorf("%s: hold: %w", s.d.Name, err)
	}
	return r, true, nil
}

// Held lists a branch's held offline tickets in the order they were held.
func (s *Store) Held(ctx context.Context, branch string) ([]central.HeldTicket, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT id, reason, claimed, clock, at FROM held WHERE branch = ? ORDER BY at, id`), branch)
	if err != nil {
		return nil, fmt.Errorf("%s: held: %w", s.d.Name, err)
	}
	type row struct {
		id    string
		h     central.Hold
		clock string
	}
	var found []row
	for rows.Next() {
		var r row
		var claimed, at int64
		var reason string
		if err := rows.Scan(&r.id, &reason, &claimed, &r.clock, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: held: %w", s.d.Name, err)
		}
		r.h = central.Hold{Reason: central.HoldReason(reason), Claimed: fromNanos(claimed), At: fromNanos(at)}
		found = append(found, r)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("%s: held: %w", s.d.Name, err)
	}
	out := make([]central.HeldTicket, 0, len(found))
	for _, r := range found {
		if r.clock != "" {
			r.h.Clock = new(api.Clock)
			if err := json.Unmarshal([]byte(r.clock), r.h.Clock); err != nil {
				return nil, fmt.Errorf("%s: held %s: clock: %w", s.d.Name, api.MaskID(r.id), err)
			}
		}
		rec, err := s.get(ctx, s.r, r.id)
		if err != nil {
			return nil, err
		}
		out = append(out, central.HeldTicket{Record: rec, Hold: r.h})
	}
	return out, nil
}

// NoteEmptyOutbox records that a kiosk's outbox was empty after at, keeping
// the latest such time.
func (s *Store) NoteEmptyOutbox(ctx context.Context, kiosk string, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(context.Background(), s.q(`INSERT INTO outbox_empty (kiosk, at) VALUES (?, ?)
			ON CONFLICT (kiosk) DO UPDATE SET at = CASE WHEN excluded.at > outbox_empty.at THEN excluded.at ELSE outbox_empty.at END`),
			kiosk, nanos(at))
		if err != nil {
			return fmt.Errorf("%s: outbox empty: %w", s.d.Name, err)
		}
		return nil
	})
}

// EmptyOutbox returns the latest time the kiosk's outbox was proven empty.
func (s *Store) EmptyOutbox(ctx context.Context, kiosk string) (time.Time, error) {
	var at int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT at FROM outbox_empty WHERE kiosk = ?`), kiosk).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: outbox empty: %w", s.d.Name, err)
	}
	return fromNanos(at), nil
}
