package printer

// Ticket is one queue ticket, its texts already in the visitor's languages.
// The flow decides the content; the printer only lays it out. A ticket
// carries no personal data: no name, no passport or IIN, nothing that
// identifies the visitor (tickets end up on the hall floor).
type Ticket struct {
	// Number is the queue number the clerks call, e.g. "A042". Required.
	Number string
	// Booked marks a visitor with an appointment; the layout prints each
	// block's Booked text under the number.
	Booked bool
	// Status is the QR code payload: the application's status reference
	// (a URL or an opaque code). Empty: no QR code.
	Status string
	// KioskLine is the kiosk and the time of issue in words every reader
	// of the ticket knows, e.g. "K-07 · 14.05.2025 10:32", printed once
	// for all languages. Empty: the first block's Kiosk and Issued lines
	// are printed instead.
	KioskLine string
	// Blocks are the languages shown, in order: Kazakh first, then the
	// visitor's language when it is another.
	Blocks []Block
}

// Block is the ticket's text in one language. Every field may be empty;
// an empty field prints nothing. Long texts wrap at plain spaces only:
// words joined by NoBreakSpace (a date's parts) stay on one line.
type Block struct {
	Lang string // "kk", "ru", "en": for logs and tests, not printed
	// NumberLabel is the caption above the number, e.g. "Кезек нөміріңіз".
	// The captions of all blocks are joined with " / ".
	NumberLabel string
	// Booked is printed under the number when Ticket.Booked is set.
	Booked string
	// Priority, when set, tells a visitor put in the priority lane so; it is
	// printed bold under the number, one line per block.
	Priority string
	// Service is the service's title, printed bold.
	Service string
	// Branch is the branch's name. A branch equal to an earlier block's
	// is not printed again, so the flow may repeat language-neutral lines.
	Branch string
	// Kiosk and Issued are the kiosk line and the issue-time line, used
	// only when Ticket.KioskLine is empty, and then only the first
	// block's: the kiosk line is for the staff and is printed once.
	Kiosk  string
	Issued string
	// Wait is the people-ahead and estimated-wait line, when known.
	Wait string
	// Ready is the line giving the date the IIN will be ready.
	Ready string
	// BringHeading heads the Bring checklist ("bring to the window").
	BringHeading string
	// Bring is the checklist from the precheck, one item a string.
	Bring []string
	// Notice is the free-of-charge, no-intermediary notice.
	Notice string
	// StatusCaption says what the QR code is for, e.g. "Scan to see your
	// place in the queue"; printed above the code.
	StatusCaption string
}
