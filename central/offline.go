package central

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// NumberWidth is the least number of digits after a ticket number's prefix:
// FormatNumber pads to it, and a kiosk learns it with every block of lent
// numbers (api.Block.NumberWidth) to write its own range the same way.
const NumberWidth = 3

// ParseNumber returns the sequence number of a ticket number written with
// prefix, when the number is spelled exactly as FormatNumber writes it:
// "A005" for prefix "A" gives 5; "A5", "A05", "A+5", " A005" and "A0005"
// are not numbers. One spelling per number is what keeps two tickets from
// carrying the same number called out in the hall.
func ParseNumber(prefix, number string) (int, bool) {
	digits, ok := strings.CutPrefix(number, prefix)
	if !ok || prefix == "" || !isDigits(digits) || len(digits) > 9 {
		return 0, false
	}
	seq, err := strconv.Atoi(digits)
	if err != nil || seq <= 0 || FormatNumber(prefix, seq) != number {
		return 0, false
	}
	return seq, true
}

// HoldReason says why an offline ticket is held for a supervisor instead of
// waiting in a queue.
type HoldReason string

// The hold reasons.
const (
	// HoldFuture: printed, by the kiosk's clock and offset, later than it
	// reached the server, beyond the offset's uncertainty and FutureSlack.
	HoldFuture HoldReason = "future"
	// HoldPastDay: printed on a branch day already over. That day's queue
	// is closed, and today's is not the visitor's.
	HoldPastDay HoldReason = "past-day"
	// HoldBeforeContact: printed before the kiosk last reported an empty
	// outbox (a heartbeat with outboxDepth 0 and a clock), so it would have
	// been in that outbox: the kiosk's clock is wrong, and the ticket would
	// jump the queue if taken at its word.
	HoldBeforeContact HoldReason = "before-contact"
)

// Hold is why, and on what evidence, an offline ticket is held.
type Hold struct {
	Reason HoldReason
	// Claimed is the ticket's issuedAt as the kiosk sent it (its clock).
	Claimed time.Time
	// Clock is the offset the kiosk sent with the ticket; nil for none.
	Clock *api.Clock
	// At is when the server held it, by the server's clock.
	At time.Time
}

// HeldTicket is a held ticket and why it is held.
type HeldTicket struct {
	Record Record
	Hold   Hold
}

// Limits on an offline ticket's time. A time outside them is no reading of
// a working clock (1970 after a lost RTC, 9999) and is refused (422); one
// inside them that still cannot be placed is held.
const (
	// FutureSlack is how far past its arrival a ticket may claim to have
	// been printed, beyond its offset's uncertainty, and still be queued
	// (at its arrival): a kiosk clock a few minutes fast without a measured
	// offset is common and harmless.
	FutureSlack = 5 * time.Minute
	// maxAhead bounds a claimed time from above; beyond it, 422.
	maxAhead = 366 * 24 * time.Hour
	// maxOffset and maxUncertainty bound a ticket's clock: an offset of
	// a century, or one known only to within an hour, is no measurement.
	maxOffset      = 100 * 366 * 24 * time.Hour
	maxUncertainty = time.Hour
)

// earliest is the first instant an offline ticket can have been printed:
// before it this protocol did not exist, so an earlier time is a clock that
// was never set.
func earliest() time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) }

// placement is where an offline ticket goes.
type placement struct {
	at   time.Time // the time of printing, by the server's clock
	day  string    // the branch day whose numbers and queue it belongs to
	hold HoldReason
}

func unprocessable(format string, a ...any) *httpError {
	return fail(http.StatusUnprocessableEntity, api.CodeUnprocessable, fmt.Sprintf(format, a...))
}

// place decides where an offline ticket goes: the time of printing is the
// kiosk's IssuedAt moved by its offset, known to within the offset's
// uncertainty; emptyAt is the latest time the kiosk's outbox was proven
// empty (zero for never). A ticket it queues joins the queue of the day
// the branch's hours make its time of printing count for (b.queueDay), as
// an online one made then would: printed after closing, it is called when
// the branch next opens. It returns a 422 for a time no working clock
// gives.
func place(o *api.OfflineTicket, now time.Time, b *branchInfo, emptyAt time.Time) (placement, error) {
	loc := b.loc
	at, unc := o.IssuedAt, time.Duration(0)
	if c := o.Clock; c != nil {
		// Checked in milliseconds, as sent: in a Duration (int64 nanoseconds)
		// one past 292 years wraps round and would pass for a small one.
		switch {
		case c.OffsetMs < -maxOffset.Milliseconds() || c.OffsetMs > maxOffset.Milliseconds():
			return placement{}, unprocessable("offline.clock.offsetMs %d is more than a century: not a measured offset", c.OffsetMs)
		case c.UncertaintyMs < 0 || c.UncertaintyMs > maxUncertainty.Milliseconds():
			return placement{}, unprocessable("offline.clock.uncertaintyMs %d is negative or over an hour: not a measured offset", c.UncertaintyMs)
		case c.MeasuredAt.Before(earliest()) || c.MeasuredAt.After(now.Add(FutureSlack)):
			return placement{}, unprocessable("offline.clock.measuredAt %s is not a time this server answered", c.MeasuredAt.UTC().Format(time.RFC3339))
		}
		at, unc = at.Add(time.Duration(c.OffsetMs)*time.Millisecond), time.Duration(c.UncertaintyMs)*time.Millisecond
	}
	if at.Before(earliest()) || at.After(now.Add(maxAhead)) {
		return placement{}, unprocessable("offline.issuedAt %s (offset applied) is not a time the ticket can have been printed: the kiosk's clock is unset or broken",
			at.UTC().Format(time.RFC3339))
	}
	day := func(t time.Time) string { return t.In(loc).Format(time.DateOnly) }
	today := day(now)
	p := placement{at: at, day: today}
	switch {
	case at.Add(-unc).After(now.Add(FutureSlack)):
		p.hold = HoldFuture
	case b.queueDay(at.Add(unc)) < today:
		// Its queue day is over (the clerks call the calendar day's queue).
		p.hold, p.day = HoldPastDay, b.queueDay(at)
	case !emptyAt.IsZero() && at.Add(unc).Before(emptyAt):
		p.hold = HoldBeforeContact
	default:
		// Printed no later than it arrived: a clock a little fast is
		// queued at the arrival, not ahead of those who came before.
		p.at = earlier(at, now)
		p.day = b.queueDay(p.at)
	}
	return p, nil
}

// offlineNumber checks an offline ticket's number for the kiosk: spelled as
// the server spells it, from the kiosk's own range or with the service's
// prefix when lent. It returns the lent sequence number, 0 for the kiosk's
// range.
func (s *Server) offlineNumber(service string, k Kiosk, o *api.OfflineTicket) (int, error) {
	switch o.Source {
	case api.OfflineKiosk:
		if _, ok := ParseNumber(k.OfflinePrefix, o.Number); !ok {
			return 0, unprocessable("offline number is not one of this kiosk's range, written as %s", FormatNumber(k.OfflinePrefix, 1))
		}
		return 0, nil
	case api.OfflineLent:
		p := s.prefix(service, api.LaneOrdinary)
		seq, ok := ParseNumber(p, o.Number)
		if !ok {
			return 0, unprocessable("lent number is not a number of the service, written as %s", FormatNumber(p, 1))
		}
		return seq, nil
	}
	return 0, malformed("offline.source must be \"lent\" or \"kiosk\"")
}

// placeOffline fills in req for an application with an offline ticket: the
// number as printed, and the time and day it goes by, or the hold. A retry
// of a ticket the server already has keeps the server's own time (the
// store's Issue says so), so its clock is not judged again.
func (s *Server) placeOffline(ctx context.Context, b *branchInfo, k Kiosk, a api.Application, req *IssueRequest, now time.Time) error {
	o := a.Offline
	seq, err := s.offlineNumber(a.Service, k, o)
	if err != nil {
		return err
	}
	req.LentSeq = seq
	req.Record.Offline, req.Record.Number = true, o.Number
	switch _, err := s.store.Get(ctx, a.ID); {
	case err == nil:
		return nil
	case !errors.Is(err, ErrNotFound):
		return err
	}
	emptyAt, err := s.store.EmptyOutbox(ctx, k.ID)
	if err != nil {
		return err
	}
	p, err := place(o, now, b, emptyAt)
	if err != nil {
		return err
	}
	req.Record.IssuedAt, req.Record.Day = p.at, p.day
	if p.hold != "" {
		req.Hold = &Hold{Reason: p.hold, Claimed: o.IssuedAt, Clock: o.Clock, At: now}
		s.log.LogAttrs(ctx, slog.LevelWarn, "offline ticket held", slog.String("kiosk", k.ID), slog.String("number", o.Number),
			slog.String("reason", string(p.hold)))
	}
	return nil
}

// noteContact records what a heartbeat proves about the kiosk's outbox: one
// that reports it empty and carries the kiosk's clock shows that every
// offline ticket printed before its At was delivered. Its At is placed on
// the server's clock by its own offset, less the uncertainty, and never
// later than its arrival. A heartbeat without a clock proves nothing: its
// At is on a clock that may have been set since. Rejected and quarantined
// entries count as not delivered: the kiosk retries some refusals (a token
// not yet enrolled) and a quarantined row opens again when its key is put
// back, and either may then arrive with an earlier time.
func (s *Server) noteContact(ctx context.Context, kiosk string, hb api.Heartbeat, now time.Time) error {
	c := hb.Clock
	if hb.OutboxDepth != 0 || hb.OutboxRejected != 0 || hb.OutboxQuarantined != 0 || c == nil || c.UncertaintyMs < 0 || c.UncertaintyMs > maxUncertainty.Milliseconds() ||
		c.OffsetMs < -maxOffset.Milliseconds() || c.OffsetMs > maxOffset.Milliseconds() {
		return nil
	}
	at := hb.At.Add(time.Duration(c.OffsetMs-c.UncertaintyMs) * time.Millisecond)
	if at.Before(earliest()) {
		return nil
	}
	return s.store.NoteEmptyOutbox(ctx, kiosk, earlier(at, now))
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
