package kiosk

import (
	"context"
	"errors"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/precheck"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// effectTimeout bounds a print or a booking look-up; the uplink bounds its
// own submit wait.
const effectTimeout = 30 * time.Second

// effect carries out one of the journey's effects. It runs on the event
// loop and must not block: the work goes to a goroutine whose answer comes
// back through post.
func (k *Kiosk) effect(e journey.Effect) {
	switch e := e.(type) {
	case journey.Submit:
		a := k.application(e.Application)
		k.visit.appID = a.ID
		booking := k.visit.booking
		go k.submit(a, booking)
	case journey.Print:
		// appID is the ticket's id by now (see submit): the QR and the
		// print report must name the ticket the backend queues, which for
		// a booked visit is the check-in's, not the application's.
		t := e.Ticket.Printable(k.opts.Catalog)
		t.Status = k.visit.appID
		go k.print(t, k.visit.appID)
	case journey.LookupBooking:
		ci := api.CheckIn{ID: api.NewID(), KioskID: k.opts.Config.Kiosk.ID, BranchID: k.opts.Config.Kiosk.Branch,
			BookingCode: e.Code}
		if e.Code == "" {
			ci.DocumentNumber = e.DocumentNumber
		}
		go k.checkIn(ci)
	case journey.Wiped:
		k.b.Wipe()
		k.visit = visit{}
	}
}

func (k *Kiosk) submit(a api.Application, booking *api.Ticket) {
	r, err := k.opts.Uplink.Submit(k.ctx, a)
	if err != nil {
		k.log.Error("application not taken", "app", api.MaskID(a.ID), "err", err)
		k.post(journey.SubmitFailed{})
		return
	}
	// Online, the backend answers a booked visit's application with the
	// check-in's ticket itself.
	t := r.Ticket
	if r.Offline && booking != nil {
		// Offline, the uplink made a number of the kiosk's own, but the
		// backend already queues the check-in's number for the slot and
		// keeps it when the outbox delivers the application: printing the
		// offline one would hand out a number nobody calls.
		t = *booking
	}
	k.log.Info("submitted", "app", api.MaskID(a.ID), "ticket", api.MaskID(t.ApplicationID), "offline", r.Offline, "number", t.Number)
	k.app.Do(func() {
		if k.visit.appID == a.ID {
			// Only for this visit: an answer that comes after a reset must
			// not name the next visitor's ticket.
			k.visit.appID = t.ApplicationID
		}
		k.handle(journey.Submitted{Number: t.Number, PeopleAhead: t.PeopleAhead,
			WaitMinutes: (t.EstimatedWaitSeconds + 59) / 60, Offline: r.Offline})
		k.events(api.Event{Kind: api.EventSubmitted, ApplicationID: t.ApplicationID})
	})
}

func (k *Kiosk) print(t printer.Ticket, appID string) {
	in := journey.Printed{}
	ev := api.Event{Kind: api.EventPrinted, ApplicationID: appID}
	if k.opts.Printer == nil {
		in.Failed, ev.Kind, ev.Reason = true, api.EventPrintFailed, "no-printer"
	} else {
		ctx, cancel := context.WithTimeout(k.ctx, effectTimeout)
		err := k.opts.Printer.PrintTicket(ctx, &t)
		cancel()
		if err != nil {
			in.Failed, ev.Kind, ev.Reason = true, api.EventPrintFailed, printFailure(err)
			in.OutOfPaper = errors.Is(err, printer.ErrPaperOut)
			k.log.Warn("ticket not printed", "app", api.MaskID(appID), "reason", ev.Reason, "err", err)
		}
	}
	k.post(in)
	// The backend holds back a number that never reached paper, so the
	// clerk does not call it into an empty hall.
	k.events(ev)
}

// printFailure is the short reason code the backend records.
func printFailure(err error) string {
	switch {
	case errors.Is(err, printer.ErrPaperOut):
		return "no-paper"
	case errors.Is(err, printer.ErrCoverOpen):
		return "cover-open"
	case errors.Is(err, printer.ErrCutter):
		return "cutter"
	case errors.Is(err, printer.ErrOffline):
		return "offline"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	return "error"
}

func (k *Kiosk) checkIn(ci api.CheckIn) {
	ctx, cancel := context.WithTimeout(k.ctx, effectTimeout)
	t, err := k.opts.Uplink.CheckIn(ctx, ci)
	cancel()
	if err != nil {
		// Only the backend's own "no such booking" says there is none;
		// an unreachable or failing backend leaves the booking unchecked,
		// and the visitor is told it is kept.
		nobody := errors.Is(err, uplink.ErrNoBooking)
		k.log.Info("booking not checked in", "found", false, "unchecked", !nobody, "err", err)
		k.post(journey.BookingFound{Unchecked: !nobody})
		return
	}
	found := journey.BookingFound{Found: true}
	if t.SlotAt != nil {
		s := t.SlotAt.In(k.loc)
		found.Day = config.Day{Year: s.Year(), Month: s.Month(), Day: s.Day()}
		found.Slot = s
	}
	k.app.Do(func() {
		k.visit.booking = &t
		k.handle(found)
	})
}

// application turns the journey's application into the protocol's. The
// id is the idempotency key: made once, carried by every retry.
func (k *Kiosk) application(a journey.Application) api.Application {
	cfg := k.opts.Config
	out := api.Application{
		ID: api.NewID(), KioskID: cfg.Kiosk.ID, BranchID: cfg.Kiosk.Branch, Service: "iin",
		Lane: api.LaneOrdinary, Language: string(a.Lang), Phone: a.Phone.E164, CreatedAt: a.At,
		Precheck: api.Precheck{Decision: decision(a.Precheck.Decision), TranslationRequired: a.Precheck.TranslationRequired},
	}
	if src := a.Precheck.TranslationSource; src != precheck.SourceNone {
		out.Precheck.TranslationSource = src.String()
	}
	for _, it := range a.Precheck.Items {
		out.Precheck.Checklist = append(out.Precheck.Checklist, it.Text.Key)
	}
	if d := a.Document; d != nil {
		out.Applicant = api.Applicant{DocumentCode: d.DocumentCode, DocumentNumber: d.DocumentNumber,
			IssuingState: d.IssuingState, Nationality: d.Nationality,
			Latin:     api.Name{Surname: d.Surname, GivenNames: d.GivenNames},
			BirthDate: d.BirthDate.String(), ExpiryDate: d.ExpiryDate.String(), Sex: d.Sex.String(), MRZValid: d.Valid}
		if r := d.Russian; r != nil {
			out.Applicant.Latin = api.Name{Surname: r.LatinSurname, GivenNames: r.LatinGivenNames}
			out.Applicant.Cyrillic = &api.Name{Surname: d.Surname, GivenNames: d.GivenNames}
		}
	}
	if a.Priority {
		// The branch's policy (flow.priority_age) on the passport's birth
		// date; the journey decided it, so the ticket says the same.
		out.Lane = api.LanePriority
	}
	if b := k.visit.booking; a.Booked && b != nil {
		// The application joins the check-in's ticket instead of taking a
		// number: the backend wants the booked lane with the check-in's id,
		// and refuses either without the other.
		out.Lane, out.CheckInID = api.LaneBooked, b.ApplicationID
	}
	return out
}

func decision(d precheck.Decision) api.Decision {
	switch d {
	case precheck.OK:
		return api.DecisionOK
	case precheck.NeedsDocuments:
		return api.DecisionNeedsDocuments
	case precheck.CannotApply:
		return api.DecisionCannotApply
	}
	return api.DecisionRescan
}
