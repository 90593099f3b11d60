package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// Issue stores a ticket with its number, once per id, and req.Event with
// it when it creates the ticket.
func (s *Store) Issue(ctx context.Context, req central.IssueRequest) (central.Record, bool, error) {
	var out central.Record
	var created bool
	o := &op{ctx: ctx, done: make(chan error, 1), fn: func(tx *sql.Tx) error {
		var err error
		if out, created, err = s.issue(tx, req); err != nil || !created || req.Event == nil {
			return err
		}
		e := *req.Event
		e.Number, e.Service, e.Kiosk = out.Number, out.Service, out.Kiosk
		_, err = s.appendEvent(tx, e)
		return err
	}}
	if req.Event != nil {
		o.eventBranch = req.Event.Branch
	}
	err := s.writeOp(o)
	return out, created, err
}

func (s *Store) issue(tx *sql.Tx, req central.IssueRequest) (central.Record, bool, error) {
	ctx := context.Background()
	r := req.Record
	old, err := s.get(ctx, tx, r.ID)
	switch {
	case err == nil:
		return s.again(ctx, tx, old, req)
	case !errors.Is(err, central.ErrNotFound):
		return central.Record{}, false, err
	}
	if r.Number != "" {
		if err := s.numberFree(ctx, tx, req); err != nil {
			return central.Record{}, false, err
		}
	} else {
		seq, err := s.next(ctx, tx, r.Branch, r.Service, string(r.Lane), r.Day, 1)
		if err != nil {
			return central.Record{}, false, err
		}
		r.Number = central.FormatNumber(req.Prefix, seq)
	}
	if req.Hold != nil {
		return s.hold(ctx, tx, r, *req.Hold)
	}
	if r.PeopleAhead, err = s.waiting(ctx, tx, r.Branch, r.Day, 1); err != nil {
		return central.Record{}, false, err
	}
	r.State = api.StateWaiting
	if err := s.insert(ctx, tx, r); err != nil {
		return central.Record{}, false, err
	}
	return r, true, nil
}

// numberFree checks that an offline number may be used: lent to this kiosk
// when it is a lent one, and not another ticket's. A lent number it allows
// counts as used, in the caller's transaction.
func (s *Store) numberFree(ctx context.Context, tx *sql.Tx, req central.IssueRequest) error {
	r := req.Record
	if req.LentSeq > 0 {
		ok, err := s.exists(ctx, tx, `SELECT 1 FROM lends WHERE kiosk = ? AND branch = ? AND service = ? AND day = ? AND first <= ? AND last >= ?`,
			r.Kiosk, r.Branch, r.Service, r.Day, req.LentSeq, req.LentSeq)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%s: number %s: %w", s.d.Name, r.Number, central.ErrNumberTaken)
		}
	}
	taken, err := s.exists(ctx, tx, `SELECT 1 FROM tickets WHERE branch = ? AND day = ? AND number = ?`, r.Branch, r.Day, r.Number)
	if err != nil {
		return err
	}
	if taken {
		return fmt.Errorf("%s: number %s: %w", s.d.Name, r.Number, central.ErrNumberTaken)
	}
	if req.LentSeq > 0 {
		return s.lentUsed(ctx, tx, r.Kiosk, r.Day)
	}
	return nil
}

// again answers a retry of a stored id.
func (s *Store) again(ctx context.Context, tx *sql.Tx, old central.Record, req central.IssueRequest) (central.Record, bool, error) {
	r := req.Record
	if !bytes.Equal(old.BodyHash, r.BodyHash) {
		return central.Record{}, false, fmt.Errorf("%s: id %s: %w", s.d.Name, api.MaskID(r.ID), central.ErrConflict)
	}
	if r.Number == "" || r.Number == old.Number {
		return old, false, nil
	}
	if old.Offline {
		return central.Record{}, false, fmt.Errorf("%s: id %s has offline number %s already: %w", s.d.Name, api.MaskID(r.ID), old.Number, central.ErrConflict)
	}
	if old.State != api.StateWaiting {
		return old, false, nil // already called under the server's number
	}
	// The ticket keeps its place: the server stored it at its own time,
	// before the kiosk gave up waiting and printed the number.
	r.Day = old.Day
	if err := s.numberFree(ctx, tx, central.IssueRequest{Record: r, LentSeq: req.LentSeq}); err != nil {
		return central.Record{}, false, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE tickets SET number = ?, offline = 1 WHERE id = ?`), r.Number, r.ID); err != nil {
		return central.Record{}, false, fmt.Errorf("%s: renumber: %w", s.d.Name, err)
	}
	old.Number, old.Offline = r.Number, true
	return old, false, nil
}

// CallNext marks the next waiting ticket called to a window, and stores
// req.Event with it.
func (s *Store) CallNext(ctx context.Context, req central.CallRequest) (central.Record, error) {
	var out central.Record
	o := &op{ctx: ctx, done: make(chan error, 1), fn: func(tx *sql.Tx) error {
		var err error
		if out, err = s.callNext(tx, req); err != nil || req.Event == nil {
			return err
		}
		e := *req.Event
		e.Number, e.Service = out.Number, out.Service
		_, err = s.appendEvent(tx, e)
		return err
	}}
	if req.Event != nil {
		o.eventBranch = req.Event.Branch
	}
	err := s.writeOp(o)
	return out, err
}

func (s *Store) callNext(tx *sql.Tx, req central.CallRequest) (central.Record, error) {
	ctx := context.Background()
	if req.Free {
		if err := s.windowFree(ctx, tx, req.Branch, req.Day, req.Window); err != nil {
			return central.Record{}, err
		}
	}
	svc, args := "", []any{req.Branch, req.Day}
	if req.Service != "" {
		svc, args = " AND service = ?", append(args, req.Service)
	}
	pick := func(lane api.Lane, extra string, more ...any) (string, error) {
		var id string
		a := append(append(append([]any{}, args...), lane), more...)
		err := tx.QueryRowContext(ctx, s.q(pickQuery(svc, extra, s.pickLock())), a...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil
		}
		if err != nil {
			return "", fmt.Errorf("%s: call-next: %w", s.d.Name, err)
		}
		return id, nil
	}
	for attempt := 0; attempt < 8; attempt++ {
		var streak int
		err := tx.QueryRowContext(ctx, s.q(`SELECT streak FROM days WHERE branch = ? AND day = ?`), req.Branch, req.Day).Scan(&streak)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return central.Record{}, fmt.Errorf("%s: call-next: %w", s.d.Name, err)
		}
		id, err := s.returning(ctx, tx, req)
		if err != nil {
			return central.Record{}, err
		}
		if id == "" {
			if id, err = pick(api.LaneBooked, " AND slot_at <= ?", nanos(req.Now)); err != nil {
				return central.Record{}, err
			}
		}
		if id == "" {
			pri, err := pick(api.LanePriority, "")
			if err != nil {
				return central.Record{}, err
			}
			ord, err := pick(api.LaneOrdinary, "")
			if err != nil {
				return central.Record{}, err
			}
			switch {
			case pri != "" && (streak < req.PriorityRatio || ord == ""):
				id, streak = pri, streak+1
			case ord != "":
				id, streak = ord, 0
			default: // only early bookings left: better early than an idle window
				if id, err = pick(api.LaneBooked, ""); err != nil {
					return central.Record{}, err
				}
			}
		}
		if id == "" {
			return central.Record{}, central.ErrEmpty
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE tickets SET state = 'called', win = ?, called_at = ? WHERE id = ? AND state = 'waiting'`),
			req.Window, nanos(req.Now), id)
		if err != nil {
			return central.Record{}, fmt.Errorf("%s: call-next: %w", s.d.Name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // another server called it first
		}
		if _, err := s.waiting(ctx, tx, req.Branch, req.Day, -1); err != nil {
			return central.Record{}, err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE days SET streak = ? WHERE branch = ? AND day = ?`), streak, req.Branch, req.Day); err != nil {
			return central.Record{}, fmt.Errorf("%s: call-next: %w", s.d.Name, err)
		}
		return s.get(ctx, tx, id)
	}
	return central.Record{}, fmt.Errorf("%s: call-next lost every race: %w", s.d.Name, central.ErrEmpty)
}

// Transition applies a clerk action to a called ticket.
func (s *Store) Transition(ctx context.Context, req central.TransitionRequest) (central.Record, error) {
	var out central.Record
	err := s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		r, err := s.get(bg, tx, req.ID)
		if err != nil {
			return err
		}
		if !fits(req.Action, r.State) {
			return fmt.Errorf("%s: %s on a %s ticket: %w", s.d.Name, req.Action, r.State, central.ErrBadState)
		}
		if err := ownWindow(r, req); err != nil {
			return err
		}
		var q string
		var args []any
		switch req.Action {
		case central.ActionRecall:
			q, args = `UPDATE tickets SET called_at = ? WHERE id = ?`, []any{nanos(req.Now), r.ID}
			r.CalledAt = req.Now
		case central.ActionComplete:
			q, args = `UPDATE tickets SET state = 'completed' WHERE id = ?`, []any{r.ID}
			r.State = api.StateCompleted
			if req.Outcome != nil {
				if err := s.addOutcome(bg, tx, r, req.Outcome, req.Now); err != nil {
					return err
				}
			}
		case central.ActionNoShow:
			q, args = `UPDATE tickets SET state = 'no-show' WHERE id = ?`, []any{r.ID}
			r.State = api.StateNoShow
		case central.ActionRedirect:
			if err := s.addRedirect(bg, tx, r, req); err != nil {
				return err
			}
			q, args = `UPDATE tickets SET state = 'waiting', service = ?, win = '', called_at = 0 WHERE id = ?`, []any{req.Service, r.ID}
			r.State, r.Service, r.Window, r.CalledAt = api.StateWaiting, req.Service, "", time.Time{}
			if _, err := s.waiting(bg, tx, r.Branch, r.Day, 1); err != nil {
				return err
			}
		case central.ActionPark, central.ActionCallBack:
			if err := s.park(bg, tx, &r, req); err != nil {
				return err
			}
			out = r
			return nil
		default:
			return fmt.Errorf("%s: unknown action %q: %w", s.d.Name, req.Action, central.ErrBadState)
		}
		if _, err := tx.ExecContext(bg, s.q(q), args...); err != nil {
			return fmt.Errorf("%s: %s: %w", s.d.Name, req.Action, err)
		}
		out = r
		return nil
	})
	return out, err
}

// Lend reserves numbers of the ordinary lane for a kiosk, within its
// day's bound on outstanding numbers.
func (s *Store) Lend(ctx context.Context, req central.LendRequest) (int, int, error) {
	var first, n int
	err := s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		first, n = 0, req.Size
		if req.Max > 0 {
			out, err := s.outstanding(bg, tx, req.Kiosk, req.Day)
			if err != nil {
				return err
			}
			n = min(n, req.Max-out)
		}
		if n <= 0 {
			n = 0
			return nil
		}
		last, err := s.next(bg, tx, req.Branch, req.Service, string(api.LaneOrdinary), req.Day, n)
		if err != nil {
			return err
		}
		first = last - n + 1
		if _, err := tx.ExecContext(bg, s.q(`INSERT INTO lends (kiosk, branch, service, day, first, last, at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			req.Kiosk, req.Branch, req.Service, req.Day, first, last, nanos(req.Now)); err != nil {
			return fmt.Errorf("%s: lend: %w", s.d.Name, err)
		}
		return s.lent(bg, tx, req.Kiosk, req.Day, n)
	})
	return first, n, err
}

// AddBooking stores a booking.
func (s *Store) AddBooking(ctx context.Context, b central.BookingRecord) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		code := hex.EncodeToString(b.CodeMAC)
		taken, err := s.exists(bg, tx, `SELECT 1 FROM bookings WHERE code = ?`, code)
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("%s: booking code in use: %w", s.d.Name, central.ErrConflict)
		}
		if _, err := tx.ExecContext(bg, s.q(`INSERT INTO bookings (code, branch, service, day, slot_at, doc_mac) VALUES (?, ?, ?, ?, ?, ?)`),
			code, b.Branch, b.Service, b.Day, nanos(b.SlotAt), b.DocMAC); err != nil {
			return fmt.Errorf("%s: booking: %w", s.d.Name, err)
		}
		return nil
	})
}

// CheckIn issues the ticket of a booking, once per booking.
func (s *Store) CheckIn(ctx context.Context, req central.CheckInRequest) (central.Record, bool, error) {
	var out central.Record
	var created bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		r := req.Record
		if old, err := s.get(bg, tx, r.ID); err == nil {
			if !bytes.Equal(old.BodyHash, r.BodyHash) {
				return fmt.Errorf("%s: id %s: %w", s.d.Name, api.MaskID(r.ID), central.ErrConflict)
			}
			out = old
			return nil
		} else if !errors.Is(err, central.ErrNotFound) {
			return err
		}
		var code, service, ticket string
		var slot int64
		q, arg := `SELECT code, service, slot_at, ticket FROM bookings WHERE code = ? AND branch = ? AND day = ?`, any(hex.EncodeToString(req.CodeMAC))
		if len(req.CodeMAC) == 0 {
			q, arg = `SELECT code, service, slot_at, ticket FROM bookings WHERE doc_mac = ? AND branch = ? AND day = ? ORDER BY slot_at LIMIT 1`, req.DocMAC
		}
		err := tx.QueryRowContext(bg, s.q(q), arg, r.Branch, r.Day).Scan(&code, &service, &slot, &ticket)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s: no booking today: %w", s.d.Name, central.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("%s: booking: %w", s.d.Name, err)
		}
		if ticket == "" {
			// The claim is the condition of the write, not of the read
			// above: another server may check the booking in between,
			// and its ticket must stand. The loser waits for the winner's
			// commit (the row is locked) and reads its ticket.
			if ticket, err = s.claim(bg, tx, code, r.ID); err != nil {
				return err
			}
		}
		if ticket != r.ID {
			out, err = s.get(bg, tx, ticket)
			return err
		}
		seq, err := s.next(bg, tx, r.Branch, service, string(api.LaneBooked), r.Day, 1)
		if err != nil {
			return err
		}
		r.Service, r.SlotAt, r.Lane, r.State = service, fromNanos(slot), api.LaneBooked, api.StateWaiting
		r.Number = central.FormatNumber(req.Prefix(service), seq)
		if r.PeopleAhead, err = s.waiting(bg, tx, r.Branch, r.Day, 1); err != nil {
			return err
		}
		r.PeopleAhead = 0 // a booking is served at its slot, not behind the walk-ins
		if err := s.insert(bg, tx, r); err != nil {
			return err
		}
		out, created = r, true
		return nil
	})
	return out, created, err
}

// claim gives a booking not yet checked in the ticket id, and returns the
// booking's ticket: id when this call claimed it, another check-in's when
// that came first.
func (s *Store) claim(ctx context.Context, tx *sql.Tx, code, id string) (string, error) {
	res, err := tx.ExecContext(ctx, s.q(`UPDATE bookings SET ticket = ? WHERE code = ? AND ticket = ''`), id, code)
	if err != nil {
		return "", fmt.Errorf("%s: booking: %w", s.d.Name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return "", fmt.Errorf("%s: booking: %w", s.d.Name, err)
	}
	if n == 1 {
		return id, nil
	}
	var ticket string
	if err := tx.QueryRowContext(ctx, s.q(`SELECT ticket FROM bookings WHERE code = ?`), code).Scan(&ticket); err != nil {
		return "", fmt.Errorf("%s: booking: %w", s.d.Name, err)
	}
	if ticket == "" {
		return "", fmt.Errorf("%s: booking claimed by no ticket", s.d.Name)
	}
	return ticket, nil
}

// SaveHeartbeat keeps a kiosk's latest heartbeat.
func (s *Store) SaveHeartbeat(ctx context.Context, kiosk string, at time.Time, body []byte) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(context.Background(), s.q(`INSERT INTO heartbeats (kiosk, at, body) VALUES (?, ?, ?)
			ON CONFLICT (kiosk) DO UPDATE SET at = excluded.at, body = excluded.body`), kiosk, nanos(at), string(body))
		if err != nil {
			return fmt.Errorf("%s: heartbeat: %w", s.d.Name, err)
		}
		return nil
	})
}

// eventBody is the stored body of an event: what its columns do not hold.
type eventBody struct {
	Language      string       `json:"language"`
	Decision      api.Decision `json:"decision"`
	ApplicationID string       `json:"applicationId"`
	Reason        string       `json:"reason"`
}

// AddEvents stores session events and the print states they report.
func (s *Store) AddEvents(ctx context.Context, events []central.EventRecord) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		for _, e := range events {
			// JSON by encoding/json, not by %q: Go's quoting is not JSON's
			// (\U000e0041, \x00), and the reports read these bodies as JSON.
			body, err := json.Marshal(eventBody{e.Event.Language, e.Event.Decision, e.Event.ApplicationID, e.Event.Reason})
			if err != nil {
				return fmt.Errorf("%s: events: %w", s.d.Name, err)
			}
			if _, err := tx.ExecContext(bg, s.q(`INSERT INTO events (kiosk, at, kind, session, body) VALUES (?, ?, ?, ?, ?)`),
				e.Kiosk, nanos(e.Event.At), string(e.Event.Kind), e.Event.Session, string(body)); err != nil {
				return fmt.Errorf("%s: events: %w", s.d.Name, err)
			}
			if e.Event.ApplicationID == "" {
				continue
			}
			var q string
			switch e.Event.Kind {
			case api.EventPrinted:
				q = `UPDATE tickets SET printed = 1, state = CASE WHEN state = 'not-printed' THEN 'waiting' ELSE state END WHERE id = ? AND kiosk = ?`
			case api.EventPrintFailed:
				q = `UPDATE tickets SET printed = 2, state = CASE WHEN state = 'waiting' THEN 'not-printed' ELSE state END WHERE id = ? AND kiosk = ?`
			default:
				continue
			}
			if _, err := tx.ExecContext(bg, s.q(q), e.Event.ApplicationID, e.Kiosk); err != nil {
				return fmt.Errorf("%s: print state: %w", s.d.Name, err)
			}
		}
		return nil
	})
}

// Attach stores an application on a booked check-in ticket that has none.
func (s *Store) Attach(ctx context.Context, req central.AttachRequest) (central.Record, bool, error) {
	var out central.Record
	var attached bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		// The condition on payload is in the UPDATE itself: another server
		// may attach between a read and this write, and its payload must
		// stand.
		res, err := tx.ExecContext(bg, s.q(`UPDATE tickets SET payload = ? WHERE id = ? AND branch = ? AND lane = ? AND payload IS NULL`),
			req.Payload, req.ID, req.Branch, string(api.LaneBooked))
		if err != nil {
			return fmt.Errorf("%s: attach: %w", s.d.Name, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("%s: attach: %w", s.d.Name, err)
		}
		r, err := s.get(bg, tx, req.ID)
		if err != nil {
			return err
		}
		if r.Branch != req.Branch || r.Lane != api.LaneBooked {
			// Said as not found: a kiosk learns nothing of other branches'
			// tickets, nor of walk-ins' ids.
			return fmt.Errorf("%s: no booked ticket %s in the branch: %w", s.d.Name, api.MaskID(req.ID), central.ErrNotFound)
		}
		out, attached = r, n == 1
		return nil
	})
	return out, attached, err
}
