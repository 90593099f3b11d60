// Package journey is the visitor's journey through the kiosk as an explicit
// state machine, with no UI in it: the screens only show what it decides.
//
// # States
//
// The main path is Language → Service → Applicant → Scan → Confirm →
// ScriptQuestion (only when the precheck must ask) → Result → Phone
// (optional) → Submitting → Ticket → Goodbye. A booked visit checks in
// first: Service → BookingCode (keypad), or BookingScan (the passport) →
// BookingLookup → Applicant, then the same path with a ticket marked as
// booked. A scan that fails or a document that cannot be used goes straight
// to Result, which says why; after flow.max_scan_failures failed scans it
// sends the visitor to the information desk. Side states say what is wrong
// with the kiosk rather than the visitor: ScannerDown (go to the information
// desk), RepresentativeOff, BookingProblem.
//
// # Inputs and effects
//
// [Journey.Handle] takes one [Input] (a tap turned into meaning, a device's
// report, the backend's answer, or a [Tick]) and returns the [Effect]s the
// runner must carry out: [Submit], [Print], [LookupBooking], [Wiped]. Their
// answers come back as inputs ([Submitted], [Printed], [BookingFound]).
// The journey never blocks, never sleeps and never touches a device.
//
// # Time
//
// The clock is injected (Options.Clock). After flow.idle_timeout without
// an input the journey asks "are you still there?" ([StillThere]); any
// input answers it, and flow.still_there_countdown later without one it
// resets. The ticket page goes to goodbye by itself flow.ticket_timeout
// after the ticket printed (or failed to), so the next visitor never sees
// the number and the list; the goodbye screen resets after
// flow.goodbye_timeout. At rest,
// and while waiting on the backend, nothing times out. The runner sends a
// Tick every second or so.
//
// # Reset
//
// Cancel, a timeout, or a tap on the goodbye screen wipes everything about
// the visitor (passport, answers, phone, ticket) and returns [Wiped]. Once
// the passport has been read, Cancel first asks (View.ConfirmCancel): a
// second Cancel wipes, [KeepVisit] goes on. Cancel is refused only while
// the application is being handed over, so none is ever lost. The welcome
// page, however it is reached, is in the first language offered (Kazakh).
//
// # Concurrency
//
// A Journey is not safe for concurrent use: the UI's event loop owns it.
// Device and backend goroutines hand their inputs to the loop.
package journey
