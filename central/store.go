package central

import (
	"context"
	"errors"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// Errors a Store returns for conditions the server maps to an answer. A Store
// wraps them with context; callers use errors.Is.
var (
	// ErrNotFound: no such ticket, booking or branch.
	ErrNotFound = errors.New("central: not found")
	// ErrConflict: the id is already stored with a different body.
	ErrConflict = errors.New("central: id already used with a different body")
	// ErrNumberTaken: an offline number is already another ticket's, or was
	// never lent to this kiosk.
	ErrNumberTaken = errors.New("central: number already in use or not lent to this kiosk")
	// ErrBadState: a clerk action that the ticket's state does not allow.
	ErrBadState = errors.New("central: action not valid in the ticket's state")
	// ErrEmpty: call-next found nobody waiting.
	ErrEmpty = errors.New("central: nobody waiting")
	// ErrClosed: the store is closed (the server is shutting down).
	ErrClosed = errors.New("central: store closed")
)

// IsDomain reports whether err is one of the errors above, i.e. an answer
// about the data rather than a failure of the database. A Store's write that
// ends in a domain error has written nothing.
func IsDomain(err error) bool {
	for _, e := range [...]error{ErrNotFound, ErrConflict, ErrNumberTaken, ErrBadState, ErrEmpty, ErrWindowBusy, ErrNotYourWindow} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Print states of a ticket, as the kiosk reported them.
const (
	PrintUnknown int = 0
	PrintOK      int = 1
	PrintFailed  int = 2
)

// Record is a ticket as stored, with the sealed application it belongs to.
type Record struct {
	ID      string
	Branch  string
	Kiosk   string
	Service string
	Lane    api.Lane
	// Day is the branch's local date the number belongs to, YYYY-MM-DD:
	// numbers restart at the branch's midnight.
	Day    string
	Number string
	State  api.State
	// IssuedAt orders the queue; for an offline ticket it is the time of
	// printing (the kiosk's clock moved by its measured offset, so in the
	// server's clock), so a late sync does not push the visitor back.
	IssuedAt    time.Time
	Offline     bool
	Printed     int // PrintUnknown, PrintOK or PrintFailed
	Window      string
	CalledAt    time.Time
	SlotAt      time.Time // booked visits only
	PeopleAhead int
	// BodyHash identifies the request body, to tell a retry from a replay
	// with other content.
	BodyHash []byte
	// Payload is the application sealed with the server's key (AES-GCM);
	// nil for a booked visit until the visitor's application is attached.
	Payload []byte
}

// IssueRequest asks a Store to store a ticket and give it a number.
type IssueRequest struct {
	// Record holds everything but Number, State and PeopleAhead. When
	// Record.Number is set (an offline ticket) that number is kept.
	Record Record
	// Prefix makes the number when none is given: Prefix followed by the
	// lane's next sequence number of the day, at least three digits.
	Prefix string
	// LentSeq, for a number from a lent block, is its sequence number: the
	// Store checks a block lent to Record.Kiosk covers it.
	LentSeq int
	// Hold, for an offline ticket the server could not place, stores it
	// held (api.StateHeld, never called) with the evidence, for a
	// supervisor. A retry of a stored id ignores it.
	Hold *Hold
	// Event, when set, is stored as a branch event (AppendBranchEvent's)
	// in the issue's own transaction when it creates the ticket, with the
	// ticket's number, service and kiosk; a retry of a stored id stores
	// none. The kiosk then waits for one write, not two.
	Event *api.BranchEvent
}

// CallRequest asks for the next ticket of a branch's day.
type CallRequest struct {
	Branch, Day, Window string
	Service             string // "" for any
	Now                 time.Time
	// PriorityRatio is how many priority tickets are called for each
	// ordinary one while both lanes wait.
	PriorityRatio int
	// Event, when set, is stored as a branch event (AppendBranchEvent's)
	// in the call's own transaction, with the called ticket's number and
	// service: the displays hear of the call when it commits, rather than
	// after a second trip through the store's writer. No ticket, no event.
	Event *api.BranchEvent
	// Free, for the console's call-next, refuses with ErrWindowBusy while
	// a ticket of the day is called at Window: one visitor at a window.
	Free bool
	// Staffed, when not nil, lists the windows a clerk works at now: a
	// visitor redirected to a window not among them, or redirected at or
	// before StaleBefore, is taken (still first) by any window's call-next
	// rather than waiting for a window nobody serves.
	Staffed     []string
	StaleBefore time.Time
}

// Action is a clerk's action on a called ticket.
type Action string

// The clerk actions.
const (
	ActionRecall   Action = "recall"
	ActionComplete Action = "complete"
	ActionNoShow   Action = "no-show"
	ActionRedirect Action = "redirect"
	// ActionPark sets a called visitor aside (state parked), to be called
	// back to a window later.
	ActionPark Action = "park"
	// ActionCallBack calls a parked visitor to a window again.
	ActionCallBack Action = "call-back"
)

// TransitionRequest applies a clerk action.
type TransitionRequest struct {
	ID      string
	Action  Action
	Service string // the new service, for ActionRedirect
	Now     time.Time
	// Redirect, for ActionRedirect from the console, is who sent the
	// visitor on, from which window, to which window and why; nil for the
	// protocol's redirect to a service. Either way the visitor is called
	// before the ordinary waiting tickets.
	Redirect *Redirect
	// Window, for ActionCallBack, is the window the parked visitor is
	// called to; User, for ActionPark, is the console user who parked it.
	Window, User string
	// Outcome, for ActionComplete, is how the visit ended, stored with
	// the completion; nil stores none.
	Outcome *Outcome
	// AtWindow, when set, refuses with ErrNotYourWindow an action on a
	// ticket called at another window: a clerk acts on their own visitor.
	AtWindow string
}

// LendRequest reserves a run of a branch's ordinary numbers for a kiosk.
type LendRequest struct {
	Kiosk, Branch, Service, Day string
	Size                        int
	// Max bounds the kiosk's outstanding numbers of the day (lent and not
	// yet used by a ticket, all services together): the Store lends fewer
	// than Size, or none, rather than exceed it. 0 means no bound.
	Max int
	Now time.Time
}

// BookingRecord is a booked visit. CodeMAC and DocMAC are keyed hashes of
// the booking code and the document number, never the code or the number
// itself: a code in the clear would let anyone with the database check in
// another's visit.
type BookingRecord struct {
	CodeMAC         []byte
	Branch, Service string
	// Day is the branch's local date of the slot; check-in works that day.
	Day    string
	SlotAt time.Time
	DocMAC []byte
}

// CheckInRequest asks for the ticket of a booking, found by CodeMAC (the
// keyed hash of the booking code) or DocMAC.
type CheckInRequest struct {
	Record  Record // ID, Branch, Kiosk, Day, IssuedAt, BodyHash; Service and SlotAt come from the booking
	CodeMAC []byte
	DocMAC  []byte
	// Prefix makes the booked number: Prefix followed by the sequence.
	Prefix func(service string) string
}

// AttachRequest gives a booked visit's check-in ticket the application the
// visitor made after checking in.
type AttachRequest struct {
	// ID is the check-in ticket's id; Branch must be the ticket's branch,
	// so a kiosk cannot reach another branch's tickets.
	ID, Branch string
	// Payload is the application sealed under the ticket's id, so that it
	// opens wherever the ticket is read by its id.
	Payload []byte
}

// EventRecord is one stored kiosk event.
type EventRecord struct {
	Kiosk string
	Event api.Event
}

// Store keeps the tickets. Every method is safe for concurrent use by many
// goroutines, and numbers stay unique however many servers share the store.
type Store interface {
	TokenStore
	UserStore
	// Issue stores a ticket with its number, once per id. The bool is true
	// when this call created it; a retry with the same BodyHash gets the
	// stored ticket and false. An existing online ticket that is still
	// waiting takes the offline number of a retry that carries one (the
	// number on paper wins). Errors: ErrConflict, ErrNumberTaken.
	Issue(ctx context.Context, req IssueRequest) (Record, bool, error)
	// Get returns a ticket. Errors: ErrNotFound.
	Get(ctx context.Context, id string) (Record, error)
	// CallNext marks the next waiting ticket called to a window: due
	// bookings first, then priority and ordinary at the ratio, each in
	// IssuedAt order. Tickets that failed to print are skipped. Errors:
	// ErrEmpty.
	CallNext(ctx context.Context, req CallRequest) (Record, error)
	// Transition applies a clerk action to a called ticket. Errors:
	// ErrNotFound, ErrBadState.
	Transition(ctx context.Context, req TransitionRequest) (Record, error)
	// Lend reserves up to req.Size numbers, fewer when req.Max would be
	// exceeded, and returns the first sequence number and how many it
	// reserved (0: none, nothing written). A ticket that uses a lent number
	// makes it no longer outstanding.
	Lend(ctx context.Context, req LendRequest) (first, n int, err error)
	// AddBooking stores a booking. Errors: ErrConflict for a code in use.
	AddBooking(ctx context.Context, b BookingRecord) error
	// CheckIn issues the ticket of a booking, once per booking: a second
	// check-in gets the first ticket and false. Errors: ErrNotFound.
	CheckIn(ctx context.Context, req CheckInRequest) (Record, bool, error)
	// Attach stores req.Payload on a booked check-in ticket that has no
	// payload yet, leaving its number, place and body hash (the check-in's)
	// as they are. The bool is true when this call stored it; otherwise the
	// ticket is returned as it is, with the payload stored first, for the
	// caller to tell a retry from another application. The check for "no
	// payload yet" is part of the write, so of two racing attaches exactly
	// one stores. Errors: ErrNotFound when there is no booked ticket with
	// that id in that branch.
	Attach(ctx context.Context, req AttachRequest) (Record, bool, error)
	// SaveHeartbeat keeps a kiosk's latest heartbeat (JSON, no personal data).
	SaveHeartbeat(ctx context.Context, kiosk string, at time.Time, body []byte) error
	// AddEvents stores session events; printed and print-failed events
	// with an application id also set that ticket's print state.
	AddEvents(ctx context.Context, events []EventRecord) error
	// Held lists a branch's held offline tickets, of every day, in the
	// order they were held.
	Held(ctx context.Context, branch string) ([]HeldTicket, error)
	// NoteEmptyOutbox records that a kiosk's outbox was empty at some time
	// after at (server clock); an earlier at than the one stored changes
	// nothing.
	NoteEmptyOutbox(ctx context.Context, kiosk string, at time.Time) error
	// EmptyOutbox returns the latest at NoteEmptyOutbox recorded for the
	// kiosk, the zero time when none.
	EmptyOutbox(ctx context.Context, kiosk string) (time.Time, error)
	// KeyBodyHashes replaces every stored BodyHash h by key(h), once per
	// database, and reports how many it replaced: a database written
	// before body hashes were keyed holds plain digests, which give booking
	// codes and document numbers away by trial. A new database, or one
	// keyed already, is left as it is (0). Several servers starting at once
	// key it once.
	KeyBodyHashes(ctx context.Context, key func(digest []byte) []byte) (int, error)
	// Tickets lists a branch's tickets of a day (YYYY-MM-DD) in issue
	// order, without payloads.
	Tickets(ctx context.Context, branch, day string) ([]Record, error)
	// Served counts the visits a console user completed with an Outcome
	// at or after since.
	Served(ctx context.Context, user string, since time.Time) (int, error)
	// Close waits for writes under way and releases the database.
	Close() error

	// The clerk's desk: redirects, parked visitors and a clerk's figures.

	// Redirects lists the latest redirect of each ticket of a branch's day
	// that was ever redirected, in the order they were redirected.
	Redirects(ctx context.Context, branch, day string) ([]Redirect, error)
	// Parked lists the parked tickets of a branch's day with who parked
	// them, in the order they were parked, without payloads.
	Parked(ctx context.Context, branch, day string) ([]ParkedTicket, error)
	// ServiceFigures gives the visits a console user completed with an
	// Outcome at or after since, and their service time: from the last
	// call (or recall, or call back) to the completion.
	ServiceFigures(ctx context.Context, user string, since time.Time) (ServiceFigures, error)

	// Branch events (BranchEventStore): the changes the console, display
	// and supervisor streams follow, kept a short while so a stream can
	// resume after a cut.
	BranchEventStore

	// The supervisor's reads and the audit log.

	// AddAudit stores an audit entry (its Login is not stored). An entry of
	// AuditViewed is stored once per user and ticket, however many
	// processes try at once: the bool is false when one was stored before.
	AddAudit(ctx context.Context, e AuditEntry) (bool, error)
	// AuditLog lists a branch's audit entries newest first (At, then ID,
	// descending), those older than q.Before when it is set, at most
	// q.Limit, each with its user's login.
	AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
	// Heartbeats returns the latest heartbeat of each of these kiosks that
	// has sent one, in no order.
	Heartbeats(ctx context.Context, kiosks []string) ([]HeartbeatRecord, error)
	// WindowSessions lists the sessions live at now of the enabled users
	// of a branch that have chosen a window, by window then sign-in.
	WindowSessions(ctx context.Context, branch string, now time.Time) ([]WindowSession, error)

	// Kiosk enrolment (EnrolStore): the one-time codes and the
	// certificates the kiosk CA issued.
	EnrolStore
}

// BranchEventStore keeps branch events, so that a stream resumes after a
// cut or a restart and every server process on one database sees them.
type BranchEventStore interface {
	// AppendBranchEvent stores e (its ID ignored) and returns its id. The
	// ids of one branch's events grow in the order their appends commit,
	// whichever process appends, so a reader that has seen id n has seen
	// every earlier event of the branch. The branch's events two days
	// older than e are dropped.
	AppendBranchEvent(ctx context.Context, e api.BranchEvent) (int64, error)
	// BranchEventsAfter returns up to limit of a branch's events with ids
	// above after, in id order.
	BranchEventsAfter(ctx context.Context, branch string, after int64, limit int) ([]api.BranchEvent, error)
	// LastBranchEvent returns the id of the branch's latest stored event,
	// 0 when it has none.
	LastBranchEvent(ctx context.Context, branch string) (int64, error)
}

// EventNotice tells that a branch's event with id ID was stored, by any
// server process on the database. A notice with an empty Branch means
// notices may have been lost (the listening connection was down): every
// branch should be read again.
type EventNotice struct {
	Branch string
	ID     int64
}

// EventNotifier is a Store that hears of the branch events other server
// processes append, such as PostgreSQL's with LISTEN/NOTIFY. A Store that
// is not one serves one process, whose own events the server knows.
type EventNotifier interface {
	// Notifications sends a notice for each event appended to the
	// database, until ctx ends, when it closes the channel.
	Notifications(ctx context.Context) <-chan EventNotice
}

// Redirect is a ticket sent back to the queue by a clerk: to another
// service, or to one window, whose call-next alone takes it. Note is the
// clerk's comment sealed by the server: it may name documents.
type Redirect struct {
	ID      string // the ticket's
	User    string // the console user's id; "" for the protocol's redirect
	From    string // the window the visitor was sent from
	Window  string // the window the visitor is sent to; "" for any
	Service string
	Note    []byte
	At      time.Time
}

// ParkedTicket is a parked ticket and who parked it at which window.
type ParkedTicket struct {
	Record   Record
	User     string
	Window   string
	ParkedAt time.Time
}

// ServiceFigures are a clerk's completed visits and their total service
// time.
type ServiceFigures struct {
	Served int
	Total  time.Duration
}
