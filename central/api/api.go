package api

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Version is the protocol version, the first segment of every path.
const Version = "v1"

// MaxBodyBytes is the largest request body the server reads. An application
// is about 1 KiB; anything near this limit is a fault or an attack.
const MaxBodyBytes = 64 << 10

// Lane is the queue lane a ticket waits in.
type Lane string

// The lanes. Priority (people with disabilities, people over 65) is called
// before ordinary at the branch's ratio; booked visits are called at their
// slot, before both.
const (
	LaneOrdinary Lane = "ordinary"
	LanePriority Lane = "priority"
	LaneBooked   Lane = "booked"
)

// Decision is the kiosk's precheck outcome, as the clerk sees it.
type Decision string

// The precheck decisions.
const (
	DecisionOK             Decision = "ok"
	DecisionNeedsDocuments Decision = "needs-documents"
	DecisionCannotApply    Decision = "cannot-apply"
	DecisionRescan         Decision = "rescan"
)

// State is where a ticket is in the hall.
type State string

// The ticket states. NotPrinted is a ticket whose paper never came out of
// the kiosk: it is held back from call-next so nobody is called into an
// empty hall, and shown to the clerk as such.
const (
	StateWaiting    State = "waiting"
	StateCalled     State = "called"
	StateCompleted  State = "completed"
	StateNoShow     State = "no-show"
	StateNotPrinted State = "not-printed"
	// StateHeld is an offline ticket whose time the server could not place
	// in a queue (see OfflineTicket): it is kept for a supervisor and never
	// called on its own.
	StateHeld State = "held"
	// StateParked is a visitor a clerk set aside (to make a photocopy, say)
	// to call back to a window later: not in the queue meanwhile.
	StateParked State = "parked"
)

// Name is a holder's surname and given names in one script.
type Name struct {
	Surname    string `json:"surname"`
	GivenNames string `json:"givenNames"`
}

// Applicant is what the passport scan gave, so the clerk need not retype it.
// It is personal data: never logged, never stored in the clear.
type Applicant struct {
	DocumentCode   string `json:"documentCode"`
	DocumentNumber string `json:"documentNumber"`
	IssuingState   string `json:"issuingState"`
	Nationality    string `json:"nationality"`
	// Latin holds the names in Latin letters: as written in the MRZ, or for
	// the Russian internal passport (whose MRZ codes Cyrillic letters) the
	// ICAO transliteration of its Cyrillic names.
	Latin Name `json:"latin"`
	// Cyrillic holds the names in Cyrillic where the document gives them
	// (the Russian internal passport); nil otherwise.
	Cyrillic *Name `json:"cyrillic,omitempty"`
	// BirthDate and ExpiryDate are "YYYY-MM-DD", or "" when the MRZ has
	// fillers instead of a date.
	BirthDate  string `json:"birthDate"`
	ExpiryDate string `json:"expiryDate"`
	Sex        string `json:"sex"`
	// MRZValid is true when every check digit verified.
	MRZValid bool `json:"mrzValid"`
}

// Precheck is the kiosk's verdict on the documents before the window.
type Precheck struct {
	Decision Decision `json:"decision"`
	// TranslationRequired is set when the passport is neither in Cyrillic
	// nor in Latin letters, so a notarized translation must be handed in.
	TranslationRequired bool `json:"translationRequired"`
	// TranslationSource says what decided TranslationRequired, for the
	// clerk: "viz" (the letters read in the passport's visual zone),
	// "policy" (the issuing state's entry in the branch's policy) or
	// "visitor" (the visitor's answer); "" when undecided or not sent.
	TranslationSource string `json:"translationSource,omitempty"`
	// Checklist holds message keys of what the visitor must bring or show.
	Checklist []string `json:"checklist"`
}

// Application is one visitor's application for an IIN as the kiosk submits it.
type Application struct {
	// ID is a random UUID the kiosk makes before anything is sent, and the
	// idempotency key: every retry carries the same ID and the same body.
	ID       string `json:"id"`
	KioskID  string `json:"kioskId"`
	BranchID string `json:"branchId"`
	// Service is the queue's service, "iin" for the IIN application.
	Service string `json:"service"`
	// Lane is "ordinary" or "priority" for a walk-in. It is "booked" exactly
	// when CheckInID is set, so that a kiosk cannot ask for the booked lane
	// without the check-in that earned it, nor attach to a check-in while
	// believing it queues on its own.
	Lane Lane `json:"lane"`
	// CheckInID is the id of the booked visit's check-in (CheckIn.ID, which
	// is the check-in ticket's ApplicationID); the application then belongs
	// to that ticket and takes no number of its own. The booked number was
	// issued at check-in and is the one called at the slot, so a second
	// number would only be called into an empty hall.
	CheckInID string `json:"checkInId,omitempty"`
	// Language is the visitor's language on the kiosk: "kk", "ru", "en", …
	Language string `json:"language"`
	// Phone is the optional number for the SMS with the ready IIN, E.164.
	Phone     string    `json:"phone,omitempty"`
	Applicant Applicant `json:"applicant"`
	Precheck  Precheck  `json:"precheck"`
	// CreatedAt is when the visitor confirmed, by the kiosk's clock.
	CreatedAt time.Time `json:"createdAt"`
	// Offline is set when the kiosk printed the ticket without the server;
	// the server then keeps that number. With CheckInID it is ignored: the
	// check-in's number stands, as it is already in the server's queue.
	Offline *OfflineTicket `json:"offline,omitempty"`
}

// OfflineSource says where an offline number came from.
type OfflineSource string

// The sources of offline numbers.
const (
	// OfflineLent: a number from a block the server lent the kiosk in
	// advance; it looks like any other number of the branch.
	OfflineLent OfflineSource = "lent"
	// OfflineKiosk: a number from the kiosk's own prefixed range ("KAG001").
	OfflineKiosk OfflineSource = "kiosk"
)

// OfflineTicket is the number a kiosk printed while the backend could not be
// reached.
//
// Number is spelled exactly as the backend spells its own: the prefix (the
// service's for a lent number, the kiosk's offline prefix from Block for
// its own range) and the sequence zero-padded to Block.NumberWidth digits
// ("A005", "K012", "K1000"). Any other spelling is refused (422).
//
// The server places the ticket by IssuedAt moved by Clock.OffsetMs, the
// backend's time of printing: in the queue of the day it was printed when
// it arrives that day, in issue order; otherwise (a past day, the future,
// before the kiosk last reported an empty outbox) it keeps the ticket held
// for a supervisor. A time no working clock gives (before 2020, more than a
// year ahead) is refused (422).
type OfflineTicket struct {
	Number   string        `json:"number"`
	Source   OfflineSource `json:"source"`
	IssuedAt time.Time     `json:"issuedAt"`

	// IssuedAt is by the kiosk's clock; Clock is the kiosk's last known
	// offset from the backend's at IssuedAt, nil when the kiosk had not
	// reached the backend since it started.
	Clock *Clock `json:"clock,omitempty"`
}

// Clock is a kiosk's offset from the backend's clock, measured from the
// Date header of the backend's answers (see kiosk/uplink).
type Clock struct {
	// OffsetMs is the backend's clock minus the kiosk's, in milliseconds:
	// a kiosk time plus OffsetMs is the backend's time.
	OffsetMs int64 `json:"offsetMs"`
	// UncertaintyMs bounds the error of OffsetMs either way: half the
	// round trip, half a second for the Date header's one-second
	// resolution, and the drift since the measurement.
	UncertaintyMs int64 `json:"uncertaintyMs"`
	// MeasuredAt is the backend's time of the answer the offset was last
	// measured from.
	MeasuredAt time.Time `json:"measuredAt"`
}

// Ticket is the queue ticket. It carries no personal data, so it can be
// printed, logged and shown on displays.
type Ticket struct {
	ApplicationID string    `json:"applicationId"`
	Number        string    `json:"number"`
	BranchID      string    `json:"branchId"`
	Service       string    `json:"service"`
	Lane          Lane      `json:"lane"`
	IssuedAt      time.Time `json:"issuedAt"`
	// PeopleAhead is how many were waiting in the branch when it was issued.
	PeopleAhead int `json:"peopleAhead"`
	// EstimatedWaitSeconds is PeopleAhead spread over the branch's windows.
	EstimatedWaitSeconds int  `json:"estimatedWaitSeconds"`
	Offline              bool `json:"offline"`
	// SlotAt is the booked time, for check-in tickets only.
	SlotAt *time.Time `json:"slotAt,omitempty"`
}

// Status is a ticket's progress through the hall.
type Status struct {
	Ticket Ticket `json:"ticket"`
	State  State  `json:"state"`
	// Window is the window that called the ticket, "" before a call.
	Window   string     `json:"window,omitempty"`
	CalledAt *time.Time `json:"calledAt,omitempty"`
	// Printed is nil until the kiosk reports whether the paper came out.
	Printed *bool `json:"printed,omitempty"`
}

// Booking is a visit booked ahead (by the appointment system), registered
// with the backend so a kiosk can check it in.
type Booking struct {
	Code     string    `json:"code"`
	BranchID string    `json:"branchId"`
	Service  string    `json:"service"`
	SlotAt   time.Time `json:"slotAt"`
	// DocumentNumber lets the visitor check in by scanning the passport
	// instead of typing the code. The server keeps only a keyed hash of it.
	DocumentNumber string `json:"documentNumber,omitempty"`
}

// CheckIn asks for the ticket of a booked visit, by code or by the scanned
// document number (exactly one of them).
type CheckIn struct {
	// ID is the kiosk-generated idempotency key, as for applications.
	ID             string `json:"id"`
	KioskID        string `json:"kioskId"`
	BranchID       string `json:"branchId"`
	BookingCode    string `json:"bookingCode,omitempty"`
	DocumentNumber string `json:"documentNumber,omitempty"`
}

// Device is one device's self-test state.
type Device struct {
	Name string `json:"name"`
	// State is "loaded", "skipped" (not fitted) or "failed".
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
}

// Heartbeat is the kiosk's periodic health report.
type Heartbeat struct {
	Version string   `json:"version"`
	Devices []Device `json:"devices"`
	// Paper is "ok", "low", "out" or "unknown".
	Paper string `json:"paper"`
	// OutboxDepth is how many applications wait for delivery; a growing
	// depth is the first sign of a broken link.
	OutboxDepth int `json:"outboxDepth"`
	// OutboxRejected is how many printed tickets' applications the backend
	// refused (4xx); the kiosk keeps them, sealed, for the supervisor.
	OutboxRejected int `json:"outboxRejected"`
	// OutboxQuarantined is how many outbox entries the kiosk could not
	// read (damaged, or sealed under a replaced key) and set aside.
	OutboxQuarantined int       `json:"outboxQuarantined"`
	At                time.Time `json:"at"`
	// Clock is the kiosk's offset from the backend when it sent the
	// heartbeat; nil when it has not measured one since it started. A
	// heartbeat with a Clock, OutboxDepth 0 and nothing rejected or
	// quarantined tells the backend that every offline ticket the kiosk
	// printed before At has been delivered, so the counts must be read
	// after At is taken; OutboxDepth is -1 when the kiosk could not read
	// its outbox (OutboxDepthUnknown).
	Clock *Clock `json:"clock,omitempty"`
	// Update is the state of the kiosk's A/B software slots; nil on a
	// kiosk not running from the image (the demo, a developer's machine).
	Update *UpdateState `json:"update,omitempty"`
}

// OutboxDepthUnknown is Heartbeat.OutboxDepth when the kiosk could not read
// its outbox: unlike 0, it tells the backend nothing.
const OutboxDepthUnknown = -1

// EventKind names a step of a kiosk session.
type EventKind string

// The session events.
const (
	EventSessionStarted EventKind = "session-started"
	EventLanguage       EventKind = "language"
	EventScanOK         EventKind = "scan-ok"
	EventScanFailed     EventKind = "scan-failed"
	EventPrecheck       EventKind = "precheck"
	EventSubmitted      EventKind = "submitted"
	EventPrinted        EventKind = "printed"
	EventPrintFailed    EventKind = "print-failed"
	EventAbandoned      EventKind = "abandoned"
)

// Event is one step of a kiosk session for the center's statistics: a time
// and a kind, never personal data.
type Event struct {
	Kind EventKind `json:"kind"`
	At   time.Time `json:"at"`
	// Session groups the events of one visitor; a random id.
	Session string `json:"session"`
	// Language is set for EventLanguage, Decision for EventPrecheck.
	Language string   `json:"language,omitempty"`
	Decision Decision `json:"decision,omitempty"`
	// ApplicationID ties EventPrinted and EventPrintFailed to the ticket, so
	// an unprinted number is held back from the call.
	ApplicationID string `json:"applicationId,omitempty"`
	// Reason is a short machine code for failures ("no-paper", "timeout").
	Reason string `json:"reason,omitempty"`
}

// Events is a batch of session events.
type Events struct {
	Events []Event `json:"events"`
}

// BlockRequest asks for numbers to hand out while offline.
type BlockRequest struct {
	BranchID string `json:"branchId"`
	Service  string `json:"service"`
	// Size is how many numbers; the server may give fewer. 0 asks only
	// for the kiosk's offline prefix and the number width.
	Size int `json:"size"`
}

// Block is a run of a branch's numbers lent to one kiosk for one day. It
// also tells the kiosk how to write the numbers of its own range, so that
// they need no setting on the kiosk: a request for 0 numbers gets just that.
type Block struct {
	BranchID string `json:"branchId"`
	Service  string `json:"service"`
	// Day is the queue day the numbers are valid for, YYYY-MM-DD: the day
	// an application made when they were lent counts for by the branch's
	// opening hours (after closing, the next day it opens). A ticket
	// printed with one must count for that day too, or it is refused.
	Day     string   `json:"day"`
	Numbers []string `json:"numbers"`
	// OfflinePrefix starts the numbers of the kiosk's own range ("KAB"),
	// as the backend's registry has it for this kiosk.
	OfflinePrefix string `json:"offlinePrefix"`
	// NumberWidth is the least number of digits after a prefix, zero-padded
	// ("A005" for 3): every number, lent or the kiosk's own, is written so.
	NumberWidth int `json:"numberWidth"`
}

// CallNext is a clerk's request for the next visitor.
type CallNext struct {
	// Service limits the call to one service; "" takes any.
	Service string `json:"service,omitempty"`
}

// Call is the ticket a window called, with the prechecked application so the
// clerk need not retype the passport (nil for a booked visit with none).
type Call struct {
	Status      Status       `json:"status"`
	Application *Application `json:"application,omitempty"`
}

// Redirect sends a called visitor back to the queue of another service.
type Redirect struct {
	Service string `json:"service"`
}

// Called is one event of the display stream: a number called to a window.
type Called struct {
	Number string    `json:"number"`
	Window string    `json:"window"`
	At     time.Time `json:"at"`
	// Recall is true when the same number is called again.
	Recall bool `json:"recall"`
}

// Change names what a BranchEvent tells.
type Change string

// The changes a BranchEvent tells of.
const (
	ChangeIssued     Change = "issued"     // a ticket joined the queue
	ChangeCalled     Change = "called"     // a number was called to a window
	ChangeRecalled   Change = "recalled"   // the same number was called again
	ChangeNoShow     Change = "no-show"    // the called visitor did not come
	ChangeCompleted  Change = "completed"  // the visit ended at the window
	ChangeRedirected Change = "redirected" // sent back to another service's queue
	ChangeParked     Change = "parked"     // set aside, to be called back
	ChangeKiosk      Change = "kiosk"      // a kiosk's heartbeat changed its state
	ChangePrinted    Change = "printed"    // a kiosk reported whether a ticket's paper came out
)

// BranchEvent is one change of a branch's queue, windows or kiosks, as the
// console, the hall display and the supervisor page hear of it. It carries
// no personal data: numbers, windows, services and kiosk ids only, so any
// stream may pass it on whole.
type BranchEvent struct {
	// ID orders the events of one server database; a stream resumes after
	// the last ID it saw (Last-Event-ID).
	ID      int64     `json:"id"`
	Kind    Change    `json:"kind"`
	Branch  string    `json:"branch"`
	Number  string    `json:"number,omitempty"`
	Window  string    `json:"window,omitempty"`
	Service string    `json:"service,omitempty"`
	Kiosk   string    `json:"kiosk,omitempty"`
	At      time.Time `json:"at"`
}

// Error is the body of every error answer.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error returns the code and message, so an *Error is a Go error too.
func (e *Error) Error() string { return "central: " + e.Code + ": " + e.Message }

// The error codes. Clients branch on them, never on messages.
const (
	CodeMalformed    = "malformed"     // 400: not JSON, unknown field, bad value
	CodeTooLarge     = "too-large"     // 413: body over MaxBodyBytes
	CodeUnauthorized = "unauthorized"  // 401: no credential, or an unknown or revoked token
	CodeUnknownKiosk = "unknown-kiosk" // 403: kiosk not registered, or not this branch
	CodeForbidden    = "forbidden"     // 403: the caller's role, branch or kiosk may not do this
	CodeConflict     = "conflict"      // 409: replayed id with a different body
	CodeNumberTaken  = "number-taken"  // 409: an offline number already in use
	CodeLendLimit    = "lend-limit"    // 409: the kiosk holds the most lent numbers allowed today
	CodeNotFound     = "not-found"     // 404
	CodeBadState     = "bad-state"     // 409: clerk action not valid in the ticket's state
	CodeInternal     = "internal"      // 500
	CodeUnavailable  = "unavailable"   // 503: shutting down or store down; retry
)

// CodeUnprocessable (422): the body is well-formed but holds a value the
// server cannot take: an offline number spelled otherwise than the server
// spells it, or an offline ticket's time no working clock gives (1970,
// 9999). Retrying the same body will not help.
const CodeUnprocessable = "unprocessable"

// NewID returns a random UUID (version 4) for an application or check-in id.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("api: crypto/rand failed: " + err.Error()) // never happens on Linux
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// ValidID reports whether s is a UUID in canonical lower-case form.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// MaskID shortens an id for logs: the first 8 characters and an ellipsis.
// Ids are random, but masking keeps log lines short and uniform.
func MaskID(s string) string {
	if len(s) <= 8 {
		return s
	}
	return s[:8] + "…"
}
