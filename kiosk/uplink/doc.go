// Package uplink is the kiosk's link to the central backend: the one place
// the firmware submits applications, checks in bookings, and reports its
// health and its sessions.
//
// # Never lose an application
//
// [Uplink.Submit] first commits the application to the [Outbox], a SQLite
// file synced to disk, sealed with AES-256-GCM under a key from a file only
// the kiosk user can read ([LoadKey]). Only then does it ask the backend,
// for at most SubmitWait. The answer's ticket is printed and the entry is
// wiped (secure_delete). With no answer, Submit gives an offline ticket:
// a number the backend lent in advance (indistinguishable on paper) or the
// next of the kiosk's own prefixed range, committed with the entry, so the
// number survives a crash and is never printed twice. [Uplink.Run] delivers
// what is left, oldest first, and the backend keeps the printed number.
//
// # Offline numbers and clocks
//
// The kiosk's own range has no setting: the backend sends the prefix its
// registry gives the kiosk, and the number width, with every block of lent
// numbers; a kiosk that lends none asks for a block of none once a day. The
// outbox keeps it ([Numbering]), so a kiosk that restarts without the network
// still prints its own numbers. One that has never heard it and has no lent
// number left prints nothing ([ErrNoOfflinePrefix]): the visitor is sent to
// the desk and the application arrives later, reported not printed.
//
// Every answer's Date header measures the kiosk's clock against the
// backend's ([Client.Clock]): to the second of the header plus half the
// round trip, narrowed by the answers that agree, carried on the monotonic
// clock so that a step of the wall clock leaves it right, and widened by the
// drift since. Heartbeats and offline tickets carry it (api.Clock), and the
// backend places offline tickets by it.
//
// Every attempt carries the application's id, the backend's idempotency key,
// so retries after a lost answer, a crash or a kill -9 give one ticket. An
// entry found at start that never got a number was never printed; after
// delivery it is reported print-failed so the clerk does not call it.
//
// # Transport
//
// HTTPS with mutual TLS ([TLSFromFiles]); plain http only to a loopback
// address (the demo). Each attempt has a timeout; network errors, 5xx and
// 429 are retried with full-jitter exponential backoff; a 4xx is final
// ([ErrRejected], [*RejectedError]) and the entry is set aside for the
// technician.
//
// # Personal data
//
// Logs carry masked ids, numbers and causes only. The outbox holds
// applications sealed; offline numbers and times are kept in the clear.
//
// # Concurrency
//
// Submit, Sync and the Client's calls are safe for concurrent use; run one
// Run per Uplink.
package uplink
