package journey

import (
	"errors"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/precheck"
	"github.com/hcsc-kz/kiosk/flows/validate"
	"github.com/hcsc-kz/kiosk/flows/workday"
)

// Message keys of what the journey itself says.
const (
	keyScannerDown = "device.scanner_unavailable"
	keyNoPaper     = "device.printer_no_paper"
	keyOffline     = "device.backend_offline"
	keySeeClerk    = "precheck.item.see_clerk"
	keyCodeHint    = "screen.booking.code_hint"
	keyNotFound    = "screen.booking.not_found"
	keyOtherDay    = "screen.booking.other_day"
	keyRescan      = "precheck.item.rescan"
	keyFrenchID    = "precheck.item.french_id_card"
	keyLicence     = "precheck.item.driving_licence"
)

// Keys lists the message keys the journey puts in a View, so a test can
// check each exists in every language.
func Keys() []string {
	return []string{keyScannerDown, keyNoPaper, keyOffline, keySeeClerk, keyCodeHint, keyNotFound, keyOtherDay, keyRescan, keyFrenchID, keyLicence,
		keyNotFoundPassport, keyUncheckedCode, keyUncheckedPassport}
}

// State returns the current state.
func (j *Journey) State() State { return j.state }

// Handle applies one input and returns the work it asks for. An input that
// makes no sense in the current state (a scan while typing a phone number,
// a second tap on a button already gone) is ignored.
func (j *Journey) Handle(in Input) []Effect {
	now := j.opt.Clock()
	switch in := in.(type) {
	case Tick:
		return j.tick(now)
	case ScannerStatus:
		j.scannerStatus(in.Available, now)
		return nil
	case Printed:
		if in.OutOfPaper || in.Failed {
			j.v.printFailed = true
		}
		if j.v.ticket != nil {
			j.v.printedAt = now
		}
		return nil
	case Submitted:
		if j.state != Submitting {
			return nil
		}
		return j.submitted(in, now)
	case SubmitFailed:
		if j.state == Submitting {
			j.v.result = precheck.Result{Decision: precheck.SeeClerk, Items: []precheck.Item{
				{Kind: precheck.Action, Text: i18n.M(keySeeClerk)},
			}}
			j.enter(Result, now)
		}
		return nil
	case BookingFound:
		if j.state != BookingLookup {
			return nil
		}
		j.bookingFound(in, now)
		return nil
	}

	// Everything else is the visitor, who is evidently there.
	j.lastInput = now
	if j.state == StillThere {
		j.state = j.prev
		switch in.(type) {
		case StillHere, Touch:
			return nil
		}
	}
	if eff, took := j.asking(in, now); took {
		return eff
	}
	switch in := in.(type) {
	case Back:
		j.back(now)
	case Cancel:
		return j.cancel(now)
	case Touch:
		if j.state == Goodbye {
			return j.wipe(now)
		}
	case Done:
		return j.done(now)
	case ChooseLanguage:
		// The switch is on every screen: elsewhere it changes the words,
		// not the step.
		if j.offered(in.Lang) {
			j.v.lang = in.Lang
			if j.state == Language {
				j.enter(Service, now)
			}
		}
	case ChooseService:
		j.chooseService(in.Booking, now)
	case ChooseApplicant:
		j.chooseApplicant(in.Representative, now)
	case Scanned:
		return j.scanned(in, now)
	case ConfirmData:
		if j.state == Confirm {
			if j.v.result.Ask == precheck.AskNonLatin && j.v.nonLatin == precheck.Unanswered {
				j.enter(ScriptQuestion, now)
			} else {
				j.enter(Result, now)
			}
		}
	case RejectData:
		if j.state == Confirm {
			j.dropDocument()
			j.enterScan(now)
		}
	case AnswerScript:
		if j.state == ScriptQuestion {
			j.v.nonLatin = precheck.No
			if in.OtherScriptOnly {
				j.v.nonLatin = precheck.Yes
			}
			j.v.result = j.check(j.v.doc, now)
			j.enter(Result, now)
		}
	case Continue:
		j.continueFromResult(now)
	case EnterPhone:
		if j.state == Phone {
			p, err := validate.ParsePhone(in.Text)
			if err != nil {
				j.refuse(err)
				return nil
			}
			j.v.phone = p
			return j.submit(now)
		}
	case SkipPhone:
		if j.state == Phone {
			j.v.phone = validate.Phone{}
			return j.submit(now)
		}
	case EnterBookingCode:
		return j.bookingCode(in.Code, now)
	case ScanForBooking:
		if j.state == BookingCode {
			j.enterScanFor(BookingScan, now)
		}
	case WalkIn:
		j.walkIn(now)
	}
	return nil
}

// enter moves to s and clears the last refusal and the cancel question.
func (j *Journey) enter(s State, now time.Time) {
	j.state, j.since = s, now
	j.v.errKey, j.v.errArgs = "", nil
	j.v.askCancel = false
}

func (j *Journey) reset(now time.Time) {
	j.v = visit{lang: j.opt.Languages[0]}
	j.state, j.prev, j.since, j.lastInput = Language, Language, now, now
}

// wipe forgets the visitor and tells the runner to do the same.
func (j *Journey) wipe(now time.Time) []Effect {
	j.reset(now)
	return []Effect{Wiped{}}
}

func (j *Journey) offered(l i18n.Lang) bool {
	for _, o := range j.opt.Languages {
		if o == l {
			return true
		}
	}
	return false
}

// tick fires the timeouts: the goodbye screen's, the prompt's countdown,
// and the idle timeout that raises the prompt. At rest, and while waiting
// on the backend, nothing times out.
func (j *Journey) tick(now time.Time) []Effect {
	f := j.opt.Flow
	switch j.state {
	case Language, Submitting, BookingLookup:
		return nil
	case Goodbye:
		if now.Sub(j.since) >= f.GoodbyeTimeout.D() {
			return j.wipe(now)
		}
		return nil
	case Ticket:
		if j.ticketDone(now) {
			j.enter(Goodbye, now)
			return nil
		}
	case StillThere:
		if now.Sub(j.since) >= f.StillThereCountdown.D() {
			return j.wipe(now)
		}
		return nil
	}
	last := j.lastInput
	if j.since.After(last) {
		last = j.since
	}
	if now.Sub(last) >= f.IdleTimeout.D() {
		j.prev = j.state
		j.state, j.since = StillThere, now
	}
	return nil
}

// setUnder changes the state, or the state under the prompt.
func (j *Journey) setUnder(s State, now time.Time) {
	if j.state == StillThere {
		j.prev = s
		return
	}
	j.enter(s, now)
}

func (j *Journey) under() State {
	if j.state == StillThere {
		return j.prev
	}
	return j.state
}

func (j *Journey) scannerStatus(up bool, now time.Time) {
	j.scannerUp = up
	switch s := j.under(); {
	case !up && (s == Scan || s == BookingScan):
		j.setUnder(ScannerDown, now)
	case up && s == ScannerDown:
		if j.v.booking && !j.v.booked {
			j.setUnder(BookingScan, now)
		} else {
			j.setUnder(Scan, now)
		}
	}
}

func (j *Journey) enterScan(now time.Time) { j.enterScanFor(Scan, now) }

func (j *Journey) enterScanFor(s State, now time.Time) {
	if !j.scannerUp {
		s = ScannerDown
	}
	j.enter(s, now)
}

func (j *Journey) chooseService(booking bool, now time.Time) {
	if j.state != Service {
		return
	}
	if booking {
		if !j.opt.Flow.BookingEnabled {
			return
		}
		j.v.booking = true
		j.enter(BookingCode, now)
		return
	}
	j.v.booking = false
	j.enter(Applicant, now)
}

func (j *Journey) chooseApplicant(rep bool, now time.Time) {
	if j.state != Applicant {
		return
	}
	if rep && !j.opt.Flow.RepresentativeAllowed {
		j.enter(RepresentativeOff, now)
		return
	}
	j.v.applicant = precheck.Self
	if rep {
		j.v.applicant = precheck.Representative
	}
	if j.v.doc != nil { // found the booking by this passport: no second scan
		j.v.result = j.check(j.v.doc, now)
		j.afterCheck(now)
		return
	}
	j.enterScan(now)
}

func (j *Journey) scanned(in Scanned, now time.Time) []Effect {
	switch j.state {
	case Scan:
	case Result:
		if d := j.v.result.Decision; d != precheck.Rescan && d != precheck.CannotApply {
			return nil
		}
	case BookingScan:
		if in.Doc == nil || !in.Doc.Valid || !in.Doc.Format.IsPassport() {
			j.v.errKey, j.v.errArgs = keyRescan, nil
			switch in.NotICAO {
			case mrz.FrenchIDCard:
				j.v.errKey = keyFrenchID
			case mrz.DrivingLicence:
				j.v.errKey = keyLicence
			}
			return nil
		}
		j.v.doc, j.v.viz = in.Doc, in.VIZ
		j.enter(BookingLookup, now)
		return []Effect{LookupBooking{DocumentNumber: in.Doc.DocumentNumber, Nationality: in.Doc.Nationality}}
	default:
		return nil // a passport left on the glass
	}
	j.v.viz = in.VIZ
	j.v.result = j.checkScan(in.Doc, in.NotICAO, now)
	j.v.doc = in.Doc
	j.afterCheck(now)
	return nil
}

// afterCheck goes where the precheck result leads: Confirm when the
// visitor can apply, else straight to the result that says why not. A
// failed or refused scan's data are not kept.
func (j *Journey) afterCheck(now time.Time) {
	switch j.v.result.Decision {
	case precheck.OK, precheck.NeedsDocuments:
		j.enter(Confirm, now)
		return
	case precheck.Rescan, precheck.SeeClerk:
		j.v.failures++
	}
	r := j.v.result
	j.dropDocument()
	j.v.result = r
	j.enter(Result, now)
}

// dropDocument forgets the scanned passport and all that was decided on it.
func (j *Journey) dropDocument() {
	j.v.doc, j.v.viz, j.v.nonLatin, j.v.result = nil, precheck.VIZ{}, precheck.Unanswered, precheck.Result{}
}

func (j *Journey) check(doc *mrz.Document, now time.Time) precheck.Result {
	return j.checkScan(doc, mrz.NotRecognised, now)
}

// checkScan is check for a scan that may be a document recognised as not
// ICAO (doc nil, notICAO set), which the precheck refuses for what it is.
func (j *Journey) checkScan(doc *mrz.Document, notICAO mrz.NonICAO, now time.Time) precheck.Result {
	return j.opt.Checker.Check(precheck.Input{
		Doc:              doc,
		NotICAO:          notICAO,
		PreviousFailures: j.v.failures,
		Applicant:        j.v.applicant,
		VIZ:              j.v.viz,
		NonLatin:         j.v.nonLatin,
		At:               now,
	})
}

func (j *Journey) continueFromResult(now time.Time) {
	if j.state != Result {
		return
	}
	switch j.v.result.Decision {
	case precheck.OK, precheck.NeedsDocuments:
		j.enter(Phone, now)
	case precheck.Rescan:
		j.enterScan(now)
	default:
		j.enter(Goodbye, now)
	}
}

func (j *Journey) refuse(err error) {
	var ve *validate.Error
	if errors.As(err, &ve) {
		j.v.errKey, j.v.errArgs = string(ve.Reason), nil
	}
}

func (j *Journey) submit(now time.Time) []Effect {
	j.enter(Submitting, now)
	j.opt.Checker.Redate(&j.v.result, now)
	return []Effect{Submit{Application: Application{
		Document:    j.v.doc,
		Applicant:   j.v.applicant,
		NonLatin:    j.v.nonLatin,
		Precheck:    j.v.result,
		Phone:       j.v.phone,
		Lang:        j.v.lang,
		BookingCode: j.v.bookingCode,
		Booked:      j.v.booked,
		Priority:    j.priority(now),
		At:          now,
		KioskID:     j.opt.KioskID,
		Branch:      j.opt.Branch,
	}}}
}

func (j *Journey) submitted(in Submitted, now time.Time) []Effect {
	t := &TicketData{
		Number:      in.Number,
		PeopleAhead: in.PeopleAhead,
		WaitMinutes: in.WaitMinutes,
		ReadyDate:   j.v.result.ReadyDate,
		Booked:      j.v.booked,
		Offline:     in.Offline,
		KioskID:     j.opt.KioskID,
		Branch:      j.opt.Branch,
		Issued:      now.In(j.opt.Location),
		Lang:        j.v.lang,
	}
	if in.Offline {
		t.PeopleAhead, t.WaitMinutes = -1, -1
	}
	if j.priority(now) {
		t.Priority, t.PriorityAge = true, j.opt.Flow.PriorityAge
	}
	if o, ok := j.opt.Checker.Opens(now); ok {
		t.Opens = o
	}
	for _, it := range j.v.result.Items {
		if it.Kind == precheck.Bring {
			t.Bring = append(t.Bring, it.Text)
		}
	}
	j.v.ticket = t
	j.enter(Ticket, now)
	return []Effect{Print{Ticket: *t}}
}

func (j *Journey) bookingCode(code string, now time.Time) []Effect {
	if j.state != BookingCode {
		return nil
	}
	code = strings.Join(strings.Fields(code), "")
	n := j.opt.Flow.BookingCodeLength
	ok := len(code) == n
	for i := 0; ok && i < len(code); i++ {
		ok = code[i] >= '0' && code[i] <= '9'
	}
	if !ok {
		j.v.errKey, j.v.errArgs = keyCodeHint, i18n.Args{"Count": n}
		return nil
	}
	j.v.bookingCode = code
	j.enter(BookingLookup, now)
	return []Effect{LookupBooking{Code: code}}
}

func (j *Journey) bookingFound(in BookingFound, now time.Time) {
	today := workday.DayOf(now.In(j.opt.Location))
	switch {
	case in.Unchecked:
		j.bookingUnchecked()
	case !in.Found && j.v.bookingCode == "":
		j.v.trouble, j.v.problem, j.v.problemDay = BookingNotFound, keyNotFoundPassport, config.Day{}
	case !in.Found:
		j.v.trouble, j.v.problem, j.v.problemDay = BookingNotFound, keyNotFound, config.Day{}
	case in.Day != today:
		j.v.trouble, j.v.problem, j.v.problemDay = BookingOtherDay, keyOtherDay, in.Day
	default:
		j.v.booked, j.v.slot = true, in.Slot
		j.enter(Applicant, now)
		return
	}
	j.dropDocument()
	j.v.bookingCode = ""
	j.enter(BookingProblem, now)
}

// back goes one step back where that makes sense; where it does not (at
// rest, while submitting, on the ticket) it does nothing.
func (j *Journey) back(now time.Time) {
	if to, ok := j.backTarget(); ok {
		switch to {
		case Scan:
			j.dropDocument()
			j.enterScan(now)
			return
		case BookingCode:
			j.dropDocument()
			j.v.bookingCode, j.v.booked = "", false
		case Service:
			j.v.booking = false
		case Language:
			// The welcome page is in Kazakh for whoever comes next.
			j.v.lang = j.opt.Languages[0]
		}
		j.enter(to, now)
	}
}

func (j *Journey) backTarget() (State, bool) {
	switch j.state {
	case Service:
		return Language, true
	case Applicant:
		if j.v.booking {
			return BookingCode, true
		}
		return Service, true
	case RepresentativeOff, Scan:
		return Applicant, true
	case ScannerDown:
		if j.v.booking && !j.v.booked {
			return BookingCode, true
		}
		return Applicant, true
	case Confirm:
		return Scan, true
	case ScriptQuestion:
		return Confirm, true
	case Result:
		switch j.v.result.Decision {
		case precheck.OK, precheck.NeedsDocuments:
			if j.v.result.TranslationSource == precheck.SourceVisitor {
				return ScriptQuestion, true
			}
			return Confirm, true
		}
		return Scan, true
	case Phone:
		return Result, true
	case BookingCode:
		return Service, true
	case BookingScan, BookingProblem:
		return BookingCode, true
	}
	return 0, false
}

// cancel wipes the visit, except while the application is being handed
// over: it must not be lost, and the visitor must get the ticket.
func (j *Journey) cancel(now time.Time) []Effect {
	switch j.state {
	case Language, Submitting:
		return nil
	case Ticket:
		j.enter(Goodbye, now)
		return nil
	}
	if j.askFirst() {
		j.v.askCancel = true
		return nil
	}
	return j.wipe(now)
}

func (j *Journey) done(now time.Time) []Effect {
	switch j.state {
	case Ticket, Result, RepresentativeOff, ScannerDown, BookingProblem:
		if j.state == Result && j.v.result.Decision != precheck.CannotApply && j.v.result.Decision != precheck.SeeClerk {
			return nil
		}
		j.enter(Goodbye, now)
	case Goodbye:
		return j.wipe(now)
	}
	return nil
}

// View returns what the screen shows now.
func (j *Journey) View() View {
	v := View{
		State:         j.state,
		Lang:          j.v.lang,
		Languages:     append([]i18n.Lang(nil), j.opt.Languages...),
		Document:      j.v.doc,
		Applicant:     j.v.applicant,
		Booking:       j.v.booking,
		Booked:        j.v.booked,
		BookedSlot:    j.v.slot.In(j.opt.Location),
		ConfirmCancel: j.v.askCancel && j.state != StillThere,

		Representatives: j.opt.Flow.RepresentativeAllowed,
	}
	if j.v.result.Decision != precheck.OK || len(j.v.result.Items) > 0 {
		r := j.v.result
		v.Precheck = &r
	}
	if j.v.errKey != "" {
		v.Error = i18n.Message{Key: j.v.errKey, Args: j.v.errArgs}
	}
	switch {
	case j.under() == ScannerDown:
		v.Notice = i18n.M(keyScannerDown)
	case j.v.ticket != nil && j.v.printFailed:
		v.Notice = i18n.Message{Key: keyNoPaper, Args: i18n.Args{"Number": j.v.ticket.Number}}
	case j.v.ticket != nil && j.v.ticket.Offline:
		v.Notice = i18n.M(keyOffline)
	}
	if j.v.problem != "" {
		v.Problem, v.Trouble = i18n.M(j.v.problem), j.v.trouble
		if j.v.problemDay != (config.Day{}) {
			v.Problem.Args = i18n.Args{"Date": j.v.problemDay}
		}
	}
	if j.v.ticket != nil {
		t := *j.v.ticket
		t.Bring = append([]i18n.Message(nil), t.Bring...)
		v.Ticket = &t
	}
	if j.state == StillThere {
		v.Countdown = j.opt.Flow.StillThereCountdown.D() - j.opt.Clock().Sub(j.since)
		if v.Countdown < 0 {
			v.Countdown = 0
		}
	}
	_, v.CanBack = j.backTarget()
	switch j.state {
	case Language, Submitting, Goodbye, StillThere:
	default:
		v.CanCancel = true
	}
	return v
}
