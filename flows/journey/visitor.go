package journey

import "time"

// Keys of the booking check-in's own words, in the catalogs' table
// [screen.booking_check].
const keyNotFoundPassport = "screen.booking_check.not_found_passport"

// askFirst says whether Cancel must ask before it wipes: once the passport
// has been read there is something of the visitor's to lose.
func (j *Journey) askFirst() bool {
	return j.v.doc != nil && !j.v.askCancel
}

// asking handles an input while "cancel and delete your data?" covers the
// page, and says whether it took it: Cancel wipes, KeepVisit and Back
// close the question, and the page's own buttons under it wait.
func (j *Journey) asking(in Input, now time.Time) (eff []Effect, took bool) {
	if !j.v.askCancel {
		return nil, false
	}
	switch in.(type) {
	case Cancel:
		return j.wipe(now), true
	case KeepVisit, Back:
		j.v.askCancel = false
		return nil, true
	case ChooseLanguage, Touch, StillHere:
		return nil, false
	}
	return nil, true
}

// ticketDone says whether the ticket page has stayed its time since the
// ticket printed and the visitor last touched it: then it goes to goodbye
// by itself. A ticket that did not print stays until a tap, since the
// screen is then the visitor's only record of the number.
func (j *Journey) ticketDone(now time.Time) bool {
	if j.v.printedAt.IsZero() || j.v.printFailed {
		return false
	}
	return now.Sub(later(j.v.printedAt, j.lastInput)) >= j.opt.Flow.TicketTimeout.D()
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// walkIn turns a booked visit whose booking was not found into an
// ordinary one: the visitor takes a walk-in ticket instead.
func (j *Journey) walkIn(now time.Time) {
	if j.state != BookingProblem {
		return
	}
	j.v.booking, j.v.booked, j.v.bookingCode, j.v.slot = false, false, "", time.Time{}
	j.v.problem, j.v.trouble = "", NoBookingTrouble
	j.enter(Applicant, now)
}
