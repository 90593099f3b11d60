package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// deskSchema keeps what the clerk's desk adds to a ticket, in tables of
// their own rather than new columns of tickets, so a database made before
// them needs nothing but these CREATEs: each ticket's latest redirect
// (whose note the server sealed: it may name documents), and who parked
// a parked ticket at which window.
func deskSchema(blob string) []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS redirects (
			id TEXT PRIMARY KEY, branch TEXT NOT NULL, day TEXT NOT NULL, usr TEXT NOT NULL,
			from_win TEXT NOT NULL, win TEXT NOT NULL, service TEXT NOT NULL, note ` + blob + `, at BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS redirects_day ON redirects (branch, day, at)`,
		`CREATE TABLE IF NOT EXISTS parks (
			id TEXT PRIMARY KEY, branch TEXT NOT NULL, day TEXT NOT NULL, usr TEXT NOT NULL,
			win TEXT NOT NULL, at BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS parks_day ON parks (branch, day, at)`,
	}
}

// notRedirected keeps the lanes' picks of call-next off redirected
// tickets: those are called first, by returning, and one redirected to a
// window by that window only.
const notRedirected = ` AND NOT EXISTS (SELECT 1 FROM redirects WHERE redirects.id = tickets.id)`

// fits reports whether a clerk action fits a ticket's state: a parked
// visitor can be called back or given up on (no-show); everything else
// needs a called one.
func fits(a central.Action, st api.State) bool {
	switch a {
	case central.ActionCallBack:
		return st == api.StateParked
	case central.ActionNoShow:
		return st == api.StateCalled || st == api.StateParked
	}
	return st == api.StateCalled
}

// returning picks the redirected ticket call-next takes before the lanes:
// the earliest redirected that waits for this window or for any, of the
// asked service; "" when there is none.
func (s *Store) returning(ctx context.Context, tx *sql.Tx, req central.CallRequest) (string, error) {
	to, args := `redirects.win = '' OR redirects.win = ?`, []any{req.Branch, req.Day, req.Window}
	if !req.StaleBefore.IsZero() {
		to, args = to+` OR redirects.at <= ?`, append(args, nanos(req.StaleBefore))
	}
	if req.Staffed != nil {
		// The windows nobody works at, in the query: a redirect to one of
		// them is anybody's.
		to += ` OR redirects.win NOT IN ('0'`
		for _, w := range req.Staffed {
			to, args = to+`, ?`, append(args, w)
		}
		to += `)`
	}
	q := `SELECT tickets.id FROM tickets JOIN redirects ON redirects.id = tickets.id
		WHERE redirects.branch = ? AND redirects.day = ? AND tickets.state = 'waiting' AND (` + to + `)`
	if req.Service != "" {
		q, args = q+` AND tickets.service = ?`, append(args, req.Service)
	}
	var id string
	err := tx.QueryRowContext(ctx, s.q(q+` ORDER BY redirects.at, tickets.issued_at LIMIT 1`+s.pickLock()), args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%s: call-next: redirected: %w", s.d.Name, err)
	}
	return id, nil
}

// windowFree refuses with ErrWindowBusy while a ticket of the day is
// called at a window, in the transaction that would call another there.
func (s *Store) windowFree(ctx context.Context, tx *sql.Tx, branch, day, window string) error {
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM tickets WHERE branch = ? AND day = ? AND state = 'called' AND win = ?`),
		branch, day, window).Scan(&n); err != nil {
		return fmt.Errorf("%s: window %s: %w", s.d.Name, window, err)
	}
	if n > 0 {
		return fmt.Errorf("%s: window %s: %w", s.d.Name, window, central.ErrWindowBusy)
	}
	return nil
}

// ownWindow refuses with ErrNotYourWindow an action asked from one window
// on a ticket called at another; a parked ticket is the branch's.
func ownWindow(r central.Record, req central.TransitionRequest) error {
	if req.AtWindow == "" || r.State != api.StateCalled || r.Window == req.AtWindow {
		return nil
	}
	return fmt.Errorf("%s of the visitor at window %s from window %s: %w", req.Action, r.Window, req.AtWindow, central.ErrNotYourWindow)
}

// addRedirect records a ticket's redirect, replacing an earlier one, in
// the transaction that puts it back in the queue.
func (s *Store) addRedirect(ctx context.Context, tx *sql.Tx, r central.Record, req central.TransitionRequest) error {
	rd := central.Redirect{From: r.Window}
	if req.Redirect != nil {
		rd = *req.Redirect
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO redirects (id, branch, day, usr, from_win, win, service, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET usr = excluded.usr, from_win = excluded.from_win, win = excluded.win,
		service = excluded.service, note = excluded.note, at = excluded.at`),
		r.ID, r.Branch, r.Day, rd.User, rd.From, rd.Window, req.Service, rd.Note, nanos(req.Now)); err != nil {
		return fmt.Errorf("%s: redirect: %w", s.d.Name, err)
	}
	return nil
}

// park parks a called ticket or calls a parked one back, in Transition's
// transaction; r is the ticket as read there and is updated to match.
func (s *Store) park(ctx context.Context, tx *sql.Tx, r *central.Record, req central.TransitionRequest) error {
	if req.Action == central.ActionCallBack {
		if req.Window == "" {
			return fmt.Errorf("%s: call back to no window: %w", s.d.Name, central.ErrBadState)
		}
		if err := s.windowFree(ctx, tx, r.Branch, r.Day, req.Window); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE tickets SET state = 'called', win = ?, called_at = ? WHERE id = ?`),
			req.Window, nanos(req.Now), r.ID); err != nil {
			return fmt.Errorf("%s: call back: %w", s.d.Name, err)
		}
		r.State, r.Window, r.CalledAt = api.StateCalled, req.Window, req.Now
		return nil
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE tickets SET state = 'parked' WHERE id = ?`), r.ID); err != nil {
		return fmt.Errorf("%s: park: %w", s.d.Name, err)
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO parks (id, branch, day, usr, win, at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET usr = excluded.usr, win = excluded.win, at = excluded.at`),
		r.ID, r.Branch, r.Day, req.User, r.Window, nanos(req.Now)); err != nil {
		return fmt.Errorf("%s: park: %w", s.d.Name, err)
	}
	r.State = api.StateParked
	return nil
}

// Redirects lists the latest redirect of each ticket of a branch's day.
func (s *Store) Redirects(ctx context.Context, branch, day string) ([]central.Redirect, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT id, usr, from_win, win, service, note, at FROM redirects
		WHERE branch = ? AND day = ? ORDER BY at, id`), branch, day)
	if err != nil {
		return nil, fmt.Errorf("%s: redirects: %w", s.d.Name, err)
	}
	defer rows.Close()
	var out []central.Redirect
	for rows.Next() {
		var rd central.Redirect
		var at int64
		if err := rows.Scan(&rd.ID, &rd.User, &rd.From, &rd.Window, &rd.Service, &rd.Note, &at); err != nil {
			return nil, fmt.Errorf("%s: redirects: %w", s.d.Name, err)
		}
		rd.At = fromNanos(at)
		out = append(out, rd)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: redirects: %w", s.d.Name, err)
	}
	return out, nil
}

// Parked lists a branch's parked tickets of a day, in parking order.
func (s *Store) Parked(ctx context.Context, branch, day string) ([]central.ParkedTicket, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT t.id, t.branch, t.kiosk, t.service, t.lane, t.day, t.number, t.state, t.issued_at, t.offline,
		t.printed, t.win, t.called_at, t.slot_at, t.people_ahead, p.usr, p.win, p.at
		FROM tickets t JOIN parks p ON p.id = t.id
		WHERE t.branch = ? AND t.day = ? AND t.state = 'parked' ORDER BY p.at, t.id`), branch, day)
	if err != nil {
		return nil, fmt.Errorf("%s: parked: %w", s.d.Name, err)
	}
	defer rows.Close()
	var out []central.ParkedTicket
	for rows.Next() {
		var p central.ParkedTicket
		r := &p.Record
		var issued, called, slot, at int64
		var offline int
		if err := rows.Scan(&r.ID, &r.Branch, &r.Kiosk, &r.Service, &r.Lane, &r.Day, &r.Number, &r.State,
			&issued, &offline, &r.Printed, &r.Window, &called, &slot, &r.PeopleAhead, &p.User, &p.Window, &at); err != nil {
			return nil, fmt.Errorf("%s: parked: %w", s.d.Name, err)
		}
		r.IssuedAt, r.CalledAt, r.SlotAt, r.Offline = fromNanos(issued), fromNanos(called), fromNanos(slot), offline != 0
		p.ParkedAt = fromNanos(at)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: parked: %w", s.d.Name, err)
	}
	return out, nil
}

// ServiceFigures counts a console user's completed visits since a time and
// adds up their service time, from the last call to the completion.
func (s *Store) ServiceFigures(ctx context.Context, user string, since time.Time) (central.ServiceFigures, error) {
	var f central.ServiceFigures
	var total int64
	if err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN o.at > t.called_at THEN o.at - t.called_at ELSE 0 END), 0) AS BIGINT)
		FROM outcomes o JOIN tickets t ON t.id = o.id WHERE o.usr = ? AND o.at >= ?`), user, nanos(since)).Scan(&f.Served, &total); err != nil {
		return central.ServiceFigures{}, fmt.Errorf("%s: service figures: %w", s.d.Name, err)
	}
	f.Total = time.Duration(total)
	return f, nil
}
