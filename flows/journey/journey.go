package journey

import (
	"errors"
	"fmt"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/precheck"
	"github.com/hcsc-kz/kiosk/flows/validate"
)

// State is the screen the visitor is on.
type State uint8

// The states. The main path runs Language → Service → Applicant → Scan →
// Confirm → (ScriptQuestion) → Result → Phone → Submitting → Ticket →
// Goodbye; a booked visit goes Service → BookingCode (or BookingScan) →
// BookingLookup → Applicant and joins it.
const (
	Language          State = iota // choose a language; the kiosk at rest
	Service                        // IIN for a foreign citizen, or a booked visit
	Applicant                      // in person, or a representative
	RepresentativeOff              // "someone else" while representatives are off: the IIN is applied for in person
	Scan                           // place the passport on the scanner
	ScannerDown                    // the scanner is unavailable: go to the information desk
	Confirm                        // check the data read
	ScriptQuestion                 // is the place of birth written in Latin or Cyrillic letters?
	Result                         // the precheck's checklist, or why not
	Phone                          // optional phone number for the SMS
	Submitting                     // the application is being handed to the backend
	Ticket                         // the ticket, printed or on screen
	Goodbye                        // thank you; the kiosk resets shortly
	BookingCode                    // type the booking code
	BookingScan                    // scan the passport to find the booking
	BookingLookup                  // the booking is being looked up
	BookingProblem                 // no booking found, or it is for another day
	StillThere                     // "are you still there?" over any screen
)

// String returns the state's name, for logs and tests.
func (s State) String() string {
	switch s {
	case Language:
		return "language"
	case Service:
		return "service"
	case Applicant:
		return "applicant"
	case RepresentativeOff:
		return "representative-off"
	case Scan:
		return "scan"
	case ScannerDown:
		return "scanner-down"
	case Confirm:
		return "confirm"
	case ScriptQuestion:
		return "script-question"
	case Result:
		return "result"
	case Phone:
		return "phone"
	case Submitting:
		return "submitting"
	case Ticket:
		return "ticket"
	case Goodbye:
		return "goodbye"
	case BookingCode:
		return "booking-code"
	case BookingScan:
		return "booking-scan"
	case BookingLookup:
		return "booking-lookup"
	case BookingProblem:
		return "booking-problem"
	case StillThere:
		return "still-there"
	}
	return fmt.Sprintf("State(%d)", s)
}

// Input is something that happened: a tap turned into meaning by the UI, a
// device's report, the backend's answer, or the clock's tick.
type Input interface{ input() }

// The visitor's inputs.
type (
	// ChooseLanguage picks the language: on the Language screen it starts
	// the visit, on any other it only changes the words shown.
	ChooseLanguage struct{ Lang i18n.Lang }
	// ChooseService picks the IIN service, or the booked visit's check-in.
	ChooseService struct{ Booking bool }
	// ChooseApplicant says who applies.
	ChooseApplicant struct{ Representative bool }
	// ConfirmData accepts the data read; RejectData says they are wrong and
	// asks for another scan.
	ConfirmData struct{}
	RejectData  struct{}
	// AnswerScript answers the place-of-birth question: OtherScriptOnly when
	// the data page gives it only in letters other than Latin and Cyrillic
	// (a translation is needed), false when it is in Latin or Cyrillic
	// letters too.
	AnswerScript struct{ OtherScriptOnly bool }
	// Continue is the result screen's main button: on to the phone number
	// when the visitor can apply, or scan again after a failed scan.
	Continue struct{}
	// EnterPhone submits the typed phone number; SkipPhone goes without.
	EnterPhone struct{ Text string }
	SkipPhone  struct{}
	// EnterBookingCode submits the typed booking code; ScanForBooking
	// switches to finding the booking by the passport.
	EnterBookingCode struct{ Code string }
	ScanForBooking   struct{}
	// Done ends the visit from the ticket or a refusal: goodbye.
	Done struct{}
	// Back goes one step back; Cancel wipes the visit and starts over,
	// after asking once when the visitor's passport has been read.
	// KeepVisit answers that question with no.
	Back      struct{}
	Cancel    struct{}
	KeepVisit struct{}
	// WalkIn takes an ordinary ticket after the booking was not found.
	WalkIn struct{}
	// StillHere answers "are you still there?".
	StillHere struct{}
	// Touch is any other tap: it only shows the visitor is there.
	Touch struct{}
)

// The world's inputs.
type (
	// Scanned is a document read by the scanner; Doc is nil when nothing
	// parsed. VIZ is the visual zone, when the scanner reads it. NotICAO
	// names the document when Doc is nil because its MRZ is not an ICAO
	// one (mrz.ErrNotICAO): a French ID card or a driving licence.
	Scanned struct {
		Doc     *mrz.Document
		VIZ     precheck.VIZ
		NotICAO mrz.NonICAO
	}
	// ScannerStatus reports the scanner going away or coming back.
	ScannerStatus struct{ Available bool }
	// Submitted is the backend's answer to Submit, or the outbox's when the
	// backend is offline (Offline set, PeopleAhead and WaitMinutes unknown
	// and -1).
	Submitted struct {
		Number      string
		PeopleAhead int
		WaitMinutes int
		Offline     bool
	}
	// SubmitFailed says the application could not be taken at all, not
	// even into the kiosk's outbox (a disk failure, or the backend refused
	// it as malformed): the visitor is sent to the information desk.
	SubmitFailed struct{}
	// Printed reports the ticket's printing; OutOfPaper and Failed mean the
	// visitor must remember the number on the screen.
	Printed struct {
		OutOfPaper bool
		Failed     bool
	}
	// BookingFound answers LookupBooking. Found false: no such booking;
	// Day is the booking's day, Slot its time (zero when the backend did
	// not say), shown to the visitor to confirm the booking. Unchecked:
	// the backend could not be asked (offline, a server error, no answer
	// in time), which says nothing about the booking.
	BookingFound struct {
		Found     bool
		Unchecked bool
		Day       config.Day
		Slot      time.Time
	}
	// Tick is the clock moving on: it lets the idle timeouts fire.
	Tick struct{}
)

func (ChooseLanguage) input()   {}
func (ChooseService) input()    {}
func (ChooseApplicant) input()  {}
func (ConfirmData) input()      {}
func (RejectData) input()       {}
func (AnswerScript) input()     {}
func (Continue) input()         {}
func (EnterPhone) input()       {}
func (SkipPhone) input()        {}
func (EnterBookingCode) input() {}
func (ScanForBooking) input()   {}
func (Done) input()             {}
func (Back) input()             {}
func (Cancel) input()           {}
func (KeepVisit) input()        {}
func (WalkIn) input()           {}
func (StillHere) input()        {}
func (Touch) input()            {}
func (Scanned) input()          {}
func (ScannerStatus) input()    {}
func (Submitted) input()        {}
func (Printed) input()          {}
func (SubmitFailed) input()     {}
func (BookingFound) input()     {}
func (Tick) input()             {}

// Effect is work the journey asks its runner to do; the answer comes back
// as an Input (Submit → Submitted, Print → Printed, LookupBooking →
// BookingFound).
type Effect interface{ effect() }

// Submit hands the application to the backend (or its outbox).
type Submit struct{ Application Application }

// Print prints the ticket.
type Print struct{ Ticket TicketData }

// LookupBooking asks the backend for a booking by code, or by the passport
// when Code is empty.
type LookupBooking struct {
	Code           string
	DocumentNumber string
	Nationality    string
}

// Wiped tells the runner the visitor's data are gone, so it can drop its
// own copies (the screen's fields, the last scan).
type Wiped struct{}

func (Submit) effect()        {}
func (Print) effect()         {}
func (LookupBooking) effect() {}
func (Wiped) effect()         {}

// Application is what the clerk receives: the prechecked application.
type Application struct {
	Document  *mrz.Document
	Applicant precheck.Applicant
	// NonLatin is the visitor's answer to the place-of-birth question, if
	// asked.
	NonLatin precheck.Answer
	Precheck precheck.Result
	// Phone is the SMS number; zero when the visitor skipped it.
	Phone validate.Phone
	Lang  i18n.Lang
	// BookingCode is set for a booked visit checked in by code; Booked for
	// any booked visit.
	BookingCode string
	Booked      bool
	// Priority puts a walk-in in the priority lane: the branch's policy
	// (flow.priority_age) on the passport's birth date.
	Priority bool
	At       time.Time
	KioskID  string
	Branch   string
}

// TicketData is what the ticket says, before it is put into words.
type TicketData struct {
	Number      string
	PeopleAhead int // -1 when unknown
	WaitMinutes int // -1 when unknown
	ReadyDate   config.Day
	// Bring is the precheck's list of documents to bring.
	Bring   []i18n.Message
	Booked  bool
	Offline bool
	KioskID string
	Branch  string
	Issued  time.Time
	Lang    i18n.Lang
	// Priority says the visitor waits in the priority lane; PriorityAge is
	// the age the branch's policy gives it from.
	Priority    bool
	PriorityAge int
	// Opens is when the centre opens, in the branch's zone, for a ticket
	// taken while it is closed; zero while open. The ticket says it instead
	// of the wait.
	Opens time.Time
}

// Options configure a Journey.
type Options struct {
	Flow config.Flow
	// Languages are those offered, Kazakh first; the first is the default.
	Languages []i18n.Lang
	KioskID   string
	Branch    string
	// Checker runs the precheck with the branch's settings.
	Checker *precheck.Checker
	// Clock gives the time; tests pass a fake one.
	Clock func() time.Time
	// Location is the branch's zone, for the ticket's issue time.
	Location *time.Location
}

// ErrOptions is wrapped by New's errors.
var ErrOptions = errors.New("journey: options")

// Journey is one kiosk's visitor journey. It is not safe for concurrent
// use: the UI's event loop owns it and feeds it every input in order.
type Journey struct {
	opt   Options
	state State
	// prev is the state under the "are you still there?" prompt.
	prev State
	// since is when the current state was entered; lastInput the last
	// visitor or device input that shows someone is there.
	since, lastInput time.Time
	scannerUp        bool
	v                visit
}

// visit is everything about the current visitor; a reset zeroes it.
type visit struct {
	lang        i18n.Lang
	booking     bool // came in through the booked-visit way
	bookingCode string
	booked      bool // the booking was found
	applicant   precheck.Applicant
	doc         *mrz.Document
	viz         precheck.VIZ
	failures    int
	nonLatin    precheck.Answer
	result      precheck.Result
	phone       validate.Phone
	errKey      string
	errArgs     i18n.Args
	problem     string
	problemDay  config.Day
	trouble     BookingTrouble
	ticket      *TicketData
	printFailed bool
	// printedAt is when the ticket's printing ended; the ticket page's
	// timeout runs from it.
	printedAt time.Time
	// askCancel: Cancel was pressed with the passport read; the next
	// Cancel wipes, KeepVisit goes on.
	askCancel bool
	// slot is the found booking's time, zero when unknown.
	slot time.Time
}

// New returns a journey at rest on the Language screen.
func New(opt Options) (*Journey, error) {
	switch {
	case opt.Checker == nil:
		return nil, fmt.Errorf("%w: no precheck.Checker", ErrOptions)
	case opt.Clock == nil:
		return nil, fmt.Errorf("%w: no Clock; pass time.Now", ErrOptions)
	case len(opt.Languages) == 0:
		return nil, fmt.Errorf("%w: no languages; offer at least Kazakh", ErrOptions)
	case opt.Flow.IdleTimeout <= 0 || opt.Flow.StillThereCountdown <= 0 || opt.Flow.GoodbyeTimeout <= 0:
		return nil, fmt.Errorf("%w: flow.idle_timeout, still_there_countdown and goodbye_timeout must be positive", ErrOptions)
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	opt.Languages = append([]i18n.Lang(nil), opt.Languages...)
	j := &Journey{opt: opt, scannerUp: true}
	j.reset(opt.Clock())
	return j, nil
}

// View is what the screen shows: a copy, safe to keep.
type View struct {
	State State
	Lang  i18n.Lang
	// Languages are the languages offered on the Language screen.
	Languages []i18n.Lang
	// Document is the passport read, for the Confirm screen; nil before a
	// scan and after a reset.
	Document  *mrz.Document
	Applicant precheck.Applicant
	// Booking is true on the booked-visit way in.
	Booking bool
	// Precheck is the result once the passport has been checked.
	Precheck *precheck.Result
	// Error is why the last typed input was refused (a phone number, a
	// booking code); empty when none.
	Error i18n.Message
	// Notice is a device or backend message to show (scanner down, no paper,
	// offline).
	Notice i18n.Message
	// Problem is the booking problem on the BookingProblem screen, and
	// Trouble which problem it is.
	Problem i18n.Message
	Trouble BookingTrouble
	Ticket  *TicketData
	// Countdown is the time left on the "are you still there?" prompt.
	Countdown time.Duration
	// CanBack and CanCancel say which of the two buttons to show.
	CanBack, CanCancel bool
	// ConfirmCancel asks "cancel and delete your data?" over the page:
	// Cancel again says yes, KeepVisit no.
	ConfirmCancel bool
	// Booked is true once the booking is found, BookedSlot its time (zero
	// when unknown), for the screen to confirm it.
	Booked     bool
	BookedSlot time.Time
	// Representatives is flow.representative_allowed: whether someone
	// else may apply for the visitor, for the screen to word that choice.
	Representatives bool
}
