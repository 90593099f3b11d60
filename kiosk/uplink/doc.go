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
// still prints its own numbers. A kiosk that has never heard its prefix
// and has no lent number left prints nothing ([ErrNoOfflinePrefix]): the
// visitor is sent to the desk and the application arrives later, reported
// not printed.
//
// The day's count of the kiosk's own range is kept in the outbox and, written
// durably before each number prints, in a file beside it (outbox.db.counter):
// a new outbox made in place of a damaged one goes on from the day's last
// number instead of printing it again.
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
// # A printed ticket is never set aside silently
//
// A refusal (4xx) of the application while the visitor waits prints
// nothing; the screen says so and the entry is wiped. A refusal of the
// kiosk rather than the application (see below) is taken as no answer: the
// visitor gets an offline ticket and the entry waits, never wiped, until
// the kiosk is fixed. A refusal of an entry whose ticket was printed
// offline keeps the entry, sealed, marked with the status and the server's
// code ("409 number-taken", never the message), and counted ([Counts]): the
// heartbeat carries it (outboxRejected), the technician's page and kiosk
// doctor fail the outbox check with what to do. Refusals about the kiosk
// rather than the application (401, 403, 404, 408: a credential not
// enrolled yet, a proxy) are sent again every RejectedRetry and at each
// start; the others get the same answer whatever is resent, and wait for
// the supervisor.
//
// # Nothing in the outbox stops the kiosk
//
// [Open] sweeps the outbox ([Outbox.Sweep]): a row that does not open
// (damaged bytes, a replaced key, not an application) or does not scan (a
// column kept in the clear damaged: no id, text for a time) is moved to the
// outbox's quarantine table as it is, sealed, with why and when, counted
// (outboxQuarantined) and reported like a refusal; the rest is delivered.
// Sync does the same with a row spoiled while the kiosk runs. A key check
// sealed at each start tells a replaced key from damage, and quarantined
// rows that open again (the old key put back) return to the outbox. A file
// that is not a sound SQLite database is renamed outbox.db.corrupt-<time>
// and a new outbox made; the move is counted too. Nor does the key: kiosk
// run moves a key file that is damaged or readable by others aside
// (outbox.key.replaced-<time>, [RenewKey]) and makes a new key; what the old
// key sealed is set aside as above, the move is counted, and putting the old
// file back delivers it.
//
// # Transport
//
// HTTPS with mutual TLS ([TLSFromFiles]); plain http only to a loopback
// address (the demo). Each attempt has a timeout; network errors, 5xx and
// 429 are retried with full-jitter exponential backoff; a 4xx ends the
// attempt ([ErrRejected], [*RejectedError]) and is handled as above. In a
// delivery pass ([Uplink.Sync]) an answer about one entry (a 500 for its
// body, a 2xx the kiosk cannot read, [*AnswerError]) leaves that entry for
// later and the pass goes on; no answer, or one about the backend as a
// whole, ends the pass, so an outage costs one wait, not one per entry.
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
